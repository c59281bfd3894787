//! Authentication, never a name in a flag: an API token (`Authorization: Bearer lmo_…`) or
//! a browser session (the `lmo_session` cookie: `HttpOnly`, `SameSite=Strict`, `Secure`
//! behind TLS). A request that changes something with a session must also carry the
//! session's CSRF token (header `X-CSRF-Token`, or the `csrf_token` field of a form).
//! Failed logins are limited per user name and per client address.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State as AxumState};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::Role;
use sha2::{Digest, Sha256};

use crate::{ApiError, State};

pub const SESSION_COOKIE: &str = "lmo_session";
/// The cookie that carries the CSRF token of the login form (before there is a session).
pub const LOGIN_CSRF_COOKIE: &str = "lmo_login_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Failed logins allowed per user name, and per client address, in [`LIMIT_WINDOW_S`].
pub const FAILURES_PER_NAME_MAX: usize = 5;
pub const FAILURES_PER_ADDRESS_MAX: usize = 20;
pub const LIMIT_WINDOW_S: i64 = 15 * 60;

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    Token,
    /// A browser session, with the CSRF token its forms and scripts must send back.
    Session {
        csrf: String,
    },
}

/// The authenticated user of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user_name: String,
    pub role: Role,
    pub via: Via,
}

impl Caller {
    /// 403 unless the caller's role is `least` or above (viewer < analyst < case officer
    /// < admin).
    pub fn require(&self, least: Role) -> Result<(), ApiError> {
        if self.role >= least {
            return Ok(());
        }
        Err(ApiError::Forbidden(format!(
            "user {} (role {}) may not do this: it needs the role {} or above",
            self.user_name, self.role, least
        )))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Caller, ApiError> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or(ApiError::Unauthenticated)
    }
}

/// The CSRF token of a session: derived from the session id, so it needs no storage and
/// gives nothing of the session id away.
pub fn csrf_token(session: &str) -> String {
    let digest = Sha256::digest(format!("lmo-csrf:{session}").as_bytes());
    digest
        .iter()
        .take(16)
        .fold(String::new(), |mut text, byte| {
            use std::fmt::Write;
            let _ = write!(text, "{byte:02x}");
            text
        })
}

/// The value of a cookie in the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Resolves the caller from a token or a session; 401 without either.
pub(crate) async fn authenticate(
    AxumState(state): AxumState<State>,
    mut request: Request,
    next: Next,
) -> Response {
    match identify(&state, request.headers(), request.method()).await {
        Ok(caller) => {
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Err(error) => error.into_response(),
    }
}

pub(crate) async fn identify(
    state: &State,
    headers: &HeaderMap,
    method: &Method,
) -> Result<Caller, ApiError> {
    let now = state.now();
    if let Some(token) = bearer(headers) {
        let token = token.to_owned();
        let principal = state
            .pool
            .run(move |engine| Ok(engine.token_user(&token, now)?))
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        return Ok(Caller {
            user_name: principal.user_name,
            role: principal.role,
            via: Via::Token,
        });
    }
    let Some(session) = cookie(headers, SESSION_COOKIE) else {
        return Err(ApiError::Unauthenticated);
    };
    let session = session.to_owned();
    let csrf = csrf_token(&session);
    let principal = state
        .pool
        .run(move |engine| Ok(engine.session_user(&session, now)?))
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    // Forms carry the token in their body; their handlers check it (`check_form_csrf`).
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
    if !safe && !form {
        let sent = headers
            .get(CSRF_HEADER)
            .and_then(|value| value.to_str().ok());
        if sent != Some(csrf.as_str()) {
            return Err(ApiError::Forbidden(
                "a change made with a session needs its CSRF token in the X-CSRF-Token header"
                    .to_owned(),
            ));
        }
    }
    Ok(Caller {
        user_name: principal.user_name,
        role: principal.role,
        via: Via::Session { csrf },
    })
}

/// For form handlers: 403 unless a session's form sent the session's CSRF token.
pub fn check_form_csrf(caller: &Caller, sent: Option<&str>) -> Result<(), ApiError> {
    match &caller.via {
        Via::Token => Ok(()),
        Via::Session { csrf } if sent == Some(csrf.as_str()) => Ok(()),
        Via::Session { .. } => Err(ApiError::Forbidden(
            "this form needs its CSRF token (csrf_token)".to_owned(),
        )),
    }
}

/// Failed logins per user name and per address within the window.
#[derive(Default)]
pub(crate) struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<i64>>>,
}

impl LoginLimiter {
    fn keys(user_name: &str, address: Option<IpAddr>) -> [(String, usize); 2] {
        [
            (
                format!("name:{}", user_name.to_lowercase()),
                FAILURES_PER_NAME_MAX,
            ),
            (
                format!(
                    "addr:{}",
                    address.map(|a| a.to_string()).unwrap_or_default()
                ),
                FAILURES_PER_ADDRESS_MAX,
            ),
        ]
    }

