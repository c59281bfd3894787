//! The case workflow of the arrears early warning: saved results, users with roles, cases
//! opened from results, their steps, and timers against the legal deadlines.
//!
//! The store enforces the role model (only case officers and admins see or change cases) and
//! the state machine; the engine adds what needs the law: the MPF contribution day and the
//! wage deadline each case's period missed, and how long ago that was.

use domain::{ArrearsLevel, Date, Period};
use labour_law::{HolidayCalendar, Parameters};
use store::{ArrearsBatch, ArrearsResultRow, NewCase};

pub use domain::{CaseState, Referral, Role, UserAction};
pub use store::{
    ArrearsSaved, Case, CaseEvent, CaseFilter, CaseOpened, CaseTransition, EmployerRecord,
    RoleChange, StoredArrearsResult, User, UserEvent,
};

use crate::{ArrearsReport, Engine, EngineError};

/// One employer considered by [`Engine::open_cases_from_arrears`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedCase {
    pub employer_id: String,
    pub level: ArrearsLevel,
    pub outcome: CaseOpened,
}

/// The legal deadlines a case's period missed, and the time since, to a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseTimers {
    /// The MPF contribution day for the period (10th of the next month, moved to a working
    /// day); `None` when the period is outside the bundled holiday calendar.
    pub mpf_contribution_day: Option<Date>,
    /// Days from the contribution day to today (negative while it is still ahead).
    pub days_since_mpf_deadline: Option<i32>,
    /// The last day wages for the period may be paid (7 days after the period ends).
    pub wage_due_by: Option<Date>,
    pub days_since_wage_deadline: Option<i32>,
    /// Days since the case was opened.
    pub days_open: Option<i32>,
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

/// The timers of a case of `period` opened at `opened_at` (RFC 3339), to `today`.
pub fn case_timers(period: Period, opened_at: &str, today: Date) -> CaseTimers {
    let period_end = period.end_date();
    let mpf_contribution_day = HolidayCalendar::hong_kong()
        .contribution_day(period_end)
        .ok();
    let wage_due_by = Parameters::hong_kong().wage_due_by(period_end).ok();
    let opened = opened_at
        .get(..10)
        .and_then(|date| domain::parse_date(date).ok());
    CaseTimers {
        mpf_contribution_day,
        days_since_mpf_deadline: mpf_contribution_day.map(|day| days_between(day, today)),
        wage_due_by,
        days_since_wage_deadline: wage_due_by.map(|day| days_between(day, today)),
        days_open: opened.map(|day| days_between(day, today)),
    }
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
        at: &str,
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
            .map(|stored| NewCase {
                employer_id: stored.result.employer_id,
                period,
                level: stored.result.level,
                user_name: user_name.to_owned(),
                note: note.clone(),
                at: at.to_owned(),
            })
            .collect();
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

    /// One step of a case (assign, intervene, resolve, refer), recorded in its audit log.
    pub fn case_step(&mut self, transition: &CaseTransition) -> Result<Case, EngineError> {
        Ok(self.store.case_transition(transition)?)
    }

    fn case_view(&mut self, case: Case, today: Date) -> Result<CaseView, EngineError> {
        let employer_name = self
            .store
            .employer(&case.employer_id)?
            .map(|employer| employer.name);
        let timers = case_timers(case.period, &case.opened_at, today);
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

    #[test]
    fn timers_count_from_the_missed_deadlines() {
        let timers = case_timers(
            Period::parse("2025-06").expect("period"),
            "2025-08-21T09:00:00+08:00",
            date("2025-08-31"),
        );
        // 10 July 2025 is a Thursday and no holiday; wages for June are due by 7 July.
        assert_eq!(timers.mpf_contribution_day, Some(date("2025-07-10")));
        assert_eq!(timers.days_since_mpf_deadline, Some(52));
        assert_eq!(timers.wage_due_by, Some(date("2025-07-07")));
        assert_eq!(timers.days_since_wage_deadline, Some(55));
        assert_eq!(timers.days_open, Some(10));
    }

    #[test]
    fn a_period_outside_the_tables_has_no_timer() {
        let timers = case_timers(
            Period::parse("1990-06").expect("period"),
            "garbage",
            date("2025-08-31"),
        );
        assert_eq!(timers.mpf_contribution_day, None);
        assert_eq!(timers.days_open, None);
    }
}
