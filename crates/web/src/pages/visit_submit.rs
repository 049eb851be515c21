//! Receiving a visit: the multipart form from the page (or the phone's offline queue, which
//! asks for JSON), handed to the use-case; a stale or invalid form comes back as typed.

use axum::extract::{Multipart, OriginalUri, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sipmas_app::AppError;
use sipmas_app::verval::{Submitted, Upload, VisitForm};

use super::visit::visit_page;
use crate::session::Viewer;
use crate::{AppState, WebError};

/// Largest visit form accepted (three phone photos and the fields).
pub(crate) const VISIT_LIMIT: usize = 40 * 1024 * 1024;

/// Reads the multipart form: text fields as pairs, `foto` files as uploads.
async fn receive(mut m: Multipart) -> Result<(Vec<(String, String)>, Vec<Upload>), WebError> {
    let bad = |e: axum::extract::multipart::MultipartError| WebError::BadRequest(e.body_text());
    let mut pairs = Vec::new();
    let mut uploads = Vec::new();
    while let Some(field) = m.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "foto" {
            let bytes = field.bytes().await.map_err(bad)?;
            // An empty file input still sends a part.
            if !bytes.is_empty() {
                uploads.push(Upload {
                    bytes: bytes.to_vec(),
                });
            }
        } else {
            pairs.push((name, field.text().await.map_err(bad)?));
        }
    }
    Ok((pairs, uploads))
}

/// `POST /verval/{campaign}/kunjungan/{household}?_csrf=…` (multipart): the visit. The
/// offline queue in verval.js posts the same form with `X-CSRF-Token` and `Accept:
/// application/json`, and gets JSON back.
pub(crate) async fn submit(
    State(state): State<AppState>,
    v: Viewer,
    OriginalUri(uri): OriginalUri,
    headers: axum::http::HeaderMap,
    Path((campaign, household)): Path<(String, String)>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let access = v.signed_in(uri.path())?;
    let json = headers
        .get(header::ACCEPT)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| h.starts_with("application/json"));
    let (pairs, uploads) = receive(multipart).await?;
    let form = VisitForm::from_pairs(&pairs);
    let store = state.store.as_ref();
    let done =
        sipmas_app::verval::submit(store, access, &campaign, &household, &form, &uploads).await;
    let reply = |status: StatusCode, outcome: &str, message: String| {
        (
            status,
            axum::Json(serde_json::json!({ "outcome": outcome, "message": message })),
        )
            .into_response()
    };
    match done {
        Ok(Submitted::Done) if json => {
            Ok(reply(StatusCode::OK, "submitted", v.lang.t("visit-sent")))
        }
        Ok(Submitted::Done) => Ok(Redirect::to("/tugas?terkirim=1").into_response()),
        Ok(Submitted::Stale { .. }) if json => Ok(reply(
            StatusCode::CONFLICT,
            "stale",
            v.lang.t("visit-stale"),
        )),
        Ok(Submitted::Stale { opened, form }) => visit_page(&v, *opened, *form, true, None),
        Err(AppError::Invalid(m)) if json => Ok(reply(StatusCode::BAD_REQUEST, "invalid", m)),
        Err(AppError::Conflict(m)) if json => Ok(reply(StatusCode::CONFLICT, "conflict", m)),
        Err(AppError::Invalid(m)) => {
            let o = sipmas_app::verval::view(store, access, &campaign, &household).await?;
            let mut form = form;
            form.household_version = form.household_version.or(Some(o.household.version));
            visit_page(&v, o, form, false, Some(m))
        }
        Err(e) => Err(e.into()),
    }
}
