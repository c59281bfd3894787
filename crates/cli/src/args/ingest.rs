//! `lmo ingest`.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use clap::builder::{PossibleValuesParser, TypedValueParser};

use super::{OutputArgs, parse_date};

#[derive(Debug, ClapArgs)]
pub(crate) struct IngestArgs {
    /// Files to import, in order (put series metadata files before the data that uses them).
    #[arg(
        required_unless_present = "suggest_map",
        conflicts_with = "suggest_map"
    )]
    pub(crate) files: Vec<PathBuf>,

    /// Print a mapping file (TOML) for the table in FILE (CSV, a workbook's first sheet, JSON)
    /// and import nothing: header rows under a title, periods down a column or across the
    /// columns, row labels. Check it, edit ids, titles, unit and tags, then import with --map.
    #[arg(long, value_name = "FILE")]
    pub(crate) suggest_map: Option<PathBuf>,

    /// The format, when detection from the content is not wanted (docs/formats.md describes
    /// each).
    #[arg(long, value_parser = format_parser())]
    pub(crate) format: Option<engine::Format>,

    /// A mapping file (TOML) for a table of another shape; by default FILE.map.toml beside FILE is used if present.
    #[arg(long)]
    pub(crate) map: Option<PathBuf>,

    /// Release date of the files (YYYY-MM-DD): the vintage of values that changed.
    #[arg(long, value_parser = parse_date)]
    pub(crate) vintage: Option<domain::Date>,

    /// Import the good rows even when some rows are bad (they still go to the rejects file).
    #[arg(long)]
    pub(crate) allow_partial: bool,

    /// Accept values that change a figure already stored under the same release date (a
    /// corrected table); the replaced figures are kept and `lmo series vintages` shows them.
    /// Without it such a change is refused, naming the series, period and both values.
    #[arg(long)]
    pub(crate) correct: bool,

    /// Where to write bad rows (default: FILE.rejects.csv in the data directory's rejects/).
    #[arg(long)]
    pub(crate) rejects: Option<PathBuf>,

    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

/// The format names as possible values, so that `--help` lists them and a wrong one is
/// refused with the list.
fn format_parser() -> impl TypedValueParser<Value = engine::Format> {
    PossibleValuesParser::new(engine::Format::ALL.map(engine::Format::as_str))
        .map(|name: String| engine::Format::parse(&name).expect("one of the possible values"))
}
