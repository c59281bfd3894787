//! Splits a CSV stream into blocks of whole records, so that blocks can be parsed on
//! several threads and their results applied in file order.
//!
//! Lines and records end as `domain::LineEnds` and `domain::RecordEnds` say, the rule of
//! every reader of lmo: a lone carriage return ends a line (it is turned into a line feed
//! on the way in), and a record ends at a line feed outside a quoted field. Each block
//! starts at a record boundary, so its quote state starts closed. A record longer than
//! [`ROW_BYTES_MAX`] stops the read, before it is held in memory whole.

use std::io::Read;

use domain::{LineEnds, RecordEnds};
use memchr::memchr_iter;

use crate::ArrearsError;

/// The longest record read, in bytes: a row of an arrears input is a few hundred bytes, so
/// a longer one is a broken file (an unclosed quote, a missing line end), not data.
pub(crate) const ROW_BYTES_MAX: usize = 1 << 20;

/// Whole records and the 1-based number of the line their first record starts on.
#[derive(Debug)]
pub(crate) struct Block {
    pub(crate) bytes: Vec<u8>,
    pub(crate) first_line: u64,
}

pub(crate) struct Blocks<R> {
    reader: R,
    file: String,
    block_bytes: usize,
    pending: Vec<u8>,
    /// `pending[..settled]` has its line ends settled (lone carriage returns rewritten).
    settled: usize,
    /// `pending[..scanned]` has been scanned for record boundaries; `records` holds the
    /// scan's state there.
    scanned: usize,
    records: RecordEnds,
    /// The end of the last record found in `pending[..scanned]`.
    boundary: Option<usize>,
    next_line: u64,
    end_of_input: bool,
    /// Buffers of blocks already used, for the next ones.
    spare: Vec<Vec<u8>>,
}

impl<R: Read> Blocks<R> {
    /// Blocks of about `block_bytes` (more when one record is longer) of `reader`, which
    /// errors name `file`.
    pub(crate) fn new(reader: R, file: &str, block_bytes: usize) -> Blocks<R> {
        Blocks {
            reader,
            file: file.to_owned(),
            block_bytes: block_bytes.max(1),
            pending: Vec::new(),
            settled: 0,
            scanned: 0,
            records: RecordEnds::default(),
            boundary: None,
            next_line: 1,
            end_of_input: false,
            spare: Vec::new(),
        }
    }

