//! The village operator's side: open one's own assignment, submit the visit (with its
//! photos), and be told when the register moved on since the form was opened.

use chrono::Utc;
use sipmas_domain::{AuditAction, Household, HouseholdId, Individual, NoKk, VisitState};
use sipmas_store::{DbError, Photo, Store, VisitRecord, VisitTarget};

use super::form::VisitForm;
use super::photo::shrink_queued;
use crate::AppError;
use crate::access::{Access, Permission};

/// A campaign household opened for a visit, a review or an approval.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    pub target: VisitTarget,
    pub state: VisitState,
    pub household: Household,
    pub members: Vec<Individual>,
    pub visit: Option<VisitRecord>,
}

/// A campaign household within the reader's region; a village operator only reaches
/// their own assignments (another's answers 404, like a household outside the region).
async fn target(
    store: &dyn Store,
    access: &Access,
    campaign: uuid::Uuid,
    household: HouseholdId,
) -> Result<VisitTarget, AppError> {
    access.require(Permission::ReadVisits)?;
    store
        .visit_target(campaign, household, access.scope.as_ref())
        .await?
        .filter(|t| {
            !access.allows(Permission::VisitHouseholds)
                || t.assignee.as_deref() == Some(access.username.as_str())
        })
        .ok_or(AppError::NotFound)
}

/// A campaign household opened for a visit, a review or an approval: `target`, with the
/// household, its members (merged duplicates left out) and the visit.
pub async fn open(
    store: &dyn Store,
    access: &Access,
    campaign: &str,
    household: &str,
) -> Result<Opened, AppError> {
    let c = super::id_or_not_found(campaign)?;
    let h = HouseholdId(super::id_or_not_found(household)?);
    let target = target(store, access, c, h).await?;
    let state = VisitState::from_code(&target.state)
        .ok_or_else(|| AppError::Db(DbError::Corrupt(format!("state {}", target.state))))?;
    let household = store
        .household_within(h, access.scope.as_ref())
        .await?
        .ok_or(AppError::NotFound)?;
    let mut members = Vec::new();
    for m in store.members(h).await? {
        if store.merged_into(m.id).await?.is_none() {
            members.push(m);
        }
    }
    let visit = store.visit(c, h).await?;
    Ok(Opened {
        target,
        state,
        household,
        members,
        visit,
    })
}

/// `open`, recorded in the audit trail as a read of personal data.
pub async fn view(
    store: &dyn Store,
    access: &Access,
    campaign: &str,
    household: &str,
) -> Result<Opened, AppError> {
    let o = open(store, access, campaign, household).await?;
    crate::register::audit_read(
        store,
        access,
        &o.household.id.0.to_string(),
        serde_json::json!({ "page": "verval_visit", "campaign": o.target.campaign_id }),
    )
    .await?;
    Ok(o)
}

/// How a submission ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Submitted {
    /// Stored and waiting for the kecamatan.
    Done,
    /// The household changed after the form was opened: nothing was stored. The page
    /// shows the register as it is now beside the form as typed (with the new version, so
    /// sending it again applies it against what the operator has now seen).
    Stale {
        opened: Box<Opened>,
        form: Box<VisitForm>,
    },
}

/// A photo as uploaded: its bytes (any JPEG or PNG; resized here).
#[derive(Debug, Clone, PartialEq)]
pub struct Upload {
    pub bytes: Vec<u8>,
}

/// Most photos one visit keeps.
pub const MAX_PHOTOS: usize = 3;

