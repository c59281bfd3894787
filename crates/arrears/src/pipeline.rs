//! The parallel reading pipeline of the large inputs: this thread cuts the file into
//! blocks of whole records and hands them to parsing threads, takes the parsed blocks back
//! and applies their rows in file order, so the result is that of a sequential read.

use std::io::Read;
use std::sync::{Arc, Mutex, mpsc};

use crate::blocks::{Block, Blocks};
use crate::cells::{GiveUp, PlainLine};
use crate::rows::{BlockTable, Layout, Row, Table, reject_record_at};
use crate::{ArrearsError, Location, Reject};

/// Bytes per block handed to a parsing thread.
const BLOCK_BYTES: usize = 1 << 20;
/// Blocks read ahead per parsing thread: bounds the memory held by parsed blocks that
/// wait for their turn (about 3 MB a block with its parsed rows).
const BLOCKS_AHEAD_PER_THREAD: usize = 3;
/// More parsing threads than this would only wait on the one thread that applies rows in
/// order, while their blocks in flight took memory.
const PARSING_THREADS_MAX: usize = 8;

/// The rows of one block, parsed, each with where it starts in the block's bytes and its
/// line.
struct ParsedBlock<T> {
    bytes: Vec<u8>,
    rows: Vec<ParsedRow<T>>,
}

struct ParsedRow<T> {
    offset: u64,
    line: u64,
    parsed: Result<T, Reject>,
}

/// A parsed record as the applying thread sees it: enough to reject it after parsing.
pub(crate) struct RecordAt<'a> {
    bytes: &'a [u8],
    offset: u64,
    line: u64,
    file: &'a Arc<str>,
    layout: &'static Layout,
}

impl RecordAt<'_> {
    /// A reject of cell `column` (0-based), or of the whole row.
    pub(crate) fn reject(&self, column: Option<usize>, reason: String) -> Reject {
        let location = Location {
            file: Arc::clone(self.file),
            sheet: None,
            line: self.line,
            column: column.map(|index| index + 1),
            column_name: column.and_then(|index| self.layout.column_name(index)),
        };
        reject_record_at(self.bytes, self.offset, location, self.layout, reason)
    }
}

/// How the parsing threads read a row: `plain` first, straight from a plain line (see
/// [`crate::cells`]); where it gives up, `row` from the row as the general reader splits
/// it. Both update the thread's memo `M`.
pub(crate) struct Parsers<P, G> {
    pub(crate) plain: P,
    pub(crate) row: G,
}

