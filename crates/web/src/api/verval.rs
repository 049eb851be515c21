//! `/api/v1/verval`: campaigns, assignment, the visit, the approval chain and the berita
//! acara, as JSON, under the same permissions as the pages.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sipmas_app::AppError;
use sipmas_app::access::Access;
use sipmas_app::verval::{CampaignForm, Decision, Submitted, VisitForm, stored_form};
use utoipa::ToSchema;

use super::ApiError;
use crate::AppState;
use crate::session::Viewer;

fn signed(v: &Viewer) -> Result<&Access, ApiError> {
    v.access.as_ref().ok_or(ApiError::Unauthorized)
}

fn body<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    b.map(|Json(t)| t)
        .map_err(|e| ApiError::App(AppError::Invalid(e.body_text())))
}

#[utoipa::path(get, path = "/api/v1/verval/campaigns", tag = "verval",
    responses((status = 200, description = "Kampanye di wilayah pengguna", body = Object)),
    security(("bearer" = []), ("sesi" = [])))]
pub(crate) async fn campaigns(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<Response, ApiError> {
    let a = signed(&v)?;
    Ok(Json(sipmas_app::verval::campaigns(state.store.as_ref(), a).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/verval/campaigns", tag = "verval",
    request_body(content = Object, description = "name, due_on (YYYY-MM-DD), wilayah, desil, status, sumber"),
    responses((status = 201, description = "Dibuat: id dan jumlah keluarga", body = Object),
              (status = 400, description = "Isian salah", body = super::ApiErrorBody),
              (status = 403, description = "Peran tidak boleh merencanakan", body = super::ApiErrorBody)),
    security(("bearer" = []), ("sesi" = [])))]
pub(crate) async fn create(
    State(state): State<AppState>,
    v: Viewer,
    b: Result<Json<CampaignForm>, JsonRejection>,
) -> Result<Response, ApiError> {
    let a = signed(&v)?;
    let form = body(b)?;
    let (id, households) = sipmas_app::verval::create(state.store.as_ref(), a, &form).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "id": id, "households": households })),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/verval/campaigns/{id}", tag = "verval",
    params(("id" = String, Path, description = "Campaign id")),
    responses((status = 200, description = "Kampanye dan kemajuan per desa (tahap dan hasil)", body = Object),
              (status = 404, description = "Tidak ada di wilayah pengguna", body = super::ApiErrorBody)),
    security(("bearer" = []), ("sesi" = [])))]
pub(crate) async fn campaign(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let a = signed(&v)?;
    let (campaign, villages) = sipmas_app::verval::progress(state.store.as_ref(), a, &id).await?;
    Ok(Json(serde_json::json!({ "campaign": campaign, "villages": villages })).into_response())
}

/// A village given to its operator.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct AssignBody {
    /// Village code, e.g. 64.08.01.2001.
    village: String,
    /// Username of an active village operator of that village.
    username: String,
}

#[utoipa::path(post, path = "/api/v1/verval/campaigns/{id}/assign", tag = "verval",
    params(("id" = String, Path, description = "Campaign id")),
    request_body = AssignBody,
    responses((status = 200, description = "Jumlah keluarga yang ditugaskan", body = Object),
              (status = 400, description = "Bukan operator desa itu", body = super::ApiErrorBody)),
    security(("bearer" = []), ("sesi" = [])))]
pub(crate) async fn assign(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    b: Result<Json<AssignBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let a = signed(&v)?;
    let b = body(b)?;
    let n =
        sipmas_app::verval::assign(state.store.as_ref(), a, &id, &b.village, &b.username).await?;
    Ok(Json(serde_json::json!({ "assigned": n })).into_response())
}

#[utoipa::path(get, path = "/api/v1/verval/tasks", tag = "verval",
    responses((status = 200, description = "Keluarga yang ditugaskan kepada pengguna", body = Object)),
    security(("bearer" = []), ("sesi" = [])))]
