//! Query parameters and bodies as they arrive: text, parsed here with the name of the field
//! at fault, so that every refusal is a 422 that says which parameter and why.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use domain::{Date, Period};
use serde::de::DeserializeOwned;

use crate::ApiError;

/// The default and largest page sizes.
pub(crate) const LIMIT_DEFAULT: usize = 100;
pub(crate) const LIMIT_MAX: usize = 1000;

/// Query parameters, refused with a 422 naming the parameter when they do not fit.
pub(crate) struct Query<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Query<T>, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded::from_str(query)
            .map(Query)
            .map_err(|error| ApiError::invalid("query", error))
    }
}

/// A JSON body, refused with a 400 (not JSON), 415 (not declared as JSON) or 422 naming
/// the field that does not fit.
pub(crate) struct Json<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Json<T>, ApiError> {
        let json = request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("application/json"));
        if !json {
            return Err(ApiError::BadRequest(
                "the body must be JSON, sent with Content-Type: application/json".to_owned(),
            ));
        }
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|_| ApiError::TooLarge(crate::BODY_BYTES_MAX))?;
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize(&mut deserializer) {
            Ok(value) => Ok(Json(value)),
            Err(error) => {
                let field = error.path().to_string();
                let inner = error.into_inner();
                if inner.is_syntax() || inner.is_eof() {
                    Err(ApiError::BadRequest(format!(
                        "the body is not JSON: {inner}"
                    )))
                } else {
                    Err(ApiError::invalid(
                        if field == "." { "body" } else { &field },
                        inner,
                    ))
                }
            }
        }
    }
}

pub(crate) fn date(field: &str, text: Option<&str>) -> Result<Option<Date>, ApiError> {
    text.map(|text| domain::parse_date(text).map_err(|error| ApiError::invalid(field, error)))
        .transpose()
}

pub(crate) fn period(field: &str, text: Option<&str>) -> Result<Option<Period>, ApiError> {
    text.map(|text| Period::parse(text).map_err(|error| ApiError::invalid(field, error)))
        .transpose()
}

pub(crate) fn number<T: std::str::FromStr>(
    field: &str,
    text: Option<&str>,
) -> Result<Option<T>, ApiError> {
    text.map(|text| {
        text.parse::<T>().map_err(|_| {
            ApiError::invalid(
                field,
                format!("'{}' is not a whole number in range", text.escape_default()),
            )
        })
    })
    .transpose()
}

pub(crate) fn required<T>(field: &str, value: Option<T>) -> Result<T, ApiError> {
    value.ok_or_else(|| ApiError::invalid(field, "is required"))
}

/// A free-text field that must say something (a reason, a note), without its outer spaces.
pub(crate) fn not_blank<'a>(field: &str, text: &'a str) -> Result<&'a str, ApiError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ApiError::invalid(field, "must not be blank"));
    }
    Ok(text)
}

/// A page of a list: `limit` (default 100, at most 1000) items from `offset`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct Page<T> {
    pub(crate) total: usize,
    pub(crate) limit: usize,
    pub(crate) offset: usize,
    pub(crate) items: Vec<T>,
}

pub(crate) fn page<T>(
    items: Vec<T>,
    limit: Option<&str>,
    offset: Option<&str>,
) -> Result<Page<T>, ApiError> {
    let limit = number::<usize>("limit", limit)?.unwrap_or(LIMIT_DEFAULT);
    if limit == 0 || limit > LIMIT_MAX {
        return Err(ApiError::invalid(
            "limit",
            format!("must be from 1 to {LIMIT_MAX}"),
        ));
    }
    let offset = number::<usize>("offset", offset)?.unwrap_or(0);
    let total = items.len();
    let items = items.into_iter().skip(offset).take(limit).collect();
    Ok(Page {
        total,
        limit,
        offset,
        items,
    })
}
