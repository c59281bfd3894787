//! `lmo arrears`, `lmo gen`.

use std::path::PathBuf;

use clap::{Args as ClapArgs, Subcommand};

use super::{OutputArgs, parse_date, parse_level, parse_period};

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
    /// Save every employer the run found in default, whatever --level and --top print, with their employer-level results (one transaction, replacing this month's earlier results, recorded in the saves' audit log), for `lmo cases open --level`; needs the `case_officer` or admin role.
    #[arg(long)]
    pub(crate) save: bool,
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
    /// How many synthetic employers (about 17 employees each: 300,000 give a Hong Kong month).
    #[arg(long, default_value_t = 1000)]
    pub(crate) employers: u32,
    /// The random seed: the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// The month the files cover.
    #[arg(long, value_parser = parse_period, default_value = "2025-06")]
    pub(crate) period: domain::Period,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}
