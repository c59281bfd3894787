//! The arrears early warning as stored: employer-level arrears results (no worker data) and
//! the cases opened from them, with their append-only audit log. Every method checks the
//! acting user's role first: roles without case access get [`StoreError::Forbidden`],
//! whatever the front end. The state machine itself is [`domain::CaseState::next`].

use std::collections::{HashMap, HashSet};

use domain::{
    ArrearsLevel, CaseAction, CaseState, Date, DefaultKind, Intervention, Period, Reason, Referral,
};

use crate::sql::{Param, Row, Sql, Transaction, params, query_map, query_one, query_opt};
use crate::users::role_of;
use crate::{SqlStore, StoreError, corrupt};

/// Arrears results and cases.
pub trait Casework {
    /// [`StoreError::Forbidden`] unless `user_name` is a user with case access.
    fn require_case_access(&mut self, user_name: &str) -> Result<(), StoreError>;

    /// Saves one run's employers and results for `batch.period` in one transaction,
    /// replacing that period's results, and records the save in the arrears saves' audit
    /// log. Rows whose values are unchanged keep their `detected_at`, so saving the same run
    /// again changes no result. `batch.saved_by` needs case access.
    fn save_arrears(&mut self, batch: &ArrearsBatch) -> Result<ArrearsSaved, StoreError>;

    /// The audit log of saved runs of `period` (every period when `None`), oldest first.
    /// Needs case access.
    fn arrears_saves(
        &mut self,
        user_name: &str,
        period: Option<Period>,
    ) -> Result<Vec<ArrearsSave>, StoreError>;

    /// The saved results of a period, by employer id.
    fn arrears_results(&mut self, period: Period) -> Result<Vec<StoredArrearsResult>, StoreError>;

    /// A saved employer.
    fn employer(&mut self, employer_id: &str) -> Result<Option<EmployerRecord>, StoreError>;

    /// Opens a case (state `discover`) with its first audit entry for each of `cases`,
    /// unless its employer already has an open case, all in one transaction: all are opened
    /// or none. Every case must name the same acting user, who needs case access.
    fn open_cases(&mut self, cases: &[NewCase]) -> Result<Vec<CaseOpened>, StoreError>;

    /// Moves a case along the state machine of [`CaseState::next`] and appends the step to
    /// its audit log, in one transaction. Needs case access.
    fn case_transition(&mut self, transition: &CaseTransition) -> Result<Case, StoreError>;

    /// Cases matching the filter, by id (by due date and level with
    /// [`CaseFilter::due_by`]). Needs case access.
    fn cases(&mut self, user_name: &str, filter: &CaseFilter) -> Result<Vec<Case>, StoreError>;

    /// One case, [`StoreError::NotFound`] when there is none. Needs case access.
    fn case(&mut self, user_name: &str, case_id: i64) -> Result<Case, StoreError>;

    /// The audit log of a case, oldest first. Needs case access.
    fn case_events(&mut self, user_name: &str, case_id: i64) -> Result<Vec<CaseEvent>, StoreError>;
}

/// An employer of the register (company names are not personal data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerRecord {
    pub employer_id: String,
    pub name: String,
    pub hsic_section: String,
    pub district: String,
    pub headcount: i64,
}

/// One employer's arrears result for a month: employer-level figures only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrearsResultRow {
    pub employer_id: String,
    pub level: ArrearsLevel,
    pub workers_affected: i64,
    pub arrears_cents: i64,
    pub surcharge_cents: i64,
    pub max_days_late: i64,
    pub months_in_default: i64,
    pub kinds: Vec<DefaultKind>,
    pub reasons: Vec<Reason>,
}

/// The results of one detection run for one period, saved together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrearsBatch {
    pub period: Period,
    pub as_of: Date,
    /// RFC 3339, passed in by the caller.
    pub detected_at: String,
    /// The user who saves the run.
    pub saved_by: String,
    pub employers: Vec<EmployerRecord>,
    pub results: Vec<ArrearsResultRow>,
}

