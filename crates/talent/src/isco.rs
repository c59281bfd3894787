//! The ILO's ISCO-08 structure file: the source of `domain`'s table of codes and titles.
//!
//! `domain` keeps the structure compiled in (it does no IO); this reader is how that table is
//! made and checked against the ILO's file (`data/isco/ilo_isco08_structure_and_definitions_en.xlsx`).

use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;

use domain::IscoLevel;

use crate::TalentError;
use crate::table::Table;

/// One row of the ILO's structure file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IscoStructureEntry {
    /// The code as the file writes it (`0110`, `25`).
    pub code: String,
    pub level: IscoLevel,
    /// The title with runs of spaces collapsed (the file has two doubled spaces).
    pub title_en: String,
}

const LEVEL: &str = "Level";
const CODE: &str = "ISCO 08 Code";
const TITLE: &str = "Title EN";

/// Reads the ILO's `ISCO-08 EN Structure and definitions.xlsx`.
pub fn read_isco_structure(path: &Path) -> Result<Vec<IscoStructureEntry>, TalentError> {
    structure_from_table(&Table::open(path, &[LEVEL, CODE, TITLE])?)
}

/// Reads the structure workbook from any reader; `file` names it in errors.
pub fn read_isco_structure_from(
    file: &str,
    reader: impl Read,
) -> Result<Vec<IscoStructureEntry>, TalentError> {
    structure_from_table(&Table::workbook(file, reader, &[LEVEL, CODE, TITLE])?)
}

fn structure_from_table(table: &Table) -> Result<Vec<IscoStructureEntry>, TalentError> {
    let (level, code, title) = (
        table.column(LEVEL)?,
        table.column(CODE)?,
        table.column(TITLE)?,
    );
    let mut entries = Vec::new();
    for row in table.rows() {
        let digits = row.text(code);
        if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(row.error(code, format!("'{digits}' is not an ISCO-08 code")));
        }
        let stated = row.parse(level, str::parse::<usize>)?;
        let level_of_code = IscoLevel::from_digits(digits.len())
            .filter(|found| found.digits() == stated)
            .ok_or_else(|| {
                row.error(
                    level,
                    format!(
                        "level {stated} does not fit the {}-digit code {digits}",
                        digits.len()
                    ),
                )
            })?;
        let title_en = row
            .text(title)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if title_en.is_empty() {
            return Err(row.error(title, "no title"));
        }
        entries.push(IscoStructureEntry {
            code: digits.to_owned(),
            level: level_of_code,
            title_en,
        });
    }
    Ok(entries)
}

/// Renders the structure as the Rust source of `domain`'s table (`crates/domain/src/occupation/isco08.rs`).
pub fn render_domain_table(entries: &[IscoStructureEntry]) -> String {
    let mut sorted: Vec<_> = entries.iter().collect();
    sorted.sort_by(|a, b| a.code.cmp(&b.code));
    let mut source = String::from(
        "//! The ISCO-08 structure: every group's code and English title, in code order (which is the\n\
         //! hierarchy read depth first).\n\
         //! Generated from `data/isco/ilo_isco08_structure_and_definitions_en.xlsx` (the ILO's file) by the\n\
         //! `talent` test `isco08_table_in_domain_is_the_ilo_structure_file`; `UPDATE_EXPECT=1` rewrites it.\n\n\
         #[rustfmt::skip]\n",
    );
    writeln!(
        source,
        "pub(super) static ISCO08: [(&str, &str); {}] = [",
        sorted.len()
    )
    .expect("writing to a String cannot fail");
    for entry in sorted {
        writeln!(source, "    ({:?}, {:?}),", entry.code, entry.title_en)
            .expect("writing to a String cannot fail");
    }
    source.push_str("];\n");
    source
}
