//! Users, their roles and the users' append-only audit log. Once the store has an admin,
//! only an admin adds users or changes roles, and the last admin keeps the role.

use domain::{Role, UserAction};

use crate::sql::{Row, Sql, params, query_map, query_opt};
use crate::{Backend, SqlStore, StoreError, access, corrupt};

/// Who may use lmo, in which role.
pub trait Users {
    /// Adds a user with a role, and an entry to the users' audit log. Once the store has an
    /// admin, `by` must name one ([`StoreError::Forbidden`]); before, anyone may add a user,
    /// so that the first admin can be added. A name already taken is [`StoreError::Invalid`].
    /// On PostgreSQL a user who has a database login of the same name becomes a member of
    /// the group role of its role; one without uses lmo through the server only.
    fn add_user(&mut self, user: &User, by: Option<&str>) -> Result<(), StoreError>;

    /// Changes a user's role, with an entry to the users' audit log, in one transaction.
    /// `change.by` must be an admin ([`StoreError::Forbidden`]); the note must not be blank,
    /// the user must exist with another role, and the last admin keeps the role
    /// ([`StoreError::Invalid`]). On PostgreSQL the group role of the user's login, if it has
    /// one, changes with it.
    fn change_role(&mut self, change: &RoleChange) -> Result<User, StoreError>;

    /// The users' audit log, oldest first.
    fn user_events(&mut self) -> Result<Vec<UserEvent>, StoreError>;

    /// Every user, by name.
    fn users(&mut self) -> Result<Vec<User>, StoreError>;

    /// Who the database says this session is: the login on PostgreSQL, where each lmo user
    /// logs in as themselves; `None` on SQLite, a file with no logins.
    fn database_login(&mut self) -> Result<Option<String>, StoreError>;
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

pub(crate) fn decode_role(text: &str) -> Result<Role, StoreError> {
    Role::parse(text).map_err(|error| corrupt("users", error))
}

/// The role of a user, `None` when there is no such user.
pub(crate) fn role_of(
    sql: &mut (impl Sql + ?Sized),
    user_name: &str,
) -> Result<Option<Role>, StoreError> {
    query_opt(
        sql,
        "SELECT role FROM users WHERE user_name = $1",
        params![user_name],
    )?
    .map(|row| decode_role(&row.text(0)?))
    .transpose()
}

fn count_admins(sql: &mut (impl Sql + ?Sized)) -> Result<i64, StoreError> {
    crate::sql::query_one(
        sql,
        "SELECT count(*) FROM users WHERE role = $1",
        params![Role::Admin.as_str()],
    )?
    .int(0)
}

/// The longest user name, in bytes: PostgreSQL's longest login name, since there each user
/// is a login.
const USER_NAME_BYTES_MAX: usize = 63;

/// A user name is 1 to 63 bytes of letters, digits and `. _ - @`: names are printed in
/// tables and audit logs, where a space, a line break or a terminal escape could forge a row.
fn check_new_user(user: &User) -> Result<(), StoreError> {
    let name = &user.user_name;
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@');
    if name.is_empty() || name.len() > USER_NAME_BYTES_MAX || !name.chars().all(allowed) {
        return Err(StoreError::Invalid(format!(
            "{:?} is not a user name: 1 to {USER_NAME_BYTES_MAX} bytes of letters, digits and . _ - @",
            name.escape_default().to_string()
        )));
    }
    Ok(())
}

/// Who may add a user: anyone while the store has no admin (so that the first admin can be
/// added), then only an admin, named by `by` (whose role is `by_role`).
fn check_user_admin(
    by: Option<&str>,
    by_role: Option<Role>,
    admins: i64,
) -> Result<(), StoreError> {
    if admins == 0 {
        return Ok(());
    }
    let Some(by) = by else {
        return Err(StoreError::Forbidden(
            "only an admin adds users once there is one".to_owned(),
        ));
    };
    require_admin(by, by_role)
}

fn require_admin(by: &str, by_role: Option<Role>) -> Result<(), StoreError> {
    match by_role {
        None => Err(StoreError::Forbidden(format!(
            "unknown user '{by}': only an admin manages users"
        ))),
        Some(Role::Admin) => Ok(()),
        Some(role) => Err(StoreError::Forbidden(format!(
            "user {by} (role {role}) is not an admin: only an admin manages users"
        ))),
    }
}

/// Checks a role change against the acting user's role (`by_role`), the user's current role
/// (`None`: no such user) and the number of admins; returns the current role.
fn check_role_change(
    change: &RoleChange,
    by_role: Option<Role>,
    current: Option<Role>,
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
    if current == change.role {
        return Err(StoreError::Invalid(format!(
            "user {name} already has the role {current}"
        )));
    }
    if current == Role::Admin && admins <= 1 {
        return Err(StoreError::Invalid(format!(
            "user {name} is the last admin: make another user admin first"
        )));
    }
    Ok(current)
}

fn decode_user_event(row: &Row) -> Result<UserEvent, StoreError> {
    Ok(UserEvent {
        user_name: row.text(0)?,
        action: UserAction::parse(&row.text(1)?).map_err(|error| corrupt("user_events", error))?,
        old_role: row.opt_text(2)?.as_deref().map(decode_role).transpose()?,
        new_role: decode_role(&row.text(3)?)?,
        by: row.opt_text(4)?,
        note: row.text(5)?,
        at: row.text(6)?,
    })
}

impl Users for SqlStore {
    fn add_user(&mut self, user: &User, by: Option<&str>) -> Result<(), StoreError> {
        check_new_user(user)?;
        let backend = self.database.backend();
        // In the transaction: the admin count checked is the one the insert sees.
        let mut transaction = self.database.transaction()?;
        let by_role = match by {
            Some(by) => role_of(&mut *transaction, by)?,
            None => None,
        };
        check_user_admin(by, by_role, count_admins(&mut *transaction)?)?;
        let inserted = transaction.execute(
            "INSERT INTO users (user_name, role, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (user_name) DO NOTHING",
            params![&user.user_name, user.role.as_str(), &user.created_at],
        )?;
        if inserted == 0 {
            return Err(StoreError::Invalid(format!(
                "user {} already exists",
                user.user_name
            )));
        }
        transaction.execute(
            "INSERT INTO user_events (user_name, action, old_role, new_role, by_user, note, at)
             VALUES ($1, $2, NULL, $3, $4, '', $5)",
            params![
                &user.user_name,
                UserAction::Added.as_str(),
                user.role.as_str(),
                by,
                &user.created_at
            ],
        )?;
        if backend == Backend::Postgres && access::is_login(&mut *transaction, &user.user_name)? {
            access::set_membership(&mut *transaction, &user.user_name, user.role)?;
        }
        transaction.commit()
    }

