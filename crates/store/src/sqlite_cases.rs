//! Users, arrears results and cases on SQLite (the rules are in [`crate::cases`]).

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use crate::StoreError;
use crate::cases::{
    self, ArrearsBatch, ArrearsResultRow, ArrearsSaved, CASE_COLUMNS, Case, CaseEvent, CaseFilter,
    CaseOpened, CaseRow, CaseState, CaseTransition, EVENT_COLUMNS, EmployerRecord, EventRow,
    FINAL_STATES_SQL, NewCase, RESULT_COLUMNS, Referral, RoleChange, StoredArrearsResult, User,
    UserEvent,
};

fn role_of(connection: &Connection, user_name: &str) -> Result<Option<String>, StoreError> {
    Ok(connection
        .query_row(
            "SELECT role FROM users WHERE user_name = ?1",
            [user_name],
            |row| row.get(0),
        )
        .optional()?)
}

pub(crate) fn require_access(connection: &Connection, user_name: &str) -> Result<(), StoreError> {
    cases::check_case_access(user_name, role_of(connection, user_name)?.as_deref())
}

fn case_row(row: &Row<'_>) -> rusqlite::Result<CaseRow> {
    Ok(CaseRow {
        id: row.get(0)?,
        employer_id: row.get(1)?,
        period: row.get(2)?,
        level: row.get(3)?,
        state: row.get(4)?,
        referral: row.get(5)?,
        assignee: row.get(6)?,
        opened_at: row.get(7)?,
        updated_at: row.get(8)?,
    })
}

fn load_case(connection: &Connection, case_id: i64) -> Result<Case, StoreError> {
    connection
        .query_row(
            &format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = ?1"),
            [case_id],
            case_row,
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no case {case_id}")))?
        .decode()
}

fn count_admins(connection: &Connection) -> Result<i64, StoreError> {
    Ok(connection.query_row(
        "SELECT count(*) FROM users WHERE role = 'admin'",
        [],
        |row| row.get(0),
    )?)
}

pub(crate) fn add_user(
    connection: &mut Connection,
    user: &User,
    by: Option<&str>,
) -> Result<(), StoreError> {
    cases::check_new_user(user)?;
    // Immediate: the admin count checked is the one the insert sees.
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let by_role = by
        .map(|by| role_of(&transaction, by))
        .transpose()?
        .flatten();
    cases::check_user_admin(by, by_role.as_deref(), count_admins(&transaction)?)?;
    let inserted = transaction.execute(
        "INSERT INTO users (user_name, role, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_name) DO NOTHING",
        params![user.user_name, user.role.as_str(), user.created_at],
    )?;
    if inserted == 0 {
        return Err(StoreError::Invalid(format!(
            "user {} already exists",
            user.user_name
        )));
    }
    transaction.execute(
        "INSERT INTO user_events (user_name, action, old_role, new_role, by_user, note, at)
         VALUES (?1, 'added', NULL, ?2, ?3, '', ?4)",
        params![user.user_name, user.role.as_str(), by, user.created_at],
    )?;
    transaction.commit()?;
    Ok(())
}

pub(crate) fn change_role(
    connection: &mut Connection,
    change: &RoleChange,
) -> Result<User, StoreError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current: Option<(String, String)> = transaction
        .query_row(
            "SELECT role, created_at FROM users WHERE user_name = ?1",
            [&change.user_name],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let old = cases::check_role_change(
        change,
        role_of(&transaction, &change.by)?.as_deref(),
        current.as_ref().map(|(role, _)| role.as_str()),
        count_admins(&transaction)?,
    )?;
    transaction.execute(
        "UPDATE users SET role = ?2 WHERE user_name = ?1",
        params![change.user_name, change.role.as_str()],
    )?;
    transaction.execute(
        "INSERT INTO user_events (user_name, action, old_role, new_role, by_user, note, at)
         VALUES (?1, 'role_changed', ?2, ?3, ?4, ?5, ?6)",
        params![
            change.user_name,
            old.as_str(),
            change.role.as_str(),
            change.by,
            change.note,
            change.at
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

pub(crate) fn user_events(connection: &mut Connection) -> Result<Vec<UserEvent>, StoreError> {
    let mut statement = connection.prepare(
        "SELECT user_name, action, old_role, new_role, by_user, note, at
         FROM user_events ORDER BY id",
    )?;
    let rows = statement.query_map([], |row| {
        Ok(cases::UserEventRow {
            user_name: row.get(0)?,
            action: row.get(1)?,
            old_role: row.get(2)?,
            new_role: row.get(3)?,
            by: row.get(4)?,
            note: row.get(5)?,
            at: row.get(6)?,
        })
    })?;
    rows.map(|row| row?.decode()).collect()
}

pub(crate) fn users(connection: &mut Connection) -> Result<Vec<User>, StoreError> {
    let mut statement =
        connection.prepare("SELECT user_name, role, created_at FROM users ORDER BY user_name")?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
        ))
    })?;
    rows.map(|row| {
        let (user_name, role, created_at) = row?;
        Ok(User {
            user_name,
            role: cases::decode_role(&role)?,
            created_at,
        })
    })
    .collect()
}

