//! `lmo users …`, `lmo cases …`.

use std::path::PathBuf;

use clap::{Args as ClapArgs, Subcommand};
use engine::{CaseState, Intervention, Referral, Role};

use super::{OutputArgs, parse_date, parse_level, parse_period};

#[derive(Debug, Subcommand)]
pub(crate) enum UsersCommand {
    /// Add a user with a role: viewer, analyst, `case_officer`, admin. Anyone may add the
    /// first admin; once there is one, only an admin adds users. On PostgreSQL the user is a
    /// database login, which must exist, and gets that role's database grants.
    Add(UserAddArgs),
    /// Change a user's role, as an admin, with the reason (kept in the users' log); on
    /// PostgreSQL the login's database grants change with it.
    Role(UserRoleArgs),
    /// List the users and their roles.
    List(OutputArgs),
    /// The users' audit log: every user added and every role changed, oldest first.
    Log(OutputArgs),
}

#[derive(Debug, ClapArgs)]
pub(crate) struct UserAddArgs {
    /// The user name, e.g. chan.tm.
    pub(crate) name: String,
    /// viewer, analyst, `case_officer` or admin (only the last two have case access).
    #[arg(long, value_parser = parse_role)]
    pub(crate) role: Role,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct UserRoleArgs {
    /// The user whose role changes.
    pub(crate) name: String,
    /// The new role: viewer, analyst, `case_officer` or admin.
    #[arg(long, value_parser = parse_role)]
    pub(crate) role: Role,
    /// Why the role changes (kept in the log).
    #[arg(long)]
    pub(crate) note: String,
}

#[derive(Debug, Subcommand)]
pub(crate) enum CasesCommand {
    /// List the employer results a saved arrears run (`lmo arrears … --save`) keeps, most urgent first.
    Saved(CaseSavedArgs),
    /// Open a case for each employer of a saved arrears run at or above a level (once per employer).
    Open(CaseOpenArgs),
    /// List cases with their facts, their timers against the legal deadlines and when
    /// their next step is due.
    List(CaseListArgs),
    /// The open cases whose next step is overdue or due soon, most urgent first.
    Due(CaseDueArgs),
    /// Show one case, its facts, its timers and its audit log.
    Show(CaseShowArgs),
    /// Assign a case to a case officer (or reassign it).
    Assign(CaseAssignArgs),
    /// Record a step: an intervention (--to intervening --how call), a referral (--to
    /// referred --referral mpfa), the referral coming back (--to intervening from referred),
    /// or the outcome (--to resolved).
    Advance(CaseAdvanceArgs),
}

/// When the next step falls due, unless a step says (`--due`).
#[derive(Debug, ClapArgs)]
pub(crate) struct DeadlineArgs {
    /// A thresholds file (TOML) whose [cases] table sets how many days each next step has
    /// (default: the bundled one, crates/arrears/data/thresholds.toml).
    #[arg(long)]
    pub(crate) thresholds: Option<PathBuf>,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct CaseSavedArgs {
    /// The month of the saved arrears run, e.g. 2025-06.
    #[arg(long, value_parser = parse_period)]
    pub(crate) period: domain::Period,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct CaseOpenArgs {
    /// The month of the saved arrears run (`lmo arrears … --save`), e.g. 2025-06.
    #[arg(long, value_parser = parse_period)]
    pub(crate) period: domain::Period,
    /// Open cases for employers at this level or worse: yellow, orange, red.
    #[arg(long, value_parser = parse_level, default_value = "orange")]
    pub(crate) level: engine::Level,
    /// The note of the first audit entry (default: "opened from the PERIOD arrears results").
    #[arg(long)]
    pub(crate) note: Option<String>,
    #[command(flatten)]
    pub(crate) deadlines: DeadlineArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct CaseDueArgs {
    /// Also list cases due within this many days of today.
    #[arg(long, default_value_t = 7)]
    pub(crate) within: u16,
    /// Count from this day (default: today in Hong Kong).
    #[arg(long, value_parser = parse_date)]
    pub(crate) today: Option<domain::Date>,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct CaseListArgs {
    /// Only cases in this state: discover, assigned, intervening, referred, resolved.
    #[arg(long, value_parser = parse_state)]
    pub(crate) state: Option<CaseState>,
    /// Only open cases (not resolved).
    #[arg(long, conflicts_with = "state")]
    pub(crate) open: bool,
    /// Only cases of this employer.
    #[arg(long)]
    pub(crate) employer: Option<String>,
    /// Count the timers to this day (default: today in Hong Kong).
    #[arg(long, value_parser = parse_date)]
    pub(crate) today: Option<domain::Date>,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct CaseShowArgs {
    /// The case number, as `lmo cases list` prints it.
    pub(crate) id: i64,
    /// Count the timers to this day (default: today in Hong Kong).
    #[arg(long, value_parser = parse_date)]
    pub(crate) today: Option<domain::Date>,
    /// JSON: the case and its audit log; CSV and XLSX: the audit log.
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct CaseAssignArgs {
    /// The case number, as `lmo cases list` prints it.
    pub(crate) id: i64,
    /// The case officer (or admin) who takes the case.
    #[arg(long)]
    pub(crate) to: String,
    /// What was decided, for the audit log.
    #[arg(long)]
    pub(crate) note: String,
    /// When the first contact is due (default: by the case's level, from the thresholds).
    #[arg(long, value_parser = parse_date)]
    pub(crate) due: Option<domain::Date>,
    #[command(flatten)]
    pub(crate) deadlines: DeadlineArgs,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct CaseAdvanceArgs {
    /// The case number, as `lmo cases list` prints it.
    pub(crate) id: i64,
    /// intervening, referred or resolved.
    #[arg(long, value_parser = parse_state)]
    pub(crate) to: CaseState,
    /// With --to intervening: how the officer acted: call, letter, visit or meeting (each
    /// contact is a step of its own).
    #[arg(long, value_parser = parse_intervention)]
    pub(crate) how: Option<Intervention>,
    /// With --to referred: labour-department, mpfa, labour-tribunal, insolvency-fund.
    #[arg(long, value_parser = parse_referral)]
    pub(crate) referral: Option<Referral>,
    /// What was done or decided (with --to resolved: the outcome), for the audit log.
    #[arg(long)]
    pub(crate) note: String,
    /// When the next step is due (default: from the thresholds; none once resolved).
    #[arg(long, value_parser = parse_date)]
    pub(crate) due: Option<domain::Date>,
    #[command(flatten)]
    pub(crate) deadlines: DeadlineArgs,
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).map_err(|error| error.to_string())
}

fn parse_state(text: &str) -> Result<CaseState, String> {
    CaseState::parse(text).map_err(|error| error.to_string())
}

fn parse_intervention(text: &str) -> Result<Intervention, String> {
    Intervention::parse(text).map_err(|error| error.to_string())
}

fn parse_referral(text: &str) -> Result<Referral, String> {
    Referral::parse(text).map_err(|error| error.to_string())
}
