//! The four input files (and the prior monthly summaries) parsed into records.
//!
//! HKIDs are validated and replaced by their keyed pseudonyms here, at parse time; employee
//! names are checked present and dropped, as detection has no use for them. No record type
//! has a field that could hold an HKID or a name, and neither do rejects (see
//! [`crate::Reject`]). Every legal lookup a row needs (contribution day, mandatory
//! contributions, wage deadline, minimum wage) is also done here, so that a row the law
//! tables cannot judge is a reject with its position rather than a failure later.

use std::fmt;
use std::hash::Hasher;
use std::io::Read;
use std::sync::{Arc, Mutex, mpsc};

use domain::{HsicSection, Period};
use hashbrown::HashTable;
use jiff::civil::Date;
use labour_law::{
    Hkid, HolidayCalendar, Money, MpfContributions, MpfRates, Parameters, Percent, Pseudonym,
    Pseudonymiser,
};

use crate::blocks::{Block, Blocks};
use crate::cells::{Cells, GiveUp, LastDate, PlainLine};
use crate::duplicates::{DuplicateCheck, DuplicateKey};
use crate::fast_hash::FxHasher;
use crate::rows::{BlockTable, Layout, Row, Table, reject_record_at};
use crate::{ArrearsError, Location, ReadSummary, Reject};

/// The legal tables a run judges rows by.
#[derive(Debug, Clone, Copy)]
pub struct Law<'a> {
    pub parameters: &'a Parameters,
    pub calendar: &'a HolidayCalendar,
    /// Days on which a gale or black-rainstorm warning closed offices (see
    /// [`read_closures`]): like holidays, they move the MPF contribution day.
    pub closures: &'a [Date],
}

impl Law<'static> {
    /// The bundled Hong Kong parameters and holiday calendar.
    pub fn hong_kong() -> Law<'static> {
        Law {
            parameters: Parameters::hong_kong(),
            calendar: HolidayCalendar::hong_kong(),
            closures: &[],
        }
    }
}

/// An employer's position in the [`Register`]: a dense index, so per-employer state can
/// live in a vector rather than a map keyed by strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EmployerKey(u32);

impl EmployerKey {
    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }
}

/// One row of the employer register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Employer {
    pub id: String,
    pub name: String,
    pub section: HsicSection,
    pub district: String,
    pub headcount: u32,
}

/// The employer register, indexed by employer id.
///
/// Memory: one [`Employer`] and one index slot per employer, about 140 bytes each with
/// short names, so 300,000 employers take some 42 MB. The index holds each id's hash and
/// position, not the id: no id is stored twice, and neither growing the index nor a probe
/// that does not match reads an id.
#[derive(Debug, Clone, Default)]
pub struct Register {
    employers: Vec<Employer>,
    index: HashTable<(u64, EmployerKey)>,
}

fn id_hash(id: &str) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(id.as_bytes());
    hasher.finish()
}

impl Register {
    pub fn key(&self, employer_id: &str) -> Option<EmployerKey> {
        let hash = id_hash(employer_id);
        let employers = &self.employers;
        self.index
            .find(hash, |&(known_hash, key)| {
                known_hash == hash && employers[key.index()].id == employer_id
            })
            .map(|&(_, key)| key)
    }

    pub fn get(&self, key: EmployerKey) -> &Employer {
        &self.employers[key.index()]
    }

    pub fn len(&self) -> usize {
        self.employers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.employers.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (EmployerKey, &Employer)> + '_ {
        self.employers
            .iter()
            .enumerate()
            .map(|(index, employer)| (EmployerKey(index as u32), employer))
    }

    /// Adds an employer; gives it back if its id is already registered (or the register
    /// is full).
    pub fn insert(&mut self, employer: Employer) -> Result<EmployerKey, Employer> {
        let hash = id_hash(&employer.id);
        self.insert_hashed(employer, hash)
    }

