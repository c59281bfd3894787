//! Reports from workers or the union about an employer.

use std::fmt;
use std::io::Read;

use jiff::civil::Date;
use labour_law::Money;

use super::{EmployerMemo, ParseContext, Parsed, count, date, employer_key, required};
use crate::cells::{Cells, LastDate};
use crate::pipeline::read_in_order;
use crate::rows::Layout;
use crate::{ArrearsError, EmployerKey, ReadSummary};

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

static REPORTS: Layout = Layout {
    columns: &[
        "employer_id",
        "reported_on",
        "workers_affected",
        "amount_claimed",
        "channel",
        "summary",
    ],
    personal: &[5],
    words: &[0],
};

/// Streams the worker and union reports to `sink`.
pub fn read_reports<R: Read>(
    reader: R,
    file: &str,
    context: &ParseContext<'_>,
    mut sink: impl FnMut(Parsed<WorkerReport>),
) -> Result<ReadSummary, ArrearsError> {
    let mut summary = ReadSummary::default();
    let mut memo = EmployerMemo::default();
    let mut last_reported_on = LastDate::default();
    read_in_order(reader, file, &REPORTS, |row| {
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
    })?;
    Ok(summary)
}