/// One pass over a file with a header row. This thread reads blocks of whole records and
/// hands them to parsing threads; it takes the parsed blocks back in file order and passes
/// each row to `apply`, so the result is the same as a sequential read's. The parsers run
/// on the parsing threads, each with its own memo.
pub(crate) fn read_in_parallel<R: Read, T: Send, M: Default, P, G>(
    reader: R,
    file: &str,
    layout: &'static Layout,
    parsers: &Parsers<P, G>,
    mut apply: impl FnMut(Result<T, Reject>, RecordAt<'_>),
) -> Result<(), ArrearsError>
where
    P: Fn(&mut PlainLine<'_>, &mut M) -> Result<T, GiveUp> + Sync,
    G: Fn(&Row<'_>, &mut M) -> Result<T, Reject> + Sync,
{
    let mut blocks = Blocks::new(reader, file, BLOCK_BYTES);
    let header = blocks.first_record()?;
    Table::open(header.bytes.as_slice(), file, layout)?;
    let file_name: Arc<str> = file.into();
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(PARSING_THREADS_MAX);
    let ahead = threads * BLOCKS_AHEAD_PER_THREAD;
    let (work, work_queue) = mpsc::sync_channel::<(u64, Block)>(ahead);
    let work_queue = Mutex::new(work_queue);
    // Emptied row vectors go back to the parsing threads: fresh ones of this size would
    // cost page faults on every block.
    let spare_rows = Mutex::new(Vec::new());
    std::thread::scope(|scope| -> Result<(), ArrearsError> {
        // Owned here, so it is dropped when this closure returns, whatever the path, and
        // the parsing threads then stop.
        let work = work;
        let (parsed_tx, parsed) = mpsc::channel::<(u64, ParsedBlock<T>)>();
        for _ in 0..threads {
            let parsed_tx = parsed_tx.clone();
            let (work_queue, spare_rows, file_name, parsers) =
                (&work_queue, &spare_rows, &file_name, parsers);
            scope.spawn(move || {
                let mut memo = M::default();
                loop {
                    // The lock is released before parsing: the guard is a temporary.
                    let next = work_queue.lock().map(|queue| queue.recv());
                    let Ok(Ok((sequence, block))) = next else {
                        break;
                    };
                    let rows = spare_rows
                        .lock()
                        .ok()
                        .and_then(|mut spare| spare.pop())
                        .unwrap_or_default();
                    let rows = parse_block(block, rows, file_name, layout, parsers, &mut memo);
                    if parsed_tx.send((sequence, rows)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(parsed_tx);
        let (mut sent, mut applied) = (0u64, 0u64);
        let mut waiting = std::collections::BTreeMap::new();
        let mut input_done = false;
        loop {
            while !input_done && sent - applied < ahead as u64 {
                match blocks.next_block()? {
                    Some(block) => {
                        if work.send((sent, block)).is_err() {
                            break;
                        }
                        sent += 1;
                    }
                    None => input_done = true,
                }
            }
            if applied == sent {
                return Ok(());
            }
            let Ok((sequence, block)) = parsed.recv() else {
                // Every parsing thread has stopped: only a panic does that, and the scope
                // passes it on when it joins them.
                return Ok(());
            };
            waiting.insert(sequence, block);
            while let Some(mut block) = waiting.remove(&applied) {
                for row in block.rows.drain(..) {
                    let record = RecordAt {
                        bytes: &block.bytes,
                        offset: row.offset,
                        line: row.line,
                        file: &file_name,
                        layout,
                    };
                    apply(row.parsed, record);
                }
                applied += 1;
                blocks.recycle(block.bytes);
                if let Ok(mut spare) = spare_rows.lock() {
                    spare.push(block.rows);
                }
            }
        }
    })
}

/// One pass over a file with a header row on this thread alone, for the small inputs:
/// each row, or the reject of a row that cannot be read as `layout`, goes to `each` in file
/// order. Lines and records are cut as [`read_in_parallel`] cuts them.
pub(crate) fn read_in_order<R: Read>(
    reader: R,
    file: &str,
    layout: &'static Layout,
    mut each: impl FnMut(Result<Row<'_>, Reject>),
) -> Result<(), ArrearsError> {
    let mut blocks = Blocks::new(reader, file, BLOCK_BYTES);
    let header = blocks.first_record()?;
    Table::open(header.bytes.as_slice(), file, layout)?;
    let file_name: Arc<str> = file.into();
    while let Some(block) = blocks.next_block()? {
        let mut table = BlockTable::new(
            &block.bytes,
            Arc::clone(&file_name),
            layout,
            block.first_line,
        );
        while let Some(row) = table.next_row() {
            each(row);
        }
        drop(table);
        blocks.recycle(block.bytes);
    }
    Ok(())
}

/// Parses `block` into `rows` (empty, kept for its capacity).
fn parse_block<T, M, P, G>(
    block: Block,
    mut rows: Vec<ParsedRow<T>>,
    file: &Arc<str>,
    layout: &'static Layout,
    parsers: &Parsers<P, G>,
    memo: &mut M,
) -> ParsedBlock<T>
where
    P: Fn(&mut PlainLine<'_>, &mut M) -> Result<T, GiveUp>,
    G: Fn(&Row<'_>, &mut M) -> Result<T, Reject>,
{
    let mut table = BlockTable::new(&block.bytes, Arc::clone(file), layout, block.first_line);
    loop {
        if let Some((offset, line, record)) = table.next_plain(|line| (parsers.plain)(line, memo)) {
            rows.push(ParsedRow {
                offset,
                line,
                parsed: Ok(record),
            });
            continue;
        }
        let Some(row) = table.next_row() else {
            break;
        };
        rows.push(match row {
            Ok(row) => ParsedRow {
                offset: row.offset(),
                line: row.line(),
                parsed: (parsers.row)(&row, memo),
            },
            Err(reject) => ParsedRow {
                offset: 0,
                line: reject.location.line,
                parsed: Err(reject),
            },
        });
    }
    drop(table);
    ParsedBlock {
        bytes: block.bytes,
        rows,
    }
}