    /// [`Register::insert`] with the id's hash computed already (on a parsing thread).
    fn insert_hashed(&mut self, employer: Employer, hash: u64) -> Result<EmployerKey, Employer> {
        let Ok(key) = u32::try_from(self.employers.len()).map(EmployerKey) else {
            return Err(employer);
        };
        let employers = &self.employers;
        let entry = self.index.entry(
            hash,
            |&(known_hash, known)| known_hash == hash && employers[known.index()].id == employer.id,
            |&(known_hash, _)| known_hash,
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(_) => Err(employer),
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert((hash, key));
                self.employers.push(employer);
                Ok(key)
            }
        }
    }
}

/// What every row parser needs besides the file.
#[derive(Debug, Clone, Copy)]
pub struct ParseContext<'a> {
    pub pseudonymiser: &'a Pseudonymiser,
    /// Dates after this day are rejected: a statement cannot report the future.
    pub as_of: Date,
    pub register: &'a Register,
    pub law: Law<'a>,
}

/// One row of an MPF remittance statement: an employee's contributions for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remittance {
    pub line: u64,
    pub employer: EmployerKey,
    pub employee: Pseudonym,
    pub period_start: Date,
    pub period_end: Date,
    pub relevant_income: Money,
    pub employer_contribution: Money,
    pub employee_contribution: Money,
    /// `None`: not paid.
    pub paid_on: Option<Date>,
    /// The 10th of the month after the period, moved past weekends and general holidays.
    pub contribution_day: Date,
    /// What the law requires on `relevant_income` for this period.
    pub mandatory: MpfContributions,
    /// The surcharge rate in force on the contribution day.
    pub surcharge_rate: Percent,
}

/// One row of a payroll record: an employee's wages for one wage period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payroll {
    pub line: u64,
    pub employer: EmployerKey,
    pub employee: Pseudonym,
    pub period_start: Date,
    pub period_end: Date,
    pub wages_due: Money,
    pub wages_paid: Money,
    pub paid_on: Option<Date>,
    /// Hundredths of an hour; `None` when not recorded (the law requires hours only below
    /// a monthly wage level, so it may be blank).
    pub hours_worked_hundredths: Option<u32>,
    /// The statutory deadline: period end + 7 days.
    pub due_by: Date,
    /// The hourly minimum wage in force at the start of the period (the lower rate when a
    /// period straddles an increase, so only certain breaches are flagged); `None` when no
    /// hours were recorded.
    pub minimum_wage_hourly: Option<Money>,
}

/// One report from a worker or the union.
///
/// `summary` is free text as the report gave it: it may name people, so it is redacted in
/// rejects and left out of `Debug`; callers must treat it as case data, never log it.
#[derive(Clone, PartialEq, Eq)]
pub struct WorkerReport {
    pub line: u64,
    pub employer: EmployerKey,
    pub reported_on: Date,
    pub workers_affected: u32,
    pub amount_claimed: Money,
    pub channel: String,
    pub summary: String,
}

impl fmt::Debug for WorkerReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkerReport")
            .field("line", &self.line)
            .field("employer", &self.employer)
            .field("reported_on", &self.reported_on)
            .field("workers_affected", &self.workers_affected)
            .field("amount_claimed", &self.amount_claimed)
            .field("channel", &self.channel)
            .field(
                "summary",
                &format_args!("<{} characters>", self.summary.chars().count()),
            )
            .finish()
    }
}

/// One row of the prior monthly employer summaries: the employer was in default that month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriorDefault {
    pub employer: EmployerKey,
    pub period: Period,
}

/// A record or a reject, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed<T> {
    Record(T),
    Reject(Reject),
}

pub(crate) static REGISTER: Layout = Layout {
    columns: &[
        "employer_id",
        "name",
        "hsic_section",
        "district",
        "headcount",
    ],
    personal: &[],
};

