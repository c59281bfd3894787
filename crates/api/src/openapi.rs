//! The OpenAPI 3.1 document, generated from the routes and DTOs (utoipa), and a small page
//! that shows it in a browser, offline (no assets from elsewhere).

use std::sync::OnceLock;

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "lmo API",
        version = "1",
        description = "Labour Market Observatory 勞動市場觀測站: statistics with every vintage, \
                       indicators, early warnings, arrears cases and reports. Every route needs \
                       an API token (Authorization: Bearer lmo_…) or a session cookie; changes \
                       made with a session also need its CSRF token (X-CSRF-Token)."
    ),
    paths(crate::routes::login_json),
    components(schemas(crate::ErrorBody)),
    modifiers(&Security),
    security(("token" = []), ("session" = []))
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::SESSION_COOKIE,
            ))),
        );
    }
}

pub(crate) fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The whole document, as JSON.
pub(crate) fn document_json() -> String {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT
        .get_or_init(|| {
            let (_, api) = OpenApiRouter::<crate::State>::with_openapi(base())
                .nest("/v1", crate::routes::v1_routes())
                .split_for_parts();
            api.to_pretty_json().unwrap_or_default()
        })
        .clone()
}

pub(crate) async fn serve_json() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        document_json(),
    )
        .into_response()
}

/// A page that lists every operation with its parameters, bodies and answers, from the
/// document, in a few lines of script of our own.
pub(crate) async fn serve_page() -> Html<&'static str> {
    Html(include_str!("openapi.html"))
}