/// A stored result with when it was judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredArrearsResult {
    pub period: Period,
    pub result: ArrearsResultRow,
    pub as_of: Date,
    pub detected_at: String,
}

/// What [`Casework::save_arrears`] changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ArrearsSaved {
    pub employers_new: u64,
    pub employers_changed: u64,
    pub results_new: u64,
    pub results_changed: u64,
    pub results_unchanged: u64,
    /// Results of the period no longer listed by this run.
    pub results_removed: u64,
}

/// One entry of the arrears saves' audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrearsSave {
    pub id: i64,
    pub period: Period,
    pub saved_by: String,
    pub saved_at: String,
    pub as_of: Date,
    /// Employer results in the run.
    pub results: u64,
    pub saved: ArrearsSaved,
    /// The earlier save of the same period whose results this one replaced.
    pub replaces: Option<i64>,
}

/// The employer-level facts a case was opened on (no worker data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub workers_affected: i64,
    pub arrears_cents: i64,
    pub surcharge_cents: i64,
    pub max_days_late: i64,
    pub kinds: Vec<DefaultKind>,
    pub reasons: Vec<Reason>,
}

/// A case to open for an employer and period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub employer_id: String,
    pub period: Period,
    pub level: ArrearsLevel,
    pub facts: CaseFacts,
    /// When its first step is due.
    pub due_on: Date,
    pub user_name: String,
    pub note: String,
    /// RFC 3339, passed in by the caller.
    pub at: String,
}

/// What [`Casework::open_cases`] did for one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseOpened {
    Opened(i64),
    /// The employer already has an open case (any period); nothing was written.
    AlreadyOpen(i64),
}

impl CaseOpened {
    pub fn id(self) -> i64 {
        match self {
            CaseOpened::Opened(id) | CaseOpened::AlreadyOpen(id) => id,
        }
    }
}

/// A case as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub id: i64,
    pub employer_id: String,
    pub period: Period,
    pub level: ArrearsLevel,
    pub state: CaseState,
    pub referral: Option<Referral>,
    pub assignee: Option<String>,
    /// `None` for cases opened before cases kept their facts.
    pub facts: Option<CaseFacts>,
    /// When the next step is due; `None` once resolved (and for cases older than due dates).
    pub due_on: Option<Date>,
    pub opened_at: String,
    pub updated_at: String,
}

/// One step of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseTransition {
    pub case_id: i64,
    pub to: CaseState,
    /// Required when `to` is [`CaseState::Referred`], refused otherwise.
    pub referral: Option<Referral>,
    /// Required when `to` is [`CaseState::Assigned`]: a user with case access.
    pub assignee: Option<String>,
    /// How the officer acted: required when the case moves to (or stays)
    /// [`CaseState::Intervening`] by the officer's own action, refused otherwise.
    pub intervention: Option<Intervention>,
    /// When the next step is due: required unless the case is resolved, refused then.
    pub due_on: Option<Date>,
    pub user_name: String,
    pub note: String,
    /// RFC 3339, passed in by the caller.
    pub at: String,
}

/// Which cases to list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub state: Option<CaseState>,
    pub employer_id: Option<String>,
    /// Only cases not resolved.
    pub open_only: bool,
    /// Only open cases whose next step is due on or before this date, most urgent first
    /// (earliest due, then the most severe level).
    pub due_by: Option<Date>,
}

/// One entry of a case's audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEvent {
    pub id: i64,
    pub case_id: i64,
    pub at: String,
    pub user_name: String,
    pub action: CaseAction,
    pub from_state: Option<CaseState>,
    pub to_state: CaseState,
    pub note: String,
    /// The due date the step set for the next one.
    pub due_on: Option<Date>,
}

