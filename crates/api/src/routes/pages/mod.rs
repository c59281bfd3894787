//! The dashboard: server-rendered pages beside `/v1`, in Traditional Chinese or English (a
//! switch remembered in a cookie), for a laptop or a phone, without a line of JavaScript.
//!
//! Every page is listed once in [`table`], with whether it needs a session; the route test
//! walks that list with every role, so a page added without a row there fails it. Pages
//! are not in the OpenAPI document, which describes the JSON API only.
//!
//! Roles are checked here, server-side, as the JSON API checks them (the store checks case
//! work again). Forms carry the session's CSRF token and their handlers check it
//! ([`crate::auth::check_form_csrf`]). HTML is written with `maud`, which escapes every
//! value unless it is wrapped in `PreEscaped` (only the charts' SVG, which the charts crate
//! escapes itself).

mod alerts;
mod arrears;
mod cases;
mod layout;
mod overview;
mod reports;
mod series;
mod snapshot;
mod talent;

use axum::extract::{FromRequestParts, Request, State as AxumState};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get, post};
use axum::{Form, Router};
use maud::{Markup, html};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::auth::{self, Caller, LOGIN_CSRF_COOKIE};
use crate::{ApiError, State};

pub(crate) use layout::Lang;
pub(crate) use snapshot::Snapshots;

/// The cookie that remembers the language chosen.
pub(crate) const LANG_COOKIE: &str = "lmo_lang";

/// Who may reach a page: anyone (the login form, the style sheet), or a signed-in user
/// (each handler then checks the role it needs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Public,
    SignedIn,
}

/// Every browser route, once: the router is built from this list, and the route test
/// checks its table against it.
fn table() -> Vec<(Method, &'static str, Access, MethodRouter<State>)> {
    use Access::{Public, SignedIn};
    vec![
        (Method::GET, "/login", Public, get(login_page)),
        (Method::POST, "/login", Public, post(login_form)),
        (Method::GET, "/lang", Public, get(switch_language)),
        (Method::GET, "/assets/lmo.css", Public, get(style_sheet)),
        (Method::POST, "/logout", SignedIn, post(logout_form)),
        (Method::GET, "/", SignedIn, get(overview::page)),
        (Method::GET, "/series", SignedIn, get(series::search)),
        (Method::GET, "/series/chart", SignedIn, get(series::chart)),
        (Method::GET, "/alerts", SignedIn, get(alerts::page)),
        (
            Method::POST,
            "/alerts/acknowledge",
            SignedIn,
            post(alerts::acknowledge),
        ),
        (Method::POST, "/alerts/mute", SignedIn, post(alerts::mute)),
        (Method::GET, "/watchlist", SignedIn, get(alerts::watchlist)),
        (Method::GET, "/arrears", SignedIn, get(arrears::page)),
        (Method::GET, "/cases", SignedIn, get(cases::board)),
        (Method::POST, "/cases/open", SignedIn, post(cases::open)),
        (Method::GET, "/cases/{id}", SignedIn, get(cases::detail)),
        (
            Method::POST,
            "/cases/{id}/steps",
            SignedIn,
            post(cases::step),
        ),
        (Method::GET, "/talent", SignedIn, get(talent::page)),
        (Method::GET, "/reports", SignedIn, get(reports::page)),
        (
            Method::POST,
            "/reports/generate",
            SignedIn,
            post(reports::generate),
        ),
    ]
}

/// The method and path of every browser route, for the route test.
pub(crate) fn routes_listed() -> Vec<(Method, &'static str)> {
    table()
        .into_iter()
        .map(|(method, path, _, _)| (method, path))
        .collect()
}

/// The pages, those behind a session resolved by [`authenticate_page`].
pub(crate) fn routes(state: &State) -> Router<State> {
    let (mut public, mut signed_in) = (Router::new(), Router::new());
    for (_, path, access, handler) in table() {
        match access {
            Access::Public => public = public.route(path, handler),
            Access::SignedIn => signed_in = signed_in.route(path, handler),
        }
    }
    let signed_in = signed_in.layer(middleware::from_fn_with_state(
        state.clone(),
        authenticate_page,
    ));
    public
        .merge(signed_in)
        .layer(middleware::from_fn(page_headers))
}

