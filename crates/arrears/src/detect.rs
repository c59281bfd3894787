//! Detection for one month: per-row verdicts, per-employer accumulators, levels, ranking.
//!
//! Detection streams: each remittance and payroll row is judged on its own and folded into
//! a small fixed-size accumulator of its employer, held in a vector indexed by
//! [`EmployerKey`] (about 80 bytes per registered employer: 24 MB for 300,000). The only
//! other state is the set of (employer, employee) pairs with a default, which is needed to
//! count a worker with both an MPF and a wage default once; it holds one 16-byte key per
//! affected worker, so it grows with the defaults, not with the rows.
//!
//! Measured (release build, 2 cores): a run over a generated month of 300,000 employers
//! and 4.96 million rows in each of the remittance and payroll files, with the worker
//! reports, read 9.9 million rows (about 3 million a second, an HMAC per row included,
//! parsed on both cores) and peaked at 147 MiB resident; a month of
//! 1.5 million employers and 24.8 million rows in each file peaked at 522 MiB, 395 MiB of
//! it the register (`bench/memory.sh`). Memory grows with the employers, not the rows: the
//! duplicate check holds at most 32 MiB of keys (see `crate::duplicates`).

use std::collections::HashMap;
use std::io::{Read, Write};

use domain::{Period, PeriodKind};
use jiff::civil::Date;
use labour_law::{Money, Pseudonym, days_late, minimum_wage_for_hours};

use crate::{
    ArrearsError, EmployerFacts, EmployerKey, Level, Location, ParseContext, Parsed, Payroll,
    REDACTED, ReadSummary, Reason, Register, Reject, Remittance, Thresholds, WorkerReport,
    read_payroll, read_remittances, read_reports,
};
use rustc_hash::FxHashSet;

/// How one row stands against its legal deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStatus {
    OnTime,
    /// Not paid (or not in full) yet, but the deadline has not passed on the as-of date.
    NotYetDue,
    /// Paid in full after the deadline.
    Late,
    /// Paid, but less than due (on time or late: see `days_late`).
    Short,
    /// Not paid and the deadline has passed.
    Unpaid,
}

/// The verdict on one MPF remittance row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MpfVerdict {
    pub status: RowStatus,
    pub contribution_day: Date,
    /// Mandatory contributions, employer and employee together.
    pub due: Money,
    pub paid: Money,
    pub days_late: i32,
    /// Still owed on the as-of date.
    pub arrears: Money,
    /// 5% (the rate in force) of what was not paid by the contribution day.
    pub surcharge: Money,
}

/// The verdict on one payroll row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WageVerdict {
    pub status: RowStatus,
    pub due_by: Date,
    pub days_late: i32,
    /// Wages owed and not paid on the as-of date, once the deadline has passed: what is
    /// short of the wages due or, where more, of the minimum wage for the hours worked
    /// (the difference is wages under the Minimum Wage Ordinance s.10(3)).
    pub arrears: Money,
    /// The wages due are below the minimum wage for the hours worked (hours times the
    /// statutory hourly rate, to the cent).
    pub below_minimum_wage: bool,
}

/// Judges one remittance row as of `as_of`.
pub fn assess_remittance(row: &Remittance, as_of: Date) -> MpfVerdict {
    let due = row.mandatory.total();
    let deadline_passed = as_of > row.contribution_day;
    let (status, paid, late, not_paid_by_deadline, arrears) = match row.paid_on {
        None if deadline_passed => (RowStatus::Unpaid, Money::ZERO, 0, due, due),
        None => (
            RowStatus::NotYetDue,
            Money::ZERO,
            0,
            Money::ZERO,
            Money::ZERO,
        ),
        Some(paid_on) => {
            let paid = saturating_add(row.employer_contribution, row.employee_contribution);
            let short = positive_difference(due, paid);
            let late = days_late(row.contribution_day, paid_on);
            let status = paid_row_status(short, late, deadline_passed);
            let not_paid_by_deadline = if late > 0 { due } else { short };
            let arrears = if status == RowStatus::Short {
                short
            } else {
                Money::ZERO
            };
            (status, paid, late, not_paid_by_deadline, arrears)
        }
    };
    let surcharge = if deadline_passed || late > 0 {
        not_paid_by_deadline.percent(row.surcharge_rate)
    } else {
        Money::ZERO
    };
    MpfVerdict {
        status,
        contribution_day: row.contribution_day,
        due,
        paid,
        days_late: late,
        arrears,
        surcharge,
    }
}

