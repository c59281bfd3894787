//! The input files parsed into records, one module per layout: the employer register,
//! MPF remittance statements, payroll records, worker reports, prior monthly summaries and
//! closure days.
//!
//! HKIDs are validated and replaced by their keyed pseudonyms here, at parse time; employee
//! names are checked present and dropped, as detection has no use for them. No record type
//! has a field that could hold an HKID or a name, and neither do rejects (see
//! [`crate::Reject`]). Every legal lookup a row needs (contribution day, mandatory
//! contributions, wage deadline, minimum wage) is also done here, so that a row the law
//! tables cannot judge is a reject with its position rather than a failure later.

mod closures;
pub(crate) mod employee_rows;
mod employers;
mod payroll;
mod prior;
mod remittances;
mod reports;

use jiff::civil::Date;
use labour_law::{Hkid, HolidayCalendar, Parameters, Pseudonym, Pseudonymiser};

use crate::cells::{Cells, LastDate, NOT_A_DATE};
use crate::rows::Row;
use crate::{EmployerKey, Register, Reject};

pub use closures::read_closures;
pub(crate) use employee_rows::EmployeeRow;
pub use employers::read_register;
pub use payroll::{Payroll, read_payroll};
pub use prior::{PriorDefault, read_prior_summaries};
pub use remittances::{Remittance, read_remittances};
pub use reports::{WorkerReport, read_reports};

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

/// What every row parser needs besides the file.
#[derive(Debug, Clone, Copy)]
pub struct ParseContext<'a> {
    pub pseudonymiser: &'a Pseudonymiser,
    /// Dates after this day are rejected: a statement cannot report the future.
    pub as_of: Date,
    pub register: &'a Register,
    pub law: Law<'a>,
}

/// A record or a reject, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed<T> {
    Record(T),
    Reject(Reject),
}

/// The last employer id looked up, and its key.
#[derive(Default)]
struct EmployerMemo {
    id: String,
    key: Option<EmployerKey>,
}

fn required<'c, C: Cells<'c>>(cells: &mut C, index: usize) -> Result<&'c str, C::Fail> {
    let cell = cells.text(index)?;
    if cell.is_empty() {
        Err(cells.fail(index, || "the cell is empty".to_owned()))
    } else {
        Ok(cell)
    }
}

pub(super) const NOT_REGISTERED: &str = "the employer is not in the employer register";

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
        if let Some(next) = register.key_after(last, id) {
            id.clone_into(&mut memo.id);
            memo.key = Some(next);
            return Ok(next);
        }
    }
    let key = register
        .key(id)
        .ok_or_else(|| cells.fail(index, || NOT_REGISTERED.to_owned()))?;
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
    optional_date(cells, index, context, last)?
        .ok_or_else(|| cells.fail(index, || NOT_A_DATE.to_owned()))
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
    text.parse()
        .map_err(|_| row.reject(index, format!("not a whole number from 0 to {}", u32::MAX)))
}
