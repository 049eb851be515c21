//! `/api/v1`: the same operations as the pages, as JSON, under the same permissions
//! (session cookie with `X-CSRF-Token` on writes, or `Authorization: Bearer`), with an
//! OpenAPI 3.1 document and a docs page that needs no network.

mod docs;
mod links;
mod public;
mod register;
pub(crate) mod verval;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sipmas_app::AppError;
use sipmas_store::DbError;
use utoipa::ToSchema;

pub(crate) use docs::{docs_page, openapi_json};
pub(crate) use links::{decide as decide_link, queue as link_queue};
pub(crate) use public::{health, stats};
pub(crate) use register::{audit, edit_household, household, me, search};

/// The body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ApiErrorBody {
    /// Stable code: `unauthorized`, `forbidden`, `not_found`, `invalid`, `conflict`, `server`.
    pub error: &'static str,
    /// Bahasa Indonesia.
    pub message: String,
}

/// Errors of the JSON API (the pages have `WebError`).
#[derive(Debug)]
pub(crate) enum ApiError {
    Unauthorized,
    App(AppError),
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        Self::App(e)
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        Self::App(AppError::Db(e))
    }
}

fn body(status: StatusCode, error: &'static str, message: impl Into<String>) -> Response {
    (
        status,
        Json(ApiErrorBody {
            error,
            message: message.into(),
        }),
    )
        .into_response()
}

/// 401 for a missing, expired or unknown credential.
pub(crate) fn unauthorized() -> Response {
    body(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "perlu masuk atau token yang sah",
    )
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::Unauthorized => unauthorized(),
            Self::App(AppError::NotFound | AppError::Db(DbError::NotFound)) => {
                body(StatusCode::NOT_FOUND, "not_found", "tidak ditemukan")
            }
            Self::App(AppError::Forbidden) => {
                body(StatusCode::FORBIDDEN, "forbidden", "akses ditolak")
            }
            Self::App(AppError::Invalid(m)) => body(StatusCode::BAD_REQUEST, "invalid", m),
            Self::App(AppError::Conflict(m)) => body(StatusCode::CONFLICT, "conflict", m),
            Self::App(e) => {
                tracing::error!(error = %e, "api request failed");
                body(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "server",
                    "kesalahan server",
                )
            }
        }
    }
}
