//! Browser pages beside `/v1`: the login form and logout. The dashboard's pages are added
//! here as [`authenticated_routes`] (the session is checked before they run; a form
//! handler checks its `csrf_token` with [`crate::auth::check_form_csrf`]).

use axum::extract::{Request, State as AxumState};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::auth::{self, Caller, LOGIN_CSRF_COOKIE};
use crate::{ApiError, State};

/// Routes that need no credentials: the login form.
pub(crate) fn public_routes() -> Router<State> {
    Router::new().route("/login", get(login_page).post(login_form))
}

/// Routes behind the session (or a token).
pub(crate) fn authenticated_routes() -> Router<State> {
    Router::new()
        .route("/", get(home))
        .route("/logout", post(logout_form))
}

/// Escapes text for HTML.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"zh-Hant\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>body{{font-family:'Noto Sans CJK TC',sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}}\
         label{{display:block;margin:.8rem 0}}input{{font-size:1rem;padding:.3rem}}</style></head><body>{body}</body></html>"
    )
}

/// The login form; its CSRF token rides in a cookie of its own until there is a session.
async fn login_page(AxumState(state): AxumState<State>, headers: HeaderMap) -> Response {
    // Any random value will do: the form's field must match the cookie.
    let token = random_token();
    let body = format!(
        "<h1>lmo 勞動市場觀測站</h1><form method=\"post\" action=\"/login\">\
         <input type=\"hidden\" name=\"csrf_token\" value=\"{token}\">\
         <label>User 用戶 <input name=\"user_name\" autocomplete=\"username\" required></label>\
         <label>Password 密碼 <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>\
         <button type=\"submit\">Log in 登入</button></form>"
    );
    let secure = if state.secure_cookies || auth::forwarded_https(&headers) {
        "; Secure"
    } else {
        ""
    };
    let mut response = Html(page("lmo login 登入", &body)).into_response();
    if let Ok(cookie) = HeaderValue::from_str(&format!(
        "{LOGIN_CSRF_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600{secure}"
    )) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

fn random_token() -> String {
    // Without randomness the form cannot be protected; an empty token matches no cookie.
    engine::access::random_hex().unwrap_or_default()
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    user_name: String,
    password: String,
    csrf_token: String,
}

async fn login_form(
    AxumState(state): AxumState<State>,
    request: Request,
) -> Result<Response, ApiError> {
    let address = auth::client_address(request.extensions());
    let headers = request.headers().clone();
    let Form(form) = Form::<LoginForm>::from_request_ignoring_state(request).await?;
    let expected = auth::cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || form.csrf_token != expected {
        return Err(ApiError::Forbidden(
            "the login form's CSRF token does not match; reload the form".to_owned(),
        ));
    }
    let (_, secret) = auth::login(&state, form.user_name, form.password, address).await?;
    let mut response = Redirect::to("/").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        auth::session_cookie(&state, &headers, &secret),
    );
    Ok(response)
}

/// Until the dashboard: who is logged in, and the way out.
async fn home(caller: Caller) -> Response {
    let csrf = match &caller.via {
        auth::Via::Session { csrf } => csrf.clone(),
        auth::Via::Token => String::new(),
    };
    let body = format!(
        "<h1>lmo 勞動市場觀測站</h1><p>{} ({})</p><p><a href=\"/v1/docs\">API /v1</a></p>\
         <form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"csrf_token\" value=\"{csrf}\">\
         <button type=\"submit\">Log out 登出</button></form>",
        escape(&caller.user_name),
        caller.role
    );
    Html(page("lmo", &body)).into_response()
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    csrf_token: Option<String>,
}

async fn logout_form(
    AxumState(state): AxumState<State>,
    caller: Caller,
    request: Request,
) -> Result<Response, ApiError> {
    let headers = request.headers().clone();
    let body = axum::body::to_bytes(request.into_body(), crate::BODY_BYTES_MAX)
        .await
        .map_err(|_| ApiError::TooLarge(crate::BODY_BYTES_MAX))?;
    let form: CsrfForm =
        serde_urlencoded::from_bytes(&body).unwrap_or(CsrfForm { csrf_token: None });
    auth::check_form_csrf(&caller, form.csrf_token.as_deref())?;
    auth::logout(&state, &headers).await?;
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, "/login")]).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        auth::session_cookie(&state, &headers, ""),
    );
    Ok(response)
}

/// Reads a form body, refusing it with the API's error shape.
trait FormExt: Sized {
    async fn from_request_ignoring_state(request: Request) -> Result<Self, ApiError>;
}

impl<T: serde::de::DeserializeOwned + Send> FormExt for Form<T> {
    async fn from_request_ignoring_state(request: Request) -> Result<Form<T>, ApiError> {
        use axum::extract::FromRequest;
        Form::<T>::from_request(request, &())
            .await
            .map_err(|rejection| ApiError::BadRequest(rejection.body_text()))
    }
}
