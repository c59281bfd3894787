//! `/v1/auth`, `/v1/me`, `/v1/users`, `/v1/tokens`: logins, and user and token management
//! (admins), every change recorded with the authenticated admin.

use axum::extract::{Path, State as AxumState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::Role;
use engine::RoleChange;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{self, Caller, Via};
use crate::params::{Json, Query};
use crate::{ApiError, State};

pub(super) fn routes() -> OpenApiRouter<State> {
    OpenApiRouter::new()
        .routes(routes!(logout_json))
        .routes(routes!(me))
        .routes(routes!(change_own_password))
        .routes(routes!(list_users, add_user))
        .routes(routes!(change_role))
        .routes(routes!(set_password))
        .routes(routes!(user_events))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LoginRequest {
    user_name: String,
    password: String,
}

/// Who is logged in, and the CSRF token a session's changes must send.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct MeDto {
    user_name: String,
    role: &'static str,
    case_access: bool,
    /// `token` or `session`.
    via: &'static str,
    /// With a session: send it back in the `X-CSRF-Token` header of every change.
    csrf_token: Option<String>,
}

fn me_dto(caller: &Caller) -> MeDto {
    MeDto {
        user_name: caller.user_name.clone(),
        role: caller.role.as_str(),
        case_access: caller.role.has_case_access(),
        via: match caller.via {
            Via::Token => "token",
            Via::Session { .. } => "session",
        },
        csrf_token: match &caller.via {
            Via::Token => None,
            Via::Session { csrf } => Some(csrf.clone()),
        },
    }
}

/// Log in with a user name and password: sets the session cookie (rate-limited).
#[utoipa::path(post, path = "/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = OK, body = MeDto), (status = 401, body = crate::ErrorBody),
              (status = 429, body = crate::ErrorBody)))]
pub(crate) async fn login_json(
    AxumState(state): AxumState<State>,
    headers: HeaderMap,
    request: axum::extract::Request,
) -> Result<Response, ApiError> {
    let address = auth::client_address(request.extensions());
    let Json(login) =
        <Json<LoginRequest> as axum::extract::FromRequest<()>>::from_request(request, &()).await?;
    let (caller, secret) = auth::login(&state, login.user_name, login.password, address).await?;
    let mut response = axum::Json(me_dto(&caller)).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        auth::session_cookie(&state, &headers, &secret),
    );
    Ok(response)
}

/// End the session and clear its cookie.
#[utoipa::path(post, path = "/auth/logout", tag = "auth",
    responses((status = NO_CONTENT)))]
async fn logout_json(
    AxumState(state): AxumState<State>,
    _: Caller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    auth::logout(&state, &headers).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        auth::session_cookie(&state, &headers, ""),
    );
    Ok(response)
}

