//! A seeded generator of synthetic input files with injected defaults and their ground truth.
//!
//! Everything it writes is obviously synthetic: employers are `Generated Employer 0000123
//! Ltd`, workers `Worker 0000123`, and HKIDs are numbered in order (`A000123(?)`) with a
//! correct check digit, so they parse as HKIDs but say nothing about anyone. The same
//! configuration (seed included) always gives byte-identical files: the only randomness is
//! the crate's own [`SplitMix64`], and nothing depends on hash-map order or the clock.
//!
//! Each employer gets at most one injected kind of default (drawn with the configured
//! rates); the truth file lists `employer_id,kind,expected_level`, the level worked out by
//! the same [`Thresholds::assess`] as detection, from amounts computed with `labour_law`.

use std::io::{BufWriter, Read, Write};

use domain::{Period, PeriodKind};
use jiff::ToSpan;
use jiff::civil::Date;
use labour_law::Money;

use crate::pipeline::read_in_order;
use crate::rows::Layout;
use crate::{
    ArrearsError, DefaultKind, EmployerFacts, Law, Level, Parsed, ReadSummary, Thresholds,
};

/// `SplitMix64` (Steele, Lea and Flood 2014; the constants of Vigna's public-domain C
/// version): a 64-bit state advanced by a fixed odd constant and scrambled by two
/// multiply-xorshift rounds. Small, fast and good enough for test data; not for secrets.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0) by Lemire's multiply-shift; the bias, at most
    /// n / 2^64, is irrelevant for test data.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `low..=high` (`low` when `high < low`).
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high.saturating_sub(low).saturating_add(1))
    }

    /// A float in `[0, 1)` from the top 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Employees per employer: `min + (max − min) · u³` for uniform `u`, a skewed spread with
/// many small employers and a few large ones (mean about `min + (max − min) / 4`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EmployeesPerEmployer {
    pub min: u32,
    pub max: u32,
}

/// The share of employers given each kind of default (each employer at most one kind).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DefaultRates {
    pub mpf_unpaid: f64,
    pub mpf_late: f64,
    pub mpf_short: f64,
    pub wages_late: f64,
    pub wages_unpaid: f64,
    pub below_minimum_wage: f64,
    pub report_without_data: f64,
}

impl Default for DefaultRates {
    /// About one employer in ten with a default, spread over the kinds.
    fn default() -> DefaultRates {
        DefaultRates {
            mpf_unpaid: 0.02,
            mpf_late: 0.02,
            mpf_short: 0.01,
            wages_late: 0.015,
            wages_unpaid: 0.01,
            below_minimum_wage: 0.01,
            report_without_data: 0.01,
        }
    }
}

impl DefaultRates {
    fn kinds(&self) -> [(DefaultKind, f64); 7] {
        [
            (DefaultKind::MpfUnpaid, self.mpf_unpaid),
            (DefaultKind::MpfLate, self.mpf_late),
            (DefaultKind::MpfShort, self.mpf_short),
            (DefaultKind::WagesLate, self.wages_late),
            (DefaultKind::WagesUnpaid, self.wages_unpaid),
            (DefaultKind::BelowMinimumWage, self.below_minimum_wage),
            (DefaultKind::ReportWithoutData, self.report_without_data),
        ]
    }
}

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratorConfig {
    pub seed: u64,
    pub employers: u32,
    pub employees_per_employer: EmployeesPerEmployer,
    /// The month of the wage and contribution periods.
    pub period: Period,
    /// The date the files are "as of": at least 12 days after the contribution day, so
    /// that late payments lie before it.
    pub as_of: Date,
    pub rates: DefaultRates,
    /// Share of employers with a default in which a group (10 or more workers) is affected,
    /// where the employer has that many.
    pub group_share: f64,
    /// Share of employers with a default that are also reported by workers.
    pub report_share: f64,
}