/// Refuses a user that does not exist or has no case access.
fn require_access(sql: &mut (impl Sql + ?Sized), user_name: &str) -> Result<(), StoreError> {
    match role_of(sql, user_name)? {
        None => Err(StoreError::Forbidden(format!(
            "unknown user '{user_name}': `lmo users add` creates users"
        ))),
        Some(role) if !role.has_case_access() => Err(StoreError::Forbidden(format!(
            "user {user_name} (role {role}) has no case access"
        ))),
        Some(_) => Ok(()),
    }
}

fn require_note(note: &str) -> Result<(), StoreError> {
    if note.trim().is_empty() {
        return Err(StoreError::Invalid(
            "a case step needs a note (who was contacted, what was decided)".to_owned(),
        ));
    }
    Ok(())
}

/// Checks a transition of `case` and returns the audit action to record.
fn check_transition(case: &Case, transition: &CaseTransition) -> Result<CaseAction, StoreError> {
    require_note(&transition.note)?;
    let from = case.state;
    let to = transition.to;
    if !from.next().contains(&to) {
        let allowed: Vec<&str> = from.next().iter().map(|state| state.as_str()).collect();
        let allowed = if allowed.is_empty() {
            "none: the case is closed".to_owned()
        } else {
            allowed.join(", ")
        };
        return Err(StoreError::Invalid(format!(
            "case {} is {from}: it cannot move to {to} (allowed: {allowed})",
            case.id
        )));
    }
    let referred = to == CaseState::Referred;
    if referred && transition.referral.is_none() {
        let targets: Vec<&str> = Referral::ALL.iter().map(|target| target.as_str()).collect();
        return Err(StoreError::Invalid(format!(
            "referring case {} needs a referral target ({})",
            case.id,
            targets.join(", ")
        )));
    }
    if !referred && transition.referral.is_some() {
        return Err(StoreError::Invalid(
            "a referral target is given only when a case moves to referred".to_owned(),
        ));
    }
    match (to, &transition.assignee) {
        (CaseState::Assigned, None) => {
            return Err(StoreError::Invalid(format!(
                "assigning case {} needs an officer to assign it to",
                case.id
            )));
        }
        (CaseState::Assigned, Some(_)) | (_, None) => {}
        (_, Some(_)) => {
            return Err(StoreError::Invalid(
                "an assignee is given only when a case is assigned".to_owned(),
            ));
        }
    }
    // Moving to intervening is the officer's own action, unless a referral came back.
    let acts = to == CaseState::Intervening && from != CaseState::Referred;
    match (acts, transition.intervention) {
        (true, None) => {
            let kinds: Vec<&str> = Intervention::ALL.iter().map(|kind| kind.as_str()).collect();
            return Err(StoreError::Invalid(format!(
                "an intervention on case {} says how the officer acted ({})",
                case.id,
                kinds.join(", ")
            )));
        }
        (false, Some(_)) => {
            return Err(StoreError::Invalid(
                "how the officer acted is given only for an intervention".to_owned(),
            ));
        }
        _ => {}
    }
    match (to.is_final(), transition.due_on) {
        (false, None) => {
            return Err(StoreError::Invalid(format!(
                "case {} needs the date its next step is due",
                case.id
            )));
        }
        (true, Some(_)) => {
            return Err(StoreError::Invalid(
                "a resolved case has no next step to be due".to_owned(),
            ));
        }
        _ => {}
    }
    Ok(CaseAction::of_step(
        from,
        to,
        transition.referral,
        transition.intervention,
    ))
}

/// Checks that an assignee exists and has case access.
fn check_assignee(sql: &mut (impl Sql + ?Sized), assignee: &str) -> Result<(), StoreError> {
    match role_of(sql, assignee)? {
        None => Err(StoreError::Invalid(format!(
            "cannot assign to unknown user '{assignee}'"
        ))),
        Some(role) if !role.has_case_access() => Err(StoreError::Invalid(format!(
            "cannot assign to {assignee} (role {role}): only case officers and admins take cases"
        ))),
        Some(_) => Ok(()),
    }
}

