use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use sipmas_app::AppError;
use sipmas_store::DbError;

/// Errors leaving a page handler. Each becomes a short page in Bahasa Indonesia (with an
/// English line) and the right status; causes of 500s are logged, never shown.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("tidak ditemukan")]
    NotFound,
    #[error("akses ditolak")]
    Forbidden,
    #[error("{0}")]
    BadRequest(String),
    #[error("token formulir tidak cocok")]
    Csrf,
    #[error("terlalu besar")]
    TooLarge,
    /// Not signed in: GET pages redirect to the sign-in page, coming back to this path.
    #[error("perlu masuk")]
    LoginRequired(String),
    #[error("{0}")]
    Internal(&'static str),
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

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    message: &'a str,
    english: &'a str,
    detail: Option<&'a str>,
}

fn page(status: StatusCode, id: &str, en: &str, detail: Option<&str>) -> Response {
    let body = ErrorPage {
        status: status.as_u16(),
        message: id,
        english: en,
        detail,
    }
    .render()
    .unwrap_or_else(|_| id.to_owned());
    (status, [(header::CACHE_CONTROL, "no-store")], Html(body)).into_response()
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        use crate::i18n::Lang::{En, Id};
        let msg = |k: &str| (Id.t(k), En.t(k));
        let (status, key, detail) = match &self {
            Self::NotFound
            | Self::App(AppError::NotFound)
            | Self::App(AppError::Db(DbError::NotFound)) => {
                (StatusCode::NOT_FOUND, "error-404", None)
            }
            Self::Forbidden | Self::App(AppError::Forbidden) => {
                (StatusCode::FORBIDDEN, "error-403", None)
            }
            Self::BadRequest(m) | Self::App(AppError::Invalid(m)) => {
                (StatusCode::BAD_REQUEST, "error-400", Some(m.as_str()))
            }
            Self::App(AppError::Conflict(m)) => {
                (StatusCode::CONFLICT, "error-409", Some(m.as_str()))
            }
            Self::Csrf => (StatusCode::FORBIDDEN, "error-csrf", None),
            Self::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "error-413", None),
            Self::LoginRequired(path) => {
                let next = if path.starts_with('/') && !path.starts_with("//") {
                    path.as_str()
                } else {
                    "/"
                };
                let target = format!("/masuk?lanjut={}", urlencode(next));
                return Redirect::to(&target).into_response();
            }
            other => {
                tracing::error!(error = %other, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "error-500", None)
            }
        };
        let (id, en) = msg(key);
        page(status, &id, &en, detail)
    }
}

/// Percent-encodes a path for a query value.
pub(crate) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
