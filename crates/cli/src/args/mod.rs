//! Command-line flags, one module per group of commands (as in `commands`).

pub(crate) mod arrears;
pub(crate) mod cases;
pub(crate) mod ingest;
pub(crate) mod series;
pub(crate) mod serve;
pub(crate) mod warnings;

use std::path::PathBuf;

use clap::{Args as ClapArgs, Parser, Subcommand};

use self::arrears::{ArrearsArgs, GenCommand};
use self::cases::{CasesCommand, UsersCommand};
use self::ingest::IngestArgs;
use self::series::{ExportArgs, SeriesCommand};
use self::warnings::{AlertsArgs, BacktestArgs, ComputeArgs, WatchlistArgs};

const EXIT_CODES: &str = "\
Exit codes: 0 success; 1 failure (store unreachable, IO error, bug); 2 usage error;
3 input rejected (bad rows, unknown format): nothing was imported.

Environment: LMO_DATABASE_URL (sqlite://PATH or postgres://…), LMO_DATA_DIR,
LMO_PSEUDONYM_KEY, LMO_CONFIG (a TOML file that may set database_url, data_dir,
pseudonym_key; the environment wins over it, flags win over both).";

/// Labour Market Observatory 勞動市場觀測站: labour statistics with every vintage, indicators and early warnings.
#[derive(Debug, Parser)]
#[command(name = "lmo", version, after_help = EXIT_CODES, max_term_width = 100)]
pub(crate) struct Args {
    /// Database: `sqlite://PATH` (default: lmo.sqlite in the data directory) or `postgres://…`
    #[arg(long, global = true, env = "LMO_DATABASE_URL", hide_env_values = true)]
    pub(crate) database_url: Option<String>,

    /// Directory for the default database, rejects files and demo output.
    #[arg(long, global = true, env = "LMO_DATA_DIR")]
    pub(crate) data_dir: Option<PathBuf>,

    /// TOML configuration file.
    #[arg(long, global = true, env = "LMO_CONFIG")]
    pub(crate) config: Option<PathBuf>,

    /// No progress bars.
    #[arg(long, short, global = true)]
    pub(crate) quiet: bool,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Import statistics files (C&SD tables, C&SD API CSV, FRED, long CSV, series metadata, mapped CSV; or XLSX sheets of these shapes).
    Ingest(IngestArgs),
    /// List and show series.
    #[command(subcommand)]
    Series(SeriesCommand),
    /// Write observations as long CSV (re-importable) or JSON.
    Export(ExportArgs),
    /// Show past imports.
    Imports(OutputArgs),
    /// Compute the derived indicators (employment climate index, Sahm-type gaps) and store them as series.
    Compute(ComputeArgs),
    /// Warning alerts on a date, from a rule set (就業市場預警).
    Alerts(AlertsArgs),
    /// Industries ranked by the risk of their open alerts (重點監測行業預警名單).
    Watchlist(WatchlistArgs),
    /// Replay warning rules through history with only the data known at each month end.
    Backtest(BacktestArgs),
    /// Employers paying wages late or owing MPF contributions in one month, ranked (重大勞資糾紛預警).
    ///
    /// Each input is a CSV file with a header row, or a workbook (.xlsx, .xlsm, .xlsb, .xls,
    /// .ods) with the same table on one sheet, starting in cell A1.
    Arrears(ArrearsArgs),
    /// Write synthetic, clearly labelled test files with injected defaults and their ground truth.
    #[command(subcommand)]
    Gen(GenCommand),
    /// Build a fresh SQLite store from the bundled real Hong Kong data and print what it holds.
    Demo(DemoArgs),
    /// Users and their roles (only case officers and admins have case access).
    #[command(subcommand)]
    Users(UsersCommand),
    /// Arrears cases: open from a saved run, assign, intervene, resolve or refer, with timers and an audit log.
    #[command(subcommand)]
    Cases(CasesCommand),
    /// Write the labour-market situation report (就業形勢分析報告) as HTML, PDF and XLSX.
    Report(crate::commands::report::ReportArgs),
    /// Serve the JSON API (/v1, OpenAPI at /v1/docs), /healthz and /metrics over HTTP.
    Serve(serve::ServeArgs),
    /// API tokens: create (printed once, stored as a hash), list, revoke.
    #[command(subcommand)]
    Tokens(serve::TokensCommand),
}

#[derive(Debug, ClapArgs)]
pub(crate) struct DemoArgs {
    #[command(flatten)]
    pub(crate) output: OutputArgs,
    /// Then serve the demo store over HTTP (lmo serve), printing its URL and a token.
    #[arg(long)]
    pub(crate) serve: bool,
    #[command(flatten)]
    pub(crate) server: serve::ServeArgs,
}

#[derive(Debug, ClapArgs, Clone, Copy, Default)]
pub(crate) struct OutputArgs {
    /// Print JSON for programs instead of a table.
    #[arg(long, conflicts_with = "csv")]
    pub(crate) json: bool,
    /// Print CSV for programs instead of a table.
    #[arg(long)]
    pub(crate) csv: bool,
}

fn parse_date(text: &str) -> Result<domain::Date, String> {
    domain::parse_date(text).map_err(|error| error.to_string())
}

fn parse_period(text: &str) -> Result<domain::Period, String> {
    domain::Period::parse(text).map_err(|error| error.to_string())
}

fn parse_level(text: &str) -> Result<engine::Level, String> {
    engine::Level::parse(text).map_err(|error| error.to_string())
}
