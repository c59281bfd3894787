//! The arrears case workflow as stored: users with roles, employer-level arrears results, and
//! cases with their append-only audit log. The rules every backend applies (who may touch
//! case data, which state may follow which) live here, once.
//!
//! State machine:
//!
//! ```text
//! discover ──▶ assigned ──▶ intervening ──▶ resolved
//!    │            │  ▲            │
//!    │            └──┘ (reassign) │
//!    └────────────┴───────────────┴──────▶ referred (Labour Department, MPFA,
//!                                           Labour Tribunal, insolvency fund)
//! ```
//!
//! A case may be referred from any open state, including `discover`: an employer already
//! wound up goes straight to the insolvency fund, and a matter that belongs to another
//! authority need not be assigned first. `resolved` is reached only through `intervening`.
//! `resolved` and `referred` are final.

use crate::StoreError;

/// What a user may do. Only [`Role::CaseOfficer`] and [`Role::Admin`] see or change cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Viewer,
    Analyst,
    CaseOfficer,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Analyst, Role::CaseOfficer, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Analyst => "analyst",
            Role::CaseOfficer => "case_officer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == text)
    }

    pub fn has_case_access(self) -> bool {
        matches!(self, Role::CaseOfficer | Role::Admin)
    }
}

/// A user of lmo and their role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub user_name: String,
    pub role: Role,
    /// RFC 3339, passed in by the caller.
    pub created_at: String,
}

/// A change of a user's role, made by an admin, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleChange {
    pub user_name: String,
    pub role: Role,
    /// The acting admin.
    pub by: String,
    pub note: String,
    /// RFC 3339, passed in by the caller.
    pub at: String,
}

/// What happened to a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserAction {
    Added,
    RoleChanged,
}

impl UserAction {
    pub fn as_str(self) -> &'static str {
        match self {
            UserAction::Added => "added",
            UserAction::RoleChanged => "role_changed",
        }
    }
}

/// One entry of the users' audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserEvent {
    pub user_name: String,
    pub action: UserAction,
    /// `None` for [`UserAction::Added`].
    pub old_role: Option<Role>,
    pub new_role: Role,
    /// The acting admin; `None` for a user added while the store had no admin.
    pub by: Option<String>,
    pub note: String,
    pub at: String,
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
    /// `yellow`, `orange` or `red`.
    pub level: String,
    pub workers_affected: i64,
    pub arrears_cents: i64,
    pub surcharge_cents: i64,
    pub max_days_late: i64,
    pub months_in_default: i64,
    /// Comma-separated default kinds.
    pub kinds: String,
    /// Comma-separated reason codes.
    pub reasons: String,
}

/// The results of one detection run for one period, saved together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrearsBatch {
    pub period: String,
    pub as_of: String,
    /// RFC 3339, passed in by the caller.
    pub detected_at: String,
    pub employers: Vec<EmployerRecord>,
    pub results: Vec<ArrearsResultRow>,
}

/// A stored result with when it was judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredArrearsResult {
    pub period: String,
    pub result: ArrearsResultRow,
    pub as_of: String,
    pub detected_at: String,
}

/// What [`crate::Store::save_arrears`] changed.
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

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CaseState {
    Discover,
    Assigned,
    Intervening,
    Resolved,
    Referred,
}

impl CaseState {
    pub const ALL: [CaseState; 5] = [
        CaseState::Discover,
        CaseState::Assigned,
        CaseState::Intervening,
        CaseState::Resolved,
        CaseState::Referred,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::Discover => "discover",
            CaseState::Assigned => "assigned",
            CaseState::Intervening => "intervening",
            CaseState::Resolved => "resolved",
            CaseState::Referred => "referred",
        }
    }

    pub fn parse(text: &str) -> Option<CaseState> {
        CaseState::ALL
            .into_iter()
            .find(|state| state.as_str() == text)
    }

    /// Resolved and referred cases are closed for good.
    pub fn is_final(self) -> bool {
        matches!(self, CaseState::Resolved | CaseState::Referred)
    }

    /// The states a case may move to from this one.
    pub fn next(self) -> &'static [CaseState] {
        match self {
            CaseState::Discover => &[CaseState::Assigned, CaseState::Referred],
            CaseState::Assigned => &[
                CaseState::Assigned,
                CaseState::Intervening,
                CaseState::Referred,
            ],
            CaseState::Intervening => &[CaseState::Resolved, CaseState::Referred],
            CaseState::Resolved | CaseState::Referred => &[],
        }
    }
}

/// Who a referred case went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Referral {
    LabourDepartment,
    Mpfa,
    LabourTribunal,
    InsolvencyFund,
}

impl Referral {
    pub const ALL: [Referral; 4] = [
        Referral::LabourDepartment,
        Referral::Mpfa,
        Referral::LabourTribunal,
        Referral::InsolvencyFund,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Referral::LabourDepartment => "labour-department",
            Referral::Mpfa => "mpfa",
            Referral::LabourTribunal => "labour-tribunal",
            Referral::InsolvencyFund => "insolvency-fund",
        }
    }

    pub fn parse(text: &str) -> Option<Referral> {
        Referral::ALL
            .into_iter()
            .find(|referral| referral.as_str() == text)
    }
}