impl GeneratorConfig {
    /// Defaults: 1 to 64 employees per employer (mean about 17, so 300,000 employers give
    /// about 5,000,000 rows per file), the default rates, 10% group defaults, 30% reported;
    /// `as_of` is the last day of the month after `period`.
    pub fn new(seed: u64, employers: u32, period: Period) -> GeneratorConfig {
        GeneratorConfig {
            seed,
            employers,
            employees_per_employer: EmployeesPerEmployer { min: 1, max: 64 },
            period,
            as_of: period.shift(1).unwrap_or(period).end_date(),
            rates: DefaultRates::default(),
            group_share: 0.1,
            report_share: 0.3,
        }
    }
}

/// Where the generated files go.
pub struct GeneratorOutputs<'a> {
    pub employers: &'a mut dyn Write,
    pub remittances: &'a mut dyn Write,
    pub payroll: &'a mut dyn Write,
    pub reports: &'a mut dyn Write,
    /// `employer_id,kind,expected_level`.
    pub truth: &'a mut dyn Write,
}

/// Counts of what was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GeneratorSummary {
    pub employers: u64,
    pub remittance_rows: u64,
    pub payroll_rows: u64,
    pub reports: u64,
    /// Employers with an injected default (rows of the truth file).
    pub injected: u64,
}

/// One row of the ground-truth file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruthRow {
    pub employer_id: String,
    pub kind: DefaultKind,
    pub expected_level: Level,
}

const SECTIONS: &[&str] = &[
    "C", "F", "G", "H", "I", "J", "K", "L", "M", "N", "P", "Q", "R", "S",
];

const DISTRICTS: &[&str] = &[
    "Central and Western",
    "Wan Chai",
    "Eastern",
    "Southern",
    "Yau Tsim Mong",
    "Sham Shui Po",
    "Kowloon City",
    "Wong Tai Sin",
    "Kwun Tong",
    "Kwai Tsing",
    "Tsuen Wan",
    "Tuen Mun",
    "Yuen Long",
    "North",
    "Tai Po",
    "Sha Tin",
    "Sai Kung",
    "Islands",
];

/// Sequential HKIDs have a one-letter prefix and six digits: 26 million of them.
const EMPLOYEES_MAX: u64 = 26 * 1_000_000;

struct Writers<'a> {
    employers: BufWriter<&'a mut dyn Write>,
    remittances: BufWriter<&'a mut dyn Write>,
    payroll: BufWriter<&'a mut dyn Write>,
    reports: BufWriter<&'a mut dyn Write>,
    truth: BufWriter<&'a mut dyn Write>,
}

fn write_error(what: &'static str) -> impl Fn(std::io::Error) -> ArrearsError {
    move |source| ArrearsError::Write { what, source }
}

