//! `lmo report`: the labour-market situation report (就業形勢分析報告) as HTML, PDF and XLSX.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args as ClapArgs, ValueEnum};
use engine::Engine;
use reports::{ArrearsLabel, Format, Languages, Options};

use crate::args::Lang;

/// Flags of `lmo report`.
#[derive(Debug, ClapArgs)]
pub(crate) struct ReportArgs {
    /// Write the report from the data known on this date (default: today in Hong Kong).
    #[arg(long, value_parser = parse_date)]
    pub(crate) as_of: Option<domain::Date>,
    /// Compare with the report as of this date (default: one month before --as-of).
    #[arg(long, value_parser = parse_date)]
    pub(crate) since: Option<domain::Date>,
    /// Formats to write, comma-separated.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "html,pdf,xlsx"
    )]
    pub(crate) format: Vec<FormatArg>,
    /// Directory to write into (created if missing).
    #[arg(long, default_value = ".")]
    pub(crate) out: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    Html,
    Pdf,
    Xlsx,
}

fn parse_date(text: &str) -> Result<domain::Date, String> {
    domain::parse_date(text).map_err(|error| error.to_string())
}

/// What to write and where, in the terms of the `reports` crate.
pub(crate) struct ReportRequest {
    pub(crate) as_of: domain::Date,
    pub(crate) since: Option<domain::Date>,
    pub(crate) languages: Languages,
    pub(crate) formats: Vec<Format>,
    pub(crate) out: PathBuf,
    pub(crate) arrears: ArrearsLabel,
}

/// Writes the report; returns the files written and the PDF's problem, if any.
pub(crate) fn write(
    engine: &mut Engine,
    request: &ReportRequest,
) -> anyhow::Result<reports::Written> {
    let data = engine
        .report(request.as_of, request.since)
        .context("gathering the report's figures")?;
    let report = reports::build(
        &data,
        &Options {
            languages: request.languages,
            lmo_version: env!("CARGO_PKG_VERSION").to_owned(),
            arrears: request.arrears,
        },
    );
    Ok(reports::write(&report, &request.formats, &request.out)?)
}

/// Writes the report in `lang` (`--lang`; both languages when unset).
pub(crate) fn run(
    engine: &mut Engine,
    args: &ReportArgs,
    lang: Option<Lang>,
) -> anyhow::Result<ExitCode> {
    let mut formats = Vec::new();
    for format in &args.format {
        let format = match format {
            FormatArg::Html => Format::Html,
            FormatArg::Pdf => Format::Pdf,
            FormatArg::Xlsx => Format::Xlsx,
        };
        if !formats.contains(&format) {
            formats.push(format);
        }
    }
    let request = ReportRequest {
        as_of: args.as_of.unwrap_or_else(|| crate::clock::now().today),
        since: args.since,
        languages: match lang {
            None | Some(Lang::Both) => Languages::Both,
            Some(Lang::ZhHant) => Languages::ZhHant,
            Some(Lang::En) => Languages::En,
        },
        formats,
        out: args.out.clone(),
        arrears: ArrearsLabel::default(),
    };
    let written = write(engine, &request)?;
    let mut out = std::io::stdout().lock();
    for (_, path) in &written.files {
        writeln!(out, "{}", path.display())?;
    }
    out.flush()?;
    match written.pdf_error {
        Some(error) => {
            Err(anyhow::Error::new(error)
                .context("the PDF was not written (the other formats were)"))
        }
        None => Ok(ExitCode::SUCCESS),
    }
}