/// Pages are private, never cached, never framed, and load nothing from elsewhere.
async fn page_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// Like [`auth::authenticate`], but a browser without a session is sent to the login form
/// (and back here afterwards), and refusals are pages rather than JSON.
async fn authenticate_page(
    AxumState(state): AxumState<State>,
    mut request: Request,
    next: Next,
) -> Response {
    let lang = lang_of(request.headers());
    match auth::identify(&state, request.headers(), request.method()).await {
        Ok(caller) => {
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Err(ApiError::Unauthenticated) if request.method() == Method::GET => {
            let here = request
                .uri()
                .path_and_query()
                .map_or("/", axum::http::uri::PathAndQuery::as_str);
            let target = format!("/login?{}", query(&[("next", here)]));
            Redirect::to(&target).into_response()
        }
        Err(error) => PageError { error, lang }.into_response(),
    }
}

/// A local path to go back to, or `/`: never another site (`//host`, `/\host`).
fn local_path(next: Option<&str>) -> &str {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(char::is_control) =>
        {
            path
        }
        _ => "/",
    }
}

/// A query string, encoded.
pub(crate) fn query(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// The language of a request: the cookie, else the browser's first choice when it is
/// English, else Traditional Chinese.
fn lang_of(headers: &HeaderMap) -> Lang {
    match auth::cookie(headers, LANG_COOKIE) {
        Some("en") => return Lang::En,
        Some("zh-Hant") => return Lang::ZhHant,
        _ => {}
    }
    let first = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(',').next())
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if first.starts_with("en") {
        Lang::En
    } else {
        Lang::ZhHant
    }
}

/// What every signed-in page knows of its request: the language, the caller, and the
/// page's own address (to come back to after switching language).
pub(crate) struct Ctx {
    pub(crate) lang: Lang,
    pub(crate) caller: Caller,
    pub(crate) here: String,
}

impl Ctx {
    /// The session's CSRF token for forms (empty for a token, which needs none).
    pub(crate) fn csrf(&self) -> &str {
        match &self.caller.via {
            auth::Via::Session { csrf } => csrf,
            auth::Via::Token => "",
        }
    }

    /// A refusal page unless the caller's role is `least` or above.
    pub(crate) fn require(&self, least: domain::Role) -> Result<(), PageError> {
        self.caller
            .require(least)
            .map_err(|error| self.error(error))
    }

