//! The case workflow of the arrears early warning: saved results, users with roles, cases
//! opened from results, their steps, and timers against the legal deadlines.
//!
//! The store enforces the role model (only case officers and admins see or change cases) and
//! the state machine; the engine adds what needs the law: the MPF contribution day and the
//! wage deadline each case's period missed, and how long ago that was.

use arrears::CaseDeadlines;
use domain::{ArrearsLevel, Date, DefaultKind, Period};
use labour_law::{HolidayCalendar, Parameters};
use store::{ArrearsBatch, ArrearsResultRow, CaseFacts, CaseTransition, NewCase};

pub use domain::{CaseAction, CaseState, Intervention, Referral, Role, UserAction};
pub use store::{
    ArrearsSaved, Case, CaseEvent, CaseFilter, CaseOpened, EmployerRecord, RoleChange,
    StoredArrearsResult, User, UserEvent,
};

use crate::{ArrearsReport, Engine, EngineError, ImportTime};

/// One employer considered by [`Engine::open_cases_from_arrears`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedCase {
    pub employer_id: String,
    pub level: ArrearsLevel,
    pub outcome: CaseOpened,
}

/// Where a case stands against the law and against its own next step, to a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseTimers {
    /// The MPF contribution day the period missed (10th of the next month, moved to a
    /// working day), when the case is about unpaid or short MPF contributions; `None` when
    /// it is not, or the period is outside the bundled holiday calendar.
    pub mpf_contribution_day: Option<Date>,
    /// Days from that contribution day to today: how long the contributions are overdue.
    pub days_since_mpf_deadline: Option<i32>,
    /// The last day wages for the period could be paid (7 days after the period ends), when
    /// the case is about unpaid or short wages or pay below the minimum wage.
    pub wage_due_by: Option<Date>,
    pub days_since_wage_deadline: Option<i32>,
    /// For arrears already paid, late: the most days any payment came late.
    pub days_paid_late: Option<i64>,
    pub days_open: i32,
    /// Days to the next step's due date (negative when overdue); `None` once resolved.
    pub days_to_due: Option<i32>,
}

/// A case with its employer's name and its timers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseView {
    pub case: Case,
    /// From the saved register; `None` if the employer was never saved.
    pub employer_name: Option<String>,
    pub timers: CaseTimers,
}

/// Days from `from` to `to`.
fn days_between(from: Date, to: Date) -> i32 {
    (to - from).get_days()
}

/// The timers of `case` on `today`, from the case's own facts: a deadline runs only for
/// what is still unpaid; arrears paid late show how late. An error when `today` is before
/// the case was opened.
pub fn case_timers(case: &Case, today: Date) -> Result<CaseTimers, EngineError> {
    let opened = case
        .opened_at
        .get(..10)
        .and_then(|date| domain::parse_date(date).ok())
        .ok_or_else(|| {
            EngineError::Request(format!(
                "case {} has no readable opening date ('{}')",
                case.id, case.opened_at
            ))
        })?;
    if today < opened {
        return Err(EngineError::Request(format!(
            "{today} is before case {} was opened ({opened})",
            case.id
        )));
    }
    let kinds = case.facts.as_ref().map(|facts| facts.kinds.as_slice());
    // Cases opened before cases kept their facts: every deadline, as then.
    let owes = |owed: &[DefaultKind]| {
        kinds.is_none_or(|kinds| kinds.iter().any(|kind| owed.contains(kind)))
    };
    let period_end = case.period.end_date();
    let mpf_contribution_day = owes(&[DefaultKind::MpfUnpaid, DefaultKind::MpfShort])
        .then(|| {
            HolidayCalendar::hong_kong()
                .contribution_day(period_end)
                .ok()
        })
        .flatten();
    let wage_due_by = owes(&[
        DefaultKind::WagesUnpaid,
        DefaultKind::WagesShort,
        DefaultKind::BelowMinimumWage,
    ])
    .then(|| Parameters::hong_kong().wage_due_by(period_end).ok())
    .flatten();
    let paid_late = kinds.is_some_and(|kinds| {
        kinds
            .iter()
            .any(|kind| matches!(kind, DefaultKind::MpfLate | DefaultKind::WagesLate))
    });
    Ok(CaseTimers {
        mpf_contribution_day,
        days_since_mpf_deadline: mpf_contribution_day.map(|day| days_between(day, today)),
        wage_due_by,
        days_since_wage_deadline: wage_due_by.map(|day| days_between(day, today)),
        days_paid_late: case
            .facts
            .as_ref()
            .filter(|_| paid_late)
            .map(|facts| facts.max_days_late),
        days_open: days_between(opened, today),
        days_to_due: case.due_on.map(|due| days_between(today, due)),
    })
}

