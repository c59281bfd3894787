//! `lmo users` and `lmo cases`: the case workflow of the arrears early warning.
//!
//! Every `lmo cases` command names the acting user (`--user` or `LMO_USER`); the store lets
//! only case officers and admins see or change cases.

use std::io::Write;
use std::process::ExitCode;

use clap::{Args as ClapArgs, Subcommand};
use engine::{
    CaseEvent, CaseFilter, CaseOpened, CaseState, CaseTransition, CaseView, Engine, Money,
    Referral, Role, RoleChange, UserEvent,
};
use serde::Serialize;

use crate::args::OutputArgs;
use crate::output::{Table, print_json};

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

/// Now, RFC 3339 in Hong Kong time (UTC+8), so that the date of a case step is the Hong Kong
/// date its timers count from.
fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).map_err(|error| error.to_string())
}

fn parse_state(text: &str) -> Result<CaseState, String> {
    CaseState::parse(text).map_err(|error| error.to_string())
}

fn parse_referral(text: &str) -> Result<Referral, String> {
    Referral::parse(text).map_err(|error| error.to_string())
}

fn parse_period(text: &str) -> Result<domain::Period, String> {
    domain::Period::parse(text).map_err(|error| error.to_string())
}

fn parse_date(text: &str) -> Result<domain::Date, String> {
    domain::parse_date(text).map_err(|error| error.to_string())
}

fn parse_level(text: &str) -> Result<engine::Level, String> {
    engine::Level::parse(text).map_err(|error| error.to_string())
}

pub(crate) fn users(engine: &mut Engine, command: &UsersCommand) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match command {
        UsersCommand::Add(args) => {
            let user = engine.add_user(
                &args.name,
                args.role,
                args.by.as_deref(),
                &crate::clock::now().imported_at,
            )?;
            writeln!(
                out,
                "added user {} (role {})",
                user.user_name,
                user.role.as_str()
            )?;
        }
        UsersCommand::Role(args) => {
            let user = engine.change_role(&RoleChange {
                user_name: args.name.clone(),
                role: args.role,
                by: args.by.clone(),
                note: args.note.clone(),
                at: crate::clock::now().imported_at,
            })?;
            writeln!(
                out,
                "user {} now has the role {} (case access: {})",
                user.user_name,
                user.role.as_str(),
                if user.role.has_case_access() {
                    "yes"
                } else {
                    "no"
                }
            )?;
        }
        UsersCommand::Log(output) => print_user_log(&mut out, &engine.user_events()?, *output)?,
        UsersCommand::List(output) => {
            let users = engine.users()?;
            if output.json {
                #[derive(Serialize)]
                struct UserDto<'a> {
                    user_name: &'a str,
                    role: &'static str,
                    case_access: bool,
                    created_at: &'a str,
                }
                let dtos: Vec<UserDto<'_>> = users
                    .iter()
                    .map(|user| UserDto {
                        user_name: &user.user_name,
                        role: user.role.as_str(),
                        case_access: user.role.has_case_access(),
                        created_at: &user.created_at,
                    })
                    .collect();
                print_json(&mut out, &dtos)?;
                return Ok(ExitCode::SUCCESS);
            }
            let mut table = Table::new(vec!["user", "role", "case_access", "created_at"]);
            for user in &users {
                table.row(vec![
                    user.user_name.clone(),
                    user.role.as_str().to_owned(),
                    user.role.has_case_access().to_string(),
                    user.created_at.clone(),
                ]);
            }
            if output.csv {
                table.print_csv(&mut out)?;
            } else {
                table.print(&mut out)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn print_user_log(
    out: &mut dyn Write,
    events: &[UserEvent],
    output: OutputArgs,
) -> anyhow::Result<()> {
    #[derive(Serialize)]
    struct UserEventDto<'a> {
        user_name: &'a str,
        action: &'static str,
        old_role: Option<&'static str>,
        new_role: &'static str,
        by: Option<&'a str>,
        note: &'a str,
        at: &'a str,
    }
    let dtos: Vec<UserEventDto<'_>> = events
        .iter()
        .map(|event| UserEventDto {
            user_name: &event.user_name,
            action: event.action.as_str(),
            old_role: event.old_role.map(Role::as_str),
            new_role: event.new_role.as_str(),
            by: event.by.as_deref(),
            note: &event.note,
            at: &event.at,
        })
        .collect();
    if output.json {
        return print_json(out, &dtos);
    }
    let mut table = Table::new(vec!["at", "user", "action", "from", "to", "by", "note"]);
    for dto in &dtos {
        table.row(vec![
            dto.at.to_owned(),
            dto.user_name.to_owned(),
            dto.action.to_owned(),
            dto.old_role.unwrap_or("").to_owned(),
            dto.new_role.to_owned(),
            dto.by.unwrap_or("").to_owned(),
            dto.note.to_owned(),
        ]);
    }
    if output.csv {
        table.print_csv(out)
    } else {
        Ok(table.print(out)?)
    }
}

pub(crate) fn run(engine: &mut Engine, command: &CasesCommand) -> anyhow::Result<ExitCode> {
    match command {
        CasesCommand::Saved(args) => saved(engine, args),
        CasesCommand::Open(args) => open(engine, args),
        CasesCommand::List(args) => list(engine, args),
        CasesCommand::Show(args) => show(engine, args),
        CasesCommand::Assign(args) => {
            let transition = CaseTransition {
                case_id: args.id,
                to: CaseState::Assigned,
                referral: None,
                assignee: Some(args.to.clone()),
                user_name: args.user.user.clone(),
                note: args.note.clone(),
                at: crate::clock::now().imported_at,
            };
            step(engine, &transition)
        }
        CasesCommand::Advance(args) => {
            let transition = CaseTransition {
                case_id: args.id,
                to: args.to,
                referral: args.referral,
                assignee: None,
                user_name: args.user.user.clone(),
                note: args.note.clone(),
                at: crate::clock::now().imported_at,
            };
            step(engine, &transition)
        }
    }
}

#[derive(Serialize)]
struct OpenedDto<'a> {
    case_id: i64,
    employer_id: &'a str,
    level: &'static str,
    opened: bool,
}

