//! `lmo users` and `lmo cases`: the case workflow of the arrears early warning.
//!
//! The acting user is who runs lmo (see `identity`); the store lets only case officers and
//! admins see or change cases.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use engine::{
    CaseDeadlines, CaseEvent, CaseFilter, CaseOpened, CaseState, CaseStep, CaseView, Engine, Money,
    Referral, Role, RoleChange, Thresholds, User, UserEvent,
};
use serde::Serialize;

use crate::args::OutputArgs;
use crate::args::cases::{
    CaseDueArgs, CaseListArgs, CaseOpenArgs, CaseSavedArgs, CaseShowArgs, CasesCommand,
    DeadlineArgs, UsersCommand,
};
use crate::clock;
use crate::identity::acting_user;
use crate::output::{Table, print_result};

/// The case deadlines of the bundled thresholds, or of the file given.
fn deadlines(args: &DeadlineArgs) -> anyhow::Result<CaseDeadlines> {
    let Some(path) = &args.thresholds else {
        return Ok(Thresholds::default().cases);
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let thresholds = Thresholds::from_toml(&text)
        .with_context(|| format!("in the thresholds file {}", path.display()))?;
    Ok(thresholds.cases)
}

pub(crate) fn users(engine: &mut Engine, command: &UsersCommand) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match command {
        UsersCommand::Add(args) => {
            let by = acting_user(engine)?;
            let user =
                engine.add_user(&args.name, args.role, Some(&by), &clock::now().imported_at)?;
            writeln!(
                out,
                "added user {} (role {})",
                user.user_name,
                user.role.as_str()
            )?;
        }
        UsersCommand::Role(args) => {
            let by = acting_user(engine)?;
            let user = engine.change_role(&RoleChange {
                user_name: args.name.clone(),
                role: args.role,
                by,
                note: args.note.clone(),
                at: clock::now().imported_at,
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
        UsersCommand::Log(output) => print_user_log(&engine.user_events()?, output)?,
        UsersCommand::List(output) => print_users(&engine.users()?, output)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn print_users(users: &[User], output: &OutputArgs) -> anyhow::Result<()> {
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
    print_result(output, &dtos, &dtos, || {
        let mut table = Table::new(vec!["user", "role", "case_access", "created_at"]);
        for user in users {
            table.row(vec![
                user.user_name.clone(),
                user.role.as_str().to_owned(),
                user.role.has_case_access().to_string(),
                user.created_at.clone(),
            ]);
        }
        table
    })
}

fn print_user_log(events: &[UserEvent], output: &OutputArgs) -> anyhow::Result<()> {
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
    print_result(output, &dtos, &dtos, || {
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
        table
    })
}

pub(crate) fn run(engine: &mut Engine, command: &CasesCommand) -> anyhow::Result<ExitCode> {
    match command {
        CasesCommand::Saved(args) => saved(engine, args),
        CasesCommand::Open(args) => open(engine, args),
        CasesCommand::List(args) => list(engine, args),
        CasesCommand::Due(args) => due(engine, args),
        CasesCommand::Show(args) => show(engine, args),
        CasesCommand::Assign(args) => {
            let step = CaseStep {
                case_id: args.id,
                to: CaseState::Assigned,
                referral: None,
                assignee: Some(args.to.clone()),
                intervention: None,
                due_on: args.due,
                user_name: acting_user(engine)?,
                note: args.note.clone(),
            };
            take_step(engine, step, &deadlines(&args.deadlines)?)
        }
        CasesCommand::Advance(args) => {
            let step = CaseStep {
                case_id: args.id,
                to: args.to,
                referral: args.referral,
                assignee: None,
                intervention: args.how,
                due_on: args.due,
                user_name: acting_user(engine)?,
                note: args.note.clone(),
            };
            take_step(engine, step, &deadlines(&args.deadlines)?)
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
    let user = acting_user(engine)?;
    let opened = engine.open_cases_from_arrears(
        args.period,
        args.level,
        &user,
        args.note.as_deref(),
        &deadlines(&args.deadlines)?,
        &clock::now(),
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
    print_result(&args.output, &dtos, &dtos, || {
        let mut table = Table::new(vec!["case", "employer_id", "level", "status"]);
        for dto in &dtos {
            table.row(vec![
                dto.case_id.to_string(),
                dto.employer_id.to_owned(),
                dto.level.to_owned(),
                if dto.opened { "opened" } else { "already open" }.to_owned(),
            ]);
        }
        let new = dtos.iter().filter(|dto| dto.opened).count();
        table.with_heading(format!(
            "{new} cases opened, {} already open, for {} at level {} or worse.\n",
            dtos.len() - new,
            args.period,
            args.level.as_str()
        ))
    })?;
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
    let user = acting_user(engine)?;
    let saved = engine.saved_arrears(&user, args.period)?;
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
    print_result(&args.output, &dtos, &dtos, || {
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
        table.with_heading(format!(
            "{} employers saved for {} (as of {}).\n",
            dtos.len(),
            args.period,
            dtos.first().map_or("-", |dto| dto.as_of.as_str())
        ))
    })?;
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
    workers_affected: Option<i64>,
    arrears_hkd: Option<String>,
    surcharge_hkd: Option<String>,
    kinds: Vec<&'static str>,
    reasons: Vec<&'static str>,
    next_step_due: Option<String>,
    days_to_due: Option<i32>,
    opened_at: &'a str,
    updated_at: &'a str,
    mpf_contribution_day: Option<String>,
    days_since_mpf_deadline: Option<i32>,
    wage_due_by: Option<String>,
    days_since_wage_deadline: Option<i32>,
    days_paid_late: Option<i64>,
    days_open: i32,
}

fn case_dto(view: &CaseView) -> CaseDto<'_> {
    let case = &view.case;
    let timers = view.timers;
    let facts = case.facts.as_ref();
    CaseDto {
        id: case.id,
        state: case.state.as_str(),
        referral: case.referral.map(Referral::as_str),
        assignee: case.assignee.as_deref(),
        level: case.level.as_str(),
        employer_id: &case.employer_id,
        employer_name: view.employer_name.as_deref(),
        period: case.period.to_string(),
        workers_affected: facts.map(|facts| facts.workers_affected),
        arrears_hkd: facts.map(|facts| Money::from_cents(facts.arrears_cents).to_string()),
        surcharge_hkd: facts.map(|facts| Money::from_cents(facts.surcharge_cents).to_string()),
        kinds: facts
            .map(|facts| facts.kinds.iter().map(|kind| kind.as_str()).collect())
            .unwrap_or_default(),
        reasons: facts
            .map(|facts| facts.reasons.iter().map(|reason| reason.as_str()).collect())
            .unwrap_or_default(),
        next_step_due: case.due_on.map(|day| day.to_string()),
        days_to_due: timers.days_to_due,
        opened_at: &case.opened_at,
        updated_at: &case.updated_at,
        mpf_contribution_day: timers.mpf_contribution_day.map(|day| day.to_string()),
        days_since_mpf_deadline: timers.days_since_mpf_deadline,
        wage_due_by: timers.wage_due_by.map(|day| day.to_string()),
        days_since_wage_deadline: timers.days_since_wage_deadline,
        days_paid_late: timers.days_paid_late,
        days_open: timers.days_open,
    }
}

fn or_dash<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_owned(), |value| value.to_string())
}

/// A state as the lists print it: with its referral (`referred:mpfa`).
fn state_label(case: &CaseDto<'_>) -> String {
    match case.referral {
        Some(referral) => format!("{}:{referral}", case.state),
        None => case.state.to_owned(),
    }
}

/// When the next step is due, as people read it: `2025-09-03 (in 3 days)`, `… (5 days
/// overdue)`.
fn due_label(case: &CaseDto<'_>) -> String {
    match (&case.next_step_due, case.days_to_due) {
        (Some(day), Some(0)) => format!("{day} (today)"),
        (Some(day), Some(days)) if days < 0 => format!("{day} ({} days overdue)", -days),
        (Some(day), Some(days)) => format!("{day} (in {days} days)"),
        _ => "-".to_owned(),
    }
}

/// The table of `lmo cases list` and `lmo cases due`.
fn cases_table(dtos: &[CaseDto<'_>]) -> Table {
    let mut table = Table::new(vec![
        "id",
        "state",
        "level",
        "period",
        "employer_id",
        "assignee",
        "next_step_due",
        "days_to_due",
        "workers",
        "arrears",
        "reasons",
        "days_past_mpf_due",
        "days_past_wages_due",
        "days_paid_late",
        "employer",
    ]);
    for dto in dtos {
        table.row(vec![
            dto.id.to_string(),
            state_label(dto),
            dto.level.to_owned(),
            dto.period.clone(),
            dto.employer_id.to_owned(),
            or_dash(dto.assignee),
            or_dash(dto.next_step_due.as_deref()),
            or_dash(dto.days_to_due),
            or_dash(dto.workers_affected),
            or_dash(dto.arrears_hkd.as_deref()),
            dto.reasons.join(" "),
            or_dash(dto.days_since_mpf_deadline),
            or_dash(dto.days_since_wage_deadline),
            or_dash(dto.days_paid_late),
            or_dash(dto.employer_name),
        ]);
    }
    table
}

fn list(engine: &mut Engine, args: &CaseListArgs) -> anyhow::Result<ExitCode> {
    let filter = CaseFilter {
        state: args.state,
        employer_id: args.employer.clone(),
        open_only: args.open,
        due_by: None,
    };
    let today = args.today.unwrap_or_else(|| clock::now().today);
    let user = acting_user(engine)?;
    let views = engine.cases(&user, &filter, today)?;
    let dtos: Vec<CaseDto<'_>> = views.iter().map(case_dto).collect();
    print_result(&args.output, &dtos, &dtos, || {
        cases_table(&dtos).with_heading(format!("{} cases, timers to {today}.\n", dtos.len()))
    })?;
    Ok(ExitCode::SUCCESS)
}

fn due(engine: &mut Engine, args: &CaseDueArgs) -> anyhow::Result<ExitCode> {
    let today = args.today.unwrap_or_else(|| clock::now().today);
    let user = acting_user(engine)?;
    let views = engine.cases_due(&user, today, args.within)?;
    let dtos: Vec<CaseDto<'_>> = views.iter().map(case_dto).collect();
    print_result(&args.output, &dtos, &dtos, || {
        let overdue = dtos
            .iter()
            .filter(|dto| dto.days_to_due.is_some_and(|days| days < 0))
            .count();
        cases_table(&dtos).with_heading(format!(
            "{} open cases with a step overdue or due within {} days of {today} ({overdue} overdue), most urgent first.\n",
            dtos.len(),
            args.within
        ))
    })?;
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
    due_on: Option<String>,
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
        due_on: event.due_on.map(|day| day.to_string()),
    }
}

fn show(engine: &mut Engine, args: &CaseShowArgs) -> anyhow::Result<ExitCode> {
    #[derive(Serialize)]
    struct ShowDto<'a> {
        case: CaseDto<'a>,
        audit_log: Vec<EventDto<'a>>,
    }
    let today = args.today.unwrap_or_else(|| clock::now().today);
    let user = acting_user(engine)?;
    let (view, events) = engine.case_detail(&user, args.id, today)?;
    let dto = ShowDto {
        case: case_dto(&view),
        audit_log: events.iter().map(event_dto).collect(),
    };
    print_result(&args.output, &dto, &dto.audit_log, || {
        let mut table = Table::new(vec!["at", "user", "action", "from", "to", "due", "note"]);
        for event in &dto.audit_log {
            table.row(vec![
                event.at.to_owned(),
                event.user.to_owned(),
                event.action.clone(),
                or_dash(event.from_state),
                event.to_state.to_owned(),
                or_dash(event.due_on.as_deref()),
                event.note.to_owned(),
            ]);
        }
        table.with_heading(case_heading(&dto.case, today))
    })?;
    Ok(ExitCode::SUCCESS)
}

/// What `lmo cases show` prints above the audit log for people.
fn case_heading(case: &CaseDto<'_>, today: domain::Date) -> String {
    let mut lines = vec![
        format!("Case {}: {}", case.id, state_label(case)),
        format!(
            "Employer:  {} {}",
            case.employer_id,
            case.employer_name.unwrap_or("")
        ),
        format!("Period:    {} (level {})", case.period, case.level),
        format!("Assignee:  {}", or_dash(case.assignee)),
        format!(
            "Opened:    {} ({} days before {today})",
            case.opened_at, case.days_open
        ),
        format!("Next step: {}", due_label(case)),
    ];
    if let Some(workers) = case.workers_affected {
        lines.push(format!(
            "Facts:     {workers} workers affected, HK${} in arrears, HK${} MPF surcharge; {}",
            case.arrears_hkd.as_deref().unwrap_or("-"),
            case.surcharge_hkd.as_deref().unwrap_or("-"),
            case.reasons.join(", ")
        ));
    }
    if let Some(day) = &case.mpf_contribution_day {
        lines.push(format!(
            "MPF contributions unpaid since the contribution day {day}: {} days to {today}",
            or_dash(case.days_since_mpf_deadline)
        ));
    }
    if let Some(day) = &case.wage_due_by {
        lines.push(format!(
            "Wages unpaid since they were due by {day}: {} days to {today}",
            or_dash(case.days_since_wage_deadline)
        ));
    }
    if let Some(days) = case.days_paid_late {
        lines.push(format!("Paid late: up to {days} days after the deadline"));
    }
    lines.push("\nAudit log:".to_owned());
    lines.join("\n")
}

fn take_step(
    engine: &mut Engine,
    step: CaseStep,
    deadlines: &CaseDeadlines,
) -> anyhow::Result<ExitCode> {
    let case = engine.case_step(step, deadlines, &clock::now())?;
    let mut out = std::io::stdout().lock();
    let referral = case
        .referral
        .map(|referral| format!(" ({})", referral.as_str()))
        .unwrap_or_default();
    let due = case
        .due_on
        .map(|day| format!("; next step due {day}"))
        .unwrap_or_default();
    writeln!(
        out,
        "case {} is now {}{referral}{due}",
        case.id,
        case.state.as_str()
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
