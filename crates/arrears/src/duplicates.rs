//! The duplicate-row check of the per-employee files: one row per employer, employee and
//! period start. Its memory grows with the employers, not the rows; the verdicts are those
//! of one set of every key, and the rows reach the caller in file order.
//!
//! * Statements are normally grouped by employer (a trustee's file is a series of employer
//!   statements), so the check keeps only the current employer's keys in a small set that
//!   stays in cache. Every key also goes to a log (8 bytes a key), in case an employer's
//!   rows turn up again after another employer's: then the file is not grouped, and the
//!   check switches for the rest of the file to one set of every key, built from the log.
//!   The log keeps [`Limits::log_keys`] keys in memory and the rest in a temporary file.
//! * A file that is not grouped is checked in one set of keys as long as they are no more
//!   than [`Limits::set_keys`]. Past it the keys are spilled to temporary files, a partition per
//!   group of employers, and every later row waits in another temporary file, in order,
//!   until the end of the file: then each partition's keys are checked in one set (a few
//!   megabytes), and the rows are handed on in file order with their verdicts.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

use rustc_hash::FxHashSet;

use crate::inputs::EmployeeRow;
use crate::pipeline::RecordAt;
use crate::spill::{Decoder, Encoder};
use crate::{Location, Reject};

/// (employer, first 64 bits of the employee's pseudonym, period start as a number).
pub(crate) type DuplicateKey = (u32, u64, i32);

/// A run's set larger than this is dropped rather than cleared: clearing costs its
/// capacity, on every later employer.
const RUN_SET_KEEP: usize = 1 << 10;
/// Partitions of the spilled keys: each is checked alone, in a set of its keys.
const PARTITIONS: usize = 32;
/// The bytes of a key in a spill file: the key, and the number of the row it waits with
/// (`u64::MAX`: a key of a row already handed on).
const KEY_BYTES: usize = 4 + 8 + 4 + 8;

/// The kinds of entry of the file of waiting rows.
const ROW: u8 = 0;
const REJECT: u8 = 1;

/// How much the check may keep in memory.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Keys of the log of a grouped file held in memory (8 bytes each; 32 MiB): past it,
    /// the log goes on in a file.
    pub(crate) log_keys: usize,
    /// Keys of a scattered file held in one set (about 34 bytes each with the set's spare
    /// room); past it, the keys are spilled.
    pub(crate) set_keys: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            log_keys: 1 << 22,
            set_keys: 1 << 20,
        }
    }
}

impl Limits {
    /// The same number of keys for both, for tests that make the check spill.
    #[cfg(test)]
    pub(crate) fn keys(keys: usize) -> Limits {
        Limits {
            log_keys: keys,
            set_keys: keys,
        }
    }
}

/// What the check says of a key.
enum Verdict {
    New,
    Duplicate,
    /// Decided at the end of the file.
    Wait,
}

impl From<bool> for Verdict {
    fn from(new: bool) -> Verdict {
        if new {
            Verdict::New
        } else {
            Verdict::Duplicate
        }
    }
}

/// The duplicate check of one file of rows `T`.
pub(crate) struct DuplicateCheck<T> {
    keys: Keys,
    /// Once keys are spilled, every row waits here until the end of the file.
    waiting: Option<Waiting>,
    limits: Limits,
    marker: std::marker::PhantomData<T>,
}

enum Keys {
    Grouped(Grouped),
    Scattered(FxHashSet<DuplicateKey>),
    Spilled(Partitions),
}

struct Grouped {
    current: Option<u32>,
    run: FxHashSet<(u64, i32)>,
    /// Employers whose run has ended, by employer index.
    ended: Vec<bool>,
    log: KeyLog,
}

/// Every key of a grouped file, kept in case the file turns out not to be grouped: in
/// segments of one employer and one period start, so that a key takes the 8 bytes of its
/// worker. Past what memory may hold, segments go to a file.
struct KeyLog {
    /// Each segment's employer, period start and first worker in `workers`.
    segments: Vec<(u32, i32, usize)>,
    workers: Vec<u64>,
    workers_max: usize,
    file: Option<BufWriter<File>>,
    /// Keys logged, in memory and in the file.
    len: usize,
}