pub(crate) static REMITTANCES: Layout = Layout {
    columns: &[
        "employer_id",
        "employee_id",
        "employee_name",
        "period_start",
        "period_end",
        "relevant_income",
        "employer_contribution",
        "employee_contribution",
        "paid_on",
    ],
    personal: &[1, 2],
};

pub(crate) static PAYROLL: Layout = Layout {
    columns: &[
        "employer_id",
        "employee_id",
        "employee_name",
        "period_start",
        "period_end",
        "wages_due",
        "wages_paid",
        "paid_on",
        "hours_worked",
    ],
    personal: &[1, 2],
};

pub(crate) static REPORTS: Layout = Layout {
    columns: &[
        "employer_id",
        "reported_on",
        "workers_affected",
        "amount_claimed",
        "channel",
        "summary",
    ],
    personal: &[5],
};

pub(crate) static CLOSURES: Layout = Layout {
    columns: &["date", "warning"],
    personal: &[],
};

/// The warnings that close offices for the contribution day: Tropical Cyclone Warning
/// Signal No. 8 or above ("gale") and the black rainstorm warning.
const CLOSING_WARNINGS: [&str; 2] = ["gale", "black-rainstorm"];

/// Reads days closed by a gale or black-rainstorm warning (`date,warning`, the warning
/// `gale` or `black-rainstorm`), sorted and without repeats. Which days count (a warning
/// in force during office hours) is as the Hong Kong Observatory's records and the MPFA
/// say; the file only lists them.
pub fn read_closures<R: Read>(
    reader: R,
    file: &str,
    mut on_reject: impl FnMut(Reject),
) -> Result<(Vec<Date>, ReadSummary), ArrearsError> {
    let mut table = Table::open(reader, file, &CLOSURES)?;
    let mut summary = ReadSummary::default();
    let mut days = Vec::new();
    while let Some(row) = table.next_row()? {
        summary.rows_read += 1;
        let parsed = row.and_then(|row| {
            let text = row.cell(0);
            let day = domain::parse_date(text).map_err(|_| {
                row.reject(0, format!("'{text}' is not a date (expected YYYY-MM-DD)"))
            })?;
            let warning = row.cell(1);
            if !CLOSING_WARNINGS.contains(&warning) {
                return Err(row.reject(
                    1,
                    format!(
                        "'{warning}' is not a closing warning (expected {})",
                        CLOSING_WARNINGS.join(" or ")
                    ),
                ));
            }
            Ok(day)
        });
        summary.count(&parsed);
        match parsed {
            Ok(day) => days.push(day),
            Err(reject) => on_reject(reject),
        }
    }
    days.sort_unstable();
    days.dedup();
    Ok((days, summary))
}

pub(crate) static PRIOR: Layout = Layout {
    columns: &[
        "employer_id",
        "period",
        "level",
        "workers_affected",
        "arrears",
    ],
    personal: &[],
};

/// Reads the employer register; rejected rows go to `on_reject`. Parsed on every core as
/// [`read_remittances`] is.
pub fn read_register<R: Read>(
    reader: R,
    file: &str,
    mut on_reject: impl FnMut(Reject),
) -> Result<(Register, ReadSummary), ArrearsError> {
    let mut register = Register::default();
    let mut summary = ReadSummary::default();
    let parsers = Parsers {
        // The register's cells are text, read as well by the general path.
        plain: |_: &mut PlainLine<'_>, (): &mut ()| Err(GiveUp),
        row: |row: &Row<'_>, (): &mut ()| {
            employer(row).map(|employer| {
                let hash = id_hash(&employer.id);
                (employer, hash)
            })
        },
    };
    read_in_parallel(reader, file, &REGISTER, &parsers, |parsed, record| {
        summary.rows_read += 1;
        let parsed = parsed.and_then(|(employer, hash)| {
            register
                .insert_hashed(employer, hash)
                .map(|_| ())
                .map_err(|employer| {
                    record.reject(
                        Some(0),
                        format!("employer '{}' is listed twice", employer.id),
                    )
                })
        });
        match parsed {
            Ok(()) => summary.records += 1,
            Err(reject) => {
                summary.rejected += 1;
                on_reject(reject);
            }
        }
    })?;
    Ok((register, summary))
}