/// Submits the visit of one's own assignment.
pub async fn submit(
    store: &dyn Store,
    access: &Access,
    campaign: &str,
    household: &str,
    form: &VisitForm,
    uploads: &[Upload],
) -> Result<Submitted, AppError> {
    access.require(Permission::VisitHouseholds)?;
    let opened = open(store, access, campaign, household).await?;
    if !opened.state.open_for_visit() {
        return Err(AppError::Conflict(format!(
            "kunjungan ini sudah {} — tidak dapat dikirim lagi",
            opened.state.label_id().to_lowercase()
        )));
    }
    let seen = form
        .household_version
        .ok_or_else(|| AppError::Invalid("versi_rumah (versi yang dibaca) wajib diisi".into()))?;
    if seen != opened.household.version {
        // The answer shows the register as it is now: a read of personal data.
        crate::register::audit_read(
            store,
            access,
            &opened.household.id.0.to_string(),
            serde_json::json!({ "page": "verval_stale", "campaign": opened.target.campaign_id }),
        )
        .await?;
        let mut form = form.clone();
        form.household_version = Some(opened.household.version);
        form.housing.version = form.household_version;
        return Ok(Submitted::Stale {
            opened: Box::new(opened),
            form: Box::new(form),
        });
    }
    form.check(&opened.members)?;
    if form.result == "ganda" {
        duplicate_target(store, access, &opened.household, &form.duplicate_of).await?;
    }
    // The housing fields are checked the way the edit form checks them.
    form.housing
        .over(&opened.household)
        .parse(opened.household.id, seen)?;
    if uploads.len() > MAX_PHOTOS {
        return Err(AppError::Invalid(format!(
            "paling banyak {MAX_PHOTOS} foto"
        )));
    }
    let c = opened.target.campaign_id;
    let h = opened.household.id;
    let mut photos = Vec::with_capacity(uploads.len());
    for u in uploads {
        photos.push(Photo {
            id: uuid::Uuid::new_v4(),
            campaign_id: c,
            household_id: h,
            content_type: "image/jpeg".into(),
            bytes: shrink_queued(u.bytes.clone()).await?,
        });
    }
    let record = VisitRecord {
        campaign_id: c,
        household_id: h,
        result: form.result.trim().to_owned(),
        household_version: seen,
        record: serde_json::to_string(form).map_err(|e| AppError::Invalid(e.to_string()))?,
        visited_by: access.username.clone(),
        submitted_at: Utc::now(),
        comment: None,
        reviewed_by: None,
        reviewed_at: None,
        approved_by: None,
        approved_at: None,
    };
    let entry = access
        .audit(AuditAction::VisitSubmitted)
        .subject(h.0.to_string())
        .detail(
            serde_json::json!({ "campaign": c, "result": record.result, "photos": photos.len() })
                .to_string(),
        );
    match store
        .submit_visit(&record, opened.target.version, &photos, &entry)
        .await
    {
        Ok(_) => Ok(Submitted::Done),
        Err(DbError::Conflict(_)) => Err(AppError::Conflict(
            "kunjungan ini baru saja dikirim atau diubah dari perangkat lain".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// The household a duplicate points at: by No KK or id, within the operator's region,
/// not the household itself.
async fn duplicate_target(
    store: &dyn Store,
    access: &Access,
    this: &Household,
    given: &str,
) -> Result<HouseholdId, AppError> {
    let given = given.trim();
    let found = if let Ok(id) = uuid::Uuid::parse_str(given) {
        store
            .household_within(HouseholdId(id), access.scope.as_ref())
            .await?
    } else {
        let kk =
            NoKk::parse(given).map_err(|e| AppError::Invalid(format!("data ganda dengan: {e}")))?;
        store
            .households_by_no_kk(&kk)
            .await?
            .into_iter()
            .find(|h| h.id != this.id && access.covers(&h.village))
    };
    found
        .filter(|h| h.id != this.id)
        .map(|h| h.id)
        .ok_or_else(|| {
            AppError::Invalid(format!(
                "data ganda dengan: keluarga {given} tidak ditemukan di wilayah Anda"
            ))
        })
}

/// A photo of a visit the reader may open.
pub async fn photo(store: &dyn Store, access: &Access, id: &str) -> Result<Photo, AppError> {
    access.require(Permission::ReadVisits)?;
    let id = super::id_or_not_found(id)?;
    let p = store.photo(id).await?.ok_or(AppError::NotFound)?;
    // Only the right to open its visit is needed, not the household itself.
    target(store, access, p.campaign_id, p.household_id).await?;
    crate::register::audit_read(
        store,
        access,
        &p.household_id.0.to_string(),
        serde_json::json!({ "page": "verval_photo", "photo": p.id }),
    )
    .await?;
    Ok(p)
}