    pub(crate) fn error(&self, error: ApiError) -> PageError {
        PageError {
            error,
            lang: self.lang,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Ctx, PageError> {
        let lang = lang_of(&parts.headers);
        let caller = Caller::from_request_parts(parts, state)
            .await
            .map_err(|error| PageError { error, lang })?;
        Ok(Ctx {
            lang,
            caller,
            here: parts
                .uri
                .path_and_query()
                .map_or("/", axum::http::uri::PathAndQuery::as_str)
                .to_owned(),
        })
    }
}

/// Query parameters of a page; a malformed query is a 422 page naming it.
pub(crate) struct PageQuery<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for PageQuery<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<PageQuery<T>, PageError> {
        serde_urlencoded::from_str(parts.uri.query().unwrap_or_default())
            .map(PageQuery)
            .map_err(|error| PageError {
                error: ApiError::invalid("query", error),
                lang: lang_of(&parts.headers),
            })
    }
}

/// A form body, with its CSRF token checked against the caller's session.
pub(crate) async fn read_form<T: DeserializeOwned>(
    ctx: &Ctx,
    request: Request,
) -> Result<T, PageError> {
    #[derive(Deserialize)]
    struct Token {
        csrf_token: Option<String>,
    }
    let body = axum::body::to_bytes(request.into_body(), crate::BODY_BYTES_MAX)
        .await
        .map_err(|_| ctx.error(ApiError::TooLarge(crate::BODY_BYTES_MAX)))?;
    let token: Token = serde_urlencoded::from_bytes(&body).unwrap_or(Token { csrf_token: None });
    auth::check_form_csrf(&ctx.caller, token.csrf_token.as_deref()).map_err(|e| ctx.error(e))?;
    serde_urlencoded::from_bytes(&body).map_err(|error| ctx.error(ApiError::invalid("form", error)))
}

/// A refusal or failure, as a page in both languages with the status it stands for.
pub(crate) struct PageError {
    pub(crate) error: ApiError,
    pub(crate) lang: Lang,
}

impl From<(ApiError, Lang)> for PageError {
    fn from((error, lang): (ApiError, Lang)) -> PageError {
        PageError { error, lang }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.error.status();
        // The JSON answer logs a 500's cause; its body says nothing of it, nor does the page.
        let message = match &self.error {
            ApiError::Internal(_) => {
                drop(self.error.into_response());
                None
            }
            other => Some(other.to_string()),
        };
        let (zh, en) = match status {
            StatusCode::FORBIDDEN => (
                "你的角色不可使用此頁或此項操作。",
                "Your role may not use this page or do this.",
            ),
            StatusCode::NOT_FOUND => ("找不到所要求的項目。", "What you asked for was not found."),
            StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => (
                "未能接受所提交的資料。",
                "What was sent could not be accepted.",
            ),
            StatusCode::UNAUTHORIZED => ("請先登入。", "Please log in first."),
            StatusCode::TOO_MANY_REQUESTS => (
                "嘗試次數過多，請稍後再試。",
                "Too many attempts; try again later.",
            ),
            StatusCode::SERVICE_UNAVAILABLE => {
                ("系統繁忙，請稍後再試。", "The store is busy; try again.")
            }
            _ => (
                "系統出錯，請稍後再試。",
                "Something went wrong; try again later.",
            ),
        };
        let first = self.lang;
        let second = match first {
            Lang::En => Lang::ZhHant,
            _ => Lang::En,
        };
        let words = |lang: Lang| if lang == Lang::En { en } else { zh };
        let body = html! {
            main.narrow {
                p.status { (status.as_u16()) }
                h1 lang=(first.tag()) { (words(first)) }
                p lang=(second.tag()) { (words(second)) }
                @if let Some(message) = message {
                    p.detail lang="en" { (message) }
                }
                p {
                    a href="/" { (first.pick("返回概覽", "Back to the overview")) }
                    " · "
                    a href="/login" { (first.pick("登入", "Log in")) }
                }
            }
        };
        let mut response = (
            status,
            Html(layout::bare(first, &first.pick("lmo：出錯", "lmo: error"), &body).into_string()),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"lmo\""),
            );
        }
        response
    }
}

/// The style sheet of every page.
async fn style_sheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("lmo.css"),
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
struct LangParams {
    to: Option<String>,
    next: Option<String>,
}

