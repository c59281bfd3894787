//! The routes: `/v1` (JSON, documented in OpenAPI), `/healthz`, `/metrics`, and the
//! dashboard's browser pages ([`pages`]: the login form and every page of the dashboard).

mod admin;
pub(crate) mod casework;
mod notifications;
pub(crate) mod pages;
pub(crate) mod reports;
mod series;
pub(crate) mod warnings;

use axum::Router;
use axum::extract::State as AxumState;
use axum::http::HeaderMap;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use engine::Engine;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa_axum::router::OpenApiRouter;

use crate::{ApiError, State, auth, cache, metrics, openapi};

/// The `/v1` routes with their OpenAPI paths, before the state is given.
pub(crate) fn v1_routes() -> OpenApiRouter<State> {
    OpenApiRouter::new()
        .merge(series::routes())
        .merge(warnings::routes())
        .merge(casework::routes())
        .merge(reports::routes())
        .merge(admin::routes())
        .merge(notifications::routes())
}

pub(crate) fn router(state: &State) -> Router {
    let (v1, _) = OpenApiRouter::with_openapi(openapi::base())
        .nest("/v1", v1_routes())
        .split_for_parts();
    let authenticated = v1
        .route("/v1/openapi.json", get(openapi::serve_json))
        .route("/v1/docs", get(openapi::serve_page))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ));
    Router::new()
        .merge(authenticated)
        .route("/v1/auth/login", post(admin::login_json))
        .merge(pages::routes(state))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics::metrics))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::observe,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(CatchPanicLayer::custom(panicked))
        .with_state(state.clone())
}

fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::Internal("a handler panicked".into()).into_response()
}

async fn healthz(AxumState(state): AxumState<State>) -> Response {
    match state.pool.run(|engine| Ok(engine.data_version()?)).await {
        Ok(_) => "ok\n".into_response(),
        Err(error) => {
            tracing::error!(%error, "health check failed");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "the store does not answer\n",
            )
                .into_response()
        }
    }
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such route".to_owned())
}

/// An answer computed from imported data (and alert decisions) only: served from the cache
/// while the data has not moved, with an `ETag` for revalidation. `key` names the answer
/// (the route and its parameters, and the day when it depends on today).
pub(crate) async fn cached<F>(
    state: &State,
    headers: &HeaderMap,
    key: String,
    content_type: &'static str,
    compute: F,
) -> Result<Response, ApiError>
where
    F: FnOnce(&mut Engine) -> Result<Vec<u8>, ApiError> + Send + 'static,
{
    let version = state.pool.run(|engine| Ok(engine.data_version()?)).await?;
    if let Some(hit) = state.cache.get(&key, version) {
        return Ok(cache::respond(hit, headers));
    }
    let body = state.pool.run(compute).await?;
    Ok(cache::respond(
        state.cache.put(key, version, content_type, body),
        headers,
    ))
}

/// JSON bytes of a DTO, for [`cached`].
pub(crate) fn json_bytes(value: &impl serde::Serialize) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(value).map_err(ApiError::internal)
}

pub(crate) const JSON: &str = "application/json";

/// A shipped rule set by name (see [`warnings::rules`]).
pub(crate) fn rules_by_name(name: &str) -> Result<engine::RuleSet, ApiError> {
    warnings::rules(Some(name))
}
pub(crate) use admin::__path_login_json;
