//! Who is asking: API tokens, browser logins and sessions, for the CLI and the HTTP API.
//!
//! Tokens and session ids are 32 random bytes from the operating system, handed out once
//! and stored only as their SHA-256 (they are too random for a slow hash to add anything);
//! passwords are stored as Argon2id PHC strings. Times are passed in.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

pub use store::{CredentialAction, CredentialEvent, Principal, TokenRecord};

use crate::{Engine, EngineError};

/// What every token starts with, so that a leaked one is recognisable (secret scanners,
/// logs) and never mistaken for a session id.
pub const TOKEN_PREFIX: &str = "lmo_";

/// The shortest password accepted, in characters.
pub const PASSWORD_CHARS_MIN: usize = 12;
/// The longest password accepted, in bytes: Argon2 hashes whatever it is given, and a
/// megabyte of password is only a way to make the server work.
pub const PASSWORD_BYTES_MAX: usize = 1024;

/// A token or session id just issued: the only time its text exists outside the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    /// The token's id (0 for a session).
    pub id: i64,
    pub secret: String,
    /// UTC RFC 3339.
    pub expires_at: String,
}

/// A time as the credentials tables keep it: UTC, to the second.
pub fn utc_text(time: jiff::Timestamp) -> String {
    time.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// 32 random bytes from the operating system as 64 hex digits.
pub fn random_hex() -> Result<String, EngineError> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| {
        EngineError::Request(format!("the system gave no random bytes: {error}"))
    })?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut text, byte| {
        let _ = write!(text, "{byte:02x}");
        text
    })
}

/// How a token or session id is stored: the hex of its SHA-256.
pub fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

fn later(now: jiff::Timestamp, hours: i64) -> Result<jiff::Timestamp, EngineError> {
    now.checked_add(jiff::SignedDuration::from_hours(hours))
        .map_err(|error| EngineError::Request(error.to_string()))
}

/// Checks a new password: long enough to resist guessing, short enough to hash.
fn check_password(password: &str) -> Result<(), EngineError> {
    if password.chars().count() < PASSWORD_CHARS_MIN {
        return Err(EngineError::Request(format!(
            "a password has at least {PASSWORD_CHARS_MIN} characters"
        )));
    }
    if password.len() > PASSWORD_BYTES_MAX {
        return Err(EngineError::Request(format!(
            "a password has at most {PASSWORD_BYTES_MAX} bytes"
        )));
    }
    Ok(())
}

/// A hash to verify against when the user has no password, so that a login for an unknown
/// name takes as long as one for a known name.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        Argon2::default()
            .hash_password(b"no user has this password")
            .map(|hash| hash.to_string())
            .unwrap_or_default()
    })
}

impl Engine {
    /// Creates an API token for a user, valid for `valid_days`; its text is returned once
    /// and only its hash is stored. `created_by` (when given) must be an admin; `None` is
    /// `lmo tokens create` run on the database itself.
    pub fn create_token(
        &mut self,
        user_name: &str,
        label: &str,
        created_by: Option<&str>,
        now: jiff::Timestamp,
        valid_days: u16,
    ) -> Result<Issued, EngineError> {
        if valid_days == 0 {
            return Err(EngineError::Request(
                "a token is valid for at least one day".to_owned(),
            ));
        }
        let secret = format!("{TOKEN_PREFIX}{}", random_hex()?);
        let expires_at = utc_text(later(now, 24 * i64::from(valid_days))?);
        let id = self.store.add_token(&store::NewToken {
            user_name: user_name.to_owned(),
            token_hash: secret_hash(&secret),
            label: label.to_owned(),
            created_by: created_by.map(str::to_owned),
            created_at: utc_text(now),
            expires_at: expires_at.clone(),
        })?;
        Ok(Issued {
            id,
            secret,
            expires_at,
        })
    }