/// Refuses a batch that names an employer twice (a batch must name each employer once).
fn check_batch(batch: &ArrearsBatch) -> Result<(), StoreError> {
    let mut seen = HashSet::new();
    for result in &batch.results {
        if !seen.insert(result.employer_id.as_str()) {
            return Err(StoreError::Invalid(format!(
                "employer {} is listed twice in the arrears results of {}",
                result.employer_id, batch.period
            )));
        }
    }
    Ok(())
}

/// The final states as an SQL list, for "open case" queries.
fn final_states_sql() -> String {
    let states: Vec<String> = CaseState::ALL
        .iter()
        .filter(|state| state.is_final())
        .map(|state| format!("'{state}'"))
        .collect();
    format!("({})", states.join(", "))
}

/// Codes as one comma-separated column.
fn join_codes<T: Copy>(codes: &[T], code: impl Fn(T) -> &'static str) -> String {
    codes
        .iter()
        .map(|item| code(*item))
        .collect::<Vec<_>>()
        .join(",")
}

fn split_codes<T>(
    table: &'static str,
    text: &str,
    parse: impl Fn(&str) -> Result<T, domain::DomainError>,
) -> Result<Vec<T>, StoreError> {
    text.split(',')
        .filter(|code| !code.is_empty())
        .map(|code| parse(code).map_err(|error| corrupt(table, error)))
        .collect()
}

fn decode_period(table: &'static str, text: &str) -> Result<Period, StoreError> {
    Period::parse(text).map_err(|error| corrupt(table, error))
}

const RESULT_COLUMNS: &str = "period, employer_id, level, workers_affected, arrears_cents, \
     surcharge_cents, max_days_late, months_in_default, kinds, reasons, as_of, detected_at";

fn decode_result(row: &Row) -> Result<StoredArrearsResult, StoreError> {
    const TABLE: &str = "arrears_results";
    let err = |error| corrupt(TABLE, error);
    Ok(StoredArrearsResult {
        period: decode_period(TABLE, &row.text(0)?)?,
        result: ArrearsResultRow {
            employer_id: row.text(1)?,
            level: ArrearsLevel::parse(&row.text(2)?).map_err(err)?,
            workers_affected: row.int(3)?,
            arrears_cents: row.int(4)?,
            surcharge_cents: row.int(5)?,
            max_days_late: row.int(6)?,
            months_in_default: row.int(7)?,
            kinds: split_codes(TABLE, &row.text(8)?, DefaultKind::parse)?,
            reasons: split_codes(TABLE, &row.text(9)?, Reason::parse)?,
        },
        as_of: domain::parse_date(&row.text(10)?).map_err(err)?,
        detected_at: row.text(11)?,
    })
}

const CASE_COLUMNS: &str = "id, employer_id, period, level, state, referral, assignee, \
     opened_at, updated_at, due_on, workers_affected, arrears_cents, surcharge_cents, \
     max_days_late, kinds, reasons";

/// The facts columns of a `cases` row (from index 10), `None` for a case opened before
/// cases kept their facts.
fn decode_facts(row: &Row) -> Result<Option<CaseFacts>, StoreError> {
    const TABLE: &str = "cases";
    let Some(workers_affected) = row.opt_int(10)? else {
        return Ok(None);
    };
    Ok(Some(CaseFacts {
        workers_affected,
        arrears_cents: row.int(11)?,
        surcharge_cents: row.int(12)?,
        max_days_late: row.int(13)?,
        kinds: split_codes(TABLE, &row.text(14)?, DefaultKind::parse)?,
        reasons: split_codes(TABLE, &row.text(15)?, Reason::parse)?,
    }))
}

fn decode_date(table: &'static str, text: Option<String>) -> Result<Option<Date>, StoreError> {
    text.map(|text| domain::parse_date(&text).map_err(|error| corrupt(table, error)))
        .transpose()
}