/// Spilled keys, by partition of employers.
struct Partitions {
    files: Vec<BufWriter<File>>,
    /// Rows waiting so far; the number of the next.
    waiting: u64,
}

/// Rows waiting for the end of the file, in order.
struct Waiting {
    file: BufWriter<File>,
    entry: Encoder,
}

impl<T: EmployeeRow> DuplicateCheck<T> {
    pub(crate) fn new(employers: usize, limits: Limits) -> DuplicateCheck<T> {
        DuplicateCheck {
            keys: Keys::Grouped(Grouped {
                current: None,
                run: FxHashSet::default(),
                ended: vec![false; employers],
                log: KeyLog {
                    segments: Vec::new(),
                    workers: Vec::new(),
                    workers_max: limits.log_keys.max(1),
                    file: None,
                    len: 0,
                },
            }),
            waiting: None,
            limits,
            marker: std::marker::PhantomData,
        }
    }

    /// Checks one parsed row of the file and hands it on (or its reject) when its verdict
    /// is known now; otherwise it waits for [`DuplicateCheck::finish`] (once keys were
    /// spilled, every later row does, rejects too, so that the order stays the file's).
    /// The row goes straight to `hand_on`, not back through the caller: it is copied once
    /// less, on every row of the file.
    #[inline]
    pub(crate) fn admit(
        &mut self,
        parsed: Result<T, Reject>,
        record: &RecordAt<'_>,
        hand_on: &mut impl FnMut(Result<T, Reject>),
    ) -> io::Result<()> {
        if self.waiting.is_some() {
            return self.wait(parsed, record);
        }
        match parsed {
            Err(reject) => hand_on(Err(reject)),
            Ok(row) => match self.insert(row.duplicate_key())? {
                Verdict::New => hand_on(Ok(row)),
                Verdict::Duplicate => hand_on(Err(duplicate(&row, record))),
                Verdict::Wait => self.wait(Ok(row), record)?,
            },
        }
        Ok(())
    }

    fn wait(&mut self, parsed: Result<T, Reject>, record: &RecordAt<'_>) -> io::Result<()> {
        let (Some(waiting), Keys::Spilled(partitions)) = (&mut self.waiting, &mut self.keys) else {
            unreachable!("rows wait only once keys are spilled")
        };
        waiting.add(parsed, record, partitions)
    }

    /// Records `key` and says whether it is new, or that its row must wait (the keys were
    /// spilled to check it).
    #[inline]
    fn insert(&mut self, key: DuplicateKey) -> io::Result<Verdict> {
        if let Keys::Grouped(grouped) = &mut self.keys
            && let Some(new) = grouped.insert(key)?
        {
            return Ok(Verdict::from(new));
        }
        self.insert_slowly(key)
    }

    /// [`DuplicateCheck::insert`] once the file is not grouped: at the switch, and on.
    #[cold]
    fn insert_slowly(&mut self, key: DuplicateKey) -> io::Result<Verdict> {
        let keys_in_memory = self.limits.set_keys;
        match &mut self.keys {
            Keys::Grouped(_) => {
                // Not grouped after all: every key so far (each of them new, since the
                // file was grouped up to here), in one set or spilled.
                let Keys::Grouped(grouped) =
                    std::mem::replace(&mut self.keys, Keys::Scattered(FxHashSet::default()))
                else {
                    unreachable!()
                };
                if grouped.log.len < keys_in_memory {
                    let mut all = FxHashSet::default();
                    for logged in grouped.log.into_keys()? {
                        all.insert(logged?);
                    }
                    let new = all.insert(key);
                    self.keys = Keys::Scattered(all);
                    return Ok(Verdict::from(new));
                }
                let mut partitions = Partitions::create()?;
                for logged in grouped.log.into_keys()? {
                    partitions.add_known(logged?)?;
                }
                self.keys = Keys::Spilled(partitions);
                self.start_waiting()?;
                Ok(Verdict::Wait)
            }
            Keys::Scattered(all) => {
                let new = all.insert(key);
                if all.len() > keys_in_memory {
                    let mut partitions = Partitions::create()?;
                    for known in std::mem::take(all) {
                        partitions.add_known(known)?;
                    }
                    self.keys = Keys::Spilled(partitions);
                    self.start_waiting()?;
                }
                Ok(Verdict::from(new))
            }
            Keys::Spilled(_) => Ok(Verdict::Wait),
        }
    }