/// Writes the four input files and the truth file for `config`.
pub fn generate(
    config: &GeneratorConfig,
    law: &Law<'_>,
    thresholds: &Thresholds,
    outputs: &mut GeneratorOutputs<'_>,
) -> Result<GeneratorSummary, ArrearsError> {
    let PeriodKind::Month { .. } = config.period.kind() else {
        return Err(ArrearsError::NotAMonth(config.period.to_string()));
    };
    let sizes = config.employees_per_employer;
    if sizes.min == 0 || sizes.max < sizes.min {
        return Err(ArrearsError::Generator(format!(
            "employees per employer must be 1 or more, min not above max (got {}..={})",
            sizes.min, sizes.max
        )));
    }
    let start = config.period.start_date();
    let end = config.period.end_date();
    let contribution_day = law.calendar.contribution_day(end)?;
    let due_by = law.parameters.wage_due_by(end)?;
    let latest_deadline = contribution_day.max(due_by);
    if config.as_of < add_days(latest_deadline, 12)? {
        return Err(ArrearsError::Generator(format!(
            "as_of {} must be at least 12 days after the contribution day {contribution_day}",
            config.as_of
        )));
    }
    let minimum_wage = law.parameters.minimum_wage_hourly(start)?.value;
    let group = thresholds.group_dispute_workers.max(1);
    let few = thresholds
        .orange
        .workers_affected
        .unwrap_or(group)
        .min(group)
        .saturating_sub(1)
        .max(1);

    let mut out = Writers {
        employers: BufWriter::new(&mut *outputs.employers),
        remittances: BufWriter::new(&mut *outputs.remittances),
        payroll: BufWriter::new(&mut *outputs.payroll),
        reports: BufWriter::new(&mut *outputs.reports),
        truth: BufWriter::new(&mut *outputs.truth),
    };
    writeln!(
        out.employers,
        "employer_id,name,hsic_section,district,headcount"
    )
    .map_err(write_error("employers"))?;
    writeln!(
        out.remittances,
        "employer_id,employee_id,employee_name,period_start,period_end,relevant_income,employer_contribution,employee_contribution,paid_on"
    )
    .map_err(write_error("remittances"))?;
    writeln!(
        out.payroll,
        "employer_id,employee_id,employee_name,period_start,period_end,wages_due,wages_paid,paid_on,hours_worked"
    )
    .map_err(write_error("payroll"))?;
    writeln!(
        out.reports,
        "employer_id,reported_on,workers_affected,amount_claimed,channel,summary"
    )
    .map_err(write_error("reports"))?;
    writeln!(out.truth, "employer_id,kind,expected_level").map_err(write_error("truth"))?;

    let mut rng = SplitMix64::new(config.seed);
    let mut summary = GeneratorSummary::default();
    let mut next_employee: u64 = 0;
    let rates = config.rates.kinds();
    for number in 0..config.employers {
        let employer_id = format!("E{number:07}");
        let spread = f64::from(sizes.max - sizes.min);
        let headcount = sizes.min + (spread * rng.unit().powi(3)).round() as u32;
        let section = SECTIONS[rng.below(SECTIONS.len() as u64) as usize];
        let district = DISTRICTS[rng.below(DISTRICTS.len() as u64) as usize];
        writeln!(
            out.employers,
            "{employer_id},Generated Employer {number:07} Ltd,{section},{district},{headcount}"
        )
        .map_err(write_error("employers"))?;
        summary.employers += 1;

        let draw = rng.unit();
        let mut cumulative = 0.0;
        let kind = rates.iter().find_map(|&(kind, rate)| {
            cumulative += rate;
            (draw < cumulative).then_some(kind)
        });
        let affected = match kind {
            None | Some(DefaultKind::ReportWithoutData) => 0,
            Some(_) if rng.unit() < config.group_share && headcount >= group => {
                rng.between(u64::from(group), u64::from(headcount.min(group + 2))) as u32
            }
            Some(_) => rng.between(1, u64::from(headcount.min(few))) as u32,
        };
        let reported = kind.is_some_and(|kind| kind != DefaultKind::ReportWithoutData)
            && rng.unit() < config.report_share;

        let mut arrears = Money::ZERO;
        if kind != Some(DefaultKind::ReportWithoutData) {
            if next_employee + u64::from(headcount) > EMPLOYEES_MAX {
                return Err(ArrearsError::Generator(format!(
                    "more than {EMPLOYEES_MAX} employees in all"
                )));
            }
            for index in 0..headcount {
                let employee = next_employee;
                next_employee += 1;
                let injected = if index < affected { kind } else { None };
                let row_arrears = write_employee(
                    &mut rng,
                    &mut out,
                    &Employee {
                        employer_id: &employer_id,
                        number: employee,
                        start,
                        end,
                        contribution_day,
                        due_by,
                        minimum_wage,
                        injected,
                    },
                    law,
                )?;
                arrears = Money::from_cents(arrears.cents().saturating_add(row_arrears.cents()));
                summary.remittance_rows += 1;
                summary.payroll_rows += 1;
            }
        }

        let Some(kind) = kind else { continue };
        let reported_workers = if kind == DefaultKind::ReportWithoutData {
            Some(rng.between(1, u64::from(few)) as u32)
        } else if reported {
            Some(affected)
        } else {
            None
        };
        if let Some(workers) = reported_workers {
            let reported_on = add_days(end, rng.between(1, 10) as i64)?;
            let claimed = Money::from_cents(rng.between(100_000, 5_000_000) as i64);
            let channel = if rng.below(2) == 0 {
                "union"
            } else {
                "hotline"
            };
            writeln!(
                out.reports,
                "{employer_id},{reported_on},{workers},{claimed},{channel},Generated report: wages or MPF not paid"
            )
            .map_err(write_error("reports"))?;
            summary.reports += 1;
        }
        let facts = EmployerFacts {
            in_default: kind != DefaultKind::ReportWithoutData,
            workers_affected: affected,
            arrears,
            months_in_default: u32::from(kind != DefaultKind::ReportWithoutData),
            repeat_defaults: 0,
            headcount,
            reported_workers,
        };
        let Some((level, _)) = thresholds.assess(&facts) else {
            return Err(ArrearsError::Generator(format!(
                "the thresholds give no level to an injected {} at {employer_id}",
                kind.as_str()
            )));
        };
        writeln!(out.truth, "{employer_id},{},{level}", kind.as_str())
            .map_err(write_error("truth"))?;
        summary.injected += 1;
    }
    for (what, writer) in [
        ("employers", &mut out.employers),
        ("remittances", &mut out.remittances),
        ("payroll", &mut out.payroll),
        ("reports", &mut out.reports),
        ("truth", &mut out.truth),
    ] {
        writer.flush().map_err(write_error(what))?;
    }
    Ok(summary)
}

