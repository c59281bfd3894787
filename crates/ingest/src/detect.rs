//! Which format an input is in, told from its first rows.

use std::fmt;

use crate::IngestError;
use crate::rows::Rows;

/// The file formats lmo reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A C&SD statistical table exported as CSV from the C&SD website: title line, header
    /// block, data rows, footnotes with a symbol legend and a release date.
    CsdTable,
    /// A CSV from the C&SD open-data API: dimension columns, `freq`, `period`, `sv`, `figure`,
    /// `sd_value`.
    CsdApi,
    /// A FRED download: `DATE,<SERIES_ID>`, one row per period, `.` for missing.
    Fred,
    /// An ALFRED vintage download: `observation_date,<SERIES_ID>_YYYYMMDD,…`, one column per
    /// vintage.
    Alfred,
    /// lmo's generic long CSV: `series_id,period,value[,vintage][,status]`.
    Long,
    /// Series metadata for the long CSV: `series_id,title_en,frequency,…`.
    SeriesMetadata,
    /// Any other table, read through a mapping file that says which columns hold what.
    Mapped,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::CsdTable,
        Format::CsdApi,
        Format::Fred,
        Format::Alfred,
        Format::Long,
        Format::SeriesMetadata,
        Format::Mapped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::CsdTable => "csd-table",
            Format::CsdApi => "csd-api",
            Format::Fred => "fred",
            Format::Alfred => "alfred",
            Format::Long => "long",
            Format::SeriesMetadata => "series-meta",
            Format::Mapped => "mapped",
        }
    }

    pub fn parse(text: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|format| format.as_str() == text)
    }

    /// The list of formats, for messages.
    pub fn names() -> String {
        Format::ALL.map(Format::as_str).join(", ")
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The container a format is carried in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Csv,
    /// A spreadsheet workbook; every non-empty sheet is read as its own table.
    Xlsx,
    /// A JSON array of flat records (objects), or an object holding one such array: the
    /// keys are the columns.
    Json,
}

impl Container {
    /// Workbooks and JSON are told by extension; everything else is read as CSV.
    pub fn from_file_name(name: &str) -> Container {
        let lower = name.to_ascii_lowercase();
        let is_workbook = [".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"]
            .iter()
            .any(|extension| lower.ends_with(extension));
        if is_workbook {
            Container::Xlsx
        } else if std::path::Path::new(&lower)
            .extension()
            .is_some_and(|extension| extension == "json")
        {
            Container::Json
        } else {
            Container::Csv
        }
    }

    /// What an import of a whole container is recorded as when its tables are told apart
    /// only while reading (`None` for CSV, whose format is known before).
    pub fn label(self) -> Option<&'static str> {
        match self {
            Container::Csv => None,
            Container::Xlsx => Some("workbook"),
            Container::Json => Some("json"),
        }
    }
}

/// Looks at the first rows of `rows` (without consuming them) and names their format.
pub(crate) fn detect_format(rows: &mut Rows<'_>, has_mapping: bool) -> Result<Format, IngestError> {
    if has_mapping {
        return Ok(Format::Mapped);
    }
    let file = rows.file_name().to_owned();
    let first_rows = rows.peek(1)?;
    let Some(header) = first_rows.first() else {
        return Err(rows.no_rows());
    };
    let first_cell = header.get(0).unwrap_or_default().trim();
    if first_cell.starts_with("Table ") && first_cell.contains(':') {
        return Ok(Format::CsdTable);
    }
    let names: Vec<String> = header
        .iter()
        .map(|name| name.trim().to_ascii_lowercase())
        .collect();
    let has = |wanted: &str| names.iter().any(|name| name == wanted);
    if has("series_id") && has("period") && has("value") {
        return Ok(Format::Long);
    }
    if has("series_id") && has("title_en") {
        return Ok(Format::SeriesMetadata);
    }
    if has("freq") && has("period") && has("figure") {
        return Ok(Format::CsdApi);
    }
    let original: Vec<String> = header.iter().map(str::to_owned).collect();
    if crate::alfred::is_alfred_header(&original) {
        return Ok(Format::Alfred);
    }
    let is_fred_header = names.len() == 2
        && matches!(names[0].as_str(), "date" | "observation_date")
        && !names[1].is_empty();
    if is_fred_header {
        return Ok(Format::Fred);
    }
    Err(IngestError::UnknownFormat {
        file,
        formats: Format::names(),
    })
}
