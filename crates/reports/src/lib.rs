//! The labour-market situation report (就業形勢分析報告) from the engine's figures
//! ([`engine::report::ReportData`]): sentences generated from the numbers in Traditional
//! Chinese and English, charts (the `charts` crate), tables with their sources, written as
//! HTML, an XLSX appendix and a PDF.
//!
//! No SQL and no clock: everything comes in with the figures, so the same figures give the
//! same HTML and XLSX bytes. The PDF is printed by headless Chromium ([`pdf`]).

mod build;
mod html;
pub mod pdf;
mod talent;
pub mod text;
mod view;
mod xlsx;

use std::path::{Path, PathBuf};

use domain::Date;
use engine::report::ReportData;

pub use build::{ArrearsLabel, part, series_name};
pub use talent::catalogue_html;
pub use text::Lang;
pub use view::{Cell, Figure, Part, Section, Table};

/// Why writing the report failed.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write the XLSX appendix")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// No PDF renderer on this machine; the message says how to install one.
    #[error("{0}")]
    RendererMissing(String),
    #[error("the PDF renderer failed: {0}")]
    Renderer(String),
}

/// Which languages the report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Languages {
    /// Traditional Chinese first, then English.
    #[default]
    Both,
    ZhHant,
    En,
}

impl Languages {
    fn parts(self) -> &'static [Lang] {
        match self {
            Languages::Both => &[Lang::ZhHant, Lang::En],
            Languages::ZhHant => &[Lang::ZhHant],
            Languages::En => &[Lang::En],
        }
    }

    /// The language of the XLSX labels.
    fn appendix(self) -> Lang {
        match self {
            Languages::Both => Lang::Both,
            Languages::ZhHant => Lang::ZhHant,
            Languages::En => Lang::En,
        }
    }

    /// The file name's language suffix.
    fn suffix(self) -> &'static str {
        match self {
            Languages::Both => "",
            Languages::ZhHant => ".zh-Hant",
            Languages::En => ".en",
        }
    }
}

/// A file format of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Pdf,
    Xlsx,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Xlsx => "xlsx",
        }
    }
}

/// How to write the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub languages: Languages,
    /// The lmo version the report states.
    pub lmo_version: String,
    pub arrears: ArrearsLabel,
}

/// The situation report's title.
const REPORT_TITLE: (&str, &str) = ("就業形勢分析報告", "Labour Market Situation Report");

/// The report laid out: one part per language, and the tables of the XLSX appendix.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The document's title in Chinese and English (the situation report, or the catalogue).
    pub title_zh: &'static str,
    pub title_en: &'static str,
    pub as_of: Date,
    /// The date of the report it is compared with; none for a document without one.
    pub since: Option<Date>,
    pub lmo_version: String,
    pub languages: Languages,
    pub parts: Vec<Part>,
    /// Every table of the report, labelled for the appendix.
    pub appendix: Vec<Table>,
}

/// Lays the report out.
pub fn build(data: &ReportData, options: &Options) -> Report {
    let parts: Vec<Part> = options
        .languages
        .parts()
        .iter()
        .map(|&lang| part(data, lang, options.arrears))
        .collect();
    let appendix = part(data, options.languages.appendix(), options.arrears)
        .sections
        .into_iter()
        .flat_map(|section| section.tables)
        .collect();
    Report {
        title_zh: REPORT_TITLE.0,
        title_en: REPORT_TITLE.1,
        as_of: data.as_of,
        since: Some(data.since),
        lmo_version: options.lmo_version.clone(),
        languages: options.languages,
        parts,
        appendix,
    }
}

/// The report as one HTML page.
pub fn html(report: &Report) -> String {
    html::render(report, None)
}

/// The XLSX appendix.
pub fn xlsx(report: &Report) -> Result<Vec<u8>, ReportError> {
    Ok(xlsx::workbook(report)?)
}

/// What [`write`] wrote, and the PDF's problem if it could not be printed (the other
/// formats are written regardless).
#[derive(Debug)]
pub struct Written {
    pub files: Vec<(Format, PathBuf)>,
    pub pdf_error: Option<ReportError>,
}

/// The file name of the report without extension: `labour-market-report-2026-08-31`.
pub fn file_stem(report: &Report) -> String {
    format!(
        "labour-market-report-{}{}",
        report.as_of,
        report.languages.suffix()
    )
}

/// Writes the report in `formats` into `out_dir` (created if missing).
pub fn write(report: &Report, formats: &[Format], out_dir: &Path) -> Result<Written, ReportError> {
    std::fs::create_dir_all(out_dir).map_err(|source| ReportError::Io {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let stem = file_stem(report);
    let mut written = Written {
        files: Vec::new(),
        pdf_error: None,
    };
    for &format in formats {
        let path = out_dir.join(format!("{stem}.{}", format.extension()));
        let result = match format {
            Format::Html => std::fs::write(&path, html(report)).map_err(|source| ReportError::Io {
                path: path.clone(),
                source,
            }),
            Format::Xlsx => {
                std::fs::write(&path, xlsx(report)?).map_err(|source| ReportError::Io {
                    path: path.clone(),
                    source,
                })
            }
            Format::Pdf => match pdf::write(report, &path) {
                Ok(()) => Ok(()),
                Err(error) => {
                    written.pdf_error = Some(error);
                    continue;
                }
            },
        };
        result?;
        written.files.push((format, path));
    }
    Ok(written)
}