fn open(engine: &mut Engine, args: &CaseOpenArgs) -> anyhow::Result<ExitCode> {
    let opened = engine.open_cases_from_arrears(
        args.period,
        args.level,
        &args.user.user,
        args.note.as_deref(),
        &crate::clock::now().imported_at,
    )?;
    let dtos: Vec<OpenedDto<'_>> = opened
        .iter()
        .map(|case| OpenedDto {
            case_id: case.outcome.id(),
            employer_id: &case.employer_id,
            level: case.level.as_str(),
            opened: matches!(case.outcome, CaseOpened::Opened(_)),
        })
        .collect();
    let mut out = std::io::stdout().lock();
    if args.output.json {
        print_json(&mut out, &dtos)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(vec!["case", "employer_id", "level", "status"]);
    for dto in &dtos {
        table.row(vec![
            dto.case_id.to_string(),
            dto.employer_id.to_owned(),
            dto.level.to_owned(),
            if dto.opened { "opened" } else { "already open" }.to_owned(),
        ]);
    }
    if args.output.csv {
        table.print_csv(&mut out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let new = dtos.iter().filter(|dto| dto.opened).count();
    writeln!(
        out,
        "{new} cases opened, {} already open, for {} at level {} or worse.\n",
        dtos.len() - new,
        args.period,
        args.level.as_str()
    )?;
    table.print(&mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct SavedDto<'a> {
    rank: usize,
    employer_id: &'a str,
    employer_name: Option<&'a str>,
    hsic_section: Option<&'a str>,
    district: Option<&'a str>,
    headcount: Option<i64>,
    level: &'static str,
    workers_affected: i64,
    arrears_hkd: String,
    surcharge_hkd: String,
    max_days_late: i64,
    months_in_default: i64,
    kinds: Vec<&'static str>,
    reasons: Vec<&'static str>,
    as_of: String,
    detected_at: &'a str,
}

fn saved(engine: &mut Engine, args: &CaseSavedArgs) -> anyhow::Result<ExitCode> {
    let saved = engine.saved_arrears(&args.user.user, args.period)?;
    let dtos: Vec<SavedDto<'_>> = saved
        .iter()
        .enumerate()
        .map(|(index, (stored, employer))| {
            let result = &stored.result;
            SavedDto {
                rank: index + 1,
                employer_id: &result.employer_id,
                employer_name: employer.as_ref().map(|e| e.name.as_str()),
                hsic_section: employer.as_ref().map(|e| e.hsic_section.as_str()),
                district: employer.as_ref().map(|e| e.district.as_str()),
                headcount: employer.as_ref().map(|e| e.headcount),
                level: result.level.as_str(),
                workers_affected: result.workers_affected,
                arrears_hkd: Money::from_cents(result.arrears_cents).to_string(),
                surcharge_hkd: Money::from_cents(result.surcharge_cents).to_string(),
                max_days_late: result.max_days_late,
                months_in_default: result.months_in_default,
                kinds: result.kinds.iter().map(|kind| kind.as_str()).collect(),
                reasons: result
                    .reasons
                    .iter()
                    .map(|reason| reason.as_str())
                    .collect(),
                as_of: stored.as_of.to_string(),
                detected_at: &stored.detected_at,
            }
        })
        .collect();
    let mut out = std::io::stdout().lock();
    if args.output.json {
        print_json(&mut out, &dtos)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(vec![
        "rank",
        "level",
        "employer_id",
        "section",
        "headcount",
        "workers",
        "arrears",
        "surcharge",
        "days_late",
        "months",
        "kinds",
        "employer",
    ]);
    for dto in &dtos {
        table.row(vec![
            dto.rank.to_string(),
            dto.level.to_owned(),
            dto.employer_id.to_owned(),
            or_dash(dto.hsic_section),
            or_dash(dto.headcount),
            dto.workers_affected.to_string(),
            dto.arrears_hkd.clone(),
            dto.surcharge_hkd.clone(),
            dto.max_days_late.to_string(),
            dto.months_in_default.to_string(),
            dto.kinds.join(" "),
            or_dash(dto.employer_name),
        ]);
    }
    if args.output.csv {
        table.print_csv(&mut out)?;
    } else {
        writeln!(
            out,
            "{} employers saved for {} (as of {}).\n",
            dtos.len(),
            args.period,
            dtos.first().map_or("-", |dto| dto.as_of.as_str())
        )?;
        table.print(&mut out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct CaseDto<'a> {
    id: i64,
    state: &'static str,
    referral: Option<&'static str>,
    assignee: Option<&'a str>,
    level: &'static str,
    employer_id: &'a str,
    employer_name: Option<&'a str>,
    period: String,
    opened_at: &'a str,
    updated_at: &'a str,
    mpf_contribution_day: Option<String>,
    days_since_mpf_deadline: Option<i32>,
    wage_due_by: Option<String>,
    days_since_wage_deadline: Option<i32>,
    days_open: Option<i32>,
}

fn case_dto(view: &CaseView) -> CaseDto<'_> {
    let case = &view.case;
    let timers = view.timers;
    CaseDto {
        id: case.id,
        state: case.state.as_str(),
        referral: case.referral.map(Referral::as_str),
        assignee: case.assignee.as_deref(),
        level: case.level.as_str(),
        employer_id: &case.employer_id,
        employer_name: view.employer_name.as_deref(),
        period: case.period.to_string(),
        opened_at: &case.opened_at,
        updated_at: &case.updated_at,
        mpf_contribution_day: timers.mpf_contribution_day.map(|day| day.to_string()),
        days_since_mpf_deadline: timers.days_since_mpf_deadline,
        wage_due_by: timers.wage_due_by.map(|day| day.to_string()),
        days_since_wage_deadline: timers.days_since_wage_deadline,
        days_open: timers.days_open,
    }
}

fn or_dash<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_owned(), |value| value.to_string())
}

fn list(engine: &mut Engine, args: &CaseListArgs) -> anyhow::Result<ExitCode> {
    let filter = CaseFilter {
        state: args.state,
        employer_id: args.employer.clone(),
        open_only: args.open,
    };
    let today = args.today.unwrap_or_else(|| crate::clock::now().today);
    let views = engine.cases(&args.user.user, &filter, today)?;
    let dtos: Vec<CaseDto<'_>> = views.iter().map(case_dto).collect();
    let mut out = std::io::stdout().lock();
    if args.output.json {
        print_json(&mut out, &dtos)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(vec![
        "id",
        "state",
        "level",
        "period",
        "employer_id",
        "assignee",
        "mpf_due",
        "days_past_mpf_due",
        "wages_due",
        "days_past_wages_due",
        "days_open",
        "employer",
    ]);
    for dto in &dtos {
        let state = match dto.referral {
            Some(referral) => format!("{}:{referral}", dto.state),
            None => dto.state.to_owned(),
        };
        table.row(vec![
            dto.id.to_string(),
            state,
            dto.level.to_owned(),
            dto.period.clone(),
            dto.employer_id.to_owned(),
            or_dash(dto.assignee),
            or_dash(dto.mpf_contribution_day.as_deref()),
            or_dash(dto.days_since_mpf_deadline),
            or_dash(dto.wage_due_by.as_deref()),
            or_dash(dto.days_since_wage_deadline),
            or_dash(dto.days_open),
            or_dash(dto.employer_name),
        ]);
    }
    if args.output.csv {
        table.print_csv(&mut out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{} cases, timers to {today}.\n", dtos.len())?;
    table.print(&mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct EventDto<'a> {
    id: i64,
    at: &'a str,
    user: &'a str,
    action: String,
    from_state: Option<&'static str>,
    to_state: &'static str,
    note: &'a str,
}

fn event_dto(event: &CaseEvent) -> EventDto<'_> {
    EventDto {
        id: event.id,
        at: &event.at,
        user: &event.user_name,
        action: event.action.code(),
        from_state: event.from_state.map(CaseState::as_str),
        to_state: event.to_state.as_str(),
        note: &event.note,
    }
}

fn show(engine: &mut Engine, args: &CaseShowArgs) -> anyhow::Result<ExitCode> {
    let today = args.today.unwrap_or_else(|| crate::clock::now().today);
    let (view, events) = engine.case_detail(&args.user.user, args.id, today)?;
    let case = case_dto(&view);
    let log: Vec<EventDto<'_>> = events.iter().map(event_dto).collect();
    let mut out = std::io::stdout().lock();
    if args.json {
        #[derive(Serialize)]
        struct ShowDto<'a> {
            case: CaseDto<'a>,
            audit_log: Vec<EventDto<'a>>,
        }
        print_json(
            &mut out,
            &ShowDto {
                case,
                audit_log: log,
            },
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let state = match case.referral {
        Some(referral) => format!("{} ({referral})", case.state),
        None => case.state.to_owned(),
    };
    writeln!(out, "Case {}: {state}", case.id)?;
    writeln!(
        out,
        "Employer:  {} {}",
        case.employer_id,
        case.employer_name.unwrap_or("")
    )?;
    writeln!(out, "Period:    {} (level {})", case.period, case.level)?;
    writeln!(out, "Assignee:  {}", or_dash(case.assignee))?;
    writeln!(
        out,
        "Opened:    {} ({} days ago)",
        case.opened_at,
        or_dash(case.days_open)
    )?;
    writeln!(
        out,
        "MPF contribution day: {} ({} days past, to {today})",
        or_dash(case.mpf_contribution_day.as_deref()),
        or_dash(case.days_since_mpf_deadline)
    )?;
    writeln!(
        out,
        "Wages due by:         {} ({} days past, to {today})",
        or_dash(case.wage_due_by.as_deref()),
        or_dash(case.days_since_wage_deadline)
    )?;
    writeln!(out, "\nAudit log:")?;
    let mut table = Table::new(vec!["at", "user", "action", "from", "to", "note"]);
    for event in &log {
        table.row(vec![
            event.at.to_owned(),
            event.user.to_owned(),
            event.action.clone(),
            or_dash(event.from_state),
            event.to_state.to_owned(),
            event.note.to_owned(),
        ]);
    }
    table.print(&mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn step(engine: &mut Engine, transition: &CaseTransition) -> anyhow::Result<ExitCode> {
    let case = engine.case_step(transition)?;
    let mut out = std::io::stdout().lock();
    let referral = case
        .referral
        .map(|referral| format!(" ({})", referral.as_str()))
        .unwrap_or_default();
    writeln!(
        out,
        "case {} is now {}{referral}",
        case.id,
        case.state.as_str()
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