    fn start_waiting(&mut self) -> io::Result<()> {
        self.waiting = Some(Waiting {
            file: BufWriter::new(tempfile::tempfile()?),
            entry: Encoder::default(),
        });
        Ok(())
    }

    /// Hands every waiting row to `sink` in file order, duplicates rejected; nothing when
    /// no row waited.
    pub(crate) fn finish(
        self,
        record_file: &str,
        layout: &crate::rows::Layout,
        sink: &mut impl FnMut(Result<T, Reject>),
    ) -> io::Result<()> {
        let (Some(waiting), Keys::Spilled(partitions)) = (self.waiting, self.keys) else {
            return Ok(());
        };
        let duplicates = partitions.duplicates()?;
        let mut file = waiting
            .file
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        file.rewind()?;
        let mut reader = BufReader::new(file);
        let mut row_number = 0u64;
        let file_name: std::sync::Arc<str> = record_file.into();
        while let Some(entry) = read_entry(&mut reader)? {
            let mut decoder = Decoder { bytes: &entry };
            let location = |line, column: Option<u32>| Location {
                file: std::sync::Arc::clone(&file_name),
                sheet: None,
                line,
                column: column.map(|column| column as usize + 1),
                column_name: column.and_then(|column| layout.column_name(column as usize)),
            };
            if decoder.u8()? == ROW {
                let row = T::decode(&mut decoder)?;
                let line = decoder.u64()?;
                let raw = decoder.text()?;
                let duplicate = duplicates
                    .get(row_number as usize / 64)
                    .is_some_and(|bits| bits & (1 << (row_number % 64)) != 0);
                row_number += 1;
                sink(if duplicate {
                    Err(Reject {
                        location: location(line, None),
                        reason: duplicate_reason(&row),
                        raw,
                    })
                } else {
                    Ok(row)
                });
            } else {
                let line = decoder.u64()?;
                let column = decoder.u32()?.checked_sub(1);
                let reason = decoder.text()?;
                let raw = decoder.text()?;
                sink(Err(Reject {
                    location: location(line, column),
                    reason,
                    raw,
                }));
            }
        }
        Ok(())
    }
}

fn duplicate_reason<T: EmployeeRow>(row: &T) -> String {
    format!(
        "duplicate row: this employer, employee and period_start {} appear on an earlier row",
        row.identity().2
    )
}

fn duplicate<T: EmployeeRow>(row: &T, record: &RecordAt<'_>) -> Reject {
    record.reject(None, duplicate_reason(row))
}

/// The next length-prefixed entry of a waiting file; `None` at its end.
fn read_entry(reader: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut length = [0u8; 4];
    match reader.read_exact(&mut length) {
        Ok(()) => {}
        Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(error) => return Err(error),
    }
    let mut entry = vec![0; u32::from_le_bytes(length) as usize];
    reader.read_exact(&mut entry)?;
    Ok(Some(entry))
}

impl Waiting {
    /// Writes `parsed` to wait, with what its reject as a duplicate would need.
    fn add<T: EmployeeRow>(
        &mut self,
        parsed: Result<T, Reject>,
        record: &RecordAt<'_>,
        partitions: &mut Partitions,
    ) -> io::Result<()> {
        let entry = &mut self.entry;
        entry.bytes.clear();
        match parsed {
            Ok(row) => {
                partitions.add_waiting(row.duplicate_key())?;
                entry.u8(ROW);
                row.encode(entry);
                let reject = record.reject(None, String::new());
                entry.u64(reject.location.line);
                entry.text(&reject.raw);
            }
            Err(reject) => {
                entry.u8(REJECT);
                entry.u64(reject.location.line);
                let column = reject.location.column.map_or(0, |column| column as u32);
                entry.u32(column);
                entry.text(&reject.reason);
                entry.text(&reject.raw);
            }
        }
        let length = u32::try_from(entry.bytes.len()).unwrap_or(u32::MAX);
        self.file.write_all(&length.to_le_bytes())?;
        self.file.write_all(&entry.bytes)
    }
}

impl Partitions {
    fn create() -> io::Result<Partitions> {
        let files = (0..PARTITIONS)
            .map(|_| tempfile::tempfile().map(BufWriter::new))
            .collect::<io::Result<_>>()?;
        Ok(Partitions { files, waiting: 0 })
    }

