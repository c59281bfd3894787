//! Credentials: API tokens, browser sessions and passwords, each stored only as a hash, and
//! the append-only log of tokens created and revoked, passwords set and logins.
//!
//! Times are UTC RFC 3339 to the second (`2026-01-31T09:00:00Z`), given by the caller, so
//! that expiry is a comparison of text on either backend.

use domain::Role;

use crate::sql::{Row, Sql, params, query_map, query_one, query_opt};
use crate::users::{decode_role, role_of};
use crate::{SqlStore, StoreError, corrupt};

/// Tokens, sessions and passwords.
pub trait Credentials {
    /// Stores a token's hash for a user and logs it; returns the token's id. The user must
    /// exist ([`StoreError::Invalid`]); `created_by`, when given, must be an admin
    /// ([`StoreError::Forbidden`]).
    fn add_token(&mut self, token: &NewToken) -> Result<i64, StoreError>;

    /// The user of the token with this hash, if it is neither revoked nor expired at `now`.
    fn token_user(&mut self, token_hash: &str, now: &str) -> Result<Option<Principal>, StoreError>;

    /// Every token of `user_name` (of everyone when `None`), by id; hashes are not returned.
    fn tokens(&mut self, user_name: Option<&str>) -> Result<Vec<TokenRecord>, StoreError>;

    /// Revokes a token and logs who did; [`StoreError::NotFound`] when there is no such
    /// token, [`StoreError::Invalid`] when it is already revoked.
    fn revoke_token(&mut self, id: i64, by: &str, at: &str) -> Result<TokenRecord, StoreError>;

    /// Sets (or replaces) a user's password hash and logs who set it.
    fn set_password(
        &mut self,
        user_name: &str,
        password_hash: &str,
        by: Option<&str>,
        at: &str,
    ) -> Result<(), StoreError>;

    /// The user's password hash (a PHC string) and role, if the user has a password.
    fn password(&mut self, user_name: &str) -> Result<Option<(String, Role)>, StoreError>;

    /// Stores a session's hash, valid until `expires_at`, and logs the login.
    fn add_session(
        &mut self,
        user_name: &str,
        session_hash: &str,
        created_at: &str,
        expires_at: &str,
    ) -> Result<(), StoreError>;

    /// The user of the session with this hash, if it has not ended or expired at `now`.
    fn session_user(
        &mut self,
        session_hash: &str,
        now: &str,
    ) -> Result<Option<Principal>, StoreError>;

    /// Ends a session (logout) and logs it; a session already ended is left as it is.
    fn end_session(&mut self, session_hash: &str, at: &str) -> Result<(), StoreError>;

    /// Logs a refused login for the name that was tried.
    fn add_refused_login(&mut self, user_name: &str, at: &str) -> Result<(), StoreError>;

    /// The credentials' log, oldest first.
    fn credential_events(&mut self) -> Result<Vec<CredentialEvent>, StoreError>;
}

/// A token to store: only its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    pub user_name: String,
    /// SHA-256 of the token, as lowercase hex.
    pub token_hash: String,
    pub label: String,
    /// The acting admin; `None` for `lmo tokens create` run on the database itself.
    pub created_by: Option<String>,
    pub created_at: String,
    pub expires_at: String,
}

/// A stored token, without its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: i64,
    pub user_name: String,
    pub label: String,
    pub created_by: Option<String>,
    pub created_at: String,
    pub expires_at: String,
    pub revoked_by: Option<String>,
    pub revoked_at: Option<String>,
}

/// Who a credential authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_name: String,
    pub role: Role,
}

/// What a credentials' log entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialAction {
    TokenCreated,
    TokenRevoked,
    PasswordSet,
    Login,
    LoginRefused,
    Logout,
}

impl CredentialAction {
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialAction::TokenCreated => "token_created",
            CredentialAction::TokenRevoked => "token_revoked",
            CredentialAction::PasswordSet => "password_set",
            CredentialAction::Login => "login",
            CredentialAction::LoginRefused => "login_refused",
            CredentialAction::Logout => "logout",
        }
    }

    fn parse(text: &str) -> Option<CredentialAction> {
        [
            CredentialAction::TokenCreated,
            CredentialAction::TokenRevoked,
            CredentialAction::PasswordSet,
            CredentialAction::Login,
            CredentialAction::LoginRefused,
            CredentialAction::Logout,
        ]
        .into_iter()
        .find(|action| action.as_str() == text)
    }
}

/// One entry of the credentials' log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialEvent {
    pub user_name: String,
    pub action: CredentialAction,
    pub token_id: Option<i64>,
    pub by: Option<String>,
    pub at: String,
}