/// The status of a row that was paid: short (once due), late, or on time. MPF and wage rows
/// follow the same rule against their own deadlines.
fn paid_row_status(short: Money, late_days: i32, deadline_passed: bool) -> RowStatus {
    if short > Money::ZERO {
        if deadline_passed || late_days > 0 {
            RowStatus::Short
        } else {
            RowStatus::NotYetDue
        }
    } else if late_days > 0 {
        RowStatus::Late
    } else {
        RowStatus::OnTime
    }
}

/// Judges one payroll row as of `as_of`.
pub fn assess_payroll(row: &Payroll, as_of: Date) -> WageVerdict {
    let deadline_passed = as_of > row.due_by;
    let short = positive_difference(row.wages_due, row.wages_paid);
    let (status, late) = match row.paid_on {
        None if deadline_passed => (RowStatus::Unpaid, 0),
        None => (RowStatus::NotYetDue, 0),
        Some(paid_on) => {
            let late = days_late(row.due_by, paid_on);
            let status = paid_row_status(short, late, deadline_passed);
            (status, late)
        }
    };
    let minimum_wage = match (row.hours_worked_hundredths, row.minimum_wage_hourly) {
        (Some(hours), Some(hourly)) => minimum_wage_for_hours(hourly, hours),
        _ => Money::ZERO,
    };
    let below_minimum_wage = row.wages_due < minimum_wage;
    let arrears = if deadline_passed {
        positive_difference(row.wages_due.max(minimum_wage), row.wages_paid)
    } else {
        Money::ZERO
    };
    WageVerdict {
        status,
        due_by: row.due_by,
        days_late: late,
        arrears,
        below_minimum_wage,
    }
}

pub use domain::DefaultKind;

/// The bit of `kind` in a per-employer set of kinds.
fn kind_bit(kind: DefaultKind) -> u8 {
    1 << (kind as u8)
}

/// Whether a worker report stands alone or is borne out by the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportSignal {
    None,
    Unconfirmed,
    Confirmed,
}

/// One listed employer for the month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerResult {
    pub employer: EmployerKey,
    pub employer_id: String,
    pub level: Level,
    pub reasons: Vec<Reason>,
    /// The kinds of default found, in [`DefaultKind`] order.
    pub kinds: Vec<DefaultKind>,
    /// Distinct employees with any default this month.
    pub workers_affected: u32,
    pub mpf_arrears: Money,
    pub wage_arrears: Money,
    /// MPF and wage arrears together.
    pub arrears: Money,
    pub surcharge: Money,
    pub max_days_late: i32,
    pub months_in_default: u32,
    pub repeat_defaults: u32,
    pub headcount: u32,
    pub sizable: bool,
    pub report: ReportSignal,
    pub reports: u32,
    pub reported_workers: u32,
    pub amount_claimed: Money,
}

/// Counts of what a detection run saw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DetectCounts {
    pub remittance_rows: u64,
    pub payroll_rows: u64,
    pub reports: u64,
    /// Rows whose period starts outside the month, and reports dated before it: ignored.
    pub outside_period: u64,
    pub rows_in_default: u64,
}

/// The result of a run: listed employers, most urgent first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    pub period: Period,
    pub as_of: Date,
    pub employers: Vec<EmployerResult>,
    pub counts: DetectCounts,
}