    fn partition(key: DuplicateKey) -> usize {
        // Every key of an employer in one partition (Fibonacci hashing of its index).
        (u64::from(key.0).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 59) as usize % PARTITIONS
    }

    fn add(&mut self, key: DuplicateKey, waiting: Option<u64>) -> io::Result<()> {
        let (employer, worker, day) = key;
        let file = &mut self.files[Partitions::partition(key)];
        file.write_all(&employer.to_le_bytes())?;
        file.write_all(&worker.to_le_bytes())?;
        file.write_all(&day.to_le_bytes())?;
        file.write_all(&waiting.unwrap_or(u64::MAX).to_le_bytes())
    }

    /// A key of a row already handed on.
    fn add_known(&mut self, key: DuplicateKey) -> io::Result<()> {
        self.add(key, None)
    }

    /// The key of the next row that waits.
    fn add_waiting(&mut self, key: DuplicateKey) -> io::Result<()> {
        let number = self.waiting;
        self.waiting += 1;
        self.add(key, Some(number))
    }

    /// Which waiting rows are duplicates, as bits by row number: each partition's keys are
    /// read in the order they were written (known keys first) into one set.
    fn duplicates(self) -> io::Result<Vec<u64>> {
        let mut bits = vec![0u64; usize::try_from(self.waiting.div_ceil(64)).unwrap_or(0)];
        for file in self.files {
            let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
            file.rewind()?;
            let mut reader = BufReader::new(file);
            let mut set = FxHashSet::default();
            let mut key = [0u8; KEY_BYTES];
            loop {
                match reader.read_exact(&mut key) {
                    Ok(()) => {}
                    Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => break,
                    Err(error) => return Err(error),
                }
                let word =
                    |at: usize| u64::from_le_bytes(key[at..at + 8].try_into().unwrap_or_default());
                let employer = u32::from_le_bytes(key[0..4].try_into().unwrap_or_default());
                let day = i32::from_le_bytes(key[12..16].try_into().unwrap_or_default());
                let waiting = word(16);
                if !set.insert((employer, word(4), day)) && waiting != u64::MAX {
                    bits[waiting as usize / 64] |= 1 << (waiting % 64);
                }
            }
        }
        Ok(bits)
    }
}

impl Grouped {
    /// `None` when `key`'s employer had an earlier run: the file is not grouped.
    #[inline]
    fn insert(&mut self, key: DuplicateKey) -> io::Result<Option<bool>> {
        let (employer, worker, day) = key;
        if self.current != Some(employer) {
            if self.ended.get(employer as usize).copied().unwrap_or(true) {
                return Ok(None);
            }
            if let Some(previous) = self.current.replace(employer)
                && let Some(ended) = self.ended.get_mut(previous as usize)
            {
                *ended = true;
            }
            if self.run.capacity() > RUN_SET_KEEP {
                self.run = FxHashSet::default();
            } else {
                self.run.clear();
            }
        }
        if !self.run.insert((worker, day)) {
            return Ok(Some(false));
        }
        self.log.push(key)?;
        Ok(Some(true))
    }
}

impl KeyLog {
    #[inline]
    fn push(&mut self, (employer, worker, day): DuplicateKey) -> io::Result<()> {
        if self.workers.len() >= self.workers_max || self.segments.len() >= self.workers_max {
            self.flush()?;
        }
        match self.segments.last() {
            Some(&(last_employer, last_day, _)) if (last_employer, last_day) == (employer, day) => {
            }
            _ => self.segments.push((employer, day, self.workers.len())),
        }
        self.workers.push(worker);
        self.len += 1;
        Ok(())
    }

    /// Writes the segments in memory to the file (employer, period start, number of
    /// workers, the workers), keeping the memory for the next ones.
    #[cold]
    fn flush(&mut self) -> io::Result<()> {
        let file = match &mut self.file {
            Some(file) => file,
            None => self.file.insert(BufWriter::new(tempfile::tempfile()?)),
        };
        for (index, &(employer, day, first)) in self.segments.iter().enumerate() {
            let end = self
                .segments
                .get(index + 1)
                .map_or(self.workers.len(), |next| next.2);
            let workers = &self.workers[first..end];
            file.write_all(&employer.to_le_bytes())?;
            file.write_all(&day.to_le_bytes())?;
            file.write_all(
                &u32::try_from(workers.len())
                    .unwrap_or(u32::MAX)
                    .to_le_bytes(),
            )?;
            for worker in workers {
                file.write_all(&worker.to_le_bytes())?;
            }
        }
        self.segments.clear();
        self.workers.clear();
        Ok(())
    }