    /// The user a token authenticates at `now`: `None` for an unknown, revoked or expired
    /// token.
    pub fn token_user(
        &mut self,
        token: &str,
        now: jiff::Timestamp,
    ) -> Result<Option<Principal>, EngineError> {
        if !token.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        Ok(self.store.token_user(&secret_hash(token), &utc_text(now))?)
    }

    /// Every token of a user (of everyone when `None`), without their hashes.
    pub fn tokens(&mut self, user_name: Option<&str>) -> Result<Vec<TokenRecord>, EngineError> {
        Ok(self.store.tokens(user_name)?)
    }

    pub fn revoke_token(
        &mut self,
        id: i64,
        by: &str,
        now: jiff::Timestamp,
    ) -> Result<TokenRecord, EngineError> {
        Ok(self.store.revoke_token(id, by, &utc_text(now))?)
    }

    /// Sets a user's password (Argon2id), recording who set it.
    pub fn set_password(
        &mut self,
        user_name: &str,
        password: &str,
        by: Option<&str>,
        now: jiff::Timestamp,
    ) -> Result<(), EngineError> {
        check_password(password)?;
        let hash = Argon2::default()
            .hash_password(password.as_bytes())
            .map_err(|error| EngineError::Request(format!("cannot hash the password: {error}")))?
            .to_string();
        self.store
            .set_password(user_name, &hash, by, &utc_text(now))?;
        Ok(())
    }

    /// Whether `password` is the user's password; a wrong one is logged as a refused login.
    pub fn check_login(
        &mut self,
        user_name: &str,
        password: &str,
        now: jiff::Timestamp,
    ) -> Result<Option<Principal>, EngineError> {
        let stored = if password.len() > PASSWORD_BYTES_MAX {
            None
        } else {
            self.store.password(user_name)?
        };
        let hash_text: &str = match &stored {
            Some((hash, _)) => hash,
            None => decoy_hash(),
        };
        let matches = PasswordHash::new(hash_text).is_ok_and(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        });
        match stored {
            Some((_, role)) if matches => Ok(Some(Principal {
                user_name: user_name.to_owned(),
                role,
            })),
            _ => {
                self.store.add_refused_login(user_name, &utc_text(now))?;
                Ok(None)
            }
        }
    }

    /// Opens a browser session for a user who has logged in, valid for `hours`.
    pub fn open_session(
        &mut self,
        user_name: &str,
        now: jiff::Timestamp,
        hours: u16,
    ) -> Result<Issued, EngineError> {
        let secret = random_hex()?;
        let expires_at = utc_text(later(now, i64::from(hours))?);
        self.store.add_session(
            user_name,
            &secret_hash(&secret),
            &utc_text(now),
            &expires_at,
        )?;
        Ok(Issued {
            id: 0,
            secret,
            expires_at,
        })
    }

    /// The user of a session at `now`: `None` when unknown, ended or expired.
    pub fn session_user(
        &mut self,
        session: &str,
        now: jiff::Timestamp,
    ) -> Result<Option<Principal>, EngineError> {
        if session.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        Ok(self
            .store
            .session_user(&secret_hash(session), &utc_text(now))?)
    }

    /// Ends a session (logout).
    pub fn end_session(&mut self, session: &str, now: jiff::Timestamp) -> Result<(), EngineError> {
        Ok(self
            .store
            .end_session(&secret_hash(session), &utc_text(now))?)
    }

    /// The credentials' log, oldest first.
    pub fn credential_events(&mut self) -> Result<Vec<CredentialEvent>, EngineError> {
        Ok(self.store.credential_events()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_stored_as_their_sha256() {
        assert_eq!(
            secret_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let first = random_hex().unwrap();
        assert_eq!(first.len(), 64);
        assert_ne!(first, random_hex().unwrap());
    }

    #[test]
    fn times_are_utc_to_the_second() {
        let time: jiff::Timestamp = "2026-01-05T09:30:15.25+08:00".parse().unwrap();
        assert_eq!(utc_text(time), "2026-01-05T01:30:15Z");
    }
}