/// Switches the language and remembers it for a year, then goes back to the page.
async fn switch_language(PageQuery(params): PageQuery<LangParams>, headers: HeaderMap) -> Response {
    let lang = match params.to.as_deref() {
        Some("en") => Lang::En,
        _ => Lang::ZhHant,
    };
    let mut response = Redirect::to(local_path(params.next.as_deref())).into_response();
    let secure = if auth::forwarded_https(&headers) {
        "; Secure"
    } else {
        ""
    };
    if let Ok(cookie) = HeaderValue::from_str(&format!(
        "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{secure}",
        lang.tag()
    )) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

#[derive(Debug, Deserialize)]
struct LoginParams {
    next: Option<String>,
}

/// The login form; its CSRF token rides in a cookie of its own until there is a session.
async fn login_page(
    AxumState(state): AxumState<State>,
    headers: HeaderMap,
    PageQuery(params): PageQuery<LoginParams>,
) -> Response {
    let lang = lang_of(&headers);
    let next = local_path(params.next.as_deref()).to_owned();
    login_response(&state, &headers, lang, &next, None, StatusCode::OK)
}

fn login_response(
    state: &State,
    headers: &HeaderMap,
    lang: Lang,
    next: &str,
    problem: Option<(&str, &str)>,
    status: StatusCode,
) -> Response {
    let (problem, user_name) = problem.unzip();
    // Any random value will do: the form's field must match the cookie.
    let token = engine::access::random_hex().unwrap_or_default();
    let here = format!("/login?{}", query(&[("next", next)]));
    let body = html! {
        main.narrow.login {
            h1 { "lmo " span.brand-zh { "勞動市場觀測站" } }
            p.lead { (lang.pick("請以你的用戶名稱及密碼登入。", "Log in with your user name and password.")) }
            @if let Some(problem) = problem {
                p.flash.error role="alert" { (problem) }
            }
            form.stack method="post" action="/login" {
                input type="hidden" name="csrf_token" value=(token);
                input type="hidden" name="next" value=(next);
                label { (lang.pick("用戶名稱", "User name"))
                    input name="user_name" autocomplete="username" required autofocus[user_name.is_none()] value=[user_name]; }
                label { (lang.pick("密碼", "Password"))
                    input name="password" type="password" autocomplete="current-password" required autofocus[user_name.is_some()]; }
                button type="submit" { (lang.pick("登入", "Log in")) }
            }
            p { (layout::language_switch(lang, &here)) }
        }
    };
    let secure = if state.secure_cookies || auth::forwarded_https(headers) {
        "; Secure"
    } else {
        ""
    };
    let mut response = (
        status,
        Html(layout::bare(lang, &lang.pick("登入 lmo", "Log in to lmo"), &body).into_string()),
    )
        .into_response();
    if let Ok(cookie) = HeaderValue::from_str(&format!(
        "{LOGIN_CSRF_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600{secure}"
    )) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    user_name: String,
    password: String,
    csrf_token: String,
    next: Option<String>,
}

async fn login_form(AxumState(state): AxumState<State>, request: Request) -> Response {
    let address = auth::client_address(request.extensions());
    let headers = request.headers().clone();
    let lang = lang_of(&headers);
    let form = match Form::<LoginForm>::from_request(request, &()).await {
        Ok(Form(form)) => form,
        Err(rejection) => {
            return PageError {
                error: ApiError::BadRequest(rejection.body_text()),
                lang,
            }
            .into_response();
        }
    };
    let next = local_path(form.next.as_deref()).to_owned();
    let expected = auth::cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || form.csrf_token != expected {
        let problem = lang.pick(
            "登入表格已過期，請再試一次。",
            "The login form had expired; please try again.",
        );
        return login_response(
            &state,
            &headers,
            lang,
            &next,
            Some((&problem, &form.user_name)),
            StatusCode::FORBIDDEN,
        );
    }
    let user_name = form.user_name.clone();
    match auth::login(&state, form.user_name, form.password, address).await {
        Ok((_, secret)) => {
            let mut response = Redirect::to(&next).into_response();
            response.headers_mut().insert(
                header::SET_COOKIE,
                auth::session_cookie(&state, &headers, &secret),
            );
            response
        }
        Err(ApiError::Unauthenticated) => {
            let problem = lang.pick(
                "用戶名稱或密碼不正確。",
                "The user name or password is not right.",
            );
            login_response(
                &state,
                &headers,
                lang,
                &next,
                Some((&problem, &user_name)),
                StatusCode::UNAUTHORIZED,
            )
        }
        Err(ApiError::TooManyRequests { retry_after_s }) => {
            let minutes = retry_after_s.div_ceil(60);
            let problem = lang.pick(
                &format!("登入失敗次數過多，請於{minutes}分鐘後再試。"),
                &format!("Too many failed logins; try again in {minutes} min."),
            );
            login_response(
                &state,
                &headers,
                lang,
                &next,
                Some((&problem, &user_name)),
                StatusCode::TOO_MANY_REQUESTS,
            )
        }
        Err(error) => PageError { error, lang }.into_response(),
    }
}

use axum::extract::FromRequest;

async fn logout_form(
    AxumState(state): AxumState<State>,
    ctx: Ctx,
    request: Request,
) -> Result<Response, PageError> {
    let headers = request.headers().clone();
    let _: serde::de::IgnoredAny = read_form(&ctx, request).await?;
    auth::logout(&state, &headers)
        .await
        .map_err(|error| ctx.error(error))?;
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, "/login")]).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        auth::session_cookie(&state, &headers, ""),
    );
    Ok(response)
}

/// A redirect after a form: 303 to `to`.
pub(crate) fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// An engine call on the pool, its refusal shown as a page.
pub(crate) async fn run<T, F>(state: &State, ctx: &Ctx, work: F) -> Result<T, PageError>
where
    T: Send + 'static,
    F: FnOnce(&mut engine::Engine) -> Result<T, ApiError> + Send + 'static,
{
    state.pool.run(work).await.map_err(|error| ctx.error(error))
}

/// Renders a page in the frame of the dashboard.
pub(crate) fn render(ctx: &Ctx, title: &str, content: &Markup) -> Response {
    Html(layout::frame(ctx, title, content).into_string()).into_response()
}
