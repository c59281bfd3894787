//! `lmo series …`, `lmo export`.

use std::path::PathBuf;

use clap::{Args as ClapArgs, Subcommand, ValueEnum};

use super::{OutputArgs, parse_date};

#[derive(Debug, Subcommand)]
pub(crate) enum SeriesCommand {
    /// List series with their number of periods and time span.
    List(SeriesListArgs),
    /// Show a series' metadata and values, as known on --as-of.
    Show(SeriesShowArgs),
    /// Show every vintage of one period of a series.
    Vintages(VintagesArgs),
}

#[derive(Debug, ClapArgs)]
pub(crate) struct SeriesListArgs {
    /// Only ids starting with this prefix, e.g. csd.215-16001.
    #[arg(long)]
    pub(crate) prefix: Option<String>,
    /// Only series with this tag, e.g. industry-section.
    #[arg(long)]
    pub(crate) tag: Option<String>,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct SeriesShowArgs {
    /// The series id, as `lmo series list` prints it.
    pub(crate) id: String,
    /// Values as known on this date (YYYY-MM-DD); default: the latest.
    #[arg(long, value_parser = parse_date)]
    pub(crate) as_of: Option<domain::Date>,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct VintagesArgs {
    /// The series id, as `lmo series list` prints it.
    pub(crate) id: String,
    /// The period: 2025, 2025-Q3, 2025-09 or 2025-09/3M.
    pub(crate) period: String,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct ExportArgs {
    /// Only ids starting with this prefix.
    #[arg(long)]
    pub(crate) prefix: Option<String>,
    /// Only series with this tag.
    #[arg(long)]
    pub(crate) tag: Option<String>,
    /// Values as known on this date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub(crate) as_of: Option<domain::Date>,
    /// What to write: the observations as long CSV (re-importable with `lmo ingest`) or JSON,
    /// or the series metadata as a series-meta file.
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub(crate) format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ExportFormat {
    /// Long CSV: `series_id,period,value,vintage,status` (lmo ingest reads it back).
    Csv,
    /// JSON: series with metadata and observations.
    Json,
    /// Series metadata CSV (lmo ingest reads it back; import it before the long CSV).
    SeriesMeta,
}