struct Employee<'e> {
    employer_id: &'e str,
    number: u64,
    start: Date,
    end: Date,
    contribution_day: Date,
    due_by: Date,
    minimum_wage: Money,
    injected: Option<DefaultKind>,
}

/// Writes one employee's remittance and payroll rows; returns the arrears injected.
fn write_employee(
    rng: &mut SplitMix64,
    out: &mut Writers<'_>,
    employee: &Employee<'_>,
    law: &Law<'_>,
) -> Result<Money, ArrearsError> {
    let hkid = synthetic_hkid(employee.number);
    let name = format!("Worker {:07}", employee.number);
    let hours = rng.between(80, 200);
    let mut arrears = Money::ZERO;
    let at_minimum = employee.minimum_wage.cents() * hours as i64;
    let wages = if employee.injected == Some(DefaultKind::BelowMinimumWage) {
        let wages = at_minimum * 9 / 10;
        // Paid as agreed, on time: what is owed is the rest of the minimum wage.
        arrears = Money::from_cents(at_minimum - wages);
        Money::from_cents(wages)
    } else if rng.below(10) == 0 {
        // Some pay above the MPF maximum relevant income, to exercise the cap.
        Money::from_cents(rng.between(3_000_000, 8_000_000) as i64)
    } else {
        Money::from_cents(at_minimum + rng.below(2 * at_minimum as u64) as i64)
    };
    let mandatory = law
        .parameters
        .mpf_mandatory_contributions(employee.start, wages)?;

    let mut employer_part = mandatory.employer;
    let mpf_paid_on = match employee.injected {
        Some(DefaultKind::MpfUnpaid) => {
            arrears = mandatory.total();
            None
        }
        Some(DefaultKind::MpfLate) => Some(add_days(
            employee.contribution_day,
            rng.between(1, 10) as i64,
        )?),
        other => {
            if other == Some(DefaultKind::MpfShort) {
                let short = rng.between(1, mandatory.employer.cents() as u64) as i64;
                employer_part = Money::from_cents(mandatory.employer.cents() - short);
                arrears = Money::from_cents(short);
            }
            Some(add_days(
                employee.contribution_day,
                -(rng.between(0, 5) as i64),
            )?)
        }
    };
    writeln!(
        out.remittances,
        "{},{hkid},{name},{},{},{wages},{employer_part},{},{}",
        employee.employer_id,
        employee.start,
        employee.end,
        mandatory.employee,
        OptionalDate(mpf_paid_on)
    )
    .map_err(write_error("remittances"))?;

    let (wages_paid, wages_paid_on) = match employee.injected {
        Some(DefaultKind::WagesUnpaid) => {
            arrears = wages;
            (Money::ZERO, None)
        }
        Some(DefaultKind::WagesLate) => (
            wages,
            Some(add_days(employee.due_by, rng.between(1, 10) as i64)?),
        ),
        _ => (
            wages,
            Some(add_days(employee.end, rng.between(0, 7) as i64)?),
        ),
    };
    writeln!(
        out.payroll,
        "{},{hkid},{name},{},{},{wages},{wages_paid},{},{hours}",
        employee.employer_id,
        employee.start,
        employee.end,
        OptionalDate(wages_paid_on)
    )
    .map_err(write_error("payroll"))?;
    Ok(arrears)
}

