//! How lmo cuts CSV text into lines and records: one rule for every reader (statistics
//! files and arrears inputs alike), as the `csv` crate reads them.
//!
//! * A line ends with a line feed, a carriage return and a line feed, or a carriage return
//!   alone (old Mac files, or an export that wrote only its header so): [`LineEnds`] turns
//!   each lone carriage return into a line feed, so that readers that count line feeds
//!   count the lines a person sees, and no row hides behind a carriage return.
//! * A record ends at a line end outside a quoted field. A field is quoted only when it
//!   starts with a double quote; a quote elsewhere in an unquoted field is a character
//!   like any other, and `""` inside a quoted field is one quote ([`RecordEnds`]).
//!
//! Both work on bytes as they arrive, in pieces cut anywhere, and keep no more than a few
//! bytes of state, so a reader can check a record's length while it reads it.

use memchr::{memchr, memchr2_iter, memrchr};

/// Turns lone carriage returns into line feeds, in place, over text that arrives in
/// pieces. Carriage returns followed by a line feed (Windows line ends) are left alone.
#[derive(Debug, Clone, Copy, Default)]
pub struct LineEnds;

impl LineEnds {
    /// Rewrites every lone carriage return of `bytes` as a line feed and returns how many
    /// leading bytes are settled: all of them, or all but a last carriage return whose next
    /// byte has not arrived yet (unless `at_end`, when there is no next byte). The caller
    /// passes the unsettled byte again, at the start of the next call.
    pub fn settle(self, bytes: &mut [u8], at_end: bool) -> usize {
        let length = bytes.len();
        let mut from = 0;
        while let Some(found) = memchr(b'\r', &bytes[from..]) {
            let at = from + found;
            match bytes.get(at + 1) {
                Some(b'\n') => {}
                Some(_) => bytes[at] = b'\n',
                None if at_end => bytes[at] = b'\n',
                None => return length - 1,
            }
            from = at + 1;
        }
        length
    }
}

/// Where the state of a scan stands between two pieces of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// Outside a quoted field.
    Outside,
    /// Inside a quoted field.
    Inside,
    /// Right after a quote inside a quoted field: the next byte says whether it closed the
    /// field or was the first of a `""`.
    AfterQuote,
}

/// Finds the ends of records in CSV text read piece by piece (after [`LineEnds`]: line
/// ends are `\n` or `\r\n`).
#[derive(Debug, Clone, Copy)]
pub struct RecordEnds {
    quoting: Quoting,
    /// The byte before the text to scan next: a quote after a comma or a line end (or at
    /// the start) opens a quoted field.
    previous: u8,
}

impl Default for RecordEnds {
    fn default() -> RecordEnds {
        RecordEnds {
            quoting: Quoting::Outside,
            previous: b'\n',
        }
    }
}

impl RecordEnds {
    /// Scans `bytes`, the text right after what was scanned before, and returns the end
    /// (the index after the line feed) of the first record that ends in it, or with `last`
    /// of the last one. With `last`, all of `bytes` is scanned; without, the scan stops at
    /// the first end, and the next call must start right after it.
    pub fn scan(&mut self, bytes: &[u8], last: bool) -> Option<usize> {
        let &final_byte = bytes.last()?;
        let mut found = None;
        let mut from = 0;
        if self.quoting == Quoting::AfterQuote {
            // The quote before this piece closed the field, unless this byte is its pair.
            if bytes[0] == b'"' {
                self.quoting = Quoting::Inside;
                from = 1;
            } else {
                self.quoting = Quoting::Outside;
            }
        }
        // Outside quotes with no quote ahead, the last line feed is the last end: two
        // vector searches instead of a stop at every line.
        if last && self.quoting == Quoting::Outside && memchr(b'"', &bytes[from..]).is_none() {
            self.previous = final_byte;
            return memrchr(b'\n', &bytes[from..]).map(|at| from + at + 1);
        }
        let mut skip_to = from;
        for at in memchr2_iter(b'"', b'\n', &bytes[from..]) {
            let at = from + at;
            if at < skip_to {
                continue;
            }
            match (self.quoting, bytes[at]) {
                (Quoting::Outside, b'\n') => {
                    found = Some(at + 1);
                    if !last {
                        self.previous = b'\n';
                        return found;
                    }
                }
                (Quoting::Outside, _) => {
                    let before = at
                        .checked_sub(1)
                        .map_or(self.previous, |index| bytes[index]);
                    if matches!(before, b',' | b'\n') {
                        self.quoting = Quoting::Inside;
                    }
                }
                (Quoting::Inside, b'"') => match bytes.get(at + 1) {
                    Some(b'"') => skip_to = at + 2,
                    Some(_) => self.quoting = Quoting::Outside,
                    None => self.quoting = Quoting::AfterQuote,
                },
                // A line feed inside a quoted field is part of it.
                _ => {}
            }
        }
        self.previous = final_byte;
        found
    }