    /// The first record alone (the header row); empty for an empty input.
    pub(crate) fn first_record(&mut self) -> Result<Block, ArrearsError> {
        loop {
            if let Some(end) = self.scan(true) {
                self.check_first_record(end)?;
                return Ok(self.take(end));
            }
            self.check_length(0)?;
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
    pub(crate) fn next_block(&mut self) -> Result<Option<Block>, ArrearsError> {
        while !self.end_of_input && self.pending.len() < self.block_bytes {
            self.read_more()?;
        }
        loop {
            let boundary = self.scan(false);
            if let Some(end) = boundary {
                self.check_first_record(end)?;
            }
            if self.end_of_input {
                // The last block: every record left, the last one perhaps without a line end.
                self.check_length(boundary.unwrap_or(0))?;
                if self.pending.is_empty() {
                    return Ok(None);
                }
                let end = self.pending.len();
                return Ok(Some(self.take(end)));
            }
            if let Some(end) = boundary {
                return Ok(Some(self.take(end)));
            }
            self.check_length(0)?;
            // Not one record end in a whole block: a long record; read on.
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

    /// Scans what is new and settled in `pending` for record ends: the end of the first one
    /// (`first`) or of the last one found so far.
    fn scan(&mut self, first: bool) -> Option<usize> {
        let start = self.scanned;
        let found = self
            .records
            .scan(&self.pending[start..self.settled], !first)
            .map(|end| start + end);
        if first && let Some(end) = found {
            self.scanned = end;
            return found;
        }
        self.scanned = self.settled;
        if found.is_some() {
            self.boundary = found;
        }
        self.boundary
    }

    /// Fails when the record that starts at `start` in `pending`, with no end in it so far,
    /// is already longer than a record may be.
    fn check_length(&self, start: usize) -> Result<(), ArrearsError> {
        if self.pending.len() - start > ROW_BYTES_MAX {
            return Err(self.too_long(start));
        }
        Ok(())
    }

    /// The error for the record that starts at `start` in `pending`.
    fn too_long(&self, start: usize) -> ArrearsError {
        ArrearsError::RowTooLong {
            file: self.file.clone(),
            line: self.next_line + memchr_iter(b'\n', &self.pending[..start]).count() as u64,
            limit: ROW_BYTES_MAX,
        }
    }

    /// Fails when the first record of `pending[..end]` (whole records) is longer than a
    /// record may be: only a record read on past a whole block can be.
    fn check_first_record(&self, end: usize) -> Result<(), ArrearsError> {
        if end <= ROW_BYTES_MAX {
            return Ok(());
        }
        let first_end = RecordEnds::default()
            .scan(&self.pending[..end], false)
            .unwrap_or(end);
        // The line feed (and a carriage return before it) is not part of the row.
        let line_end = if self.pending[..first_end].ends_with(b"\r\n") {
            2
        } else {
            1
        };
        if first_end - line_end > ROW_BYTES_MAX {
            return Err(self.too_long(0));
        }
        Ok(())
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
        self.settled -= end;
        self.scanned = 0;
        self.records = RecordEnds::default();
        self.boundary = None;
        Block { bytes, first_line }
    }

    fn read_more(&mut self) -> Result<(), ArrearsError> {
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
            .read_to_end(&mut self.pending)
            .map_err(|source| ArrearsError::Io {
                file: self.file.clone(),
                source,
            })?;
        self.end_of_input = read < want;
        self.settled += LineEnds.settle(&mut self.pending[self.settled..], self.end_of_input);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::{Blocks, ROW_BYTES_MAX};
    use crate::ArrearsError;

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
        let mut blocks = Blocks::new(Trickle(input), "f.csv", size);
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

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_a_line_feed_does() {
        // Old Mac line ends throughout, or only after the header: no row is lost, and
        // lines are numbered as a person counts them.
        let (header, blocks) = split(b"a,b\r1,x\r2,\"y\rz\"\r3,w", 1);
        assert_eq!(header, "a,b\n");
        assert_eq!(
            blocks,
            [
                (2, "1,x\n".to_owned()),
                (3, "2,\"y\nz\"\n".to_owned()),
                (5, "3,w".to_owned()),
            ]
        );
        let (header, blocks) = split(b"a,b\r1,x\n2,y\r\n", 1 << 20);
        assert_eq!(header, "a,b\n");
        assert_eq!(blocks, [(2, "1,x\n2,y\r\n".to_owned())]);
    }

    /// The error that stops reading `input` in blocks of 64 KiB.
    fn failure(input: &[u8]) -> String {
        let mut blocks = Blocks::new(input, "f.csv", 1 << 16);
        let failure = match blocks.first_record() {
            Err(error) => error,
            Ok(_) => loop {
                match blocks.next_block() {
                    Err(error) => break error,
                    Ok(Some(_)) => {}
                    Ok(None) => panic!("read to the end"),
                }
            },
        };
        assert!(matches!(failure, ArrearsError::RowTooLong { .. }));
        failure.to_string()
    }

    #[test]
    fn a_record_longer_than_the_limit_stops_the_read_at_its_line() {
        let long = vec![b'x'; ROW_BYTES_MAX + 1];
        let message = failure(&[b"h\n1\n".as_slice(), &long, b"\n2\n"].concat());
        assert_eq!(
            message,
            format!(
                "f.csv:3: the row is longer than the limit of {ROW_BYTES_MAX} bytes (a missing line end, or a quote never closed?)"
            )
        );
        // The same at the end of the input, as the header, and as a quote never closed.
        assert!(failure(&[b"h\n1\n".as_slice(), &long].concat()).starts_with("f.csv:3:"));
        assert!(failure(&long).starts_with("f.csv:1:"));
        let lines = b"a\n".repeat(ROW_BYTES_MAX / 2 + 1);
        assert!(failure(&[b"h\n1\n\"".as_slice(), &lines].concat()).starts_with("f.csv:3:"));
    }
}
