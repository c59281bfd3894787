//! The prior monthly employer summaries: the months in which an employer was in default.

use std::io::Read;

use domain::{Period, PeriodKind};

use super::{Parsed, required};
use crate::pipeline::read_in_order;
use crate::rows::Layout;
use crate::{ArrearsError, EmployerKey, ReadSummary, Register};

/// One row of the prior monthly employer summaries: the employer was in default that month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriorDefault {
    pub employer: EmployerKey,
    pub period: Period,
}

static PRIOR: Layout = Layout {
    columns: &[
        "employer_id",
        "period",
        "level",
        "workers_affected",
        "arrears",
    ],
    personal: &[],
    // Only ids are free words: a level is one of three, and anything else there may be a
    // name, so a rejected row shows no word of that column.
    words: &[0],
};

/// Streams prior monthly employer summaries (the format [`crate::write_summaries`]
/// writes): each row is a month in which the employer was in default.
pub fn read_prior_summaries<R: Read>(
    reader: R,
    file: &str,
    register: &Register,
    mut sink: impl FnMut(Parsed<PriorDefault>),
) -> Result<ReadSummary, ArrearsError> {
    let mut summary = ReadSummary::default();
    read_in_order(reader, file, &PRIOR, |row| {
        summary.rows_read += 1;
        let parsed = row.and_then(|row| {
            let id = required(&mut &row, 0)?;
            let employer = register
                .key(id)
                .ok_or_else(|| row.reject(0, super::NOT_REGISTERED))?;
            let Some(period) = Period::parse(row.cell(1))
                .ok()
                .filter(|period| matches!(period.kind(), PeriodKind::Month { .. }))
            else {
                return Err(row.reject(1, "not a month (expected YYYY-MM)"));
            };
            crate::Level::parse(row.cell(2))
                .map_err(|_| row.reject(2, "not a level (yellow, orange or red)"))?;
            Ok(PriorDefault { employer, period })
        });
        summary.count(&parsed);
        sink(parsed.map_or_else(Parsed::Reject, Parsed::Record));
    })?;
    Ok(summary)
}
