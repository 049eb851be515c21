use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sipmas_app::access::{Access, Permission};
use sipmas_app::register::{EditForm, EditOutcome, SearchForm};
use sipmas_store::{AuditFilter, AuditRecord};
use utoipa::{IntoParams, ToSchema};

use super::ApiError;
use crate::AppState;
use crate::session::Viewer;

fn signed(v: &Viewer) -> Result<&Access, ApiError> {
    v.access.as_ref().ok_or(ApiError::Unauthorized)
}

/// The signed-in account.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Me {
    username: String,
    display_name: String,
    /// `admin`, `operator`, `opd`, `kecamatan`, `desa`, `viewer`.
    role: &'static str,
    /// Kemendagri prefix; null is the whole register.
    region: Option<String>,
    /// Whether NIK and No KK come unmasked.
    sees_identifiers: bool,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "akun",
    responses((status = 200, description = "Akun yang masuk", body = Me),
              (status = 401, description = "Belum masuk", body = super::ApiErrorBody)),
    security(("bearer" = []), ("sesi" = [])))]
pub(crate) async fn me(v: Viewer) -> Result<Json<Me>, ApiError> {
    let a = signed(&v)?;
    Ok(Json(Me {
        username: a.username.clone(),
        display_name: a.display_name.clone(),
        role: a.role.code(),
        region: a.scope.as_ref().map(sipmas_domain::RegionCode::dotted),
        sees_identifiers: a.sees_identifiers(),
    }))
}

/// Search parameters, as on the search page.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub(crate) struct SearchParams {
    /// NIK, exact (16 digits).
    nik: String,
    /// No KK, exact (16 digits).
    kk: String,
    /// Name: spelling variants and prefixes match (Nur Hayati, Noerhajati, Siti Nur…).
    nama: String,
    /// Kemendagri region code prefix, e.g. 64.08.
    wilayah: String,
    /// 1–10.
    desil: String,
    /// `miskin_ekstrem`, `miskin`, `rentan`, `tidak_miskin`, `unknown`.
    status: String,
    /// Data set: `p3ke`, `dtsen` …
    sumber: String,
    /// Page, from 1 (20 per page).
    hal: Option<u32>,
}

/// One household found.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Hit {
    id: String,
    no_kk: Option<String>,
    head_name: Option<String>,
    head_nik: Option<String>,
    matched_name: Option<String>,
    village: String,
    village_name: String,
    desil: Option<u8>,
    status: &'static str,
    members: i64,
}

/// A page of results; `more` when another page follows.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SearchPage {
    households: Vec<Hit>,
    page: u32,
    more: bool,
}

#[utoipa::path(get, path = "/api/v1/households", tag = "register", params(SearchParams),
    responses((status = 200, description = "Keluarga yang cocok, dalam wilayah pengguna", body = SearchPage),
              (status = 400, description = "Parameter tidak sah", body = super::ApiErrorBody),
              (status = 401, description = "Belum masuk", body = super::ApiErrorBody)),
    security(("bearer" = []), ("sesi" = [])))]
pub(crate) async fn search(
    State(state): State<AppState>,
    v: Viewer,
    p: Result<axum::extract::Query<SearchParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<SearchPage>, ApiError> {
    let a = signed(&v)?;
    let axum::extract::Query(p) = p.map_err(|e| sipmas_app::AppError::Invalid(e.body_text()))?;
    let form = SearchForm {
        nik: p.nik,
        kk: p.kk,
        nama: p.nama,
        wilayah: p.wilayah,
        desil: p.desil,
        status: p.status,
        sumber: p.sumber,
        hal: p.hal,
    };
    if form.is_empty() {
        return Err(
            sipmas_app::AppError::Invalid("isi paling sedikit satu kriteria".into()).into(),
        );
    }
    let r = sipmas_app::register::search(state.store.as_ref(), a, &form).await?;
    Ok(Json(SearchPage {
        households: r
            .hits
            .into_iter()
            .map(|h| Hit {
                id: h.id,
                no_kk: h.no_kk,
                head_name: h.head_name,
                head_nik: h.head_nik,
                matched_name: h.matched_name,
                village: h.village,
                village_name: h.village_name,
                desil: h.desil,
                status: h.status.code(),
                members: h.members,
            })
            .collect(),
        page: r.page,
        more: r.more,
    }))
}

/// A household with members (identifiers masked by role), history and sources.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct HouseholdDoc {
    id: String,
    version: i64,
    no_kk: Option<String>,
    village: String,
    status: &'static str,
    /// The editable fields as the edit form carries them.
    #[schema(value_type = Object)]
    fields: EditForm,
    #[schema(value_type = Vec<Object>)]
    members: Vec<sipmas_app::register::MemberView>,
    #[schema(value_type = Vec<Object>)]
    status_history: Vec<sipmas_domain::StatusChange>,
    #[schema(value_type = Vec<Object>)]
    changes: Vec<sipmas_store::FieldChange>,
    #[schema(value_type = Vec<Object>)]
    sources: Vec<sipmas_app::register::SourceView>,
}

