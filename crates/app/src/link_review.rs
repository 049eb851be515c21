//! The duplicate review queue for people: pairs between the two thresholds wait here for
//! an operator, who merges or rejects them; a merge can be undone. Only pairs whose two
//! people both live within the reviewer's region are shown or decided.

use serde::Serialize;
use sipmas_store::{ReviewPair, ReviewSide, Store};

use crate::AppError;
use crate::access::{Access, Permission};
use crate::register::audit_read;

/// Pairs shown per page.
pub const QUEUE_SIZE: u32 = 50;

/// One person of a pair, identifiers masked by role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SideView {
    pub household_id: String,
    pub name: String,
    pub nik: Option<String>,
    pub sex: String,
    pub birth_date: Option<chrono::NaiveDate>,
    pub village: String,
}

/// A pair with the reasons the model gives.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairView {
    pub id: i64,
    pub probability: f64,
    pub weight: f64,
    pub status: String,
    /// (comparison, level, weight)
    pub terms: Vec<(String, String, f64)>,
    pub left: SideView,
    pub right: SideView,
}

fn side(access: &Access, s: ReviewSide) -> SideView {
    SideView {
        household_id: s.household_id.0.to_string(),
        nik: access.nik(s.nik.as_ref()),
        name: s.name,
        sex: s.sex,
        birth_date: s.birth_date,
        village: s.village.dotted(),
    }
}

/// The explanation's terms, whether stored as `{terms: [...]}` or as the array itself.
fn terms(explanation: &str) -> Vec<(String, String, f64)> {
    let v: serde_json::Value = serde_json::from_str(explanation).unwrap_or_default();
    let list = v.get("terms").unwrap_or(&v);
    list.as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            let text = |k: &str| t[k].as_str().unwrap_or("—").to_owned();
            (
                text("comparison"),
                text("level"),
                t["weight"].as_f64().unwrap_or(0.0),
            )
        })
        .collect()
}

fn view(access: &Access, p: ReviewPair) -> PairView {
    PairView {
        id: p.pair.id,
        probability: p.pair.probability,
        weight: p.pair.weight,
        status: p.pair.status.clone(),
        terms: terms(&p.pair.explanation),
        left: side(access, p.left),
        right: side(access, p.right),
    }
}

/// Pairs with `status` (`review` or `merged`) within the reviewer's region.
pub async fn queue(
    store: &dyn Store,
    access: &Access,
    status: &str,
) -> Result<Vec<PairView>, AppError> {
    access.require(Permission::ReviewLinks)?;
    if !matches!(status, "review" | "merged" | "rejected" | "unmerged") {
        return Err(AppError::Invalid("status antrean tidak dikenal".into()));
    }
    let pairs = store
        .review_pairs(access.scope.as_ref(), status, QUEUE_SIZE)
        .await?;
    let views: Vec<PairView> = pairs.into_iter().map(|p| view(access, p)).collect();
    if !views.is_empty() {
        let ids: Vec<i64> = views.iter().map(|p| p.id).collect();
        audit_read(
            store,
            access,
            "data-ganda",
            serde_json::json!({ "pairs": ids }),
        )
        .await?;
    }
    Ok(views)
}

async fn in_scope(store: &dyn Store, access: &Access, id: i64) -> Result<ReviewPair, AppError> {
    access.require(Permission::ReviewLinks)?;
    store
        .review_pair(access.scope.as_ref(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Merges (the right person into the left) or rejects a pair waiting for review.
pub async fn decide(
    store: &dyn Store,
    access: &Access,
    id: i64,
    merge: bool,
) -> Result<(), AppError> {
    let pair = in_scope(store, access, id).await?;
    if pair.pair.status != "review" {
        return Err(AppError::Invalid(format!(
            "pasangan ini sudah diputuskan ({})",
            pair.pair.status
        )));
    }
    crate::link::decide(store, id, merge, &access.username).await
}

/// Undoes the merge a pair made: the duplicate stands on its own again.
pub async fn unmerge(store: &dyn Store, access: &Access, id: i64) -> Result<(), AppError> {
    let pair = in_scope(store, access, id).await?;
    if pair.pair.status != "merged" {
        return Err(AppError::Invalid(
            "pasangan ini tidak sedang digabung".into(),
        ));
    }
    crate::link::unmerge(store, pair.right.id, &access.username)
        .await
        .map(|_| ())
}