fn log_event(
    sql: &mut (impl Sql + ?Sized),
    user_name: &str,
    action: CredentialAction,
    token_id: Option<i64>,
    by: Option<&str>,
    at: &str,
) -> Result<(), StoreError> {
    sql.execute(
        "INSERT INTO credential_events (user_name, action, token_id, by_user, at)
         VALUES ($1, $2, $3, $4, $5)",
        params![user_name, action.as_str(), token_id, by, at],
    )?;
    Ok(())
}

fn require_user(sql: &mut (impl Sql + ?Sized), user_name: &str) -> Result<Role, StoreError> {
    role_of(sql, user_name)?.ok_or_else(|| StoreError::Invalid(format!("no user {user_name}")))
}

fn require_admin(sql: &mut (impl Sql + ?Sized), by: &str) -> Result<(), StoreError> {
    match role_of(sql, by)? {
        Some(Role::Admin) => Ok(()),
        Some(role) => Err(StoreError::Forbidden(format!(
            "user {by} (role {role}) is not an admin: only an admin manages credentials"
        ))),
        None => Err(StoreError::Forbidden(format!(
            "unknown user '{by}': only an admin manages credentials"
        ))),
    }
}

const TOKEN_COLUMNS: &str =
    "id, user_name, label, created_by, created_at, expires_at, revoked_by, revoked_at";

fn decode_token(row: &Row) -> Result<TokenRecord, StoreError> {
    Ok(TokenRecord {
        id: row.int(0)?,
        user_name: row.text(1)?,
        label: row.text(2)?,
        created_by: row.opt_text(3)?,
        created_at: row.text(4)?,
        expires_at: row.text(5)?,
        revoked_by: row.opt_text(6)?,
        revoked_at: row.opt_text(7)?,
    })
}

fn decode_principal(row: &Row) -> Result<Principal, StoreError> {
    Ok(Principal {
        user_name: row.text(0)?,
        role: decode_role(&row.text(1)?)?,
    })
}

