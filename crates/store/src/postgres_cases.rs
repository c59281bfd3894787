//! Users, arrears results and cases on PostgreSQL (the rules are in [`crate::cases`]).

use std::collections::HashMap;

use postgres::{Client, GenericClient, Row};

use crate::StoreError;
use crate::cases::{
    self, ArrearsBatch, ArrearsResultRow, ArrearsSaved, CASE_COLUMNS, Case, CaseEvent, CaseFilter,
    CaseOpened, CaseRow, CaseState, CaseTransition, EVENT_COLUMNS, EmployerRecord, EventRow,
    FINAL_STATES_SQL, NewCase, RESULT_COLUMNS, Referral, RoleChange, StoredArrearsResult, User,
    UserEvent,
};

fn role_of(client: &mut impl GenericClient, user_name: &str) -> Result<Option<String>, StoreError> {
    Ok(client
        .query_opt("SELECT role FROM users WHERE user_name = $1", &[&user_name])?
        .map(|row| row.try_get(0))
        .transpose()?)
}

pub(crate) fn require_access(
    client: &mut impl GenericClient,
    user_name: &str,
) -> Result<(), StoreError> {
    let role = role_of(client, user_name)?;
    cases::check_case_access(user_name, role.as_deref())
}

fn case_row(row: &Row) -> Result<Case, StoreError> {
    CaseRow {
        id: row.try_get(0)?,
        employer_id: row.try_get(1)?,
        period: row.try_get(2)?,
        level: row.try_get(3)?,
        state: row.try_get(4)?,
        referral: row.try_get(5)?,
        assignee: row.try_get(6)?,
        opened_at: row.try_get(7)?,
        updated_at: row.try_get(8)?,
    }
    .decode()
}

fn load_case(client: &mut impl GenericClient, case_id: i64) -> Result<Case, StoreError> {
    let row = client
        .query_opt(
            &format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1"),
            &[&case_id],
        )?
        .ok_or_else(|| StoreError::NotFound(format!("no case {case_id}")))?;
    case_row(&row)
}

/// Starts a transaction that holds the users table against other writers, so that the
/// admin count checked is the one the write sees.
fn users_transaction(client: &mut Client) -> Result<postgres::Transaction<'_>, StoreError> {
    let mut transaction = client.transaction()?;
    transaction.batch_execute("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE")?;
    Ok(transaction)
}

fn count_admins(client: &mut impl GenericClient) -> Result<i64, StoreError> {
    Ok(client
        .query_one("SELECT count(*) FROM users WHERE role = 'admin'", &[])?
        .try_get(0)?)
}

pub(crate) fn add_user(
    client: &mut Client,
    user: &User,
    by: Option<&str>,
) -> Result<(), StoreError> {
    cases::check_new_user(user)?;
    let mut transaction = users_transaction(client)?;
    let by_role = match by {
        Some(by) => role_of(&mut transaction, by)?,
        None => None,
    };
    let admins = count_admins(&mut transaction)?;
    cases::check_user_admin(by, by_role.as_deref(), admins)?;
    let inserted = transaction.execute(
        "INSERT INTO users (user_name, role, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_name) DO NOTHING",
        &[&user.user_name, &user.role.as_str(), &user.created_at],
    )?;
    if inserted == 0 {
        return Err(StoreError::Invalid(format!(
            "user {} already exists",
            user.user_name
        )));
    }
    transaction.execute(
        "INSERT INTO user_events (user_name, action, old_role, new_role, by_user, note, at)
         VALUES ($1, 'added', NULL, $2, $3, '', $4)",
        &[&user.user_name, &user.role.as_str(), &by, &user.created_at],
    )?;
    transaction.commit()?;
    Ok(())
}

