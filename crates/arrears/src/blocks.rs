//! Splits a CSV stream into blocks of whole records, so that blocks can be parsed on
//! several threads and their results applied in file order.
//!
//! A record ends at a line feed outside double quotes (RFC 4180: a quoted field may hold
//! line feeds, and `""` inside one toggles the state twice, so counting quotes is enough).
//! Each block starts at a record boundary, so its quote state starts closed.

use std::io::{self, Read};

use memchr::{memchr, memchr_iter, memchr2_iter, memrchr};

/// Whole records and the 1-based number of the line their first record starts on.
#[derive(Debug)]
pub(crate) struct Block {
    pub(crate) bytes: Vec<u8>,
    pub(crate) first_line: u64,
}

pub(crate) struct Blocks<R> {
    reader: R,
    block_bytes: usize,
    pending: Vec<u8>,
    /// `pending[..scanned]` has been scanned for record boundaries.
    scanned: usize,
    inside_quotes: bool,
    /// The end of the last record found in `pending[..scanned]`.
    boundary: Option<usize>,
    next_line: u64,
    end_of_input: bool,
    /// Buffers of blocks already used, for the next ones.
    spare: Vec<Vec<u8>>,
}

impl<R: Read> Blocks<R> {
    /// Blocks of about `block_bytes` (more when one record is longer).
    pub(crate) fn new(reader: R, block_bytes: usize) -> Blocks<R> {
        Blocks {
            reader,
            block_bytes: block_bytes.max(1),
            pending: Vec::new(),
            scanned: 0,
            inside_quotes: false,
            boundary: None,
            next_line: 1,
            end_of_input: false,
            spare: Vec::new(),
        }
    }

    /// The first record alone (the header row); empty for an empty input.
    pub(crate) fn first_record(&mut self) -> io::Result<Block> {
        loop {
            if let Some(end) = self.scan(true) {
                return Ok(self.take(end));
            }
            if self.end_of_input {
                let end = self.pending.len();
                return Ok(self.take(end));
            }
            self.read_more()?;
        }
    }

    /// The next block of whole records; `None` at the end of the input. The last block
    /// also holds a last record without a final line feed (or an unclosed quote: the CSV
    /// reader then reports that record).
    pub(crate) fn next_block(&mut self) -> io::Result<Option<Block>> {
        while !self.end_of_input && self.pending.len() < self.block_bytes {
            self.read_more()?;
        }
        loop {
            if self.end_of_input {
                if self.pending.is_empty() {
                    return Ok(None);
                }
                let end = self.pending.len();
                return Ok(Some(self.take(end)));
            }
            if let Some(end) = self.scan(false) {
                return Ok(Some(self.take(end)));
            }
            // Not one record end in a whole block: a very long record; read on.
            self.read_more()?;
        }
    }

    /// Takes back the bytes of a block that is done with, to reuse them.
    pub(crate) fn recycle(&mut self, bytes: Vec<u8>) {
        const SPARE_MAX: usize = 4;
        if self.spare.len() < SPARE_MAX {
            self.spare.push(bytes);
        }
    }

    /// Scans what is new in `pending` for line feeds outside quotes: the end of the first
    /// one (`first`) or of the last one found so far.
    fn scan(&mut self, first: bool) -> Option<usize> {
        let start = self.scanned;
        // Without quotes the last line feed is the last boundary: two fast passes instead
        // of a stop at every line.
        if !first && !self.inside_quotes && memchr(b'"', &self.pending[start..]).is_none() {
            if let Some(at) = memrchr(b'\n', &self.pending[start..]) {
                self.boundary = Some(start + at + 1);
            }
            self.scanned = self.pending.len();
            return self.boundary;
        }
        for index in memchr2_iter(b'"', b'\n', &self.pending[start..]) {
            let at = start + index;
            if self.pending[at] == b'"' {
                self.inside_quotes = !self.inside_quotes;
            } else if !self.inside_quotes {
                self.boundary = Some(at + 1);
                if first {
                    self.scanned = at + 1;
                    return self.boundary;
                }
            }
        }
        self.scanned = self.pending.len();
        self.boundary
    }

    /// Cuts `pending[..end]` off as a block; `end` is a record boundary.
    fn take(&mut self, end: usize) -> Block {
        let mut rest = self.spare.pop().unwrap_or_default();
        rest.clear();
        rest.extend_from_slice(&self.pending[end..]);
        self.pending.truncate(end);
        let bytes = std::mem::replace(&mut self.pending, rest);
        let first_line = self.next_line;
        self.next_line += memchr_iter(b'\n', &bytes).count() as u64;
        // The rest starts at a boundary: scan it afresh with quotes closed.
        self.scanned = 0;
        self.inside_quotes = false;
        self.boundary = None;
        Block { bytes, first_line }
    }

    fn read_more(&mut self) -> io::Result<()> {
        let want = self
            .block_bytes
            .saturating_sub(self.pending.len())
            .max(self.block_bytes / 16)
            .max(1);
        // `take` + `read_to_end` reads into spare capacity without zeroing it first, and
        // retries interrupted reads; fewer bytes than wanted means the input has ended.
        self.pending.reserve(want);
        let read = (&mut self.reader)
            .take(want as u64)
            .read_to_end(&mut self.pending)?;
        self.end_of_input = read < want;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::Blocks;

    /// Gives one byte per read, as a slow pipe might.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
            let Some((first, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            buffer[0] = *first;
            self.0 = rest;
            Ok(1)
        }
    }

    /// Splits `input` into its header and blocks of about `size` bytes.
    fn split(input: &[u8], size: usize) -> (String, Vec<(u64, String)>) {
        let mut blocks = Blocks::new(Trickle(input), size);
        let header = blocks.first_record().unwrap();
        assert_eq!(header.first_line, 1);
        let mut out = Vec::new();
        while let Some(block) = blocks.next_block().unwrap() {
            out.push((block.first_line, String::from_utf8(block.bytes).unwrap()));
        }
        (String::from_utf8(header.bytes).unwrap(), out)
    }

    #[test]
    fn blocks_end_at_line_feeds_outside_quotes_and_keep_line_numbers() {
        let input = b"a,b\n1,\"x\ny\"\n2,\"say \"\"hi\"\"\"\n3,z";
        let (header, blocks) = split(input, 1);
        assert_eq!(header, "a,b\n");
        assert_eq!(
            blocks,
            [
                (2, "1,\"x\ny\"\n".to_owned()),
                (4, "2,\"say \"\"hi\"\"\"\n".to_owned()),
                (5, "3,z".to_owned()),
            ]
        );
        // Large blocks: the same records, fewer cuts, the same text.
        let (_, large) = split(input, 1 << 20);
        assert_eq!(
            large,
            [(2, "1,\"x\ny\"\n2,\"say \"\"hi\"\"\"\n3,z".to_owned())]
        );
    }

    #[test]
    fn an_unclosed_quote_runs_to_the_end_of_the_input() {
        let (_, blocks) = split(b"h\n1\n\"open\n2\n3\n", 2);
        assert_eq!(
            blocks,
            [(2, "1\n".to_owned()), (3, "\"open\n2\n3\n".to_owned())]
        );
    }

    #[test]
    fn empty_and_header_only_inputs() {
        assert_eq!(split(b"", 4), (String::new(), vec![]));
        assert_eq!(split(b"a,b", 4), ("a,b".to_owned(), vec![]));
        assert_eq!(split(b"a,b\r\n", 4), ("a,b\r\n".to_owned(), vec![]));
    }
}
