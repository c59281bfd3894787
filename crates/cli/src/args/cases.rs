//! `lmo users …`, `lmo cases …`.

use clap::{Args as ClapArgs, Subcommand};
use engine::{CaseState, Referral, Role};

use super::{OutputArgs, parse_date, parse_level, parse_period};

#[derive(Debug, Subcommand)]
pub(crate) enum UsersCommand {
    /// Add a user with a role: viewer, analyst, `case_officer`, admin. The first admin needs
    /// no --by; once there is an admin, only an admin adds users.
    Add(UserAddArgs),
    /// Change a user's role, as an admin, with the reason (kept in the users' log).
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
    /// The acting admin (not needed for the first admin).
    #[arg(long, env = "LMO_USER")]
    pub(crate) by: Option<String>,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct UserRoleArgs {
    /// The user whose role changes.
    pub(crate) name: String,
    /// The new role: viewer, analyst, `case_officer` or admin.
    #[arg(long, value_parser = parse_role)]
    pub(crate) role: Role,
    /// The acting admin.
    #[arg(long, env = "LMO_USER")]
    pub(crate) by: String,
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
    /// List cases with their timers against the legal deadlines.
    List(CaseListArgs),
    /// Show one case, its timers and its audit log.
    Show(CaseShowArgs),
    /// Assign a case to a case officer (or reassign it).
    Assign(CaseAssignArgs),
    /// Move a case on: intervening, resolved, or referred (with --referral).
    Advance(CaseAdvanceArgs),
}

#[derive(Debug, ClapArgs)]
pub(crate) struct ActingUser {
    /// The acting user; needs the `case_officer` or admin role.
    #[arg(long, env = "LMO_USER")]
    pub(crate) user: String,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct CaseSavedArgs {
    /// The month of the saved arrears run, e.g. 2025-06.
    #[arg(long, value_parser = parse_period)]
    pub(crate) period: domain::Period,
    #[command(flatten)]
    pub(crate) user: ActingUser,
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
    pub(crate) user: ActingUser,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct CaseListArgs {
    /// Only cases in this state: discover, assigned, intervening, resolved, referred.
    #[arg(long, value_parser = parse_state)]
    pub(crate) state: Option<CaseState>,
    /// Only open cases (not resolved or referred).
    #[arg(long, conflicts_with = "state")]
    pub(crate) open: bool,
    /// Only cases of this employer.
    #[arg(long)]
    pub(crate) employer: Option<String>,
    /// Count the timers to this day (default: today in Hong Kong).
    #[arg(long, value_parser = parse_date)]
    pub(crate) today: Option<domain::Date>,
    #[command(flatten)]
    pub(crate) user: ActingUser,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct CaseShowArgs {
    pub(crate) id: i64,
    /// Count the timers to this day (default: today in Hong Kong).
    #[arg(long, value_parser = parse_date)]
    pub(crate) today: Option<domain::Date>,
    #[command(flatten)]
    pub(crate) user: ActingUser,
    /// Print JSON for programs instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct CaseAssignArgs {
    pub(crate) id: i64,
    /// The case officer (or admin) who takes the case.
    #[arg(long)]
    pub(crate) to: String,
    /// What was decided, for the audit log.
    #[arg(long)]
    pub(crate) note: String,
    #[command(flatten)]
    pub(crate) user: ActingUser,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct CaseAdvanceArgs {
    pub(crate) id: i64,
    /// intervening, resolved or referred.
    #[arg(long, value_parser = parse_state)]
    pub(crate) to: CaseState,
    /// With --to referred: labour-department, mpfa, labour-tribunal, insolvency-fund.
    #[arg(long, value_parser = parse_referral)]
    pub(crate) referral: Option<Referral>,
    /// What was done or decided, for the audit log.
    #[arg(long)]
    pub(crate) note: String,
    #[command(flatten)]
    pub(crate) user: ActingUser,
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text)
        .ok_or_else(|| format!("'{text}' is not a role (viewer, analyst, case_officer, admin)"))
}

fn parse_state(text: &str) -> Result<CaseState, String> {
    CaseState::parse(text).ok_or_else(|| {
        format!(
            "'{text}' is not a case state (discover, assigned, intervening, resolved, referred)"
        )
    })
}

fn parse_referral(text: &str) -> Result<Referral, String> {
    Referral::parse(text).ok_or_else(|| {
        format!(
            "'{text}' is not a referral (labour-department, mpfa, labour-tribunal, insolvency-fund)"
        )
    })
}