fn decode_case(row: &Row) -> Result<Case, StoreError> {
    const TABLE: &str = "cases";
    let err = |error| corrupt(TABLE, error);
    Ok(Case {
        facts: decode_facts(row)?,
        due_on: decode_date(TABLE, row.opt_text(9)?)?,
        id: row.int(0)?,
        employer_id: row.text(1)?,
        period: decode_period(TABLE, &row.text(2)?)?,
        level: ArrearsLevel::parse(&row.text(3)?).map_err(err)?,
        state: CaseState::parse(&row.text(4)?).map_err(err)?,
        referral: row
            .opt_text(5)?
            .as_deref()
            .map(Referral::parse)
            .transpose()
            .map_err(err)?,
        assignee: row.opt_text(6)?,
        opened_at: row.text(7)?,
        updated_at: row.text(8)?,
    })
}

const EVENT_COLUMNS: &str =
    "id, case_id, at, user_name, action, from_state, to_state, note, due_on";

fn decode_event(row: &Row) -> Result<CaseEvent, StoreError> {
    const TABLE: &str = "case_events";
    let err = |error| corrupt(TABLE, error);
    Ok(CaseEvent {
        id: row.int(0)?,
        case_id: row.int(1)?,
        at: row.text(2)?,
        user_name: row.text(3)?,
        action: CaseAction::parse(&row.text(4)?).map_err(err)?,
        from_state: row
            .opt_text(5)?
            .as_deref()
            .map(CaseState::parse)
            .transpose()
            .map_err(err)?,
        to_state: CaseState::parse(&row.text(6)?).map_err(err)?,
        note: row.text(7)?,
        due_on: decode_date(TABLE, row.opt_text(8)?)?,
    })
}

fn decode_save(row: &Row) -> Result<ArrearsSave, StoreError> {
    const TABLE: &str = "arrears_saves";
    Ok(ArrearsSave {
        id: row.int(0)?,
        period: decode_period(TABLE, &row.text(1)?)?,
        saved_by: row.text(2)?,
        saved_at: row.text(3)?,
        as_of: domain::parse_date(&row.text(4)?).map_err(|error| corrupt(TABLE, error))?,
        results: row.count(5)?,
        saved: ArrearsSaved {
            results_new: row.count(6)?,
            results_changed: row.count(7)?,
            results_unchanged: row.count(8)?,
            results_removed: row.count(9)?,
            employers_new: row.count(10)?,
            employers_changed: row.count(11)?,
        },
        replaces: row.opt_int(12)?,
    })
}

fn load_case(sql: &mut (impl Sql + ?Sized), case_id: i64) -> Result<Case, StoreError> {
    let row = query_opt(
        sql,
        &format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1"),
        params![case_id],
    )?
    .ok_or_else(|| StoreError::NotFound(format!("no case {case_id}")))?;
    decode_case(&row)
}

/// Opens one case in `transaction`, unless its employer has an open case.
fn open_case(transaction: &mut dyn Transaction, case: &NewCase) -> Result<CaseOpened, StoreError> {
    // Serialises openings for one employer, so that two officers cannot both open one.
    transaction.lock(&format!("lmo case {}", case.employer_id))?;
    let open = query_opt(
        transaction,
        &format!(
            "SELECT id FROM cases WHERE employer_id = $1 AND state NOT IN {}
             ORDER BY id LIMIT 1",
            final_states_sql()
        ),
        params![&case.employer_id],
    )?;
    if let Some(row) = open {
        return Ok(CaseOpened::AlreadyOpen(row.int(0)?));
    }
    let period = case.period.to_string();
    let due_on = case.due_on.to_string();
    let facts = &case.facts;
    let kinds = join_codes(&facts.kinds, DefaultKind::as_str);
    let reasons = join_codes(&facts.reasons, Reason::as_str);
    let id = query_one(
        transaction,
        "INSERT INTO cases (employer_id, period, level, state, opened_at, updated_at, due_on,
                            workers_affected, arrears_cents, surcharge_cents, max_days_late,
                            kinds, reasons)
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10, $11, $12)
         RETURNING id",
        params![
            &case.employer_id,
            period.as_str(),
            case.level.as_str(),
            CaseState::Discover.as_str(),
            &case.at,
            due_on.as_str(),
            facts.workers_affected,
            facts.arrears_cents,
            facts.surcharge_cents,
            facts.max_days_late,
            kinds.as_str(),
            reasons.as_str(),
        ],
    )?
    .int(0)?;
    transaction.execute(
        "INSERT INTO case_events (case_id, at, user_name, action, from_state, to_state, note,
                                  due_on)
         VALUES ($1, $2, $3, $4, NULL, $5, $6, $7)",
        params![
            id,
            &case.at,
            &case.user_name,
            CaseAction::Open.code().as_str(),
            CaseState::Discover.as_str(),
            &case.note,
            due_on.as_str(),
        ],
    )?;
    Ok(CaseOpened::Opened(id))
}