/// A step of a case as an officer asks for it; [`Engine::case_step`] fills in the due date
/// of the next step from the deadlines when none is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseStep {
    pub case_id: i64,
    pub to: CaseState,
    pub referral: Option<Referral>,
    pub assignee: Option<String>,
    pub intervention: Option<Intervention>,
    pub due_on: Option<Date>,
    pub user_name: String,
    pub note: String,
}

/// `days` after `date`.
fn days_after(date: Date, days: u16) -> Result<Date, EngineError> {
    date.checked_add(jiff::Span::new().days(i64::from(days)))
        .map_err(|error| EngineError::Request(error.to_string()))
}

/// When the next step of a case moving to `to` is due, by the deadlines: a first contact
/// after assignment by the level's first-step days, a follow-up while intervening, a check
/// on a referral's outcome; nothing once resolved.
fn next_due(
    to: CaseState,
    level: ArrearsLevel,
    today: Date,
    deadlines: &CaseDeadlines,
) -> Result<Option<Date>, EngineError> {
    let days = match to {
        CaseState::Discover | CaseState::Assigned => deadlines.first_step_days(level),
        CaseState::Intervening => deadlines.follow_up_days,
        CaseState::Referred => deadlines.referral_outcome_days,
        CaseState::Resolved => return Ok(None),
    };
    days_after(today, days).map(Some)
}

impl Engine {
    /// Adds a user with a role; `at` (RFC 3339) is recorded as its creation time. Once the
    /// store has an admin, `by` must name one (see [`store::Store::add_user`]).
    pub fn add_user(
        &mut self,
        user_name: &str,
        role: Role,
        by: Option<&str>,
        at: &str,
    ) -> Result<User, EngineError> {
        let user = User {
            user_name: user_name.to_owned(),
            role,
            created_at: at.to_owned(),
        };
        self.store.add_user(&user, by)?;
        Ok(user)
    }

    /// Changes a user's role, as the admin `change.by`, with the reason in the users' audit
    /// log (see [`store::Store::change_role`]).
    pub fn change_role(&mut self, change: &RoleChange) -> Result<User, EngineError> {
        Ok(self.store.change_role(change)?)
    }

    /// The users' audit log, oldest first.
    pub fn user_events(&mut self) -> Result<Vec<UserEvent>, EngineError> {
        Ok(self.store.user_events()?)
    }

    pub fn users(&mut self) -> Result<Vec<User>, EngineError> {
        Ok(self.store.users()?)
    }

    /// The database login of this session on PostgreSQL; `None` on SQLite, which has none
    /// (see [`store::Store::database_login`]).
    pub fn database_login(&mut self) -> Result<Option<String>, EngineError> {
        Ok(self.store.database_login()?)
    }

    /// Saves the listed employers (id, name, section, district, headcount: no personal data)
    /// and their employer-level results for the report's period, in one transaction that
    /// replaces the period's earlier results and records who saved it. Saving the same
    /// report again changes no result. `saved_by` needs case access.
    pub fn save_arrears(
        &mut self,
        report: &ArrearsReport,
        saved_by: &str,
        detected_at: &str,
    ) -> Result<ArrearsSaved, EngineError> {
        let detection = &report.detection;
        let employers = detection
            .employers
            .iter()
            .map(|result| {
                let employer = report.register.get(result.employer);
                EmployerRecord {
                    employer_id: employer.id.clone(),
                    name: employer.name.clone(),
                    hsic_section: employer.section.letter().to_string(),
                    district: employer.district.clone(),
                    headcount: i64::from(employer.headcount),
                }
            })
            .collect();
        let results = detection
            .employers
            .iter()
            .map(|result| ArrearsResultRow {
                employer_id: result.employer_id.clone(),
                level: result.level,
                workers_affected: i64::from(result.workers_affected),
                arrears_cents: result.arrears.cents(),
                surcharge_cents: result.surcharge.cents(),
                max_days_late: i64::from(result.max_days_late),
                months_in_default: i64::from(result.months_in_default),
                kinds: result.kinds.clone(),
                reasons: result.reasons.clone(),
            })
            .collect();
        let batch = ArrearsBatch {
            period: detection.period,
            as_of: detection.as_of,
            detected_at: detected_at.to_owned(),
            saved_by: saved_by.to_owned(),
            employers,
            results,
        };
        Ok(self.store.save_arrears(&batch)?)
    }

