//! The approval chain: the kecamatan reviews each submitted visit (approve or send back
//! with a comment), then Dinsos approves it, and only then does the register change, as
//! status-history entries and field changes whose reason is the campaign.

use serde::{Deserialize, Serialize};
use sipmas_domain::{AuditAction, VisitState};
use sipmas_store::{DbError, Store, VisitStep};

use super::apply::{flag_known_niks, register_write};
use super::form::VisitForm;
use super::visit::{Opened, open};
use crate::AppError;
use crate::access::{Access, Permission};

/// A reviewer's decision as posted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Decision {
    /// `setujui` (approve) or `kembalikan` (send back).
    pub decision: String,
    pub comment: String,
    /// The campaign household's version the reviewer saw.
    pub version: Option<i64>,
}

/// The visit form stored with a visit.
pub fn stored_form(opened: &Opened) -> Option<VisitForm> {
    opened
        .visit
        .as_ref()
        .and_then(|v| serde_json::from_str(&v.record).ok())
}

/// Whether the reader may act on the visit now, and how.
pub fn next_step(access: &Access, state: VisitState) -> Option<(VisitState, Permission)> {
    match state {
        VisitState::Submitted if access.allows(Permission::ReviewVisits) => {
            Some((VisitState::Reviewed, Permission::ReviewVisits))
        }
        VisitState::Reviewed if access.allows(Permission::ApproveVisits) => {
            Some((VisitState::Approved, Permission::ApproveVisits))
        }
        _ => None,
    }
}

/// Approves or sends back a visit, as the reader's role allows at its state.
pub async fn decide(
    store: &dyn Store,
    access: &Access,
    campaign: &str,
    household: &str,
    d: &Decision,
) -> Result<VisitState, AppError> {
    let opened = open(store, access, campaign, household).await?;
    let (approved_state, _) = next_step(access, opened.state).ok_or(AppError::Forbidden)?;
    let version = d
        .version
        .ok_or_else(|| AppError::Invalid("versi wajib diisi".into()))?;
    if version != opened.target.version {
        return Err(conflict());
    }
    let comment = d.comment.trim();
    if comment.chars().count() > 1000 {
        return Err(AppError::Invalid("komentar terlalu panjang".into()));
    }
    let to = match d.decision.as_str() {
        "setujui" => approved_state,
        "kembalikan" if comment.is_empty() => {
            return Err(AppError::Invalid(
                "tulis komentar untuk operator desa: apa yang perlu diperbaiki".into(),
            ));
        }
        "kembalikan" => VisitState::Returned,
        _ => {
            return Err(AppError::Invalid(
                "keputusan: setujui atau kembalikan".into(),
            ));
        }
    };
    let step = VisitStep {
        campaign_id: opened.target.campaign_id,
        household_id: opened.household.id,
        expected_version: version,
        from_state: opened.state.code().to_owned(),
        to_state: to.code().to_owned(),
        comment: Some(comment.to_owned()).filter(|c| !c.is_empty()),
        actor: access.username.clone(),
    };
    let action = match to {
        VisitState::Returned => AuditAction::VisitReturned,
        VisitState::Approved => AuditAction::VisitApproved,
        _ => AuditAction::VisitReviewed,
    };
    let entry = access
        .audit(action)
        .subject(opened.household.id.0.to_string())
        .detail(
            serde_json::json!({ "campaign": step.campaign_id, "comment": step.comment })
                .to_string(),
        );
    let done = if to == VisitState::Approved {
        let mut write = register_write(&opened, &access.username)?;
        flag_known_niks(store, &mut write).await?;
        store.approve_visit(&step, &write, &entry).await
    } else {
        store.step_visit(&step, &entry).await
    };
    match done {
        Ok(_) => {}
        Err(DbError::Conflict(_)) => return Err(conflict()),
        Err(e) => return Err(e.into()),
    }
    if to == VisitState::Approved {
        // The dashboard's per-village figures move with the register. The approval is
        // committed already: a failed refresh is logged (and `sipmas stats --refresh`
        // repairs it), not reported as a failed approval.
        let village = std::slice::from_ref(&opened.household.village);
        if let Err(e) = crate::stats::refresh(store, Some(village)).await {
            tracing::warn!(error = %e, village = %opened.household.village.dotted(), "dashboard refresh after approval failed");
        }
    }
    Ok(to)
}

fn conflict() -> AppError {
    AppError::Conflict(
        "kunjungan ini sudah diproses orang lain; muat ulang halaman untuk melihat keadaannya"
            .into(),
    )
}
