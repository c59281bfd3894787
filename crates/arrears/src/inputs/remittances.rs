//! MPF remittance statements: an employee's contributions for one contribution period, with
//! what the law required of them.

use std::io::Read;

use jiff::civil::Date;
use labour_law::{Money, MpfContributions, MpfRates, Percent, Pseudonym};

use super::employee_rows::read_employee_rows;
use super::{
    EmployeeRow, EmployerMemo, ParseContext, Parsed, employer_key, optional_date, period, person,
};
use crate::cells::{Cells, LastDate};
use crate::rows::Layout;
use crate::spill::{Decoder, Encoder};
use crate::{ArrearsError, EmployerKey, ReadSummary};

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

static REMITTANCES: Layout = Layout {
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
    words: &[0],
};

/// Streams the MPF remittance statements to `sink`, one record or reject at a time, in
/// file order.
///
/// The rows are parsed on every available core and applied in file order. Duplicates
/// (same employer, employee and `period_start`) are rejected; for a file grouped by
/// employer the check holds one employer's keys at a time, and its memory does not grow
/// with the rows (see `crate::duplicates`: what it must remember past a few megabytes goes
/// to temporary files).
pub fn read_remittances<R: Read>(
    reader: R,
    file: &str,
    context: &ParseContext<'_>,
    sink: impl FnMut(Parsed<Remittance>),
) -> Result<ReadSummary, ArrearsError> {
    read_employee_rows(reader, file, context, sink)
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

    fn encode(&self, out: &mut Encoder) {
        out.u64(self.line);
        out.employer(self.employer);
        out.pseudonym(self.employee);
        out.date(self.period_start);
        out.date(self.period_end);
        out.money(self.relevant_income);
        out.money(self.employer_contribution);
        out.money(self.employee_contribution);
        out.optional_date(self.paid_on);
        out.date(self.contribution_day);
        out.money(self.mandatory.relevant_income);
        out.money(self.mandatory.employer);
        out.money(self.mandatory.employee);
        out.u32(self.surcharge_rate.hundredths());
    }

    fn decode(input: &mut Decoder<'_>) -> std::io::Result<Remittance> {
        Ok(Remittance {
            line: input.u64()?,
            employer: input.employer()?,
            employee: input.pseudonym()?,
            period_start: input.date()?,
            period_end: input.date()?,
            relevant_income: input.money()?,
            employer_contribution: input.money()?,
            employee_contribution: input.money()?,
            paid_on: input.optional_date()?,
            contribution_day: input.date()?,
            mandatory: MpfContributions {
                relevant_income: input.money()?,
                employer: input.money()?,
                employee: input.money()?,
            },
            surcharge_rate: input.percent()?,
        })
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
