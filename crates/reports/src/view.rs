//! The report as it is laid out, in one language: sections with their sentences, charts and
//! tables. HTML and XLSX are both written from this, so they always agree.

use crate::text::Lang;

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A number, shown with `decimals` decimals and written to XLSX as a number.
    Number {
        value: f64,
        decimals: usize,
    },
    Empty,
}

impl Cell {
    pub(crate) fn text(text: impl Into<String>) -> Cell {
        Cell::Text(text.into())
    }

    pub(crate) fn number(value: f64, decimals: usize) -> Cell {
        if value.is_finite() {
            Cell::Number { value, decimals }
        } else {
            Cell::Empty
        }
    }

    pub(crate) fn optional(value: Option<f64>, decimals: usize) -> Cell {
        value.map_or(Cell::Empty, |value| Cell::number(value, decimals))
    }
}

/// A table of the report; the XLSX appendix gives each its own sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The sheet name: ASCII, unique in the report, at most 31 characters.
    pub sheet: &'static str,
    pub title: String,
    /// Column headers, units included (`Rate (%)`).
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Where the figures come from: tables, vintages, methods.
    pub source: String,
    /// The HTML shows only the last rows of long tables; the XLSX has them all.
    pub show_last: Option<usize>,
}

/// A chart with its caption and a note on what it shows (shading, bands).
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub svg: String,
    pub caption: String,
    pub note: String,
}

/// One numbered section.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The anchor (`headlines`): the same in every language.
    pub id: &'static str,
    pub title: String,
    pub paragraphs: Vec<String>,
    pub figures: Vec<Figure>,
    pub tables: Vec<Table>,
}

impl Section {
    /// A section whose inputs the store lacks: one sentence saying what is missing.
    pub(crate) fn unavailable(id: &'static str, title: String, why: String) -> Section {
        Section {
            id,
            title,
            paragraphs: vec![why],
            figures: Vec::new(),
            tables: Vec::new(),
        }
    }
}

/// The report in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub lang: Lang,
    pub title: String,
    /// "As of 31 Aug 2026; compared with the report as of 31 Jul 2026".
    pub dateline: String,
    pub sections: Vec<Section>,
}
