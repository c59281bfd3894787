//! Command-line flags.

use std::path::PathBuf;

use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};

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
    Users(crate::commands::cases::UsersCommand),
    /// Arrears cases: open from a saved run, assign, intervene, resolve or refer, with timers and an audit log.
    #[command(subcommand)]
    Cases(crate::commands::cases::CasesCommand),
    /// Write the labour-market situation report (就業形勢分析報告) as HTML, PDF and XLSX.
    Report(crate::commands::report::ReportArgs),
}

#[derive(Debug, ClapArgs)]
pub(crate) struct IngestArgs {
    /// Files to import, in order (put series metadata files before the data that uses them).
    #[arg(required = true)]
    pub(crate) files: Vec<PathBuf>,

    /// The format, when detection from the content is not wanted.
    #[arg(long, value_parser = parse_format)]
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
    pub(crate) id: String,
    /// Values as known on this date (YYYY-MM-DD); default: the latest.
    #[arg(long, value_parser = parse_date)]
    pub(crate) as_of: Option<domain::Date>,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct VintagesArgs {
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

#[derive(Debug, ClapArgs)]
pub(crate) struct ComputeArgs {
    /// Which indicators: `hk` or `us` (the shipped sets, crates/engine/config/), or a TOML
    /// file of your own; by default both shipped sets, each indicator computed where its
    /// inputs are in the store (the rest are listed as skipped).
    #[arg(long, value_name = "SET|FILE")]
    pub(crate) indicators: Option<String>,
    /// Compute from the data known on this date (default: today in Hong Kong).
    #[arg(long, value_parser = parse_date)]
    pub(crate) as_of: Option<domain::Date>,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, ClapArgs)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct AlertsArgs {
    #[command(subcommand)]
    pub(crate) action: Option<AlertAction>,
    /// A shipped rule set (hk-default, us-industry-unemployment) or a rules file (TOML).
    #[arg(long, default_value = "hk-default")]
    pub(crate) rules: String,
    /// Evaluate with the data known on this date (default: today in Hong Kong).
    #[arg(long, value_parser = parse_date)]
    pub(crate) as_of: Option<domain::Date>,
    /// Only alerts at this level or worse: blue, yellow, orange, red.
    #[arg(long, value_parser = parse_alert_level)]
    pub(crate) level: Option<engine::AlertLevel>,
    /// Also closed episodes (the full history known on --as-of).
    #[arg(long)]
    pub(crate) all: bool,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum AlertAction {
    /// Record that you have seen an open alert; it asks again if it escalates.
    Ack(AckArgs),
    /// Silence a rule on a subject up to a period; muted alerts are still listed, marked.
    Mute(MuteArgs),
}

#[derive(Debug, ClapArgs)]
pub(crate) struct AckArgs {
    /// The alert id as `lmo alerts` prints it: rule/subject/opened.
    pub(crate) id: String,
    /// Why (kept in the audit trail).
    #[arg(long)]
    pub(crate) reason: String,
    /// Who (default: $USER).
    #[arg(long, env = "USER")]
    pub(crate) user: String,
    #[arg(long, default_value = "hk-default")]
    pub(crate) rules: String,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct MuteArgs {
    pub(crate) rule: String,
    /// A series id, or * for breadth and composite rules.
    pub(crate) subject: String,
    /// Muted up to and including this period.
    #[arg(long, value_parser = parse_period)]
    pub(crate) until: domain::Period,
    #[arg(long)]
    pub(crate) reason: String,
    /// Who (default: $USER).
    #[arg(long, env = "USER")]
    pub(crate) user: String,
    #[arg(long, default_value = "hk-default")]
    pub(crate) rules: String,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct WatchlistArgs {
    /// A shipped rule set (hk-default, us-industry-unemployment) or a rules file (TOML).
    #[arg(long, default_value = "hk-default")]
    pub(crate) rules: String,
    /// The list as it stood on this date (default: today in Hong Kong).
    #[arg(long, value_parser = parse_date, conflicts_with = "history")]
    pub(crate) as_of: Option<domain::Date>,
    /// Instead of one list, every entry and exit month by month over FROM..TO (e.g. 2008-01..2010-12).
    #[arg(long, value_parser = parse_period_range)]
    pub(crate) history: Option<(domain::Period, domain::Period)>,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct BacktestArgs {
    /// A shipped rule set (hk-default, us-industry-unemployment) or a rules file (TOML).
    #[arg(long)]
    pub(crate) rules: String,
    /// Reference episodes: a file of peak,trough dates (NBER format), or
    /// gdp-downturns:SERIES to derive them from a growth series in the store.
    #[arg(long)]
    pub(crate) episodes: String,
    /// First month to replay (default: the first period of the selected series).
    #[arg(long, value_parser = parse_period)]
    pub(crate) from: Option<domain::Period>,
    /// Last month to replay (default: the month of the latest vintage).
    #[arg(long, value_parser = parse_period)]
    pub(crate) to: Option<domain::Period>,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct ArrearsArgs {
    /// The wage and contribution month, e.g. 2025-06.
    #[arg(long, value_parser = parse_period)]
    pub(crate) period: domain::Period,
    /// Employer register: `employer_id,name,hsic_section,district,headcount`.
    #[arg(long)]
    pub(crate) register: PathBuf,
    /// MPF remittance statements (repeatable).
    #[arg(long)]
    pub(crate) mpf: Vec<PathBuf>,
    /// Payroll records (repeatable).
    #[arg(long)]
    pub(crate) payroll: Vec<PathBuf>,
    /// Worker or union reports (repeatable).
    #[arg(long)]
    pub(crate) reports: Vec<PathBuf>,
    /// Summaries of earlier months (from --summaries-out), for months in default (repeatable).
    #[arg(long)]
    pub(crate) prior: Vec<PathBuf>,
    /// Judge the data as of this date (default: today in Hong Kong); later dates are rejected.
    #[arg(long, value_parser = parse_date)]
    pub(crate) as_of: Option<domain::Date>,
    /// Days a gale or black-rainstorm warning closed offices, `date,warning` with the
    /// warning `gale` or `black-rainstorm` (repeatable): they move the MPF contribution day.
    #[arg(long)]
    pub(crate) closures: Vec<PathBuf>,
    /// Only employers at this level or worse: yellow, orange, red.
    #[arg(long, value_parser = parse_level)]
    pub(crate) level: Option<engine::Level>,
    /// Show at most this many employers (the ranking keeps the most urgent first).
    #[arg(long)]
    pub(crate) top: Option<usize>,
    /// A thresholds file (TOML) instead of the bundled defaults.
    #[arg(long)]
    pub(crate) thresholds: Option<PathBuf>,
    /// Write this month's employer summaries here, for next month's --prior.
    #[arg(long)]
    pub(crate) summaries_out: Option<PathBuf>,
    /// Save the listed employers and their employer-level results in the store (one transaction, replacing this month's earlier results, recorded in the saves' audit log), for `lmo cases open`; needs --user.
    #[arg(long, requires = "user")]
    pub(crate) save: bool,
    /// With --save: the acting user, who needs the `case_officer` or admin role.
    #[arg(long, env = "LMO_USER")]
    pub(crate) user: Option<String>,
    /// Where to write bad rows (default: the data directory's rejects/).
    #[arg(long)]
    pub(crate) rejects: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum GenCommand {
    /// Register, MPF remittances, payroll, worker reports and ground truth.
    Arrears(GenArgs),
    /// Register, MPF remittances, worker reports and ground truth.
    Mpf(GenArgs),
    /// Register, payroll, worker reports and ground truth.
    Payroll(GenArgs),
}

#[derive(Debug, ClapArgs)]
pub(crate) struct GenArgs {
    /// Directory to write the files into.
    #[arg(long, short)]
    pub(crate) out: PathBuf,
    #[arg(long, default_value_t = 1000)]
    pub(crate) employers: u32,
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// The month the files cover.
    #[arg(long, value_parser = parse_period, default_value = "2025-06")]
    pub(crate) period: domain::Period,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct DemoArgs {
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, ClapArgs, Clone, Copy)]
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

fn parse_period_range(text: &str) -> Result<(domain::Period, domain::Period), String> {
    let (from, to) = text
        .split_once("..")
        .ok_or_else(|| format!("'{text}' is not a range FROM..TO such as 2008-01..2010-12"))?;
    Ok((parse_period(from)?, parse_period(to)?))
}

fn parse_alert_level(text: &str) -> Result<engine::AlertLevel, String> {
    engine::AlertLevel::parse(text).map_err(|error| error.to_string())
}

fn parse_format(text: &str) -> Result<engine::Format, String> {
    engine::Format::parse(text).ok_or_else(|| {
        format!(
            "unknown format '{text}'; the formats are {}",
            engine::Format::names()
        )
    })
}