/// Writes the employers of a batch that are new or changed; counts both in `saved`.
fn save_employers(
    sql: &mut (impl Sql + ?Sized),
    employers: &[EmployerRecord],
    saved: &mut ArrearsSaved,
) -> Result<(), StoreError> {
    for employer in employers {
        let stored = query_opt(
            sql,
            "SELECT employer_id, name, hsic_section, district, headcount FROM employers
             WHERE employer_id = $1",
            params![&employer.employer_id],
        )?
        .map(|row| decode_employer(&row))
        .transpose()?;
        match stored {
            Some(stored) if stored == *employer => continue,
            Some(_) => saved.employers_changed += 1,
            None => saved.employers_new += 1,
        }
        sql.execute(
            "INSERT INTO employers (employer_id, name, hsic_section, district, headcount)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (employer_id) DO UPDATE SET name = excluded.name,
                 hsic_section = excluded.hsic_section, district = excluded.district,
                 headcount = excluded.headcount",
            params![
                &employer.employer_id,
                &employer.name,
                &employer.hsic_section,
                &employer.district,
                employer.headcount,
            ],
        )?;
    }
    Ok(())
}

fn decode_employer(row: &Row) -> Result<EmployerRecord, StoreError> {
    Ok(EmployerRecord {
        employer_id: row.text(0)?,
        name: row.text(1)?,
        hsic_section: row.text(2)?,
        district: row.text(3)?,
        headcount: row.int(4)?,
    })
}

impl Casework for SqlStore {
    fn require_case_access(&mut self, user_name: &str) -> Result<(), StoreError> {
        require_access(&mut *self.database, user_name)
    }

