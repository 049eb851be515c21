//! Field verification (verval): campaigns over a selection of households, villages
//! assigned to their operators, progress by village, each operator's list; the visit
//! (`visit`, `form`, `photo`), the approval chain (`review`, and `apply`: what an
//! approval writes) and the berita acara (`minutes`).

mod apply;
mod form;
mod minutes;
mod photo;
mod review;
mod visit;

pub use apply::register_write;
pub use form::{MemberMark, NEW_MEMBER_ROWS, NewMember, VisitForm};
pub use minutes::{Minutes, MinutesRow, minutes};
pub use review::{Decision, decide, next_step, stored_form};
pub use visit::{MAX_PHOTOS, Opened, Submitted, Upload, open, photo, submit, view};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sipmas_domain::{AuditAction, RegionCode, RegionLevel, Role};
use sipmas_store::{Assignment, CampaignSummary, NewCampaign, Store, VillageProgress};

use crate::AppError;
use crate::access::{Access, Permission};
use crate::register::SearchForm;

/// The campaign form: a name, a due date, and the register filters that select it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CampaignForm {
    pub name: String,
    /// YYYY-MM-DD.
    pub due_on: String,
    pub wilayah: String,
    pub desil: String,
    pub status: String,
    pub sumber: String,
    /// YYYY-MM-DD: only households without a visit approved since then.
    pub belum_verval_sejak: String,
    /// Non-empty: only households flagged by an import or waiting in duplicate review.
    pub ditandai: String,
}

/// Creates a campaign within the planner's region; returns it and how many households
/// it lists.
pub async fn create(
    store: &dyn Store,
    access: &Access,
    form: &CampaignForm,
) -> Result<(uuid::Uuid, i64), AppError> {
    access.require(Permission::PlanVerval)?;
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::Invalid(
            "nama kampanye wajib diisi (paling banyak 200 huruf)".into(),
        ));
    }
    let due_on = Some(form.due_on.trim())
        .filter(|s| !s.is_empty())
        .map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .transpose()
        .map_err(|_| AppError::Invalid("tenggat: tanggal YYYY-MM-DD".into()))?;
    let filters = SearchForm {
        wilayah: form.wilayah.clone(),
        desil: form.desil.clone(),
        status: form.status.clone(),
        sumber: form.sumber.clone(),
        ..SearchForm::default()
    };
    let mut selection = filters.selection(access.scope.clone())?;
    selection.not_verified_since = Some(form.belum_verval_sejak.trim())
        .filter(|s| !s.is_empty())
        .map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .transpose()
        .map_err(|_| AppError::Invalid("belum diverval sejak: tanggal YYYY-MM-DD".into()))?;
    selection.flagged = !form.ditandai.trim().is_empty();
    let id = uuid::Uuid::new_v4();
    let campaign = NewCampaign {
        id,
        name: name.to_owned(),
        scope: selection.region.clone().or_else(|| access.scope.clone()),
        selection_json: serde_json::to_string(&CampaignForm {
            name: String::new(),
            due_on: String::new(),
            ..form.clone()
        })
        .unwrap_or_default(),
        selection,
        due_on,
        created_by: access.username.clone(),
    };
    let entry = access
        .audit(AuditAction::CampaignCreated)
        .subject(id.to_string())
        .detail(serde_json::json!({ "name": name, "filters": filters }).to_string());
    let listed = store.create_campaign(&campaign, &entry).await?;
    Ok((id, listed))
}

/// Campaigns with households in the reader's region.
pub async fn campaigns(
    store: &dyn Store,
    access: &Access,
) -> Result<Vec<CampaignSummary>, AppError> {
    access.require(Permission::ReadRegister)?;
    Ok(store.campaigns(access.scope.as_ref()).await?)
}

/// An id from a path; one that does not parse is simply not there.
pub(crate) fn id_or_not_found(id: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(id).map_err(|_| AppError::NotFound)
}

/// A campaign and its progress by village, within the reader's region.
pub async fn progress(
    store: &dyn Store,
    access: &Access,
    id: &str,
) -> Result<(CampaignSummary, Vec<VillageProgress>), AppError> {
    access.require(Permission::ReadRegister)?;
    let id = id_or_not_found(id)?;
    let c = store
        .campaign(id, access.scope.as_ref())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((c, store.campaign_progress(id, access.scope.as_ref()).await?))
}

/// Gives a village's households to a village operator of that village.
pub async fn assign(
    store: &dyn Store,
    access: &Access,
    id: &str,
    village: &str,
    username: &str,
) -> Result<u64, AppError> {
    access.require(Permission::PlanVerval)?;
    let id = id_or_not_found(id)?;
    let village = RegionCode::parse(village).map_err(|e| AppError::Invalid(e.to_string()))?;
    if village.level() != RegionLevel::Village || !access.covers(&village) {
        return Err(AppError::NotFound);
    }
    store
        .campaign(id, Some(&village))
        .await?
        .ok_or(AppError::NotFound)?;
    let user = store
        .user_by_username(username.trim())
        .await?
        .filter(|u| u.active && u.role == Role::Desa && u.region_scope.as_ref() == Some(&village))
        .ok_or_else(|| {
            AppError::Invalid(format!(
                "{} bukan operator aktif desa {}",
                username.trim(),
                village.dotted()
            ))
        })?;
    let entry = access
        .audit(AuditAction::VillageAssigned)
        .subject(id.to_string())
        .detail(
            serde_json::json!({ "village": village.dotted(), "assignee": user.username })
                .to_string(),
        );
    Ok(store
        .assign_village(id, &village, &user.username, &entry)
        .await?)
}

/// The households a village operator must visit (their own assignments only).
pub async fn my_assignments(
    store: &dyn Store,
    access: &Access,
) -> Result<Vec<Assignment>, AppError> {
    access.require(Permission::ReadRegister)?;
    Ok(store
        .assignments(&access.username, access.scope.as_ref())
        .await?)
}