#[utoipa::path(get, path = "/api/v1/households/{id}", tag = "register",
    params(("id" = String, Path, description = "Household id (UUID)")),
    responses((status = 200, description = "Keluarga", body = HouseholdDoc),
              (status = 404, description = "Tidak ada, atau di luar wilayah pengguna", body = super::ApiErrorBody)),
    security(("bearer" = []), ("sesi" = [])))]
pub(crate) async fn household(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<Json<HouseholdDoc>, ApiError> {
    let a = signed(&v)?;
    let view = sipmas_app::register::household(state.store.as_ref(), a, &id).await?;
    let h = &view.household;
    Ok(Json(HouseholdDoc {
        id: h.id.0.to_string(),
        version: h.version,
        no_kk: view.no_kk.clone(),
        village: h.village.dotted(),
        status: h.welfare.code(),
        fields: EditForm::of(h),
        members: view.members,
        status_history: view.history,
        changes: view.changes,
        sources: view.sources,
    }))
}

/// The result of an edit.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Edited {
    version: i64,
    changed: usize,
}

#[utoipa::path(put, path = "/api/v1/households/{id}", tag = "register",
    params(("id" = String, Path, description = "Household id (UUID)")),
    request_body(content = Object, description = "version plus street, rt, rw, dusun, latitude, longitude, floor, wall, roof, water_source, lighting, cooking_fuel, toilet, ownership, floor_area_m2"),
    responses((status = 200, description = "Tersimpan", body = Edited),
              (status = 409, description = "Diubah orang lain sejak `version`; tidak ada yang disimpan; `current` berisi versi sekarang", body = Object),
              (status = 403, description = "Peran tidak boleh mengubah", body = super::ApiErrorBody),
              (status = 404, description = "Tidak ada, atau di luar wilayah", body = super::ApiErrorBody)),
    security(("bearer" = []), ("sesi" = [])))]
pub(crate) async fn edit_household(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    body: Result<Json<EditForm>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    let a = signed(&v)?;
    let Json(form) = body.map_err(|e| sipmas_app::AppError::Invalid(e.body_text()))?;
    match sipmas_app::register::edit(state.store.as_ref(), a, &id, &form).await? {
        EditOutcome::Saved { version, changed } => {
            Ok(Json(Edited { version, changed }).into_response())
        }
        EditOutcome::Conflict { current, .. } => Ok((
            StatusCode::CONFLICT,
            Json(serde_json::json!({
                "error": "conflict",
                "message": "diubah orang lain; tidak ada yang disimpan",
                "current": EditForm::of(&current),
            })),
        )
            .into_response()),
    }
}

/// Audit query parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub(crate) struct AuditParams {
    actor: Option<String>,
    action: Option<String>,
    subject: Option<String>,
    /// Only events with a smaller id (paging back).
    before: Option<i64>,
    /// At most 500.
    limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams),
    responses((status = 200, description = "Kejadian audit, terbaru dahulu", body = Vec<Object>),
              (status = 403, description = "Hanya admin", body = super::ApiErrorBody)),
    security(("bearer" = []), ("sesi" = [])))]
pub(crate) async fn audit(
    State(state): State<AppState>,
    v: Viewer,
    p: Result<axum::extract::Query<AuditParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<AuditRecord>>, ApiError> {
    signed(&v)?.require(Permission::ReadAudit)?;
    let axum::extract::Query(p) = p.map_err(|e| sipmas_app::AppError::Invalid(e.body_text()))?;
    let events = state
        .store
        .audit_events(&AuditFilter {
            actor: p.actor,
            action: p.action,
            subject: p.subject,
            before_id: p.before,
            limit: p.limit.unwrap_or(100).min(500),
        })
        .await?;
    Ok(Json(events))
}
