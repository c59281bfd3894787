//! Payroll records: an employee's wages for one wage period, with the statutory deadline
//! and minimum wage that apply.

use std::io::Read;

use jiff::civil::Date;
use labour_law::{Money, Pseudonym};

use super::employee_rows::read_employee_rows;
use super::{
    EmployeeRow, EmployerMemo, ParseContext, Parsed, employer_key, optional_date, period, person,
};
use crate::cells::{Cells, LastDate};
use crate::rows::Layout;
use crate::spill::{Decoder, Encoder};
use crate::{ArrearsError, EmployerKey, ReadSummary};

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

static PAYROLL: Layout = Layout {
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
    words: &[0],
};

/// Streams the payroll records to `sink`; parsed and checked as in [`crate::read_remittances`].
pub fn read_payroll<R: Read>(
    reader: R,
    file: &str,
    context: &ParseContext<'_>,
    sink: impl FnMut(Parsed<Payroll>),
) -> Result<ReadSummary, ArrearsError> {
    read_employee_rows(reader, file, context, sink)
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

    fn encode(&self, out: &mut Encoder) {
        out.u64(self.line);
        out.employer(self.employer);
        out.pseudonym(self.employee);
        out.date(self.period_start);
        out.date(self.period_end);
        out.money(self.wages_due);
        out.money(self.wages_paid);
        out.optional_date(self.paid_on);
        out.optional_u32(self.hours_worked_hundredths);
        out.date(self.due_by);
        out.optional_money(self.minimum_wage_hourly);
    }

    fn decode(input: &mut Decoder<'_>) -> std::io::Result<Payroll> {
        Ok(Payroll {
            line: input.u64()?,
            employer: input.employer()?,
            employee: input.pseudonym()?,
            period_start: input.date()?,
            period_end: input.date()?,
            wages_due: input.money()?,
            wages_paid: input.money()?,
            paid_on: input.optional_date()?,
            hours_worked_hundredths: input.optional_u32()?,
            due_by: input.date()?,
            minimum_wage_hourly: input.optional_money()?,
        })
    }
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
            "not a number of hours (e.g. 176 or 37.50)".to_owned()
        })
    })
}