/// Months in default before the detection month, per employer, from prior summaries.
///
/// Bit `i` of an employer's mask is the month `i + 1` months before the detection month;
/// 24 months are kept, enough for the 12-month repeat window and a long default streak.
#[derive(Debug, Clone)]
pub struct PriorDefaults {
    period: Period,
    months: HashMap<EmployerKey, u32>,
}

impl PriorDefaults {
    const MONTHS: i32 = 24;

    pub fn new(period: Period) -> PriorDefaults {
        PriorDefaults {
            period,
            months: HashMap::new(),
        }
    }

    /// Records that `employer` was in default in `month`; months outside the 24 before the
    /// detection month are ignored.
    pub fn insert(&mut self, employer: EmployerKey, month: Period) {
        let back = self.period.end_month_index() - month.end_month_index();
        if (1..=PriorDefaults::MONTHS).contains(&back) {
            *self.months.entry(employer).or_default() |= 1 << (back - 1);
        }
    }

    fn mask(&self, employer: EmployerKey) -> u32 {
        self.months.get(&employer).copied().unwrap_or_default()
    }
}

/// A row that would take an employer's total past what 64-bit cents hold (HK$92 million
/// million): it is left out and reported, so that no total is silently changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the employer's total would pass HK${}, more than lmo adds up; the row is left out of the counts",
    Money::from_cents(i64::MAX)
)]
pub struct TotalTooLarge;

/// Fixed-size per-employer state; see the module documentation for the memory it takes.
#[derive(Debug, Clone, Copy, Default)]
struct Accumulator {
    kinds: u8,
    workers_affected: u32,
    reports: u32,
    reported_workers: u32,
    max_days_late: i32,
    mpf_arrears: Money,
    wage_arrears: Money,
    surcharge: Money,
    amount_claimed: Money,
}

/// Streaming detection for one month: feed rows with [`Detector::remittance`],
/// [`Detector::payroll`] and [`Detector::report`], then call [`Detector::finish`].
#[derive(Debug)]
pub struct Detector<'a> {
    register: &'a Register,
    thresholds: &'a Thresholds,
    prior: &'a PriorDefaults,
    period: Period,
    start: Date,
    end: Date,
    as_of: Date,
    accumulators: Vec<Accumulator>,
    affected: FxHashSet<(u32, u64)>,
    counts: DetectCounts,
}

