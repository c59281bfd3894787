//! `lmo compute`, `lmo alerts`, `lmo watchlist`, `lmo backtest`.
use clap::{Args as ClapArgs, Subcommand};

use super::{OutputArgs, parse_date, parse_period};

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
    /// A shipped rule set (hk-default, us-industry-unemployment) or a rules file (TOML).
    #[arg(long, default_value = "hk-default")]
    pub(crate) rules: String,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct MuteArgs {
    /// The rule to silence, by its id in the rule set.
    pub(crate) rule: String,
    /// A series id, or * for breadth and composite rules.
    pub(crate) subject: String,
    /// Muted up to and including this period.
    #[arg(long, value_parser = parse_period)]
    pub(crate) until: domain::Period,
    /// Why (kept in the audit trail).
    #[arg(long)]
    pub(crate) reason: String,
    /// A shipped rule set (hk-default, us-industry-unemployment) or a rules file (TOML).
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

fn parse_period_range(text: &str) -> Result<(domain::Period, domain::Period), String> {
    let (from, to) = text
        .split_once("..")
        .ok_or_else(|| format!("'{text}' is not a range FROM..TO such as 2008-01..2010-12"))?;
    Ok((parse_period(from)?, parse_period(to)?))
}

fn parse_alert_level(text: &str) -> Result<engine::AlertLevel, String> {
    engine::AlertLevel::parse(text).map_err(|error| error.to_string())
}