    fn change_role(&mut self, change: &RoleChange) -> Result<User, StoreError> {
        let backend = self.database.backend();
        let mut transaction = self.database.transaction()?;
        let current = query_opt(
            &mut *transaction,
            "SELECT role, created_at FROM users WHERE user_name = $1",
            params![&change.user_name],
        )?
        .map(|row| Ok::<_, StoreError>((decode_role(&row.text(0)?)?, row.text(1)?)))
        .transpose()?;
        let by_role = role_of(&mut *transaction, &change.by)?;
        let old = check_role_change(
            change,
            by_role,
            current.as_ref().map(|(role, _)| *role),
            count_admins(&mut *transaction)?,
        )?;
        transaction.execute(
            "UPDATE users SET role = $2 WHERE user_name = $1",
            params![&change.user_name, change.role.as_str()],
        )?;
        transaction.execute(
            "INSERT INTO user_events (user_name, action, old_role, new_role, by_user, note, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            params![
                &change.user_name,
                UserAction::RoleChanged.as_str(),
                old.as_str(),
                change.role.as_str(),
                &change.by,
                &change.note,
                &change.at
            ],
        )?;
        if backend == Backend::Postgres && access::is_login(&mut *transaction, &change.user_name)? {
            access::set_membership(&mut *transaction, &change.user_name, change.role)?;
        }
        transaction.commit()?;
        Ok(User {
            user_name: change.user_name.clone(),
            role: change.role,
            created_at: current
                .map(|(_, created_at)| created_at)
                .unwrap_or_default(),
        })
    }

    fn user_events(&mut self) -> Result<Vec<UserEvent>, StoreError> {
        query_map(
            &mut *self.database,
            "SELECT user_name, action, old_role, new_role, by_user, note, at
             FROM user_events ORDER BY id",
            &[],
            decode_user_event,
        )
    }

    fn users(&mut self) -> Result<Vec<User>, StoreError> {
        query_map(
            &mut *self.database,
            "SELECT user_name, role, created_at FROM users ORDER BY user_name",
            &[],
            |row| {
                Ok(User {
                    user_name: row.text(0)?,
                    role: decode_role(&row.text(1)?)?,
                    created_at: row.text(2)?,
                })
            },
        )
    }

    fn database_login(&mut self) -> Result<Option<String>, StoreError> {
        match self.database.backend() {
            Backend::Postgres => access::current_login(&mut *self.database).map(Some),
            Backend::Sqlite => Ok(None),
        }
    }
}