impl Credentials for SqlStore {
    fn add_token(&mut self, token: &NewToken) -> Result<i64, StoreError> {
        if token.token_hash.len() != 64 || !token.token_hash.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Err(StoreError::Invalid(
                "a token is stored as the hex of its SHA-256".to_owned(),
            ));
        }
        let mut transaction = self.database.transaction()?;
        if let Some(by) = &token.created_by {
            require_admin(&mut *transaction, by)?;
        }
        require_user(&mut *transaction, &token.user_name)?;
        let id = query_one(
            &mut *transaction,
            "INSERT INTO api_tokens (user_name, token_hash, label, created_by, created_at,
                                     expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             RETURNING id",
            params![
                &token.user_name,
                &token.token_hash,
                &token.label,
                token.created_by.as_deref(),
                &token.created_at,
                &token.expires_at
            ],
        )?
        .int(0)?;
        log_event(
            &mut *transaction,
            &token.user_name,
            CredentialAction::TokenCreated,
            Some(id),
            token.created_by.as_deref(),
            &token.created_at,
        )?;
        transaction.commit()?;
        Ok(id)
    }

    fn token_user(&mut self, token_hash: &str, now: &str) -> Result<Option<Principal>, StoreError> {
        query_opt(
            &mut *self.database,
            "SELECT users.user_name, users.role
             FROM api_tokens JOIN users ON users.user_name = api_tokens.user_name
             WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2",
            params![token_hash, now],
        )?
        .map(|row| decode_principal(&row))
        .transpose()
    }

    fn tokens(&mut self, user_name: Option<&str>) -> Result<Vec<TokenRecord>, StoreError> {
        query_map(
            &mut *self.database,
            &format!(
                "SELECT {TOKEN_COLUMNS} FROM api_tokens
                 WHERE user_name = coalesce($1, user_name) ORDER BY id"
            ),
            params![user_name],
            decode_token,
        )
    }

    fn revoke_token(&mut self, id: i64, by: &str, at: &str) -> Result<TokenRecord, StoreError> {
        let mut transaction = self.database.transaction()?;
        let select = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE id = $1");
        let token = query_opt(&mut *transaction, &select, params![id])?
            .map(|row| decode_token(&row))
            .transpose()?
            .ok_or_else(|| StoreError::NotFound(format!("no token {id}")))?;
        if token.revoked_at.is_some() {
            return Err(StoreError::Invalid(format!(
                "token {id} is already revoked"
            )));
        }
        transaction.execute(
            "UPDATE api_tokens SET revoked_by = $2, revoked_at = $3 WHERE id = $1",
            params![id, by, at],
        )?;
        log_event(
            &mut *transaction,
            &token.user_name,
            CredentialAction::TokenRevoked,
            Some(id),
            Some(by),
            at,
        )?;
        let token = query_one(&mut *transaction, &select, params![id])
            .and_then(|row| decode_token(&row))?;
        transaction.commit()?;
        Ok(token)
    }

    fn set_password(
        &mut self,
        user_name: &str,
        password_hash: &str,
        by: Option<&str>,
        at: &str,
    ) -> Result<(), StoreError> {
        if !password_hash.starts_with('$') {
            return Err(StoreError::Invalid(
                "a password is stored as a PHC hash string".to_owned(),
            ));
        }
        let mut transaction = self.database.transaction()?;
        require_user(&mut *transaction, user_name)?;
        transaction.execute(
            "INSERT INTO passwords (user_name, password_hash, set_by, set_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_name) DO UPDATE
             SET password_hash = excluded.password_hash, set_by = excluded.set_by,
                 set_at = excluded.set_at",
            params![user_name, password_hash, by, at],
        )?;
        log_event(
            &mut *transaction,
            user_name,
            CredentialAction::PasswordSet,
            None,
            by,
            at,
        )?;
        transaction.commit()
    }

    fn password(&mut self, user_name: &str) -> Result<Option<(String, Role)>, StoreError> {
        query_opt(
            &mut *self.database,
            "SELECT passwords.password_hash, users.role
             FROM passwords JOIN users ON users.user_name = passwords.user_name
             WHERE passwords.user_name = $1",
            params![user_name],
        )?
        .map(|row| Ok((row.text(0)?, decode_role(&row.text(1)?)?)))
        .transpose()
    }

    fn add_session(
        &mut self,
        user_name: &str,
        session_hash: &str,
        created_at: &str,
        expires_at: &str,
    ) -> Result<(), StoreError> {
        let mut transaction = self.database.transaction()?;
        require_user(&mut *transaction, user_name)?;
        transaction.execute(
            "INSERT INTO sessions (user_name, session_hash, created_at, expires_at)
             VALUES ($1, $2, $3, $4)",
            params![user_name, session_hash, created_at, expires_at],
        )?;
        log_event(
            &mut *transaction,
            user_name,
            CredentialAction::Login,
            None,
            None,
            created_at,
        )?;
        transaction.commit()
    }

    fn session_user(
        &mut self,
        session_hash: &str,
        now: &str,
    ) -> Result<Option<Principal>, StoreError> {
        query_opt(
            &mut *self.database,
            "SELECT users.user_name, users.role
             FROM sessions JOIN users ON users.user_name = sessions.user_name
             WHERE session_hash = $1 AND ended_at IS NULL AND expires_at > $2",
            params![session_hash, now],
        )?
        .map(|row| decode_principal(&row))
        .transpose()
    }

    fn end_session(&mut self, session_hash: &str, at: &str) -> Result<(), StoreError> {
        let mut transaction = self.database.transaction()?;
        let user = query_opt(
            &mut *transaction,
            "UPDATE sessions SET ended_at = $2 WHERE session_hash = $1 AND ended_at IS NULL
             RETURNING user_name",
            params![session_hash, at],
        )?;
        if let Some(row) = user {
            log_event(
                &mut *transaction,
                &row.text(0)?,
                CredentialAction::Logout,
                None,
                None,
                at,
            )?;
        }
        transaction.commit()
    }

    fn add_refused_login(&mut self, user_name: &str, at: &str) -> Result<(), StoreError> {
        // Only the first 64 characters of whatever was typed: the log is no place for essays.
        let name: String = user_name.chars().take(64).collect();
        log_event(
            &mut *self.database,
            &name,
            CredentialAction::LoginRefused,
            None,
            None,
            at,
        )
    }

    fn credential_events(&mut self) -> Result<Vec<CredentialEvent>, StoreError> {
        query_map(
            &mut *self.database,
            "SELECT user_name, action, token_id, by_user, at FROM credential_events ORDER BY id",
            &[],
            |row| {
                Ok(CredentialEvent {
                    user_name: row.text(0)?,
                    action: CredentialAction::parse(&row.text(1)?)
                        .ok_or_else(|| corrupt("credential_events", "unknown action".to_owned()))?,
                    token_id: row.opt_int(2)?,
                    by: row.opt_text(3)?,
                    at: row.text(4)?,
                })
            },
        )
    }
}
