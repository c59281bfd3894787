//! What the per-employee files (remittances, payroll) have in common: a row format parsed
//! on every core, and one row per employer, employee and period start.

use std::io::Read;

use jiff::civil::Date;
use labour_law::Pseudonym;

use super::{ParseContext, Parsed};
use crate::cells::{Cells, PlainLine};
use crate::duplicates::{self, DuplicateCheck, DuplicateKey};
use crate::pipeline::{Parsers, read_in_parallel};
use crate::rows::{Layout, Row};
use crate::spill::{Decoder, Encoder};
use crate::{ArrearsError, EmployerKey, ReadSummary};

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

    /// Writes the row to a spill file of the duplicate check.
    fn encode(&self, out: &mut Encoder);

    /// Reads back what [`EmployeeRow::encode`] wrote.
    fn decode(input: &mut Decoder<'_>) -> std::io::Result<Self>;

    fn duplicate_key(&self) -> DuplicateKey {
        let (employer, worker, period_start) = self.identity();
        // Year, month and day packed into distinct bits: one number per date, and much
        // cheaper than a day count.
        let day = (i32::from(period_start.year()) << 9)
            | (i32::from(period_start.month()) << 5)
            | i32::from(period_start.day());
        (employer.as_u32(), worker.first_64_bits(), day)
    }
}

/// One pass over a file of per-employee rows, parsed in parallel, with the duplicate
/// check done in file order.
pub(super) fn read_employee_rows<R: Read, T: EmployeeRow>(
    reader: R,
    file: &str,
    context: &ParseContext<'_>,
    sink: impl FnMut(Parsed<T>),
) -> Result<ReadSummary, ArrearsError> {
    read_within(reader, file, context, duplicates::Limits::default(), sink)
}

/// [`read_employee_rows`] with the duplicate check held to `limits`.
pub(crate) fn read_within<R: Read, T: EmployeeRow>(
    reader: R,
    file: &str,
    context: &ParseContext<'_>,
    limits: duplicates::Limits,
    mut sink: impl FnMut(Parsed<T>),
) -> Result<ReadSummary, ArrearsError> {
    let mut duplicates = DuplicateCheck::new(context.register.len(), limits);
    let mut summary = ReadSummary::default();
    let mut failure = None;
    let mut hand_on = |parsed: Result<T, crate::Reject>| {
        summary.count(&parsed);
        sink(parsed.map_or_else(Parsed::Reject, Parsed::Record));
    };
    let mut rows_read = 0;
    let parsers = Parsers {
        plain: |line: &mut PlainLine<'_>, memo: &mut T::Memo| T::parse(line, context, memo),
        row: |row: &Row<'_>, memo: &mut T::Memo| T::parse(&mut &*row, context, memo),
    };
    read_in_parallel(reader, file, T::LAYOUT, &parsers, |parsed, record| {
        rows_read += 1;
        if failure.is_none()
            && let Err(error) = duplicates.admit(parsed, &record, &mut hand_on)
        {
            failure = Some(error);
        }
    })?;
    let spill_error = |source| ArrearsError::Spill {
        file: file.to_owned(),
        source,
    };
    if let Some(error) = failure {
        return Err(spill_error(error));
    }
    duplicates
        .finish(file, T::LAYOUT, &mut hand_on)
        .map_err(spill_error)?;
    summary.rows_read = rows_read;
    Ok(summary)
}