    /// The saved arrears results of `period` with their employers, ranked as detection
    /// ranks them (level, workers affected, arrears, employer id). Needs case access, as
    /// the cases opened from them do.
    pub fn saved_arrears(
        &mut self,
        user_name: &str,
        period: Period,
    ) -> Result<Vec<(StoredArrearsResult, Option<EmployerRecord>)>, EngineError> {
        self.store.require_case_access(user_name)?;
        let mut results = self.store.arrears_results(period)?;
        results.sort_by(|a, b| {
            b.result
                .level
                .cmp(&a.result.level)
                .then(b.result.workers_affected.cmp(&a.result.workers_affected))
                .then(b.result.arrears_cents.cmp(&a.result.arrears_cents))
                .then_with(|| a.result.employer_id.cmp(&b.result.employer_id))
        });
        results
            .into_iter()
            .map(|stored| {
                let employer = self.store.employer(&stored.result.employer_id)?;
                Ok((stored, employer))
            })
            .collect()
    }

    /// Opens a case for each saved employer of `period` at or above `min_level` that has no
    /// open case yet, in one transaction; employers with an open case are reported as
    /// [`CaseOpened::AlreadyOpen`], so running this again opens nothing.
    pub fn open_cases_from_arrears(
        &mut self,
        period: Period,
        min_level: ArrearsLevel,
        user_name: &str,
        note: Option<&str>,
        deadlines: &CaseDeadlines,
        time: &ImportTime,
    ) -> Result<Vec<OpenedCase>, EngineError> {
        let results = self.store.arrears_results(period)?;
        if results.is_empty() {
            return Err(EngineError::Request(format!(
                "no saved arrears results for {period}: run `lmo arrears … --save` first"
            )));
        }
        let note = note.map_or_else(
            || format!("opened from the {period} arrears results"),
            str::to_owned,
        );
        let wanted: Vec<NewCase> = results
            .into_iter()
            .filter(|stored| stored.result.level >= min_level)
            .map(|stored| {
                let result = stored.result;
                Ok(NewCase {
                    due_on: days_after(time.today, deadlines.first_step_days(result.level))?,
                    facts: CaseFacts {
                        workers_affected: result.workers_affected,
                        arrears_cents: result.arrears_cents,
                        surcharge_cents: result.surcharge_cents,
                        max_days_late: result.max_days_late,
                        kinds: result.kinds,
                        reasons: result.reasons,
                    },
                    employer_id: result.employer_id,
                    period,
                    level: result.level,
                    user_name: user_name.to_owned(),
                    note: note.clone(),
                    at: time.imported_at.clone(),
                })
            })
            .collect::<Result<_, EngineError>>()?;
        let outcomes = self.store.open_cases(&wanted)?;
        Ok(wanted
            .into_iter()
            .zip(outcomes)
            .map(|(case, outcome)| OpenedCase {
                employer_id: case.employer_id,
                level: case.level,
                outcome,
            })
            .collect())
    }

    /// One step of a case (assign, intervene, refer, resolve), recorded in its audit log;
    /// the next step is due when `step` says, else by the deadlines.
    pub fn case_step(
        &mut self,
        step: CaseStep,
        deadlines: &CaseDeadlines,
        time: &ImportTime,
    ) -> Result<Case, EngineError> {
        let case = self.store.case(&step.user_name, step.case_id)?;
        let due_on = match step.due_on {
            Some(due) if step.to.is_final() => Some(due),
            Some(due) if due < time.today => {
                return Err(EngineError::Request(format!(
                    "the next step cannot be due on {due}, before today ({})",
                    time.today
                )));
            }
            Some(due) => Some(due),
            None => next_due(step.to, case.level, time.today, deadlines)?,
        };
        Ok(self.store.case_transition(&CaseTransition {
            case_id: step.case_id,
            to: step.to,
            referral: step.referral,
            assignee: step.assignee,
            intervention: step.intervention,
            due_on,
            user_name: step.user_name,
            note: step.note,
            at: time.imported_at.clone(),
        })?)
    }

    fn case_view(&mut self, case: Case, today: Date) -> Result<CaseView, EngineError> {
        let employer_name = self
            .store
            .employer(&case.employer_id)?
            .map(|employer| employer.name);
        let timers = case_timers(&case, today)?;
        Ok(CaseView {
            case,
            employer_name,
            timers,
        })
    }