/// The authenticated user.
#[utoipa::path(get, path = "/me", tag = "auth", responses((status = OK, body = MeDto)))]
async fn me(caller: Caller) -> axum::Json<MeDto> {
    axum::Json(me_dto(&caller))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OwnPasswordRequest {
    current_password: String,
    new_password: String,
}

/// Change your own password (the current one is asked again).
#[utoipa::path(put, path = "/me/password", tag = "auth", request_body = OwnPasswordRequest,
    responses((status = NO_CONTENT), (status = 403, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
async fn change_own_password(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Json(request): Json<OwnPasswordRequest>,
) -> Result<Response, ApiError> {
    let now = state.now();
    state
        .pool
        .run(move |engine| {
            if engine
                .check_login(&caller.user_name, &request.current_password, now)?
                .is_none()
            {
                return Err(ApiError::Forbidden(
                    "the current password is not right".to_owned(),
                ));
            }
            engine
                .set_password(
                    &caller.user_name,
                    &request.new_password,
                    Some(&caller.user_name),
                    now,
                )
                .map_err(|error| ApiError::invalid("new_password", error))
        })
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct UserDto {
    user_name: String,
    role: &'static str,
    case_access: bool,
    created_at: String,
}

fn user_dto(user: &engine::User) -> UserDto {
    UserDto {
        user_name: user.user_name.clone(),
        role: user.role.as_str(),
        case_access: user.role.has_case_access(),
        created_at: user.created_at.clone(),
    }
}

/// Every user and role (admins).
#[utoipa::path(get, path = "/users", tag = "users",
    responses((status = OK, body = Vec<UserDto>), (status = 403, body = crate::ErrorBody)))]
async fn list_users(
    AxumState(state): AxumState<State>,
    caller: Caller,
) -> Result<Response, ApiError> {
    caller.require(Role::Admin)?;
    let users = state.pool.run(|engine| Ok(engine.users()?)).await?;
    Ok(axum::Json(users.iter().map(user_dto).collect::<Vec<_>>()).into_response())
}

fn role(field: &str, text: &str) -> Result<Role, ApiError> {
    Role::parse(text).map_err(|error| ApiError::invalid(field, error))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AddUserRequest {
    user_name: String,
    /// `viewer`, `analyst`, `case_officer` or `admin`.
    role: String,
    /// Optional first password (at least 12 characters).
    password: Option<String>,
}

/// Add a user (admins); recorded with the acting admin.
#[utoipa::path(post, path = "/users", tag = "users", request_body = AddUserRequest,
    responses((status = CREATED, body = UserDto), (status = 403, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
async fn add_user(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Json(request): Json<AddUserRequest>,
) -> Result<Response, ApiError> {
    caller.require(Role::Admin)?;
    let role = role("role", &request.role)?;
    let at = state.now_text();
    let now = state.now();
    let user = state
        .pool
        .run(move |engine| {
            let user = engine.add_user(&request.user_name, role, Some(&caller.user_name), &at)?;
            if let Some(password) = &request.password {
                engine
                    .set_password(&user.user_name, password, Some(&caller.user_name), now)
                    .map_err(|error| ApiError::invalid("password", error))?;
            }
            Ok(user)
        })
        .await?;
    Ok((StatusCode::CREATED, axum::Json(user_dto(&user))).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RoleRequest {
    role: String,
    /// Why the role changes (kept in the users' log).
    note: String,
}

/// Change a user's role (admins), with the reason.
#[utoipa::path(put, path = "/users/{name}/role", tag = "users", request_body = RoleRequest,
    params(("name" = String, Path, description = "The user")),
    responses((status = OK, body = UserDto), (status = 403, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
async fn change_role(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Path(name): Path<String>,
    Json(request): Json<RoleRequest>,
) -> Result<Response, ApiError> {
    caller.require(Role::Admin)?;
    let role = role("role", &request.role)?;
    let at = state.now_text();
    let user = state
        .pool
        .run(move |engine| {
            Ok(engine.change_role(&RoleChange {
                user_name: name,
                role,
                by: caller.user_name,
                note: request.note,
                at,
            })?)
        })
        .await?;
    Ok(axum::Json(user_dto(&user)).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PasswordRequest {
    /// At least 12 characters.
    password: String,
}

/// Set a user's password (admins).
#[utoipa::path(put, path = "/users/{name}/password", tag = "users", request_body = PasswordRequest,
    params(("name" = String, Path, description = "The user")),
    responses((status = NO_CONTENT), (status = 403, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
async fn set_password(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Path(name): Path<String>,
    Json(request): Json<PasswordRequest>,
) -> Result<Response, ApiError> {
    caller.require(Role::Admin)?;
    let now = state.now();
    state
        .pool
        .run(move |engine| {
            engine
                .set_password(&name, &request.password, Some(&caller.user_name), now)
                .map_err(|error| match error {
                    engine::EngineError::Request(reason) => ApiError::invalid("password", reason),
                    other => other.into(),
                })
        })
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct UserEventDto {
    user_name: String,
    action: &'static str,
    old_role: Option<&'static str>,
    new_role: &'static str,
    by: Option<String>,
    note: String,
    at: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct CredentialEventDto {
    user_name: String,
    action: &'static str,
    token_id: Option<i64>,
    by: Option<String>,
    at: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct UserLogDto {
    users: Vec<UserEventDto>,
    credentials: Vec<CredentialEventDto>,
}

/// The users' audit log and the credentials' log (admins).
#[utoipa::path(get, path = "/users/events", tag = "users",
    responses((status = OK, body = UserLogDto), (status = 403, body = crate::ErrorBody)))]
async fn user_events(
    AxumState(state): AxumState<State>,
    caller: Caller,
) -> Result<Response, ApiError> {
    caller.require(Role::Admin)?;
    let (users, credentials) = state
        .pool
        .run(|engine| Ok((engine.user_events()?, engine.credential_events()?)))
        .await?;
    Ok(axum::Json(UserLogDto {
        users: users
            .iter()
            .map(|event| UserEventDto {
                user_name: event.user_name.clone(),
                action: event.action.as_str(),
                old_role: event.old_role.map(Role::as_str),
                new_role: event.new_role.as_str(),
                by: event.by.clone(),
                note: event.note.clone(),
                at: event.at.clone(),
            })
            .collect(),
        credentials: credentials
            .iter()
            .map(|event| CredentialEventDto {
                user_name: event.user_name.clone(),
                action: event.action.as_str(),
                token_id: event.token_id,
                by: event.by.clone(),
                at: event.at.clone(),
            })
            .collect(),
    })
    .into_response())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct TokenDto {
    id: i64,
    user_name: String,
    label: String,
    created_by: Option<String>,
    created_at: String,
    expires_at: String,
    revoked_by: Option<String>,
    revoked_at: Option<String>,
}

fn token_dto(token: &engine::access::TokenRecord) -> TokenDto {
    TokenDto {
        id: token.id,
        user_name: token.user_name.clone(),
        label: token.label.clone(),
        created_by: token.created_by.clone(),
        created_at: token.created_at.clone(),
        expires_at: token.expires_at.clone(),
        revoked_by: token.revoked_by.clone(),
        revoked_at: token.revoked_at.clone(),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct TokenListParams {
    /// Only this user's tokens.
    user: Option<String>,
}

/// API tokens, without their secrets (admins).
#[utoipa::path(get, path = "/tokens", tag = "users", params(TokenListParams),
    responses((status = OK, body = Vec<TokenDto>), (status = 403, body = crate::ErrorBody)))]
async fn list_tokens(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Query(params): Query<TokenListParams>,
) -> Result<Response, ApiError> {
    caller.require(Role::Admin)?;
    let tokens = state
        .pool
        .run(move |engine| Ok(engine.tokens(params.user.as_deref())?))
        .await?;
    Ok(axum::Json(tokens.iter().map(token_dto).collect::<Vec<_>>()).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TokenRequest {
    user_name: String,
    /// What the token is for.
    label: String,
    /// Days until it expires (1 to 366, default 90).
    valid_days: Option<u16>,
}

/// A token just created: the only time its secret is shown.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct NewTokenDto {
    id: i64,
    user_name: String,
    token: String,
    expires_at: String,
}

/// Create an API token for a user (admins); the token is shown once.
#[utoipa::path(post, path = "/tokens", tag = "users", request_body = TokenRequest,
    responses((status = CREATED, body = NewTokenDto), (status = 403, body = crate::ErrorBody),
              (status = 422, body = crate::ErrorBody)))]
async fn create_token(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Json(request): Json<TokenRequest>,
) -> Result<Response, ApiError> {
    caller.require(Role::Admin)?;
    let valid_days = request.valid_days.unwrap_or(90);
    if !(1..=366).contains(&valid_days) {
        return Err(ApiError::invalid("valid_days", "is from 1 to 366"));
    }
    let now = state.now();
    let user_name = request.user_name.clone();
    let issued = state
        .pool
        .run(move |engine| {
            Ok(engine.create_token(
                &request.user_name,
                &request.label,
                Some(&caller.user_name),
                now,
                valid_days,
            )?)
        })
        .await?;
    let mut response = (
        StatusCode::CREATED,
        axum::Json(NewTokenDto {
            id: issued.id,
            user_name,
            token: issued.secret,
            expires_at: issued.expires_at,
        }),
    )
        .into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

/// Revoke a token (admins); it stops working at once.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "users",
    params(("id" = i64, Path, description = "The token's id")),
    responses((status = OK, body = TokenDto), (status = 403, body = crate::ErrorBody),
              (status = 404, body = crate::ErrorBody)))]
async fn revoke_token(
    AxumState(state): AxumState<State>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    caller.require(Role::Admin)?;
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::invalid("id", "is a token id"))?;
    let now = state.now();
    let token = state
        .pool
        .run(move |engine| Ok(engine.revoke_token(id, &caller.user_name, now)?))
        .await?;
    Ok(axum::Json(token_dto(&token)).into_response())
}