impl<'a> Detector<'a> {
    /// `period` must be a month and `prior` built for the same month. Rows must come from
    /// parses over the same `register` (their [`EmployerKey`]s index into it).
    pub fn new(
        period: Period,
        as_of: Date,
        register: &'a Register,
        thresholds: &'a Thresholds,
        prior: &'a PriorDefaults,
    ) -> Result<Detector<'a>, ArrearsError> {
        if !matches!(period.kind(), PeriodKind::Month { .. }) {
            return Err(ArrearsError::NotAMonth(period.to_string()));
        }
        if prior.period != period {
            return Err(ArrearsError::PriorPeriod {
                prior: prior.period.to_string(),
                period: period.to_string(),
            });
        }
        Ok(Detector {
            register,
            thresholds,
            prior,
            period,
            start: period.start_date(),
            end: period.end_date(),
            as_of,
            accumulators: vec![Accumulator::default(); register.len()],
            affected: FxHashSet::default(),
            counts: DetectCounts::default(),
        })
    }

    fn in_period(&self, period_start: Date) -> bool {
        (self.start..=self.end).contains(&period_start)
    }

    /// Folds one remittance row in; `None` when its period is not the detection month.
    #[inline]
    pub fn remittance(&mut self, row: &Remittance) -> Result<Option<MpfVerdict>, TotalTooLarge> {
        if !self.in_period(row.period_start) {
            self.counts.outside_period += 1;
            return Ok(None);
        }
        let verdict = assess_remittance(row, self.as_of);
        let accumulator = &mut self.accumulators[row.employer.index()];
        let mpf_arrears = add_within_total(
            accumulator.mpf_arrears,
            verdict.arrears,
            accumulator.wage_arrears,
        )?;
        let surcharge = accumulator
            .surcharge
            .checked_add(verdict.surcharge)
            .ok_or(TotalTooLarge)?;
        accumulator.mpf_arrears = mpf_arrears;
        accumulator.surcharge = surcharge;
        self.counts.remittance_rows += 1;
        let kind = match verdict.status {
            RowStatus::Unpaid => Some(DefaultKind::MpfUnpaid),
            RowStatus::Short => Some(DefaultKind::MpfShort),
            RowStatus::Late => Some(DefaultKind::MpfLate),
            RowStatus::OnTime | RowStatus::NotYetDue => None,
        };
        let mut kinds = kind.map_or(0, kind_bit);
        if verdict.status == RowStatus::Short && verdict.days_late > 0 {
            kinds |= kind_bit(DefaultKind::MpfLate);
        }
        self.mark(row.employer, row.employee, kinds, verdict.days_late);
        Ok(Some(verdict))
    }

    /// Folds one payroll row in; `None` when its period is not the detection month.
    #[inline]
    pub fn payroll(&mut self, row: &Payroll) -> Result<Option<WageVerdict>, TotalTooLarge> {
        if !self.in_period(row.period_start) {
            self.counts.outside_period += 1;
            return Ok(None);
        }
        let verdict = assess_payroll(row, self.as_of);
        let accumulator = &mut self.accumulators[row.employer.index()];
        accumulator.wage_arrears = add_within_total(
            accumulator.wage_arrears,
            verdict.arrears,
            accumulator.mpf_arrears,
        )?;
        self.counts.payroll_rows += 1;
        let mut kinds = match verdict.status {
            RowStatus::Unpaid => kind_bit(DefaultKind::WagesUnpaid),
            RowStatus::Short => kind_bit(DefaultKind::WagesShort),
            RowStatus::Late => kind_bit(DefaultKind::WagesLate),
            RowStatus::OnTime | RowStatus::NotYetDue => 0,
        };
        if verdict.status == RowStatus::Short && verdict.days_late > 0 {
            kinds |= kind_bit(DefaultKind::WagesLate);
        }
        if verdict.below_minimum_wage {
            kinds |= kind_bit(DefaultKind::BelowMinimumWage);
        }
        self.mark(row.employer, row.employee, kinds, verdict.days_late);
        Ok(Some(verdict))
    }

    /// Folds one worker report in: reports dated from the start of the month to the as-of
    /// date count (earlier ones were about earlier months).
    pub fn report(&mut self, report: &WorkerReport) -> Result<(), TotalTooLarge> {
        if report.reported_on < self.start || report.reported_on > self.as_of {
            self.counts.outside_period += 1;
            return Ok(());
        }
        let accumulator = &mut self.accumulators[report.employer.index()];
        accumulator.amount_claimed = accumulator
            .amount_claimed
            .checked_add(report.amount_claimed)
            .ok_or(TotalTooLarge)?;
        accumulator.reports += 1;
        accumulator.reported_workers = accumulator.reported_workers.max(report.workers_affected);
        self.counts.reports += 1;
        Ok(())
    }

    fn mark(&mut self, employer: EmployerKey, worker: Pseudonym, kinds: u8, late: i32) {
        if kinds == 0 {
            return;
        }
        self.counts.rows_in_default += 1;
        let accumulator = &mut self.accumulators[employer.index()];
        accumulator.kinds |= kinds;
        accumulator.max_days_late = accumulator.max_days_late.max(late);
        // Two workers of one employer share the first 64 bits of their pseudonyms with a
        // chance of about n² / 2^65 for n workers: negligible even for the largest employer.
        if self
            .affected
            .insert((employer.index() as u32, worker.first_64_bits()))
        {
            accumulator.workers_affected += 1;
        }
    }

    /// Levels, reasons and the ranking: level, then workers affected, then arrears (all
    /// descending), then employer id.
    pub fn finish(self) -> Detection {
        let mut employers = Vec::new();
        for (key, employer) in self.register.iter() {
            let accumulator = &self.accumulators[key.index()];
            if accumulator.kinds == 0 && accumulator.reports == 0 {
                continue;
            }
            let in_default = accumulator.kinds != 0;
            let prior = self.prior.mask(key);
            let months_in_default = if in_default {
                prior.trailing_ones() + 1
            } else {
                0
            };
            let repeat_defaults = (prior & 0xfff).count_ones();
            // Each row was checked to keep this sum within range.
            let arrears = saturating_add(accumulator.mpf_arrears, accumulator.wage_arrears);
            let facts = EmployerFacts {
                in_default,
                workers_affected: accumulator.workers_affected,
                arrears,
                months_in_default,
                repeat_defaults,
                headcount: employer.headcount,
                reported_workers: (accumulator.reports > 0).then_some(accumulator.reported_workers),
            };
            let Some((level, level_reasons)) = self.thresholds.assess(&facts) else {
                continue;
            };
            let mut kinds: Vec<DefaultKind> = DefaultKind::ALL
                .iter()
                .copied()
                .filter(|kind| accumulator.kinds & kind_bit(*kind) != 0)
                .collect();
            if !in_default {
                kinds.push(DefaultKind::ReportWithoutData);
            }
            let mut reasons: Vec<Reason> = kinds
                .iter()
                .filter(|kind| **kind != DefaultKind::ReportWithoutData)
                .map(|kind| kind.reason())
                .collect();
            reasons.extend(level_reasons);
            let report = match (accumulator.reports > 0, in_default) {
                (false, _) => ReportSignal::None,
                (true, false) => ReportSignal::Unconfirmed,
                (true, true) => ReportSignal::Confirmed,
            };
            employers.push(EmployerResult {
                employer: key,
                employer_id: employer.id.clone(),
                level,
                reasons,
                kinds,
                workers_affected: accumulator.workers_affected,
                mpf_arrears: accumulator.mpf_arrears,
                wage_arrears: accumulator.wage_arrears,
                arrears,
                surcharge: accumulator.surcharge,
                max_days_late: accumulator.max_days_late,
                months_in_default,
                repeat_defaults,
                headcount: employer.headcount,
                sizable: employer.headcount >= self.thresholds.sizable_headcount,
                report,
                reports: accumulator.reports,
                reported_workers: accumulator.reported_workers,
                amount_claimed: accumulator.amount_claimed,
            });
        }
        employers.sort_by(|a, b| {
            b.level
                .cmp(&a.level)
                .then(b.workers_affected.cmp(&a.workers_affected))
                .then(b.arrears.cmp(&a.arrears))
                .then_with(|| a.employer_id.cmp(&b.employer_id))
        });
        Detection {
            period: self.period,
            as_of: self.as_of,
            employers,
            counts: self.counts,
        }
    }
}