pub(crate) fn change_role(client: &mut Client, change: &RoleChange) -> Result<User, StoreError> {
    let mut transaction = users_transaction(client)?;
    let current: Option<(String, String)> = transaction
        .query_opt(
            "SELECT role, created_at FROM users WHERE user_name = $1",
            &[&change.user_name],
        )?
        .map(|row| Ok::<_, postgres::Error>((row.try_get(0)?, row.try_get(1)?)))
        .transpose()?;
    let by_role = role_of(&mut transaction, &change.by)?;
    let admins = count_admins(&mut transaction)?;
    let old = cases::check_role_change(
        change,
        by_role.as_deref(),
        current.as_ref().map(|(role, _)| role.as_str()),
        admins,
    )?;
    transaction.execute(
        "UPDATE users SET role = $2 WHERE user_name = $1",
        &[&change.user_name, &change.role.as_str()],
    )?;
    transaction.execute(
        "INSERT INTO user_events (user_name, action, old_role, new_role, by_user, note, at)
         VALUES ($1, 'role_changed', $2, $3, $4, $5, $6)",
        &[
            &change.user_name,
            &old.as_str(),
            &change.role.as_str(),
            &change.by,
            &change.note,
            &change.at,
        ],
    )?;
    transaction.commit()?;
    Ok(User {
        user_name: change.user_name.clone(),
        role: change.role,
        created_at: current
            .map(|(_, created_at)| created_at)
            .unwrap_or_default(),
    })
}

pub(crate) fn user_events(client: &mut Client) -> Result<Vec<UserEvent>, StoreError> {
    client
        .query(
            "SELECT user_name, action, old_role, new_role, by_user, note, at
             FROM user_events ORDER BY id",
            &[],
        )?
        .iter()
        .map(|row| {
            cases::UserEventRow {
                user_name: row.try_get(0)?,
                action: row.try_get(1)?,
                old_role: row.try_get(2)?,
                new_role: row.try_get(3)?,
                by: row.try_get(4)?,
                note: row.try_get(5)?,
                at: row.try_get(6)?,
            }
            .decode()
        })
        .collect()
}

pub(crate) fn users(client: &mut Client) -> Result<Vec<User>, StoreError> {
    client
        .query(
            "SELECT user_name, role, created_at FROM users ORDER BY user_name",
            &[],
        )?
        .iter()
        .map(|row| {
            let role: String = row.try_get(1)?;
            Ok(User {
                user_name: row.try_get(0)?,
                role: cases::decode_role(&role)?,
                created_at: row.try_get(2)?,
            })
        })
        .collect()
}

pub(crate) fn save_arrears(
    client: &mut Client,
    batch: &ArrearsBatch,
) -> Result<ArrearsSaved, StoreError> {
    cases::check_batch(batch)?;
    let mut transaction = client.transaction()?;
    // One writer per period at a time, so that two runs cannot interleave their counts.
    transaction.execute(
        "SELECT pg_advisory_xact_lock(hashtext('lmo arrears ' || $1))",
        &[&batch.period],
    )?;
    let mut saved = ArrearsSaved::default();
    let find = transaction.prepare(
        "SELECT name, hsic_section, district, headcount FROM employers WHERE employer_id = $1",
    )?;
    let upsert = transaction.prepare(
        "INSERT INTO employers (employer_id, name, hsic_section, district, headcount)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (employer_id) DO UPDATE SET name = excluded.name,
             hsic_section = excluded.hsic_section, district = excluded.district,
             headcount = excluded.headcount",
    )?;
    for employer in &batch.employers {
        let stored = transaction
            .query_opt(&find, &[&employer.employer_id])?
            .map(|row| -> Result<_, postgres::Error> {
                Ok((
                    row.try_get::<_, String>(0)?,
                    row.try_get::<_, String>(1)?,
                    row.try_get::<_, String>(2)?,
                    row.try_get::<_, i64>(3)?,
                ))
            })
            .transpose()?;
        let wanted = (
            employer.name.clone(),
            employer.hsic_section.clone(),
            employer.district.clone(),
            employer.headcount,
        );
        match stored {
            Some(stored) if stored == wanted => continue,
            Some(_) => saved.employers_changed += 1,
            None => saved.employers_new += 1,
        }
        transaction.execute(
            &upsert,
            &[
                &employer.employer_id,
                &employer.name,
                &employer.hsic_section,
                &employer.district,
                &employer.headcount,
            ],
        )?;
    }

    let mut existing = HashMap::new();
    for row in transaction.query(
        &format!("SELECT {RESULT_COLUMNS} FROM arrears_results WHERE period = $1"),
        &[&batch.period],
    )? {
        let row = result_row(&row)?;
        existing.insert(row.result.employer_id.clone(), row);
    }
    let upsert = transaction.prepare(&format!(
        "INSERT INTO arrears_results ({RESULT_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (period, employer_id) DO UPDATE SET level = excluded.level,
             workers_affected = excluded.workers_affected,
             arrears_cents = excluded.arrears_cents, surcharge_cents = excluded.surcharge_cents,
             max_days_late = excluded.max_days_late,
             months_in_default = excluded.months_in_default, kinds = excluded.kinds,
             reasons = excluded.reasons, as_of = excluded.as_of,
             detected_at = excluded.detected_at"
    ))?;
    for result in &batch.results {
        match existing.remove(&result.employer_id) {
            Some(stored) if stored.result == *result && stored.as_of == batch.as_of => {
                saved.results_unchanged += 1;
                continue;
            }
            Some(_) => saved.results_changed += 1,
            None => saved.results_new += 1,
        }
        transaction.execute(
            &upsert,
            &[
                &batch.period,
                &result.employer_id,
                &result.level,
                &result.workers_affected,
                &result.arrears_cents,
                &result.surcharge_cents,
                &result.max_days_late,
                &result.months_in_default,
                &result.kinds,
                &result.reasons,
                &batch.as_of,
                &batch.detected_at,
            ],
        )?;
    }
    let remove = transaction
        .prepare("DELETE FROM arrears_results WHERE period = $1 AND employer_id = $2")?;
    for employer_id in existing.keys() {
        saved.results_removed += transaction.execute(&remove, &[&batch.period, employer_id])?;
    }
    transaction.commit()?;
    Ok(saved)
}