/// A case to open for an employer and period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub employer_id: String,
    pub period: String,
    pub level: String,
    pub user_name: String,
    pub note: String,
    /// RFC 3339, passed in by the caller.
    pub at: String,
}

/// What [`crate::Store::open_case`] did.
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
    pub period: String,
    pub level: String,
    pub state: CaseState,
    pub referral: Option<Referral>,
    pub assignee: Option<String>,
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
    /// Only cases not resolved or referred.
    pub open_only: bool,
}

/// One entry of a case's audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEvent {
    pub id: i64,
    pub case_id: i64,
    pub at: String,
    pub user_name: String,
    /// `open`, `assign`, `reassign`, `intervene`, `resolve` or `refer:<target>`.
    pub action: String,
    pub from_state: Option<CaseState>,
    pub to_state: CaseState,
    pub note: String,
}

/// The states written as SQL literals, for "open case" queries.
pub(crate) const FINAL_STATES_SQL: &str = "('resolved', 'referred')";

/// Refuses a user that does not exist or has no case access.
pub(crate) fn check_case_access(user_name: &str, role: Option<&str>) -> Result<(), StoreError> {
    let Some(role) = role else {
        return Err(StoreError::Forbidden(format!(
            "unknown user '{user_name}': `lmo users add` creates users"
        )));
    };
    let role = decode_role(role)?;
    if !role.has_case_access() {
        return Err(StoreError::Forbidden(format!(
            "user {user_name} (role {}) has no case access",
            role.as_str()
        )));
    }
    Ok(())
}

/// Who may add a user: anyone while the store has no admin (so that the first admin can be
/// added), then only an admin, named by `by` (whose role is `by_role`).
pub(crate) fn check_user_admin(
    by: Option<&str>,
    by_role: Option<&str>,
    admins: i64,
) -> Result<(), StoreError> {
    if admins == 0 {
        return Ok(());
    }
    let Some(by) = by else {
        return Err(StoreError::Forbidden(
            "only an admin adds users once there is one: name the acting admin (--by or LMO_USER)"
                .to_owned(),
        ));
    };
    require_admin(by, by_role)
}

fn require_admin(by: &str, by_role: Option<&str>) -> Result<(), StoreError> {
    let Some(role) = by_role else {
        return Err(StoreError::Forbidden(format!(
            "unknown user '{by}': only an admin manages users"
        )));
    };
    let role = decode_role(role)?;
    if role != Role::Admin {
        return Err(StoreError::Forbidden(format!(
            "user {by} (role {}) is not an admin: only an admin manages users",
            role.as_str()
        )));
    }
    Ok(())
}

/// Checks a role change against the acting user's role (`by_role`), the user's current role
/// (`None`: no such user) and the number of admins; returns the current role.
pub(crate) fn check_role_change(
    change: &RoleChange,
    by_role: Option<&str>,
    current: Option<&str>,
    admins: i64,
) -> Result<Role, StoreError> {
    require_admin(&change.by, by_role)?;
    if change.note.trim().is_empty() {
        return Err(StoreError::Invalid(
            "a role change needs a note (why the role changes)".to_owned(),
        ));
    }
    let name = &change.user_name;
    let Some(current) = current else {
        return Err(StoreError::Invalid(format!("no user {name}")));
    };
    let current = decode_role(current)?;
    if current == change.role {
        return Err(StoreError::Invalid(format!(
            "user {name} already has the role {}",
            current.as_str()
        )));
    }
    if current == Role::Admin && admins <= 1 {
        return Err(StoreError::Invalid(format!(
            "user {name} is the last admin: make another user admin first"
        )));
    }
    Ok(current)
}

/// A `user_events` row as both backends read it, before decoding.
pub(crate) struct UserEventRow {
    pub(crate) user_name: String,
    pub(crate) action: String,
    pub(crate) old_role: Option<String>,
    pub(crate) new_role: String,
    pub(crate) by: Option<String>,
    pub(crate) note: String,
    pub(crate) at: String,
}

impl UserEventRow {
    pub(crate) fn decode(self) -> Result<UserEvent, StoreError> {
        let action = [UserAction::Added, UserAction::RoleChanged]
            .into_iter()
            .find(|action| action.as_str() == self.action)
            .ok_or_else(|| {
                corrupt(
                    "user_events",
                    format!("'{}' is not a user action", self.action),
                )
            })?;
        Ok(UserEvent {
            user_name: self.user_name,
            action,
            old_role: self.old_role.as_deref().map(decode_role).transpose()?,
            new_role: decode_role(&self.new_role)?,
            by: self.by,
            note: self.note,
            at: self.at,
        })
    }
}

pub(crate) fn require_note(note: &str) -> Result<(), StoreError> {
    if note.trim().is_empty() {
        return Err(StoreError::Invalid(
            "a case step needs a note (who was contacted, what was decided)".to_owned(),
        ));
    }
    Ok(())
}