pub(crate) fn save_arrears(
    connection: &mut Connection,
    batch: &ArrearsBatch,
) -> Result<ArrearsSaved, StoreError> {
    cases::check_batch(batch)?;
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut saved = ArrearsSaved::default();
    {
        let mut find = transaction.prepare(
            "SELECT name, hsic_section, district, headcount FROM employers
             WHERE employer_id = ?1",
        )?;
        let mut upsert = transaction.prepare(
            "INSERT INTO employers (employer_id, name, hsic_section, district, headcount)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (employer_id) DO UPDATE SET name = excluded.name,
                 hsic_section = excluded.hsic_section, district = excluded.district,
                 headcount = excluded.headcount",
        )?;
        for employer in &batch.employers {
            let stored = find
                .query_row([&employer.employer_id], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, i64>(3)?,
                    ))
                })
                .optional()?;
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
            upsert.execute(params![
                employer.employer_id,
                employer.name,
                employer.hsic_section,
                employer.district,
                employer.headcount,
            ])?;
        }

        let mut existing = std::collections::HashMap::new();
        let mut statement = transaction.prepare(&format!(
            "SELECT {RESULT_COLUMNS} FROM arrears_results WHERE period = ?1"
        ))?;
        let rows = statement.query_map([&batch.period], result_row)?;
        for row in rows {
            let row = row?;
            existing.insert(row.result.employer_id.clone(), row);
        }
        let mut insert = transaction.prepare(&format!(
            "INSERT OR REPLACE INTO arrears_results ({RESULT_COLUMNS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
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
            insert.execute(params![
                batch.period,
                result.employer_id,
                result.level,
                result.workers_affected,
                result.arrears_cents,
                result.surcharge_cents,
                result.max_days_late,
                result.months_in_default,
                result.kinds,
                result.reasons,
                batch.as_of,
                batch.detected_at,
            ])?;
        }
        let mut remove = transaction
            .prepare("DELETE FROM arrears_results WHERE period = ?1 AND employer_id = ?2")?;
        for employer_id in existing.keys() {
            saved.results_removed += remove.execute(params![batch.period, employer_id])? as u64;
        }
    }
    transaction.commit()?;
    Ok(saved)
}

fn result_row(row: &Row<'_>) -> rusqlite::Result<StoredArrearsResult> {
    Ok(StoredArrearsResult {
        period: row.get(0)?,
        result: ArrearsResultRow {
            employer_id: row.get(1)?,
            level: row.get(2)?,
            workers_affected: row.get(3)?,
            arrears_cents: row.get(4)?,
            surcharge_cents: row.get(5)?,
            max_days_late: row.get(6)?,
            months_in_default: row.get(7)?,
            kinds: row.get(8)?,
            reasons: row.get(9)?,
        },
        as_of: row.get(10)?,
        detected_at: row.get(11)?,
    })
}