fn result_row(row: &Row) -> Result<StoredArrearsResult, postgres::Error> {
    Ok(StoredArrearsResult {
        period: row.try_get(0)?,
        result: ArrearsResultRow {
            employer_id: row.try_get(1)?,
            level: row.try_get(2)?,
            workers_affected: row.try_get(3)?,
            arrears_cents: row.try_get(4)?,
            surcharge_cents: row.try_get(5)?,
            max_days_late: row.try_get(6)?,
            months_in_default: row.try_get(7)?,
            kinds: row.try_get(8)?,
            reasons: row.try_get(9)?,
        },
        as_of: row.try_get(10)?,
        detected_at: row.try_get(11)?,
    })
}

pub(crate) fn arrears_results(
    client: &mut Client,
    period: &str,
) -> Result<Vec<StoredArrearsResult>, StoreError> {
    Ok(client
        .query(
            &format!(
                "SELECT {RESULT_COLUMNS} FROM arrears_results WHERE period = $1
                 ORDER BY employer_id"
            ),
            &[&period],
        )?
        .iter()
        .map(result_row)
        .collect::<Result<_, _>>()?)
}

pub(crate) fn employer(
    client: &mut Client,
    employer_id: &str,
) -> Result<Option<EmployerRecord>, StoreError> {
    client
        .query_opt(
            "SELECT employer_id, name, hsic_section, district, headcount FROM employers
             WHERE employer_id = $1",
            &[&employer_id],
        )?
        .map(|row| {
            Ok(EmployerRecord {
                employer_id: row.try_get(0)?,
                name: row.try_get(1)?,
                hsic_section: row.try_get(2)?,
                district: row.try_get(3)?,
                headcount: row.try_get(4)?,
            })
        })
        .transpose()
}

