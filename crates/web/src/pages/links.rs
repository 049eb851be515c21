//! The duplicate review queue: merge, reject, undo.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sipmas_app::link_review::PairView;

use super::{Chrome, Qs, html};
use crate::session::Viewer;
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "links.html")]
struct LinksPage {
    c: Chrome,
    pairs: Vec<PairView>,
    status: String,
    notice: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct LinksQuery {
    status: Option<String>,
    selesai: Option<u8>,
}

pub(crate) async fn queue(
    State(state): State<AppState>,
    v: Viewer,
    OriginalUri(uri): OriginalUri,
    Qs(q): Qs<LinksQuery>,
) -> Result<Response, WebError> {
    let access = v.signed_in(&uri.to_string())?;
    let status = q.status.unwrap_or_else(|| "review".to_owned());
    let pairs = sipmas_app::link_review::queue(state.store.as_ref(), access, &status).await?;
    html(&LinksPage {
        c: Chrome::new(&v, v.lang.t("links-title"), &uri.to_string()),
        pairs,
        status,
        notice: q.selesai.is_some(),
    })
}

/// `POST /data-ganda/{id}/{gabung|tolak|pisah}`.
pub(crate) async fn decide(
    State(state): State<AppState>,
    v: Viewer,
    Path((id, action)): Path<(i64, String)>,
) -> Result<Response, WebError> {
    let access = v.signed_in("/data-ganda")?;
    let store = state.store.as_ref();
    let back = match action.as_str() {
        "gabung" => {
            sipmas_app::link_review::decide(store, access, id, true).await?;
            "review"
        }
        "tolak" => {
            sipmas_app::link_review::decide(store, access, id, false).await?;
            "review"
        }
        "pisah" => {
            sipmas_app::link_review::unmerge(store, access, id).await?;
            "merged"
        }
        _ => return Err(WebError::NotFound),
    };
    Ok(Redirect::to(&format!("/data-ganda?status={back}&selesai=1")).into_response())
}
