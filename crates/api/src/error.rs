//! Errors as HTTP answers: one JSON shape for all of them, and nothing of a 500's cause in
//! its body (the whole chain goes to the log, under the request's id).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use engine::EngineError;
use serde::Serialize;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A parameter or body field is unusable: 422 naming the field.
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: String },
    /// The request is unusable as a whole (malformed JSON, wrong content type): 400.
    #[error("{0}")]
    BadRequest(String),
    #[error("authentication required: a bearer token or a session")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// Refused by the rules of the data (a step the state machine refuses, a name taken, a
    /// period the series does not have): 422 with the engine's reason.
    #[error("{0}")]
    Refused(String),
    #[error("too many attempts; try again in {retry_after_s} s")]
    TooManyRequests { retry_after_s: u64 },
    #[error("the request body is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the store is busy; try again")]
    Busy,
    /// A bug or a failure of something underneath; the body says only that.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    pub(crate) fn invalid(field: &str, reason: impl std::fmt::Display) -> ApiError {
        ApiError::Invalid {
            field: field.to_owned(),
            reason: reason.to_string(),
        }
    }

    pub(crate) fn internal(error: impl std::error::Error + Send + Sync + 'static) -> ApiError {
        ApiError::Internal(Box::new(error))
    }

    pub(crate) fn status(&self) -> StatusCode {
        match self {
            ApiError::Invalid { .. } | ApiError::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::Invalid { .. } => "invalid",
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::Refused(_) => "refused",
            ApiError::TooManyRequests { .. } => "too_many_requests",
            ApiError::TooLarge(_) => "too_large",
            ApiError::Busy => "busy",
            ApiError::Internal(_) => "internal",
        }
    }
}

/// The one shape of every error body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// The HTTP status.
    pub status: u16,
    /// `invalid`, `bad_request`, `unauthenticated`, `forbidden`, `not_found`, `refused`,
    /// `too_many_requests`, `too_large`, `busy` or `internal`.
    pub code: &'static str,
    pub message: String,
    /// With `invalid`: the parameter or body field at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let ApiError::Internal(source) = &self {
            let mut chain = source.to_string();
            let mut cause = source.source();
            while let Some(next) = cause {
                chain.push_str(": ");
                chain.push_str(&next.to_string());
                cause = next.source();
            }
            tracing::error!(error = %chain, "request failed");
        }
        let (message, field) = match &self {
            ApiError::Invalid { field, reason } => (reason.clone(), Some(field.clone())),
            other => (other.to_string(), None),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                status: status.as_u16(),
                code: self.code(),
                message,
                field,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let ApiError::TooManyRequests { retry_after_s } = self
            && let Ok(value) = HeaderValue::from_str(&retry_after_s.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"lmo\""),
            );
        }
        response
    }
}

impl From<EngineError> for ApiError {
    fn from(error: EngineError) -> ApiError {
        use engine::StoreError;
        match error {
            EngineError::Store(StoreError::Forbidden(message)) => ApiError::Forbidden(message),
            EngineError::Store(StoreError::NotFound(message)) => ApiError::NotFound(message),
            EngineError::Store(StoreError::Invalid(message)) | EngineError::Request(message) => {
                ApiError::Refused(message)
            }
            EngineError::Store(StoreError::Busy(_)) => ApiError::Busy,
            EngineError::UnknownSeries(id) => {
                ApiError::NotFound(format!("no series '{id}' in the store"))
            }
            other => ApiError::internal(other),
        }
    }
}