pub(crate) fn open_case(client: &mut Client, case: &NewCase) -> Result<CaseOpened, StoreError> {
    let mut transaction = client.transaction()?;
    require_access(&mut transaction, &case.user_name)?;
    cases::require_note(&case.note)?;
    // Serialises case opening per employer, so two runs cannot both open one.
    transaction.execute(
        "SELECT pg_advisory_xact_lock(hashtext('lmo case ' || $1))",
        &[&case.employer_id],
    )?;
    let open = transaction.query_opt(
        &format!(
            "SELECT id FROM cases WHERE employer_id = $1 AND state NOT IN {FINAL_STATES_SQL}
             ORDER BY id LIMIT 1"
        ),
        &[&case.employer_id],
    )?;
    if let Some(row) = open {
        return Ok(CaseOpened::AlreadyOpen(row.try_get(0)?));
    }
    let id: i64 = transaction
        .query_one(
            "INSERT INTO cases (employer_id, period, level, state, opened_at, updated_at)
             VALUES ($1, $2, $3, 'discover', $4, $4) RETURNING id",
            &[&case.employer_id, &case.period, &case.level, &case.at],
        )?
        .try_get(0)?;
    transaction.execute(
        "INSERT INTO case_events (case_id, at, user_name, action, from_state, to_state, note)
         VALUES ($1, $2, $3, 'open', NULL, 'discover', $4)",
        &[&id, &case.at, &case.user_name, &case.note],
    )?;
    transaction.commit()?;
    Ok(CaseOpened::Opened(id))
}

pub(crate) fn case_transition(
    client: &mut Client,
    transition: &CaseTransition,
) -> Result<Case, StoreError> {
    let mut transaction = client.transaction()?;
    require_access(&mut transaction, &transition.user_name)?;
    // Locks the case row: two officers moving one case are serialised.
    let row = transaction
        .query_opt(
            &format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1 FOR UPDATE"),
            &[&transition.case_id],
        )?
        .ok_or_else(|| StoreError::NotFound(format!("no case {}", transition.case_id)))?;
    let case = case_row(&row)?;
    let action = cases::check_transition(&case, transition)?;
    if let Some(assignee) = &transition.assignee {
        let role = role_of(&mut transaction, assignee)?;
        cases::check_assignee(assignee, role.as_deref())?;
    }
    let assignee = transition.assignee.clone().or(case.assignee.clone());
    let referral = transition.referral.map(Referral::as_str);
    transaction.execute(
        "UPDATE cases SET state = $2, referral = $3, assignee = $4, updated_at = $5
         WHERE id = $1",
        &[
            &case.id,
            &transition.to.as_str(),
            &referral,
            &assignee,
            &transition.at,
        ],
    )?;
    transaction.execute(
        "INSERT INTO case_events (case_id, at, user_name, action, from_state, to_state, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &case.id,
            &transition.at,
            &transition.user_name,
            &action,
            &case.state.as_str(),
            &transition.to.as_str(),
            &transition.note,
        ],
    )?;
    let updated = load_case(&mut transaction, case.id)?;
    transaction.commit()?;
    Ok(updated)
}

pub(crate) fn list_cases(
    client: &mut Client,
    user_name: &str,
    filter: &CaseFilter,
) -> Result<Vec<Case>, StoreError> {
    require_access(client, user_name)?;
    client
        .query(
            &format!(
                "SELECT {CASE_COLUMNS} FROM cases
                 WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR employer_id = $2)
                   AND (NOT $3 OR state NOT IN {FINAL_STATES_SQL})
                 ORDER BY id"
            ),
            &[
                &filter.state.map(CaseState::as_str),
                &filter.employer_id,
                &filter.open_only,
            ],
        )?
        .iter()
        .map(case_row)
        .collect()
}

pub(crate) fn case(client: &mut Client, user_name: &str, case_id: i64) -> Result<Case, StoreError> {
    require_access(client, user_name)?;
    load_case(client, case_id)
}

pub(crate) fn case_events(
    client: &mut Client,
    user_name: &str,
    case_id: i64,
) -> Result<Vec<CaseEvent>, StoreError> {
    require_access(client, user_name)?;
    load_case(client, case_id)?;
    client
        .query(
            &format!("SELECT {EVENT_COLUMNS} FROM case_events WHERE case_id = $1 ORDER BY id"),
            &[&case_id],
        )?
        .iter()
        .map(|row| {
            EventRow {
                id: row.try_get(0)?,
                case_id: row.try_get(1)?,
                at: row.try_get(2)?,
                user_name: row.try_get(3)?,
                action: row.try_get(4)?,
                from_state: row.try_get(5)?,
                to_state: row.try_get(6)?,
                note: row.try_get(7)?,
            }
            .decode()
        })
        .collect()
}