    /// Whether the text scanned so far ends inside a quoted field.
    pub fn inside_quotes(&self) -> bool {
        self.quoting != Quoting::Outside
    }
}

#[cfg(test)]
mod tests {
    use super::{LineEnds, RecordEnds};

    /// `text` cut into pieces of `size` bytes and settled piece by piece.
    fn settled_in_pieces(text: &[u8], size: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut pending = Vec::new();
        let mut pieces = text.chunks(size.max(1)).peekable();
        while let Some(piece) = pieces.next() {
            pending.extend_from_slice(piece);
            let settled = LineEnds.settle(&mut pending, pieces.peek().is_none());
            out.extend(pending.drain(..settled));
        }
        out.extend(pending);
        out
    }

    #[test]
    fn lone_carriage_returns_become_line_feeds_wherever_the_text_is_cut() {
        let text = b"a,b\rc,d\r\ne\r\rf\r";
        for size in 1..=text.len() {
            assert_eq!(
                settled_in_pieces(text, size),
                b"a,b\nc,d\r\ne\n\nf\n",
                "pieces of {size}"
            );
        }
    }

    /// Every record end in `text` scanned in pieces of `size` bytes, with `last` scans.
    fn ends_in_pieces(text: &[u8], size: usize) -> Vec<usize> {
        let mut ends = Vec::new();
        let mut scanner = RecordEnds::default();
        let mut offset = 0;
        for piece in text.chunks(size.max(1)) {
            // Each end is found by a first-end scan from the previous one; a scan that
            // finds none has scanned the whole rest.
            let mut start = 0;
            while let Some(end) = scanner.scan(&piece[start..], false) {
                ends.push(offset + start + end);
                start += end;
            }
            offset += piece.len();
        }
        ends
    }

    /// Record ends as the `csv` crate finds them.
    fn csv_ends(text: &[u8]) -> Vec<usize> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        let mut record = csv::ByteRecord::new();
        let mut ends = Vec::new();
        while reader.read_byte_record(&mut record).unwrap_or(false) {
            ends.push(reader.position().byte() as usize);
        }
        ends
    }

    #[test]
    fn quotes_open_a_field_only_at_its_start() {
        let text = b"a,\"b\nc\",d\ne\"f,g\nh,\"i\"\"\n\"\nj,\"k\"l\n";
        assert_eq!(csv_ends(text), [10, 16, 25, 32]);
        for size in 1..=text.len() {
            assert_eq!(
                ends_in_pieces(text, size),
                [10, 16, 25, 32],
                "pieces of {size}"
            );
        }
    }

    /// The records the `csv` crate reads in `text`.
    fn csv_records(text: &[u8]) -> Vec<csv::ByteRecord> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        reader.byte_records().map_while(Result::ok).collect()
    }

    proptest::proptest! {
        /// Every record end the `csv` crate finds is found, and the text may be cut at
        /// every end found (blank lines included) without changing what the crate reads.
        #[test]
        fn records_end_where_the_csv_crate_ends_them(
            pieces in proptest::collection::vec(
                proptest::sample::select(&["a", ",", "\n", "\r\n", "\"", "\"\"", " "][..]),
                0..40,
            ),
            size in 1usize..9,
        ) {
            let text = pieces.concat().into_bytes();
            let found = ends_in_pieces(&text, size);
            let whole = csv_records(&text);
            for &end in &found {
                let mut cut = csv_records(&text[..end]);
                cut.extend(csv_records(&text[end..]));
                proptest::prop_assert_eq!(&cut, &whole, "cut at {}", end);
            }
            for end in csv_ends(&text) {
                // The last record may end without a line feed; the crate's position after a
                // Windows line end is before its line feed.
                let windows = text.get(end) == Some(&b'\n') && found.contains(&(end + 1));
                proptest::prop_assert!(
                    end == text.len() || found.contains(&end) || windows,
                    "{} not found", end
                );
            }
        }
    }
}