fn employer(row: &Row<'_>) -> Result<Employer, Reject> {
    let cells = &mut &*row;
    let id = required(cells, 0)?;
    let name = required(cells, 1)?;
    let section =
        HsicSection::parse(row.cell(2)).map_err(|error| row.reject(2, error.to_string()))?;
    let district = required(cells, 3)?;
    let headcount = count(row, 4)?;
    Ok(Employer {
        id: id.to_owned(),
        name: name.to_owned(),
        section,
        district: district.to_owned(),
        headcount,
    })
}

/// Streams the MPF remittance statements to `sink`, one record or reject at a time, in
/// file order.
///
/// The rows are parsed on every available core and applied in file order. Duplicates
/// (same employer, employee and `period_start`) are rejected; for a file grouped by
/// employer the check holds one employer's keys at a time, plus a log of 16 bytes a row
/// (80 MB for 5,000,000 rows) kept in case the file turns out not to be grouped.
pub fn read_remittances<R: Read>(
    reader: R,
    file: &str,
    context: &ParseContext<'_>,
    sink: impl FnMut(Parsed<Remittance>),
) -> Result<ReadSummary, ArrearsError> {
    read_employee_rows(reader, file, context, sink)
}

/// Streams the payroll records to `sink`; parsed and checked as in [`read_remittances`].
pub fn read_payroll<R: Read>(
    reader: R,
    file: &str,
    context: &ParseContext<'_>,
    sink: impl FnMut(Parsed<Payroll>),
) -> Result<ReadSummary, ArrearsError> {
    read_employee_rows(reader, file, context, sink)
}

/// A per-employee row format (remittances, payroll).
pub(crate) trait EmployeeRow: Send + Sized {
    /// What one parsing thread remembers from row to row (lookups of the same employer
    /// and period repeat on consecutive rows).
    type Memo: Default;
    const LAYOUT: &'static Layout;

    fn parse<'c, C: Cells<'c>>(
        cells: &mut C,
        context: &ParseContext<'_>,
        memo: &mut Self::Memo,
    ) -> Result<Self, C::Fail>;
    /// Employer, employee and period start: a file has one row for each such triple.
    fn identity(&self) -> (EmployerKey, Pseudonym, Date);

    fn duplicate_key(&self) -> DuplicateKey {
        let (employer, worker, period_start) = self.identity();
        // Year, month and day packed into distinct bits: one number per date, and much
        // cheaper than a day count.
        let day = (i32::from(period_start.year()) << 9)
            | (i32::from(period_start.month()) << 5)
            | i32::from(period_start.day());
        (employer.0, worker.first_64_bits(), day)
    }
}

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
struct RecordAt<'a> {
    bytes: &'a [u8],
    offset: u64,
    line: u64,
    file: &'a Arc<str>,
    layout: &'static Layout,
}