    fn save_arrears(&mut self, batch: &ArrearsBatch) -> Result<ArrearsSaved, StoreError> {
        check_batch(batch)?;
        let period = batch.period.to_string();
        let as_of = batch.as_of.to_string();
        let mut transaction = self.database.transaction()?;
        require_access(&mut *transaction, &batch.saved_by)?;
        // One writer per period at a time, so that two runs cannot interleave their counts.
        transaction.lock(&format!("lmo arrears {period}"))?;
        let mut saved = ArrearsSaved::default();
        save_employers(&mut *transaction, &batch.employers, &mut saved)?;

        let mut existing: HashMap<String, StoredArrearsResult> = query_map(
            &mut *transaction,
            &format!("SELECT {RESULT_COLUMNS} FROM arrears_results WHERE period = $1"),
            params![period.as_str()],
            decode_result,
        )?
        .into_iter()
        .map(|stored| (stored.result.employer_id.clone(), stored))
        .collect();
        for result in &batch.results {
            match existing.remove(&result.employer_id) {
                Some(stored) if stored.result == *result && stored.as_of == batch.as_of => {
                    saved.results_unchanged += 1;
                    continue;
                }
                Some(_) => saved.results_changed += 1,
                None => saved.results_new += 1,
            }
            let kinds = join_codes(&result.kinds, DefaultKind::as_str);
            let reasons = join_codes(&result.reasons, Reason::as_str);
            transaction.execute(
                &format!(
                    "INSERT INTO arrears_results ({RESULT_COLUMNS})
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                     ON CONFLICT (period, employer_id) DO UPDATE SET level = excluded.level,
                         workers_affected = excluded.workers_affected,
                         arrears_cents = excluded.arrears_cents,
                         surcharge_cents = excluded.surcharge_cents,
                         max_days_late = excluded.max_days_late,
                         months_in_default = excluded.months_in_default,
                         kinds = excluded.kinds, reasons = excluded.reasons,
                         as_of = excluded.as_of, detected_at = excluded.detected_at"
                ),
                params![
                    period.as_str(),
                    &result.employer_id,
                    result.level.as_str(),
                    result.workers_affected,
                    result.arrears_cents,
                    result.surcharge_cents,
                    result.max_days_late,
                    result.months_in_default,
                    kinds.as_str(),
                    reasons.as_str(),
                    as_of.as_str(),
                    &batch.detected_at,
                ],
            )?;
        }
        for employer_id in existing.keys() {
            saved.results_removed += transaction.execute(
                "DELETE FROM arrears_results WHERE period = $1 AND employer_id = $2",
                params![period.as_str(), employer_id],
            )?;
        }
        let replaces = query_one(
            &mut *transaction,
            "SELECT max(id) FROM arrears_saves WHERE period = $1",
            params![period.as_str()],
        )?
        .opt_int(0)?;
        transaction.execute(
            "INSERT INTO arrears_saves (period, saved_by, saved_at, as_of, results, results_new,
                 results_changed, results_unchanged, results_removed, employers_new,
                 employers_changed, replaces)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            params![
                period.as_str(),
                &batch.saved_by,
                &batch.detected_at,
                as_of.as_str(),
                batch.results.len() as u64,
                saved.results_new,
                saved.results_changed,
                saved.results_unchanged,
                saved.results_removed,
                saved.employers_new,
                saved.employers_changed,
                replaces,
            ],
        )?;
        transaction.commit()?;
        Ok(saved)
    }

    fn arrears_saves(
        &mut self,
        user_name: &str,
        period: Option<Period>,
    ) -> Result<Vec<ArrearsSave>, StoreError> {
        require_access(&mut *self.database, user_name)?;
        let period = period.map(|period| period.to_string());
        let filter = if period.is_some() {
            "WHERE period = $1"
        } else {
            ""
        };
        let values: Vec<Param<'_>> = period.as_deref().map(Param::from).into_iter().collect();
        query_map(
            &mut *self.database,
            &format!(
                "SELECT id, period, saved_by, saved_at, as_of, results, results_new,
                        results_changed, results_unchanged, results_removed, employers_new,
                        employers_changed, replaces
                 FROM arrears_saves {filter} ORDER BY id"
            ),
            &values,
            decode_save,
        )
    }

    fn arrears_results(&mut self, period: Period) -> Result<Vec<StoredArrearsResult>, StoreError> {
        let period = period.to_string();
        query_map(
            &mut *self.database,
            &format!(
                "SELECT {RESULT_COLUMNS} FROM arrears_results WHERE period = $1
                 ORDER BY employer_id"
            ),
            params![period.as_str()],
            decode_result,
        )
    }

    fn employer(&mut self, employer_id: &str) -> Result<Option<EmployerRecord>, StoreError> {
        query_opt(
            &mut *self.database,
            "SELECT employer_id, name, hsic_section, district, headcount FROM employers
             WHERE employer_id = $1",
            params![employer_id],
        )?
        .map(|row| decode_employer(&row))
        .transpose()
    }

    fn open_cases(&mut self, cases: &[NewCase]) -> Result<Vec<CaseOpened>, StoreError> {
        let mut transaction = self.database.transaction()?;
        let mut checked_users = HashSet::new();
        let mut opened = Vec::with_capacity(cases.len());
        for case in cases {
            if checked_users.insert(case.user_name.as_str()) {
                require_access(&mut *transaction, &case.user_name)?;
            }
            require_note(&case.note)?;
            opened.push(open_case(&mut *transaction, case)?);
        }
        transaction.commit()?;
        Ok(opened)
    }

    fn case_transition(&mut self, transition: &CaseTransition) -> Result<Case, StoreError> {
        let mut transaction = self.database.transaction()?;
        require_access(&mut *transaction, &transition.user_name)?;
        transaction.lock(&format!("lmo case step {}", transition.case_id))?;
        let case = load_case(&mut *transaction, transition.case_id)?;
        let action = check_transition(&case, transition)?;
        if let Some(assignee) = &transition.assignee {
            check_assignee(&mut *transaction, assignee)?;
        }
        let assignee = transition.assignee.as_ref().or(case.assignee.as_ref());
        // A referral is kept while its outcome is awaited and after it.
        let referral = transition.referral.or(case.referral);
        let due_on = transition.due_on.map(|date| date.to_string());
        transaction.execute(
            "UPDATE cases SET state = $2, referral = $3, assignee = $4, updated_at = $5,
                 due_on = $6
             WHERE id = $1",
            params![
                case.id,
                transition.to.as_str(),
                referral.map(Referral::as_str),
                assignee,
                &transition.at,
                due_on.as_deref(),
            ],
        )?;
        transaction.execute(
            "INSERT INTO case_events (case_id, at, user_name, action, from_state, to_state, note,
                                      due_on)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            params![
                case.id,
                &transition.at,
                &transition.user_name,
                action.code().as_str(),
                case.state.as_str(),
                transition.to.as_str(),
                &transition.note,
                due_on.as_deref(),
            ],
        )?;
        let updated = load_case(&mut *transaction, case.id)?;
        transaction.commit()?;
        Ok(updated)
    }

    fn cases(&mut self, user_name: &str, filter: &CaseFilter) -> Result<Vec<Case>, StoreError> {
        require_access(&mut *self.database, user_name)?;
        let mut conditions = Vec::new();
        let mut values: Vec<Param<'_>> = Vec::new();
        if let Some(state) = filter.state {
            values.push(state.as_str().into());
            conditions.push(format!("state = ${}", values.len()));
        }
        if let Some(employer_id) = &filter.employer_id {
            values.push(employer_id.into());
            conditions.push(format!("employer_id = ${}", values.len()));
        }
        if filter.open_only || filter.due_by.is_some() {
            conditions.push(format!("state NOT IN {}", final_states_sql()));
        }
        let due_by = filter.due_by.map(|date| date.to_string());
        if let Some(due_by) = &due_by {
            values.push(due_by.into());
            conditions.push(format!("due_on <= ${}", values.len()));
        }
        let filters = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let mut cases = query_map(
            &mut *self.database,
            &format!("SELECT {CASE_COLUMNS} FROM cases {filters} ORDER BY id"),
            &values,
            decode_case,
        )?;
        if filter.due_by.is_some() {
            cases.sort_by(|a, b| {
                a.due_on
                    .cmp(&b.due_on)
                    .then(b.level.cmp(&a.level))
                    .then(a.id.cmp(&b.id))
            });
        }
        Ok(cases)
    }

    fn case(&mut self, user_name: &str, case_id: i64) -> Result<Case, StoreError> {
        require_access(&mut *self.database, user_name)?;
        load_case(&mut *self.database, case_id)
    }

    fn case_events(&mut self, user_name: &str, case_id: i64) -> Result<Vec<CaseEvent>, StoreError> {
        require_access(&mut *self.database, user_name)?;
        load_case(&mut *self.database, case_id)?;
        query_map(
            &mut *self.database,
            &format!("SELECT {EVENT_COLUMNS} FROM case_events WHERE case_id = $1 ORDER BY id"),
            params![case_id],
            decode_event,
        )
    }
}
