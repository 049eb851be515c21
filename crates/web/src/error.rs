use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sipmas_app::AppError;
use sipmas_store::DbError;

/// Errors leaving a handler. 500s are logged with their cause and shown without it.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("tidak ditemukan")]
    NotFound,
    #[error(transparent)]
    App(#[from] AppError),
    #[error("template: {0}")]
    Template(#[from] askama::Error),
}

impl From<DbError> for WebError {
    fn from(e: DbError) -> Self {
        Self::App(AppError::Db(e))
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            Self::NotFound => (StatusCode::NOT_FOUND, "Halaman tidak ditemukan").into_response(),
            other => {
                tracing::error!(error = %other, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Terjadi kesalahan di server",
                )
                    .into_response()
            }
        }
    }
}