    /// 429 when either key has had too many failures within the window at `now_s`.
    pub(crate) fn check(
        &self,
        user_name: &str,
        address: Option<IpAddr>,
        now_s: i64,
    ) -> Result<(), ApiError> {
        let Ok(mut failures) = self.failures.lock() else {
            return Ok(());
        };
        for (key, limit) in Self::keys(user_name, address) {
            if let Some(times) = failures.get_mut(&key) {
                times.retain(|time| now_s - time < LIMIT_WINDOW_S);
                if times.len() >= limit {
                    let oldest = times.iter().min().copied().unwrap_or(now_s);
                    return Err(ApiError::TooManyRequests {
                        retry_after_s: u64::try_from(oldest + LIMIT_WINDOW_S - now_s)
                            .unwrap_or(1)
                            .max(1),
                    });
                }
            }
        }
        Ok(())
    }

    pub(crate) fn failed(&self, user_name: &str, address: Option<IpAddr>, now_s: i64) {
        if let Ok(mut failures) = self.failures.lock() {
            // Bounded: an attacker cycling names cannot grow the map without limit.
            if failures.len() > 100_000 {
                failures.retain(|_, times| times.iter().any(|time| now_s - time < LIMIT_WINDOW_S));
            }
            for (key, _) in Self::keys(user_name, address) {
                failures.entry(key).or_default().push(now_s);
            }
        }
    }

    pub(crate) fn succeeded(&self, user_name: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&format!("name:{}", user_name.to_lowercase()));
        }
    }
}

/// The `Set-Cookie` value of a session (or of its removal when `secret` is empty).
pub(crate) fn session_cookie(state: &State, headers: &HeaderMap, secret: &str) -> HeaderValue {
    let max_age = if secret.is_empty() {
        0
    } else {
        i64::from(state.session_hours) * 3600
    };
    let secure = if state.secure_cookies || forwarded_https(headers) {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("lmo_session=; Max-Age=0"))
}

/// Whether a TLS-terminating proxy says the browser came over HTTPS.
pub(crate) fn forwarded_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.eq_ignore_ascii_case("https"))
}

/// The client's address, when the server was started with connection info.
pub(crate) fn client_address(parts_extensions: &axum::http::Extensions) -> Option<IpAddr> {
    parts_extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
}

/// Checks a login, limited per name and address; on success opens a session and returns
/// the caller and the session's secret.
pub(crate) async fn login(
    state: &State,
    user_name: String,
    password: String,
    address: Option<IpAddr>,
) -> Result<(Caller, String), ApiError> {
    let now = state.now();
    let now_s = now.as_second();
    state.limiter.check(&user_name, address, now_s)?;
    let hours = state.session_hours;
    let name = user_name.clone();
    let opened = state
        .pool
        .run(move |engine| {
            let Some(principal) = engine.check_login(&name, &password, now)? else {
                return Ok(None);
            };
            let session = engine.open_session(&principal.user_name, now, hours)?;
            Ok(Some((principal, session.secret)))
        })
        .await?;
    let Some((principal, secret)) = opened else {
        state.limiter.failed(&user_name, address, now_s);
        tracing::warn!(user = %user_name.escape_default(), "login refused");
        return Err(ApiError::Unauthenticated);
    };
    state.limiter.succeeded(&user_name);
    tracing::info!(user = %principal.user_name, "logged in");
    Ok((
        Caller {
            user_name: principal.user_name,
            role: principal.role,
            via: Via::Session {
                csrf: csrf_token(&secret),
            },
        },
        secret,
    ))
}

/// Ends the request's session, if it has one.
pub(crate) async fn logout(state: &State, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(session) = cookie(headers, SESSION_COOKIE) else {
        return Ok(());
    };
    let session = session.to_owned();
    let now = state.now();
    state
        .pool
        .run(move |engine| Ok(engine.end_session(&session, now)?))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_by_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; lmo_session=abc; b=2"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, "c"), None);
    }

    #[test]
    fn the_limiter_refuses_after_too_many_failures_then_forgets() {
        let limiter = LoginLimiter::default();
        for second in 0..FAILURES_PER_NAME_MAX as i64 {
            limiter.check("chan", None, second).unwrap();
            limiter.failed("chan", None, second);
        }
        assert!(matches!(
            limiter.check("CHAN", None, 10),
            Err(ApiError::TooManyRequests { retry_after_s: 890 })
        ));
        limiter.check("wong", None, 10).unwrap();
        limiter.check("chan", None, LIMIT_WINDOW_S + 5).unwrap();
    }
}