pub(crate) fn check_new_user(user: &User) -> Result<(), StoreError> {
    let name = &user.user_name;
    if name.trim().is_empty() || name.trim() != name {
        return Err(StoreError::Invalid(format!(
            "'{name}' is not a user name: it must be non-empty without surrounding spaces"
        )));
    }
    Ok(())
}

/// Checks a transition of `case` and returns the audit action to record.
pub(crate) fn check_transition(
    case: &Case,
    transition: &CaseTransition,
) -> Result<String, StoreError> {
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
            "case {} is {}: it cannot move to {} (allowed: {allowed})",
            case.id,
            from.as_str(),
            to.as_str()
        )));
    }
    let referred = to == CaseState::Referred;
    if referred && transition.referral.is_none() {
        return Err(StoreError::Invalid(format!(
            "referring case {} needs a referral target ({})",
            case.id,
            Referral::ALL.map(Referral::as_str).join(", ")
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
    Ok(match (from, to, transition.referral) {
        (CaseState::Assigned, CaseState::Assigned, _) => "reassign".to_owned(),
        (_, CaseState::Assigned, _) => "assign".to_owned(),
        (_, CaseState::Intervening, _) => "intervene".to_owned(),
        (_, CaseState::Resolved, _) => "resolve".to_owned(),
        (_, _, Some(referral)) => format!("refer:{}", referral.as_str()),
        _ => to.as_str().to_owned(),
    })
}

/// Checks that an assignee exists and has case access.
pub(crate) fn check_assignee(assignee: &str, role: Option<&str>) -> Result<(), StoreError> {
    let Some(role) = role else {
        return Err(StoreError::Invalid(format!(
            "cannot assign to unknown user '{assignee}'"
        )));
    };
    if !decode_role(role)?.has_case_access() {
        return Err(StoreError::Invalid(format!(
            "cannot assign to {assignee} (role {role}): only case officers and admins take cases"
        )));
    }
    Ok(())
}

fn corrupt(table: &'static str, reason: String) -> StoreError {
    StoreError::Corrupt { table, reason }
}

pub(crate) fn decode_role(text: &str) -> Result<Role, StoreError> {
    Role::parse(text).ok_or_else(|| corrupt("users", format!("'{text}' is not a role")))
}

pub(crate) fn decode_state(table: &'static str, text: &str) -> Result<CaseState, StoreError> {
    CaseState::parse(text).ok_or_else(|| corrupt(table, format!("'{text}' is not a case state")))
}

/// A `cases` row as stored.
pub(crate) struct CaseRow {
    pub(crate) id: i64,
    pub(crate) employer_id: String,
    pub(crate) period: String,
    pub(crate) level: String,
    pub(crate) state: String,
    pub(crate) referral: Option<String>,
    pub(crate) assignee: Option<String>,
    pub(crate) opened_at: String,
    pub(crate) updated_at: String,
}

pub(crate) const CASE_COLUMNS: &str =
    "id, employer_id, period, level, state, referral, assignee, opened_at, updated_at";

impl CaseRow {
    pub(crate) fn decode(self) -> Result<Case, StoreError> {
        Ok(Case {
            id: self.id,
            state: decode_state("cases", &self.state)?,
            referral: self
                .referral
                .map(|text| {
                    Referral::parse(&text)
                        .ok_or_else(|| corrupt("cases", format!("'{text}' is not a referral")))
                })
                .transpose()?,
            employer_id: self.employer_id,
            period: self.period,
            level: self.level,
            assignee: self.assignee,
            opened_at: self.opened_at,
            updated_at: self.updated_at,
        })
    }
}

pub(crate) const EVENT_COLUMNS: &str =
    "id, case_id, at, user_name, action, from_state, to_state, note";

/// A `case_events` row as stored.
pub(crate) struct EventRow {
    pub(crate) id: i64,
    pub(crate) case_id: i64,
    pub(crate) at: String,
    pub(crate) user_name: String,
    pub(crate) action: String,
    pub(crate) from_state: Option<String>,
    pub(crate) to_state: String,
    pub(crate) note: String,
}

impl EventRow {
    pub(crate) fn decode(self) -> Result<CaseEvent, StoreError> {
        Ok(CaseEvent {
            id: self.id,
            case_id: self.case_id,
            from_state: self
                .from_state
                .map(|text| decode_state("case_events", &text))
                .transpose()?,
            to_state: decode_state("case_events", &self.to_state)?,
            at: self.at,
            user_name: self.user_name,
            action: self.action,
            note: self.note,
        })
    }
}

pub(crate) const RESULT_COLUMNS: &str = "period, employer_id, level, workers_affected, \
     arrears_cents, surcharge_cents, max_days_late, months_in_default, kinds, reasons, as_of, \
     detected_at";

/// Which employer ids of `batch` are listed twice (a batch must name each employer once).
pub(crate) fn check_batch(batch: &ArrearsBatch) -> Result<(), StoreError> {
    let mut seen = std::collections::HashSet::new();
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
