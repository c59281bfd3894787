//! Days on which a gale or black-rainstorm warning closed offices.

use std::io::Read;

use jiff::civil::Date;

use crate::pipeline::read_in_order;
use crate::rows::Layout;
use crate::{ArrearsError, ReadSummary, Reject};

static CLOSURES: Layout = Layout {
    columns: &["date", "warning"],
    personal: &[],
    // No column of free words: a warning is one of two, and anything else there may be a
    // name, so a rejected row shows no word of that column.
    words: &[],
};

/// The warnings that close offices for the contribution day: Tropical Cyclone Warning
/// Signal No. 8 or above ("gale") and the black rainstorm warning.
const CLOSING_WARNINGS: [&str; 2] = ["gale", "black-rainstorm"];

/// Reads days closed by a gale or black-rainstorm warning (`date,warning`, the warning
/// `gale` or `black-rainstorm`), sorted and without repeats. Which days count (a warning
/// in force during office hours) is as the Hong Kong Observatory's records and the MPFA
/// say; the file only lists them.
pub fn read_closures<R: Read>(
    reader: R,
    file: &str,
    mut on_reject: impl FnMut(Reject),
) -> Result<(Vec<Date>, ReadSummary), ArrearsError> {
    let mut summary = ReadSummary::default();
    let mut days = Vec::new();
    read_in_order(reader, file, &CLOSURES, |row| {
        summary.rows_read += 1;
        let parsed = row.and_then(|row| {
            let text = row.cell(0);
            let day =
                domain::parse_date(text).map_err(|_| row.reject(0, crate::cells::NOT_A_DATE))?;
            let warning = row.cell(1);
            if !CLOSING_WARNINGS.contains(&warning) {
                return Err(row.reject(
                    1,
                    format!(
                        "not a closing warning (expected {})",
                        CLOSING_WARNINGS.join(" or ")
                    ),
                ));
            }
            Ok(day)
        });
        summary.count(&parsed);
        match parsed {
            Ok(day) => days.push(day),
            Err(reject) => on_reject(reject),
        }
    })?;
    days.sort_unstable();
    days.dedup();
    Ok((days, summary))
}