/// The files of one detection run, each with the name used in rejects.
#[derive(Debug)]
pub struct DetectInputs<R> {
    pub remittances: Vec<(String, R)>,
    pub payroll: Vec<(String, R)>,
    pub reports: Vec<(String, R)>,
}

/// What was read from each kind of file (summed over the files of that kind).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DetectSummary {
    pub remittances: ReadSummary,
    pub payroll: ReadSummary,
    pub reports: ReadSummary,
}

/// One whole run: reads every file once, streaming, and returns the ranked employers.
/// Rejects go to `on_reject` as they are found (write them to a rejects file; they hold
/// no personal data).
pub fn detect<R: Read>(
    context: &ParseContext<'_>,
    period: Period,
    thresholds: &Thresholds,
    prior: &PriorDefaults,
    inputs: DetectInputs<R>,
    mut on_reject: impl FnMut(Reject),
) -> Result<(Detection, DetectSummary), ArrearsError> {
    let mut detector = Detector::new(period, context.as_of, context.register, thresholds, prior)?;
    let mut summary = DetectSummary::default();
    // A row the detector cannot add up is a reject after all.
    let too_large = |file: &str, line: u64, error: TotalTooLarge| Reject {
        location: Location {
            file: file.into(),
            sheet: None,
            line,
            column: None,
            column_name: None,
        },
        reason: error.to_string(),
        raw: REDACTED.to_owned(),
    };
    for (file, reader) in inputs.remittances {
        let mut left_out = 0;
        let read = read_remittances(reader, &file, context, |parsed| match parsed {
            Parsed::Record(row) => {
                if let Err(error) = detector.remittance(&row) {
                    left_out += 1;
                    on_reject(too_large(&file, row.line, error));
                }
            }
            Parsed::Reject(reject) => on_reject(reject),
        })?;
        add(&mut summary.remittances, read, left_out);
    }
    for (file, reader) in inputs.payroll {
        let mut left_out = 0;
        let read = read_payroll(reader, &file, context, |parsed| match parsed {
            Parsed::Record(row) => {
                if let Err(error) = detector.payroll(&row) {
                    left_out += 1;
                    on_reject(too_large(&file, row.line, error));
                }
            }
            Parsed::Reject(reject) => on_reject(reject),
        })?;
        add(&mut summary.payroll, read, left_out);
    }
    for (file, reader) in inputs.reports {
        let mut left_out = 0;
        let read = read_reports(reader, &file, context, |parsed| match parsed {
            Parsed::Record(row) => {
                if let Err(error) = detector.report(&row) {
                    left_out += 1;
                    on_reject(too_large(&file, row.line, error));
                }
            }
            Parsed::Reject(reject) => on_reject(reject),
        })?;
        add(&mut summary.reports, read, left_out);
    }
    Ok((detector.finish(), summary))
}