impl RecordAt<'_> {
    /// A reject of cell `column` (0-based), or of the whole row.
    fn reject(&self, column: Option<usize>, reason: String) -> Reject {
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
struct Parsers<P, G> {
    plain: P,
    row: G,
}

/// One pass over a file with a header row. This thread reads blocks of whole records and
/// hands them to parsing threads; it takes the parsed blocks back in file order and passes
/// each row to `apply`, so the result is the same as a sequential read's. The parsers run
/// on the parsing threads, each with its own memo.
fn read_in_parallel<R: Read, T: Send, M: Default, P, G>(
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
    let io_error = |source| ArrearsError::Io {
        file: file.to_owned(),
        source,
    };
    let mut blocks = Blocks::new(reader, BLOCK_BYTES);
    let header = blocks.first_record().map_err(io_error)?;
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
                match blocks.next_block().map_err(io_error)? {
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

/// One pass over a file of per-employee rows, parsed in parallel, with the duplicate
/// check done in file order.
fn read_employee_rows<R: Read, T: EmployeeRow>(
    reader: R,
    file: &str,
    context: &ParseContext<'_>,
    mut sink: impl FnMut(Parsed<T>),
) -> Result<ReadSummary, ArrearsError> {
    let mut duplicates = DuplicateCheck::new(context.register.len());
    let mut summary = ReadSummary::default();
    let parsers = Parsers {
        plain: |line: &mut PlainLine<'_>, memo: &mut T::Memo| T::parse(line, context, memo),
        row: |row: &Row<'_>, memo: &mut T::Memo| T::parse(&mut &*row, context, memo),
    };
    read_in_parallel(reader, file, T::LAYOUT, &parsers, |parsed, record| {
        summary.rows_read += 1;
        let parsed = parsed.and_then(|row| {
            if duplicates.insert(row.duplicate_key()) {
                return Ok(row);
            }
            Err(record.reject(
                None,
                format!(
                    "duplicate row: this employer, employee and period_start {} appear on an earlier row",
                    row.identity().2
                ),
            ))
        });
        summary.count(&parsed);
        sink(parsed.map_or_else(Parsed::Reject, Parsed::Record));
    })?;
    Ok(summary)
}

/// The last employer id looked up, and its key.
#[derive(Default)]
struct EmployerMemo {
    id: String,
    key: Option<EmployerKey>,
}

/// The law as it applies to a remittance period: the same for every row of it.
#[derive(Clone, Copy)]
struct PeriodLaw {
    rates: MpfRates,
    cap: MpfContributions,
    contribution_day: Date,
    surcharge_rate: Percent,
}

#[derive(Default)]
pub(crate) struct RemittanceMemo {
    employer: EmployerMemo,
    period_dates: [LastDate; 2],
    paid_on: LastDate,
    period: Option<((Date, Date), PeriodLaw)>,
}

impl EmployeeRow for Remittance {
    type Memo = RemittanceMemo;
    const LAYOUT: &'static Layout = &REMITTANCES;

    fn parse<'c, C: Cells<'c>>(
        cells: &mut C,
        context: &ParseContext<'_>,
        memo: &mut RemittanceMemo,
    ) -> Result<Remittance, C::Fail> {
        remittance(cells, context, memo)
    }

    fn identity(&self) -> (EmployerKey, Pseudonym, Date) {
        (self.employer, self.employee, self.period_start)
    }
}

/// The last wage deadline and minimum wage looked up, by the dates they depend on.
#[derive(Default)]
pub(crate) struct PayrollMemo {
    employer: EmployerMemo,
    period_dates: [LastDate; 2],
    paid_on: LastDate,
    due_by: Option<(Date, Date)>,
    minimum_wage: Option<(Date, Money)>,
}

impl EmployeeRow for Payroll {
    type Memo = PayrollMemo;
    const LAYOUT: &'static Layout = &PAYROLL;

    fn parse<'c, C: Cells<'c>>(
        cells: &mut C,
        context: &ParseContext<'_>,
        memo: &mut PayrollMemo,
    ) -> Result<Payroll, C::Fail> {
        payroll(cells, context, memo)
    }

    fn identity(&self) -> (EmployerKey, Pseudonym, Date) {
        (self.employer, self.employee, self.period_start)
    }
}

fn remittance<'c, C: Cells<'c>>(
    cells: &mut C,
    context: &ParseContext<'_>,
    memo: &mut RemittanceMemo,
) -> Result<Remittance, C::Fail> {
    let employer = employer_key(cells, 0, context, &mut memo.employer)?;
    let worker = person(cells, 1, 2, context)?;
    let (period_start, period_end) = period(cells, 3, 4, context, &mut memo.period_dates)?;
    let relevant_income = cells.amount(5)?;
    let employer_share = cells.amount(6)?;
    let worker_share = cells.amount(7)?;
    let paid_on = optional_date(cells, 8, context, &mut memo.paid_on)?;
    let parameters = context.law.parameters;
    let law_error = |cells: &C, index, error: labour_law::LabourLawError| {
        cells.fail(index, || error.to_string())
    };
    let law = match memo.period {
        Some((dates, law)) if dates == (period_start, period_end) => law,
        _ => {
            let rates = parameters
                .mpf_rates(period_start)
                .map_err(|error| law_error(cells, 3, error))?;
            let contribution_day = context
                .law
                .calendar
                .contribution_day_with_closures(period_end, context.law.closures)
                .map_err(|error| law_error(cells, 4, error))?;
            let law = PeriodLaw {
                rates,
                cap: rates
                    .contributions(rates.relevant_income_max)
                    .map_err(|error| law_error(cells, 3, error))?,
                contribution_day,
                surcharge_rate: parameters
                    .mpf_surcharge_rate(contribution_day)
                    .map_err(|error| law_error(cells, 4, error))?
                    .value,
            };
            memo.period = Some(((period_start, period_end), law));
            law
        }
    };
    let mandatory = law
        .rates
        .contributions(relevant_income)
        .map_err(|error| law_error(cells, 5, error))?;
    for (index, stated, most) in [
        (6, employer_share, law.cap.employer),
        (7, worker_share, law.cap.employee),
    ] {
        if stated > most {
            return Err(cells.fail(index, || {
                format!("{stated} is above the maximum mandatory contribution of {most}")
            }));
        }
    }
    Ok(Remittance {
        line: cells.line(),
        employer,
        employee: worker,
        period_start,
        period_end,
        relevant_income,
        employer_contribution: employer_share,
        employee_contribution: worker_share,
        paid_on,
        contribution_day: law.contribution_day,
        mandatory,
        surcharge_rate: law.surcharge_rate,
    })
}

fn payroll<'c, C: Cells<'c>>(
    cells: &mut C,
    context: &ParseContext<'_>,
    memo: &mut PayrollMemo,
) -> Result<Payroll, C::Fail> {
    let employer = employer_key(cells, 0, context, &mut memo.employer)?;
    let worker = person(cells, 1, 2, context)?;
    let (period_start, period_end) = period(cells, 3, 4, context, &mut memo.period_dates)?;
    let wages_due = cells.amount(5)?;
    let wages_paid = cells.amount(6)?;
    let paid_on = optional_date(cells, 7, context, &mut memo.paid_on)?;
    let hours_worked_hundredths = hours(cells, 8)?;
    let parameters = context.law.parameters;
    let due_by = match memo.due_by {
        Some((end, due_by)) if end == period_end => due_by,
        _ => {
            let due_by = parameters
                .wage_due_by(period_end)
                .map_err(|error| cells.fail(4, || error.to_string()))?;
            memo.due_by = Some((period_end, due_by));
            due_by
        }
    };
    let minimum_wage_hourly = match (hours_worked_hundredths, memo.minimum_wage) {
        (None, _) => None,
        (Some(_), Some((start, minimum))) if start == period_start => Some(minimum),
        (Some(_), _) => {
            let minimum = parameters
                .minimum_wage_hourly(period_start)
                .map_err(|error| cells.fail(3, || error.to_string()))?
                .value;
            memo.minimum_wage = Some((period_start, minimum));
            Some(minimum)
        }
    };
    Ok(Payroll {
        line: cells.line(),
        employer,
        employee: worker,
        period_start,
        period_end,
        wages_due,
        wages_paid,
        paid_on,
        hours_worked_hundredths,
        due_by,
        minimum_wage_hourly,
    })
}

/// Streams the worker and union reports to `sink`.
pub fn read_reports<R: Read>(
    reader: R,
    file: &str,
    context: &ParseContext<'_>,
    mut sink: impl FnMut(Parsed<WorkerReport>),
) -> Result<ReadSummary, ArrearsError> {
    let mut table = Table::open(reader, file, &REPORTS)?;
    let mut summary = ReadSummary::default();
    let mut memo = EmployerMemo::default();
    let mut last_reported_on = LastDate::default();
    while let Some(row) = table.next_row()? {
        summary.rows_read += 1;
        let parsed = row.and_then(|row| {
            let cells = &mut &row;
            let employer = employer_key(cells, 0, context, &mut memo)?;
            let reported_on = date(cells, 1, context, &mut last_reported_on)?;
            let workers_affected = count(&row, 2)?;
            if workers_affected == 0 {
                return Err(row.reject(2, "a report names at least one worker affected"));
            }
            Ok(WorkerReport {
                line: row.line(),
                employer,
                reported_on,
                workers_affected,
                amount_claimed: cells.amount(3)?,
                channel: required(cells, 4)?.to_owned(),
                summary: row.cell(5).to_owned(),
            })
        });
        summary.count(&parsed);
        sink(parsed.map_or_else(Parsed::Reject, Parsed::Record));
    }
    Ok(summary)
}

/// Streams prior monthly employer summaries (the format [`crate::write_summaries`]
/// writes): each row is a month in which the employer was in default.
pub fn read_prior_summaries<R: Read>(
    reader: R,
    file: &str,
    register: &Register,
    mut sink: impl FnMut(Parsed<PriorDefault>),
) -> Result<ReadSummary, ArrearsError> {
    let mut table = Table::open(reader, file, &PRIOR)?;
    let mut summary = ReadSummary::default();
    while let Some(row) = table.next_row()? {
        summary.rows_read += 1;
        let parsed = row.and_then(|row| {
            let id = required(&mut &row, 0)?;
            let employer = register
                .key(id)
                .ok_or_else(|| row.reject(0, not_registered(id)))?;
            let Ok(period @ Period::Month { .. }) = Period::parse(row.cell(1)) else {
                return Err(row.reject(
                    1,
                    format!("'{}' is not a month (expected YYYY-MM)", row.cell(1)),
                ));
            };
            crate::Level::parse(row.cell(2)).ok_or_else(|| {
                row.reject(
                    2,
                    format!("'{}' is not a level (yellow, orange or red)", row.cell(2)),
                )
            })?;
            Ok(PriorDefault { employer, period })
        });
        summary.count(&parsed);
        sink(parsed.map_or_else(Parsed::Reject, Parsed::Record));
    }
    Ok(summary)
}

impl ReadSummary {
    fn count<T>(&mut self, parsed: &Result<T, Reject>) {
        match parsed {
            Ok(_) => self.records += 1,
            Err(_) => self.rejected += 1,
        }
    }
}

fn required<'c, C: Cells<'c>>(cells: &mut C, index: usize) -> Result<&'c str, C::Fail> {
    let cell = cells.text(index)?;
    if cell.is_empty() {
        Err(cells.fail(index, || "the cell is empty".to_owned()))
    } else {
        Ok(cell)
    }
}

fn not_registered(id: &str) -> String {
    format!("employer '{id}' is not in the employer register")
}

fn employer_key<'c, C: Cells<'c>>(
    cells: &mut C,
    index: usize,
    context: &ParseContext<'_>,
    memo: &mut EmployerMemo,
) -> Result<EmployerKey, C::Fail> {
    let id = required(cells, index)?;
    let register = context.register;
    if let Some(last) = memo.key {
        if memo.id == id {
            return Ok(last);
        }
        // Files tend to list employers in the register's order: try the next one before
        // the index, whose lookups miss the cache.
        let next = EmployerKey(last.0.saturating_add(1));
        if register
            .employers
            .get(next.index())
            .is_some_and(|employer| employer.id == id)
        {
            id.clone_into(&mut memo.id);
            memo.key = Some(next);
            return Ok(next);
        }
    }
    let key = register
        .key(id)
        .ok_or_else(|| cells.fail(index, || not_registered(id)))?;
    id.clone_into(&mut memo.id);
    memo.key = Some(key);
    Ok(key)
}

/// The pseudonym of the HKID; the name must be present but is not kept (detection needs
/// no name, and what is not kept cannot leak). Messages never quote either cell.
fn person<'c, C: Cells<'c>>(
    cells: &mut C,
    id_index: usize,
    name_index: usize,
    context: &ParseContext<'_>,
) -> Result<Pseudonym, C::Fail> {
    let hkid = Hkid::parse(cells.text(id_index)?)
        .map_err(|error| cells.fail(id_index, || error.to_string()))?;
    if cells.text(name_index)?.chars().all(char::is_whitespace) {
        return Err(cells.fail(name_index, || {
            labour_law::LabourLawError::EmptyName.to_string()
        }));
    }
    Ok(context.pseudonymiser.hkid(&hkid))
}

/// A date on or before the as-of date; `None` when the cell is empty.
fn optional_date<'c, C: Cells<'c>>(
    cells: &mut C,
    index: usize,
    context: &ParseContext<'_>,
    last: &mut LastDate,
) -> Result<Option<Date>, C::Fail> {
    let date = cells.date(index, last)?;
    if let Some(date) = date
        && date > context.as_of
    {
        return Err(cells.fail(index, || {
            format!("{date} is after the as-of date {}", context.as_of)
        }));
    }
    Ok(date)
}

fn date<'c, C: Cells<'c>>(
    cells: &mut C,
    index: usize,
    context: &ParseContext<'_>,
    last: &mut LastDate,
) -> Result<Date, C::Fail> {
    optional_date(cells, index, context, last)?.ok_or_else(|| {
        cells.fail(index, || {
            "'' is not a date (expected YYYY-MM-DD)".to_owned()
        })
    })
}

fn period<'c, C: Cells<'c>>(
    cells: &mut C,
    start_index: usize,
    end_index: usize,
    context: &ParseContext<'_>,
    last: &mut [LastDate; 2],
) -> Result<(Date, Date), C::Fail> {
    let [last_start, last_end] = last;
    let start = date(cells, start_index, context, last_start)?;
    let end = date(cells, end_index, context, last_end)?;
    if end < start {
        return Err(cells.fail(end_index, || {
            format!("{end} is before period_start {start}")
        }));
    }
    Ok((start, end))
}

fn count(row: &Row<'_>, index: usize) -> Result<u32, Reject> {
    let text = row.cell(index);
    text.parse().map_err(|_| {
        row.reject(
            index,
            format!("'{text}' is not a whole number from 0 to {}", u32::MAX),
        )
    })
}

/// Hours with up to two decimals, as hundredths (`176`, `37.5`, `37.25`); `None` when the
/// cell is empty (hours need not be recorded).
fn hours<'c, C: Cells<'c>>(cells: &mut C, index: usize) -> Result<Option<u32>, C::Fail> {
    let text = cells.text(index)?;
    if text.is_empty() {
        return Ok(None);
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let hundredths =
        if whole.is_empty() || !digits(whole) || fraction.len() > 2 || !digits(fraction) {
            None
        } else {
            // `37.5` is 37.50: the fraction padded to two digits.
            let fraction = fraction
                .bytes()
                .chain(std::iter::repeat(b'0'))
                .take(2)
                .fold(0, |value, digit| value * 10 + u32::from(digit - b'0'));
            whole
                .parse::<u32>()
                .ok()
                .and_then(|whole| whole.checked_mul(100)?.checked_add(fraction))
        };
    hundredths.map(Some).ok_or_else(|| {
        cells.fail(index, || {
            format!("'{text}' is not a number of hours (e.g. 176 or 37.50)")
        })
    })
}

pub(crate) static TRUTH: Layout = Layout {
    columns: &["employer_id", "kind", "expected_level"],
    personal: &[],
};