    /// Cases matching the filter, with their timers to `today`.
    pub fn cases(
        &mut self,
        user_name: &str,
        filter: &CaseFilter,
        today: Date,
    ) -> Result<Vec<CaseView>, EngineError> {
        let cases = self.store.cases(user_name, filter)?;
        cases
            .into_iter()
            .map(|case| self.case_view(case, today))
            .collect()
    }

    /// The open cases whose next step is overdue or due within `horizon_days` of `today`,
    /// most urgent first (earliest due, then the most severe level).
    pub fn cases_due(
        &mut self,
        user_name: &str,
        today: Date,
        horizon_days: u16,
    ) -> Result<Vec<CaseView>, EngineError> {
        let filter = CaseFilter {
            due_by: Some(days_after(today, horizon_days)?),
            ..CaseFilter::default()
        };
        self.cases(user_name, &filter, today)
    }

    /// One case with its timers and its audit log.
    pub fn case_detail(
        &mut self,
        user_name: &str,
        case_id: i64,
        today: Date,
    ) -> Result<(CaseView, Vec<CaseEvent>), EngineError> {
        let case = self.store.case(user_name, case_id)?;
        let events = self.store.case_events(user_name, case_id)?;
        Ok((self.case_view(case, today)?, events))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        domain::parse_date(text).expect("date")
    }

    fn case(kinds: Option<Vec<DefaultKind>>) -> Case {
        Case {
            id: 7,
            employer_id: "E0001".to_owned(),
            period: Period::parse("2025-06").expect("period"),
            level: ArrearsLevel::Red,
            state: CaseState::Intervening,
            referral: None,
            assignee: Some("chan".to_owned()),
            facts: kinds.map(|kinds| CaseFacts {
                workers_affected: 12,
                arrears_cents: 1_000_000,
                surcharge_cents: 50_000,
                max_days_late: 23,
                kinds,
                reasons: Vec::new(),
            }),
            due_on: Some(date("2025-08-28")),
            opened_at: "2025-08-21T09:00:00+08:00".to_owned(),
            updated_at: "2025-08-21T09:00:00+08:00".to_owned(),
        }
    }

    #[test]
    fn unpaid_arrears_count_from_the_missed_deadlines() {
        let unpaid = case(Some(vec![DefaultKind::MpfUnpaid, DefaultKind::WagesUnpaid]));
        let timers = case_timers(&unpaid, date("2025-08-31")).expect("timers");
        // 10 July 2025 is a Thursday and no holiday; wages for June are due by 7 July.
        assert_eq!(timers.mpf_contribution_day, Some(date("2025-07-10")));
        assert_eq!(timers.days_since_mpf_deadline, Some(52));
        assert_eq!(timers.wage_due_by, Some(date("2025-07-07")));
        assert_eq!(timers.days_since_wage_deadline, Some(55));
        assert_eq!(timers.days_paid_late, None);
        assert_eq!(timers.days_open, 10);
        assert_eq!(timers.days_to_due, Some(-3));
    }

    #[test]
    fn arrears_paid_late_run_no_deadline_timer() {
        let late = case(Some(vec![DefaultKind::MpfLate]));
        let timers = case_timers(&late, date("2026-12-31")).expect("timers");
        assert_eq!(timers.mpf_contribution_day, None);
        assert_eq!(timers.days_since_mpf_deadline, None);
        assert_eq!(timers.wage_due_by, None);
        assert_eq!(timers.days_paid_late, Some(23));
    }

    #[test]
    fn a_day_before_the_case_was_opened_is_refused() {
        let error = case_timers(&case(None), date("2025-08-20")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "2025-08-20 is before case 7 was opened (2025-08-21)"
        );
    }

    #[test]
    fn next_steps_fall_due_by_the_deadlines() {
        let deadlines = arrears::Thresholds::default().cases;
        let today = date("2025-08-21");
        let due = |to, level| next_due(to, level, today, &deadlines).expect("due");
        assert_eq!(
            due(CaseState::Assigned, ArrearsLevel::Red),
            Some(date("2025-08-23"))
        );
        assert_eq!(
            due(CaseState::Assigned, ArrearsLevel::Yellow),
            Some(date("2025-08-31"))
        );
        assert_eq!(
            due(CaseState::Intervening, ArrearsLevel::Red),
            Some(date("2025-08-28"))
        );
        assert_eq!(
            due(CaseState::Referred, ArrearsLevel::Red),
            Some(date("2025-09-20"))
        );
        assert_eq!(due(CaseState::Resolved, ArrearsLevel::Red), None);
    }
}