pub(crate) async fn tasks(State(state): State<AppState>, v: Viewer) -> Result<Response, ApiError> {
    let a = signed(&v)?;
    Ok(Json(sipmas_app::verval::my_assignments(state.store.as_ref(), a).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/verval/campaigns/{id}/visits/{household}", tag = "verval",
    params(("id" = String, Path, description = "Campaign id"), ("household" = String, Path, description = "Household id")),
    responses((status = 200, description = "Tahap, versi, versi keluarga, dan hasil kunjungan bila ada", body = Object),
              (status = 404, description = "Tidak ada, di luar wilayah, atau tugas operator lain", body = super::ApiErrorBody)),
    security(("bearer" = []), ("sesi" = [])))]
pub(crate) async fn visit(
    State(state): State<AppState>,
    v: Viewer,
    Path((id, household)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let a = signed(&v)?;
    let o = sipmas_app::verval::view(state.store.as_ref(), a, &id, &household).await?;
    let photos = crate::pages::visit::photo_urls(state.store.as_ref(), &o).await?;
    Ok(Json(serde_json::json!({
        "state": o.state.code(),
        "version": o.target.version,
        "household_version": o.household.version,
        "assignee": o.target.assignee,
        "visit": o.visit,
        "form": stored_form(&o),
        "photos": photos,
    }))
    .into_response())
}

#[utoipa::path(put, path = "/api/v1/verval/campaigns/{id}/visits/{household}", tag = "verval",
    params(("id" = String, Path, description = "Campaign id"), ("household" = String, Path, description = "Household id")),
    request_body(content = Object, description = "household_version, result, new_status, moved_to, died_on, duplicate_of, housing {…}, members [{id, action, date}], new_members [{name, nik, sex, birth_date, relationship}], criteria [...], expenditure, notes (photos: the multipart form)"),
    responses((status = 200, description = "Terkirim ke kecamatan", body = Object),
              (status = 409, description = "Keluarga berubah sejak household_version, atau sudah dikirim", body = Object)),
    security(("bearer" = []), ("sesi" = [])))]
pub(crate) async fn submit(
    State(state): State<AppState>,
    v: Viewer,
    Path((id, household)): Path<(String, String)>,
    b: Result<Json<VisitForm>, JsonRejection>,
) -> Result<Response, ApiError> {
    let a = signed(&v)?;
    let form = body(b)?;
    match sipmas_app::verval::submit(state.store.as_ref(), a, &id, &household, &form, &[]).await? {
        Submitted::Done => Ok(Json(serde_json::json!({ "state": "submitted" })).into_response()),
        Submitted::Stale { opened, .. } => Ok((
            StatusCode::CONFLICT,
            Json(serde_json::json!({
                "error": "stale",
                "message": "data keluarga berubah sejak formulir dibuka; tidak ada yang disimpan",
                "household_version": opened.household.version,
                "current": sipmas_app::register::EditForm::of(&opened.household),
                "welfare_status": opened.household.welfare.code(),
            })),
        )
            .into_response()),
    }
}

#[utoipa::path(post, path = "/api/v1/verval/campaigns/{id}/visits/{household}/decision", tag = "verval",
    params(("id" = String, Path, description = "Campaign id"), ("household" = String, Path, description = "Household id")),
    request_body(content = Object, description = "decision (setujui | kembalikan), comment, version"),
    responses((status = 200, description = "Tahap baru", body = Object),
              (status = 403, description = "Bukan giliran peran ini", body = super::ApiErrorBody),
              (status = 409, description = "Sudah diproses orang lain", body = super::ApiErrorBody)),
    security(("bearer" = []), ("sesi" = [])))]
pub(crate) async fn decide(
    State(state): State<AppState>,
    v: Viewer,
    Path((id, household)): Path<(String, String)>,
    b: Result<Json<Decision>, JsonRejection>,
) -> Result<Response, ApiError> {
    let a = signed(&v)?;
    let d = body(b)?;
    let to = sipmas_app::verval::decide(state.store.as_ref(), a, &id, &household, &d).await?;
    Ok(Json(serde_json::json!({ "state": to.code() })).into_response())
}

#[utoipa::path(get, path = "/api/v1/verval/campaigns/{id}/villages/{village}/minutes", tag = "verval",
    params(("id" = String, Path, description = "Campaign id"), ("village" = String, Path, description = "Village code")),
    responses((status = 200, description = "Berita acara desa: keluarga, hasil, jumlah, petugas", body = Object)),
    security(("bearer" = []), ("sesi" = [])))]
pub(crate) async fn minutes(
    State(state): State<AppState>,
    v: Viewer,
    Path((id, village)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let a = signed(&v)?;
    Ok(
        Json(sipmas_app::verval::minutes(state.store.as_ref(), a, &id, &village).await?)
            .into_response(),
    )
}
