use axum::Json;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use sipmas_app::link_review::PairView;
use utoipa::{IntoParams, ToSchema};

use super::ApiError;
use crate::AppState;
use crate::session::Viewer;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub(crate) struct QueueParams {
    /// `review` (default), `merged`, `rejected`, `unmerged`.
    status: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/links", tag = "linkage", params(QueueParams),
    responses((status = 200, description = "Pasangan data ganda dalam wilayah pengguna, dengan alasan model", body = Vec<Object>),
              (status = 403, description = "Hanya admin dan operator", body = super::ApiErrorBody)),
    security(("bearer" = []), ("sesi" = [])))]
pub(crate) async fn queue(
    State(state): State<AppState>,
    v: Viewer,
    q: Result<Query<QueueParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<PairView>>, ApiError> {
    let a = v.access.as_ref().ok_or(ApiError::Unauthorized)?;
    let Query(q) = q.map_err(|e| sipmas_app::AppError::Invalid(e.body_text()))?;
    let status = q.status.unwrap_or_else(|| "review".to_owned());
    Ok(Json(
        sipmas_app::link_review::queue(state.store.as_ref(), a, &status).await?,
    ))
}

/// The decision's outcome.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Decided {
    pair: i64,
    decision: String,
}

#[utoipa::path(post, path = "/api/v1/links/{id}/{decision}", tag = "linkage",
    params(("id" = i64, Path, description = "Pair id"),
           ("decision" = String, Path, description = "`merge`, `reject` (a pair in review) or `unmerge` (a merged pair)")),
    responses((status = 200, description = "Keputusan tersimpan dan diaudit", body = Decided),
              (status = 400, description = "Pasangan sudah diputuskan", body = super::ApiErrorBody),
              (status = 404, description = "Tidak ada, atau di luar wilayah pengguna", body = super::ApiErrorBody)),
    security(("bearer" = []), ("sesi" = [])))]
pub(crate) async fn decide(
    State(state): State<AppState>,
    v: Viewer,
    Path((id, decision)): Path<(i64, String)>,
) -> Result<Json<Decided>, ApiError> {
    let a = v.access.as_ref().ok_or(ApiError::Unauthorized)?;
    let store = state.store.as_ref();
    match decision.as_str() {
        "merge" => sipmas_app::link_review::decide(store, a, id, true).await?,
        "reject" => sipmas_app::link_review::decide(store, a, id, false).await?,
        "unmerge" => sipmas_app::link_review::unmerge(store, a, id).await?,
        _ => return Err(sipmas_app::AppError::NotFound.into()),
    }
    Ok(Json(Decided { pair: id, decision }))
}
