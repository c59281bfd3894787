//! The employer register file: one row per employer, parsed on every core.

use std::io::Read;

use domain::HsicSection;

use super::{count, required};
use crate::cells::{GiveUp, PlainLine};
use crate::pipeline::{Parsers, read_in_parallel};
use crate::register::id_hash;
use crate::rows::{Layout, Row};
use crate::{ArrearsError, Employer, ReadSummary, Register, Reject};

static REGISTER: Layout = Layout {
    columns: &[
        "employer_id",
        "name",
        "hsic_section",
        "district",
        "headcount",
    ],
    personal: &[],
    words: &[0, 1, 2, 3],
};

/// Reads the employer register; rejected rows go to `on_reject`. Parsed on every core as
/// [`crate::read_remittances`] is.
pub fn read_register<R: Read>(
    reader: R,
    file: &str,
    mut on_reject: impl FnMut(Reject),
) -> Result<(Register, ReadSummary), ArrearsError> {
    let mut register = Register::default();
    let mut summary = ReadSummary::default();
    let parsers = Parsers {
        // The register's cells are text, read as well by the general path.
        plain: |_: &mut PlainLine<'_>, (): &mut ()| Err(GiveUp),
        row: |row: &Row<'_>, (): &mut ()| {
            employer(row).map(|employer| {
                let hash = id_hash(&employer.id);
                (employer, hash)
            })
        },
    };
    read_in_parallel(reader, file, &REGISTER, &parsers, |parsed, record| {
        summary.rows_read += 1;
        let parsed = parsed.and_then(|(employer, hash)| {
            register
                .insert_hashed(employer, hash)
                .map(|_| ())
                .map_err(|_| {
                    record.reject(
                        None,
                        "this employer_id is listed on an earlier line too".to_owned(),
                    )
                })
        });
        match parsed {
            Ok(()) => summary.records += 1,
            Err(reject) => {
                summary.rejected += 1;
                on_reject(reject);
            }
        }
    })?;
    Ok((register, summary))
}

fn employer(row: &Row<'_>) -> Result<Employer, Reject> {
    let cells = &mut &*row;
    let id = required(cells, 0)?;
    let name = required(cells, 1)?;
    let section = HsicSection::parse(row.cell(2))
        .map_err(|_| row.reject(2, "not an HSIC section (a letter from A to U)"))?;
    let district = required(cells, 3)?;
    let headcount = count(row, 4)?;
    Ok(Employer {
        id: id.to_owned(),
        name: name.to_owned(),
        section,
        district: district.to_owned(),
        headcount,
    })
}
