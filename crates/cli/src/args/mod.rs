//! Command-line flags, one module per group of commands (as in `commands`).

pub(crate) mod arrears;
pub(crate) mod cases;
pub(crate) mod ingest;
pub(crate) mod series;
pub(crate) mod serve;
pub(crate) mod talent;
pub(crate) mod warnings;

use std::path::PathBuf;

use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};
use serde::Deserialize;

use self::arrears::{ArrearsArgs, GenCommand};
use self::cases::{CasesCommand, UsersCommand};
use self::ingest::IngestArgs;
use self::series::{ExportArgs, SeriesCommand};
use self::talent::{AiExposureArgs, TalentCommand};
use self::warnings::{AlertsArgs, BacktestArgs, ComputeArgs, WatchlistArgs};

const EXIT_CODES: &str = "\
Exit codes: 0 success; 1 failure (store unreachable, IO error, bug); 2 usage error;
3 input rejected (bad rows, unknown format): nothing was imported.

Environment: LMO_DATABASE_URL (sqlite://PATH or postgres://…), LMO_DATA_DIR,
LMO_PSEUDONYM_KEY, LMO_LANG, LMO_CONFIG (a TOML file that may set database_url, data_dir,
pseudonym_key, lang; the environment wins over it, flags win over both).";

/// The heading of the options every command takes, shown apart from the command's own.
const GLOBAL: &str = "Global options";

/// Labour Market Observatory 勞動市場觀測站: labour statistics with every vintage, indicators and early warnings.
#[derive(Debug, Parser)]
#[command(name = "lmo", version, after_help = EXIT_CODES, max_term_width = 100)]
pub(crate) struct Args {
    /// Database: `sqlite://PATH` (default: lmo.sqlite in the data directory) or `postgres://…`
    #[arg(
        long,
        global = true,
        env = "LMO_DATABASE_URL",
        hide_env_values = true,
        help_heading = GLOBAL
    )]
    pub(crate) database_url: Option<String>,

    /// Directory for the default database, rejects files and demo output.
    #[arg(long, global = true, env = "LMO_DATA_DIR", help_heading = GLOBAL)]
    pub(crate) data_dir: Option<PathBuf>,

    /// TOML configuration file.
    #[arg(long, global = true, env = "LMO_CONFIG", help_heading = GLOBAL)]
    pub(crate) config: Option<PathBuf>,

    /// No progress bars.
    #[arg(long, short, global = true, help_heading = GLOBAL)]
    pub(crate) quiet: bool,

    /// Language of titles, names and reasons people read: zh-Hant (Traditional Chinese, English
    /// where there is none), en, or both (Chinese first). Default: tables English first with
    /// the Chinese after it, the report both.
    #[arg(long, global = true, value_enum, env = "LMO_LANG", help_heading = GLOBAL)]
    pub(crate) lang: Option<Lang>,

    #[command(subcommand)]
    pub(crate) command: Command,
}

/// A language of what people read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Lang {
    /// Traditional Chinese first, then English.
    Both,
    /// Traditional Chinese, as C&SD writes it.
    #[value(name = "zh-Hant")]
    #[serde(rename = "zh-Hant")]
    ZhHant,
    En,
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
    /// A briefing on the bundled real Hong Kong data: a fresh SQLite store, indicators, alerts and the report (with --serve, then the dashboard).
    Demo(DemoArgs),
    /// Users and their roles (only case officers and admins have case access).
    #[command(subcommand)]
    Users(UsersCommand),
    /// Arrears cases: open from a saved run, assign, intervene, resolve or refer, with timers and an audit log.
    #[command(subcommand)]
    Cases(CasesCommand),
    /// Write the labour-market situation report (就業形勢分析報告) as HTML, PDF and XLSX.
    Report(crate::commands::report::ReportArgs),
    /// Talent demand: industry demand map, shortage ratings, gap forecast by level, talent-needs catalogue, Talent List (人才需求).
    #[command(subcommand)]
    Talent(TalentCommand),
    /// Exposure of occupations to generative AI (ILO 2025 index, GPTs-are-GPTs), by ISCO-08 level, with the weights it used.
    AiExposure(AiExposureArgs),
    /// Serve the bilingual dashboard and the JSON API (/v1, OpenAPI at /v1/docs), /healthz and /metrics over HTTP.
    Serve(serve::ServeArgs),
    /// API tokens: create (printed once, stored as a hash), list, revoke.
    #[command(subcommand)]
    Tokens(serve::TokensCommand),
}

#[derive(Debug, ClapArgs)]
pub(crate) struct DemoArgs {
    #[command(flatten)]
    pub(crate) output: OutputArgs,
    /// Then serve the dashboard and API on the demo store (lmo serve), printing its URL, a login and a token.
    #[arg(long)]
    pub(crate) serve: bool,
    #[command(flatten)]
    pub(crate) server: serve::ServeArgs,
}

#[derive(Debug, ClapArgs, Clone, Default)]
#[command(next_help_heading = "Output")]
pub(crate) struct OutputArgs {
    /// Print JSON for programs instead of a table (money as decimal strings, `*_hkd`).
    #[arg(long, conflicts_with = "csv")]
    pub(crate) json: bool,
    /// Print CSV instead of a table: the JSON's fields as columns, numbers plain, dates ISO.
    #[arg(long)]
    pub(crate) csv: bool,
    /// With --csv: CSV for Excel (UTF-8 with a byte-order mark, CRLF line ends), so that
    /// Chinese shows right in Excel on Windows.
    #[arg(long, requires = "csv")]
    pub(crate) excel: bool,
    /// Also write the rows to this XLSX workbook: number and date cells, one column per
    /// JSON field.
    #[arg(long, value_name = "FILE")]
    pub(crate) xlsx: Option<PathBuf>,
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

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Args;

    /// Every argument and option of every command has a sentence in `--help`.
    #[test]
    fn every_argument_is_explained() {
        fn walk(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if arg.is_hide_set() || matches!(id, "help" | "version") {
                    continue;
                }
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in command.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Args::command(), "lmo", &mut missing);
        assert!(missing.is_empty(), "arguments without help: {missing:?}");
    }

    #[test]
    fn ingest_help_lists_the_formats() {
        let mut command = Args::command();
        command.build();
        let help = command
            .find_subcommand_mut("ingest")
            .unwrap()
            .render_help()
            .to_string();
        for format in engine::Format::ALL {
            assert!(help.contains(format.as_str()), "{help}");
        }
        assert!(help.contains("Global options:"), "{help}");
    }
}