    /// Every logged key: those in the file, then those in memory.
    fn into_keys(mut self) -> io::Result<impl Iterator<Item = io::Result<DuplicateKey>>> {
        if self.file.is_some() {
            self.flush()?;
        }
        let in_memory: Vec<DuplicateKey> = self
            .segments
            .iter()
            .enumerate()
            .flat_map(|(index, &(employer, day, first))| {
                let end = self
                    .segments
                    .get(index + 1)
                    .map_or(self.workers.len(), |next| next.2);
                self.workers[first..end]
                    .iter()
                    .map(move |&worker| (employer, worker, day))
            })
            .collect();
        let reader = match self.file {
            Some(file) => {
                let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
                file.rewind()?;
                Some(BufReader::new(file))
            }
            None => None,
        };
        let from_file = reader.into_iter().flat_map(|mut reader| {
            let mut segment: Option<(u32, i32, u32)> = None;
            std::iter::from_fn(move || {
                loop {
                    match segment {
                        Some((employer, day, left)) if left > 0 => {
                            segment = Some((employer, day, left - 1));
                            let mut worker = [0u8; 8];
                            return Some(
                                reader
                                    .read_exact(&mut worker)
                                    .map(|()| (employer, u64::from_le_bytes(worker), day)),
                            );
                        }
                        _ => {
                            let mut header = [0u8; 12];
                            match reader.read_exact(&mut header) {
                                Ok(()) => {}
                                Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => {
                                    return None;
                                }
                                Err(error) => return Some(Err(error)),
                            }
                            let word = |at: usize| {
                                u32::from_le_bytes(
                                    header[at..at + 4].try_into().unwrap_or_default(),
                                )
                            };
                            segment = Some((word(0), word(4) as i32, word(8)));
                        }
                    }
                }
            })
        });
        Ok(from_file.chain(in_memory.into_iter().map(Ok)))
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use proptest::prelude::*;

    use super::{DuplicateCheck, Limits, Verdict};
    use crate::inputs::employee_rows::read_within;
    use crate::{
        GeneratorConfig, GeneratorOutputs, Law, ParseContext, Parsed, Payroll, Remittance,
        Thresholds,
    };

    /// The verdicts on (employer, worker) keys, in order: new or not.
    fn verdicts(employers: usize, rows: &[(u32, u64)]) -> Vec<bool> {
        let mut check = DuplicateCheck::<Remittance>::new(employers, Limits::default());
        rows.iter()
            .map(
                |&(employer, worker)| match check.insert((employer, worker, 20_000)).unwrap() {
                    Verdict::New => true,
                    Verdict::Duplicate => false,
                    Verdict::Wait => panic!("nothing spills at this size"),
                },
            )
            .collect()
    }

    #[test]
    fn grouped_and_scattered_files_find_the_same_duplicates() {
        // (employer, worker) rows: grouped, then the same rows interleaved.
        let grouped = [(0, 1), (0, 2), (0, 1), (1, 1), (1, 3), (2, 1), (2, 1)];
        let scattered = [
            (0, 1),
            (1, 1),
            (0, 2),
            (1, 3),
            (0, 1),
            (2, 1),
            (1, 3),
            (0, 2),
        ];
        assert_eq!(
            verdicts(3, &grouped),
            [true, true, false, true, true, true, false]
        );
        assert_eq!(
            verdicts(3, &scattered),
            [true, true, true, true, false, true, false, false]
        );
    }

    #[test]
    fn a_large_employer_then_many_small_ones() {
        let mut rows: Vec<(u32, u64)> = (0..5_000).map(|worker| (0, worker)).collect();
        rows.push((0, 4_999));
        for employer in 1..=1_000 {
            rows.extend([(employer, 7), (employer, 7)]);
        }
        // Back to the first employer: the file is not grouped; its keys are still known.
        rows.extend([(0, 123), (0, 5_000)]);
        let found = verdicts(1_001, &rows);
        assert!(found[..5_000].iter().all(|&new| new));
        assert!(!found[5_000]);
        assert!(found[5_001..7_001].iter().step_by(2).all(|&new| new));
        assert!(found[5_002..7_001].iter().step_by(2).all(|&new| !new));
        assert_eq!(found[7_001..], [false, true]);
    }

    /// A generated month's remittances and payroll, with its register.
    fn month(seed: u64) -> (crate::Register, Vec<u8>, Vec<u8>) {
        let config = GeneratorConfig::new(seed, 30, domain::Period::parse("2025-06").unwrap());
        let (mut employers, mut remittances, mut payroll) = (Vec::new(), Vec::new(), Vec::new());
        let (mut reports, mut truth) = (Vec::new(), Vec::new());
        crate::generate(
            &config,
            &Law::hong_kong(),
            &Thresholds::default(),
            &mut GeneratorOutputs {
                employers: &mut employers,
                remittances: &mut remittances,
                payroll: &mut payroll,
                reports: &mut reports,
                truth: &mut truth,
            },
        )
        .unwrap();
        let (register, _) = crate::read_register(employers.as_slice(), "e.csv", |_| {}).unwrap();
        (register, remittances, payroll)
    }

    /// `text` (a header, then rows) with its rows in an order the seed picks, some repeated
    /// and one broken.
    fn reorder(text: &[u8], seed: u64) -> Vec<u8> {
        let text = String::from_utf8(text.to_vec()).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        let mut rows: Vec<&str> = lines.collect();
        let mut rng = crate::SplitMix64::new(seed);
        for index in (1..rows.len()).rev() {
            let other = (rng.next_u64() % (index as u64 + 1)) as usize;
            rows.swap(index, other);
        }
        let repeats: Vec<&str> = (0..rows.len() / 10)
            .map(|_| rows[(rng.next_u64() % rows.len() as u64) as usize])
            .collect();
        rows.extend(repeats);
        rows.push("broken,row");
        // Grouped files stay grouped up to a point.
        let grouped = (rng.next_u64() % rows.len() as u64) as usize;
        rows[..grouped].sort_unstable();
        format!("{header}\n{}\n", rows.join("\n")).into_bytes()
    }

    /// Everything `read_within` hands on, in order, with the summary.
    fn read<T: crate::inputs::EmployeeRow + std::fmt::Debug>(
        register: &crate::Register,
        text: &[u8],
        keys_in_memory: usize,
    ) -> String {
        let pseudonymiser = labour_law::Pseudonymiser::new(b"a test key, not a secret").unwrap();
        let context = ParseContext {
            pseudonymiser: &pseudonymiser,
            as_of: jiff::civil::date(2025, 7, 31),
            register,
            law: Law::hong_kong(),
        };
        let mut out = String::new();
        let summary = read_within::<_, T>(
            text,
            "f.csv",
            &context,
            Limits::keys(keys_in_memory),
            |parsed| match parsed {
                Parsed::Record(row) => writeln!(out, "{row:?}").unwrap(),
                Parsed::Reject(reject) => writeln!(out, "{reject} / {}", reject.raw).unwrap(),
            },
        )
        .unwrap();
        writeln!(out, "{summary:?}").unwrap();
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Whatever memory the check may use, the rows come out the same, in the same
        /// order, with the same duplicates rejected: the spill files change nothing.
        #[test]
        fn spilled_keys_give_the_same_verdicts_in_the_same_order(
            seed in 0u64..1_000,
            keys_in_memory in prop_oneof![Just(1usize), Just(7), 1usize..300],
        ) {
            let (register, remittances, payroll) = month(seed);
            let remittances = reorder(&remittances, seed);
            let payroll = reorder(&payroll, seed + 1);
            let expected = read::<Remittance>(&register, &remittances, usize::MAX);
            prop_assert!(expected.contains("duplicate row"));
            prop_assert_eq!(read::<Remittance>(&register, &remittances, keys_in_memory), expected);
            let expected = read::<Payroll>(&register, &payroll, usize::MAX);
            prop_assert_eq!(read::<Payroll>(&register, &payroll, keys_in_memory), expected);
        }
    }
}