struct OptionalDate(Option<Date>);

impl std::fmt::Display for OptionalDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(date) => write!(f, "{date}"),
            None => Ok(()),
        }
    }
}

fn add_days(date: Date, days: i64) -> Result<Date, ArrearsError> {
    date.checked_add(days.days())
        .map_err(|error| ArrearsError::Generator(format!("date out of range: {error}")))
}

/// The `number`-th synthetic HKID: letter `A` + number / 10^6, six digits, check digit.
///
/// The check digit is computed here because `labour_law` exposes only validation; the
/// crate's tests parse generated ids with `labour_law::Hkid` to prove they agree.
fn synthetic_hkid(number: u64) -> String {
    let letter = b'A' + (number / 1_000_000) as u8;
    let digits = number % 1_000_000;
    let body = format!("{}{digits:06}", char::from(letter));
    // Weighted mod 11 over [space = 36, letter, six digits] with weights 9 down to 2.
    let mut sum = 36 * 9 + (u64::from(letter - b'A') + 10) * 8;
    for (weight, digit) in (2..=7).rev().zip(body.bytes().skip(1)) {
        sum += u64::from(digit - b'0') * weight;
    }
    let check = match 11 - sum % 11 {
        10 => 'A',
        11 => '0',
        n => char::from(b'0' + n as u8),
    };
    format!("{body}({check})")
}

/// Reads a ground-truth file written by [`generate`].
pub fn read_truth<R: Read>(
    reader: R,
    file: &str,
    mut sink: impl FnMut(Parsed<TruthRow>),
) -> Result<ReadSummary, ArrearsError> {
    let mut summary = ReadSummary::default();
    read_in_order(reader, file, &TRUTH, |row| {
        summary.rows_read += 1;
        let parsed = row.and_then(|row| {
            let kind = DefaultKind::parse(row.cell(1))
                .map_err(|error| row.reject(1, error.to_string()))?;
            let expected_level =
                Level::parse(row.cell(2)).map_err(|error| row.reject(2, error.to_string()))?;
            Ok(TruthRow {
                employer_id: row.cell(0).to_owned(),
                kind,
                expected_level,
            })
        });
        match parsed {
            Ok(record) => {
                summary.records += 1;
                sink(Parsed::Record(record));
            }
            Err(reject) => {
                summary.rejected += 1;
                sink(Parsed::Reject(reject));
            }
        }
    })?;
    Ok(summary)
}

static TRUTH: Layout = Layout {
    columns: &["employer_id", "kind", "expected_level"],
    personal: &[],
    words: &[0, 1, 2],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_hkids_have_valid_check_digits() {
        for number in [0, 1, 123_456, 999_999, 1_000_000, 25_999_999] {
            let id = synthetic_hkid(number);
            assert!(labour_law::Hkid::parse(&id).is_ok(), "{number}");
        }
    }

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // First outputs of Vigna's splitmix64.c seeded with 1234567.
        let mut rng = SplitMix64::new(1_234_567);
        assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next_u64(), 3_203_168_211_198_807_973);
    }
}
