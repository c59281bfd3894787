//! What the per-employee files (remittances, payroll) have in common: a row format parsed
//! on every core, and one row per employer, employee and period start.

use std::io::Read;

use jiff::civil::Date;
use labour_law::Pseudonym;

use super::{ParseContext, Parsed};
use crate::cells::{Cells, PlainLine};
use crate::duplicates::{DuplicateCheck, DuplicateKey};
use crate::pipeline::{Parsers, read_in_parallel};
use crate::rows::{Layout, Row};
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