pub(crate) fn arrears_results(
    connection: &mut Connection,
    period: &str,
) -> Result<Vec<StoredArrearsResult>, StoreError> {
    let mut statement = connection.prepare(&format!(
        "SELECT {RESULT_COLUMNS} FROM arrears_results WHERE period = ?1 ORDER BY employer_id"
    ))?;
    let rows = statement.query_map([period], result_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn employer(
    connection: &mut Connection,
    employer_id: &str,
) -> Result<Option<EmployerRecord>, StoreError> {
    Ok(connection
        .query_row(
            "SELECT employer_id, name, hsic_section, district, headcount FROM employers
             WHERE employer_id = ?1",
            [employer_id],
            |row| {
                Ok(EmployerRecord {
                    employer_id: row.get(0)?,
                    name: row.get(1)?,
                    hsic_section: row.get(2)?,
                    district: row.get(3)?,
                    headcount: row.get(4)?,
                })
            },
        )
        .optional()?)
}

pub(crate) fn open_case(
    connection: &mut Connection,
    case: &NewCase,
) -> Result<CaseOpened, StoreError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    require_access(&transaction, &case.user_name)?;
    cases::require_note(&case.note)?;
    let open: Option<i64> = transaction
        .query_row(
            &format!(
                "SELECT id FROM cases WHERE employer_id = ?1 AND state NOT IN {FINAL_STATES_SQL}
                 ORDER BY id LIMIT 1"
            ),
            [&case.employer_id],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(id) = open {
        return Ok(CaseOpened::AlreadyOpen(id));
    }
    transaction.execute(
        "INSERT INTO cases (employer_id, period, level, state, opened_at, updated_at)
         VALUES (?1, ?2, ?3, 'discover', ?4, ?4)",
        params![case.employer_id, case.period, case.level, case.at],
    )?;
    let id = transaction.last_insert_rowid();
    transaction.execute(
        "INSERT INTO case_events (case_id, at, user_name, action, from_state, to_state, note)
         VALUES (?1, ?2, ?3, 'open', NULL, 'discover', ?4)",
        params![id, case.at, case.user_name, case.note],
    )?;
    transaction.commit()?;
    Ok(CaseOpened::Opened(id))
}

pub(crate) fn case_transition(
    connection: &mut Connection,
    transition: &CaseTransition,
) -> Result<Case, StoreError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    require_access(&transaction, &transition.user_name)?;
    let case = load_case(&transaction, transition.case_id)?;
    let action = cases::check_transition(&case, transition)?;
    if let Some(assignee) = &transition.assignee {
        cases::check_assignee(assignee, role_of(&transaction, assignee)?.as_deref())?;
    }
    let assignee = transition.assignee.clone().or(case.assignee.clone());
    let referral = transition.referral.map(Referral::as_str);
    transaction.execute(
        "UPDATE cases SET state = ?2, referral = ?3, assignee = ?4, updated_at = ?5
         WHERE id = ?1",
        params![
            case.id,
            transition.to.as_str(),
            referral,
            assignee,
            transition.at
        ],
    )?;
    transaction.execute(
        "INSERT INTO case_events (case_id, at, user_name, action, from_state, to_state, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            case.id,
            transition.at,
            transition.user_name,
            action,
            case.state.as_str(),
            transition.to.as_str(),
            transition.note,
        ],
    )?;
    let updated = load_case(&transaction, case.id)?;
    transaction.commit()?;
    Ok(updated)
}

pub(crate) fn list_cases(
    connection: &mut Connection,
    user_name: &str,
    filter: &CaseFilter,
) -> Result<Vec<Case>, StoreError> {
    require_access(connection, user_name)?;
    let mut statement = connection.prepare(&format!(
        "SELECT {CASE_COLUMNS} FROM cases
         WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR employer_id = ?2)
           AND (?3 = 0 OR state NOT IN {FINAL_STATES_SQL})
         ORDER BY id"
    ))?;
    let rows = statement.query_map(
        params![
            filter.state.map(CaseState::as_str),
            filter.employer_id,
            filter.open_only
        ],
        case_row,
    )?;
    rows.map(|row| row?.decode()).collect()
}

pub(crate) fn case(
    connection: &mut Connection,
    user_name: &str,
    case_id: i64,
) -> Result<Case, StoreError> {
    require_access(connection, user_name)?;
    load_case(connection, case_id)
}

pub(crate) fn case_events(
    connection: &mut Connection,
    user_name: &str,
    case_id: i64,
) -> Result<Vec<CaseEvent>, StoreError> {
    require_access(connection, user_name)?;
    load_case(connection, case_id)?;
    let mut statement = connection.prepare(&format!(
        "SELECT {EVENT_COLUMNS} FROM case_events WHERE case_id = ?1 ORDER BY id"
    ))?;
    let rows = statement.query_map([case_id], |row| {
        Ok(EventRow {
            id: row.get(0)?,
            case_id: row.get(1)?,
            at: row.get(2)?,
            user_name: row.get(3)?,
            action: row.get(4)?,
            from_state: row.get(5)?,
            to_state: row.get(6)?,
            note: row.get(7)?,
        })
    })?;
    rows.map(|row| row?.decode()).collect()
}
