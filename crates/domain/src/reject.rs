//! Where a row sits in an input file, and a row rejected with the reason: one pair of types
//! for every reader (statistics, arrears inputs), so rejects read the same whoever reports
//! them.

use std::fmt;
use std::sync::Arc;

/// Where something is in an input: file, sheet (workbooks), line (1-based) and column
/// (1-based, with its header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: Arc<str>,
    pub sheet: Option<Arc<str>>,
    pub line: u64,
    pub column: Option<usize>,
    /// The header of the column, when the format has one.
    pub column_name: Option<Arc<str>>,
}

impl Location {
    /// The same place, at column `column_index` (0-based) named `column_name`.
    #[must_use]
    pub fn at_column(&self, column_index: usize, column_name: Option<&str>) -> Location {
        Location {
            column: Some(column_index + 1),
            column_name: column_name.map(Arc::from),
            ..self.clone()
        }
    }
}

impl fmt::Display for Location {
    /// `file[sheet]:line:column (column 'name')`, each part only where it is known.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, "[{sheet}]")?;
        }
        write!(f, ":{}", self.line)?;
        if let Some(column) = self.column {
            write!(f, ":{column}")?;
            if let Some(name) = &self.column_name {
                write!(f, " (column '{}')", name.trim())?;
            }
        }
        Ok(())
    }
}

/// A row, or one cell of it, that cannot be used, with where and why.
///
/// A reader of personal data keeps it out of both `reason` and `raw` (the arrears readers
/// redact such cells in `raw` and never quote them in `reason`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    pub location: Location,
    pub reason: String,
    /// The row as CSV, for the rejects file; empty when it could not be read at all.
    pub raw: String,
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.reason)
    }
}

#[cfg(test)]
mod tests {
    use super::{Location, Reject};

    #[test]
    fn a_reject_reads_file_sheet_line_column_and_reason() {
        let location = Location {
            file: "pay.xlsx".into(),
            sheet: None,
            line: 12,
            column: None,
            column_name: None,
        };
        assert_eq!(location.to_string(), "pay.xlsx:12");
        let cell = Location {
            sheet: Some("June".into()),
            ..location.at_column(3, Some(" wages_due "))
        };
        assert_eq!(cell.to_string(), "pay.xlsx[June]:12:4 (column 'wages_due')");
        let reject = Reject {
            location: Location {
                column_name: Some("paid_on".into()),
                ..location.at_column(7, None)
            },
            reason: "'2025-13-01' is not a date".to_owned(),
            raw: String::new(),
        };
        assert_eq!(
            reject.to_string(),
            "pay.xlsx:12:8 (column 'paid_on'): '2025-13-01' is not a date"
        );
    }
}