/// Adds what one file gave to `total`; `left_out` records were rejected by the detector.
fn add(total: &mut ReadSummary, read: ReadSummary, left_out: u64) {
    total.rows_read += read.rows_read;
    total.records += read.records - left_out;
    total.rejected += read.rejected + left_out;
}

/// Writes the monthly employer summaries, the input [`crate::read_prior_summaries`] reads
/// next month: `employer_id,period,level,workers_affected,arrears`.
pub fn write_summaries(detection: &Detection, writer: impl Write) -> Result<(), ArrearsError> {
    let error = |source| ArrearsError::Write {
        what: "summaries",
        source,
    };
    let mut writer = csv::Writer::from_writer(writer);
    writer
        .write_record([
            "employer_id",
            "period",
            "level",
            "workers_affected",
            "arrears",
        ])
        .map_err(|csv_error| error(csv_error.into()))?;
    let period = detection.period.to_string();
    for employer in &detection.employers {
        // Only months with a default in the data count as months in default.
        if employer.report == ReportSignal::Unconfirmed {
            continue;
        }
        writer
            .write_record([
                employer.employer_id.as_str(),
                &period,
                &employer.level.to_string(),
                &employer.workers_affected.to_string(),
                &employer.arrears.to_string(),
            ])
            .map_err(|csv_error| error(csv_error.into()))?;
    }
    writer.flush().map_err(error)
}

/// `total + amount`, when both it and its sum with `other` (the employer's other arrears)
/// stay within range.
fn add_within_total(total: Money, amount: Money, other: Money) -> Result<Money, TotalTooLarge> {
    let sum = total.checked_add(amount).ok_or(TotalTooLarge)?;
    sum.checked_add(other).ok_or(TotalTooLarge)?;
    Ok(sum)
}

fn saturating_add(a: Money, b: Money) -> Money {
    Money::from_cents(a.cents().saturating_add(b.cents()))
}

fn positive_difference(due: Money, paid: Money) -> Money {
    Money::from_cents(due.cents().saturating_sub(paid.cents()).max(0))
}

#[cfg(test)]
mod tests {
    use super::Accumulator;

    #[test]
    fn the_per_employer_accumulator_stays_small() {
        // 300,000 employers × this size is the fixed part of detection's memory.
        assert!(
            size_of::<Accumulator>() <= 56,
            "{}",
            size_of::<Accumulator>()
        );
    }
}
