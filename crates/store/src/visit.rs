//! Verval visits: the village operator's findings, the approval chain (kecamatan, then
//! Dinsos), photos, and the approved result written into the register.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sipmas_domain::{HouseholdId, RegionCode};

use crate::{AuditEntry, DbResult, ImportWrite};

/// A household of a campaign, as the visit workflow sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VisitTarget {
    pub campaign_id: uuid::Uuid,
    pub campaign: String,
    pub due_on: Option<NaiveDate>,
    pub household_id: HouseholdId,
    pub village_code: String,
    pub assignee: Option<String>,
    /// A `VisitState` code.
    pub state: String,
    /// Bumped by every step, so two reviewers cannot both act on what they saw.
    pub version: i64,
}

/// A visit as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VisitRecord {
    pub campaign_id: uuid::Uuid,
    pub household_id: HouseholdId,
    /// A `VisitResult` code.
    pub result: String,
    /// The household's version when the operator opened the form.
    pub household_version: i64,
    /// The form as submitted (JSON).
    pub record: String,
    pub visited_by: String,
    pub submitted_at: DateTime<Utc>,
    pub comment: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
}

/// A photo taken at a visit (already resized and re-encoded).
#[derive(Debug, Clone, PartialEq)]
pub struct Photo {
    pub id: uuid::Uuid,
    pub campaign_id: uuid::Uuid,
    pub household_id: HouseholdId,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// One household of a campaign in a list (review queue, berita acara).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VisitRow {
    pub campaign_id: uuid::Uuid,
    pub household_id: HouseholdId,
    pub village_code: String,
    pub no_kk: Option<String>,
    pub head_name: Option<String>,
    pub assignee: Option<String>,
    pub state: String,
    pub result: Option<String>,
    pub comment: Option<String>,
    /// The village operator who submitted the visit.
    pub visited_by: Option<String>,
}

/// Which campaign households to list.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitFilter {
    pub campaign_id: Option<uuid::Uuid>,
    /// Region prefix (a village for the berita acara, the reader's scope otherwise).
    pub within: Option<RegionCode>,
    /// `VisitState` code.
    pub state: Option<String>,
    pub limit: u32,
}

/// A step of the approval chain that moves a household from one state to another.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitStep {
    pub campaign_id: uuid::Uuid,
    pub household_id: HouseholdId,
    pub expected_version: i64,
    pub from_state: String,
    pub to_state: String,
    /// A send-back comment (kept on the visit for the village operator).
    pub comment: Option<String>,
    /// `reviewed` records the reviewer; `returned` the comment.
    pub actor: String,
}

#[async_trait]
pub trait VisitStore: Send + Sync {
    /// A household of a campaign, if it lies within `scope`.
    async fn visit_target(
        &self,
        campaign: uuid::Uuid,
        household: HouseholdId,
        scope: Option<&RegionCode>,
    ) -> DbResult<Option<VisitTarget>>;
    /// Stores a visit (replacing a returned one) with its new photos (which replace any
    /// earlier ones), moves the household
    /// to `submitted` and writes `audit`, if the target is still at `expected_version` in
    /// `listed` or `returned`; `DbError::Conflict` otherwise. Returns the new version.
    async fn submit_visit(
        &self,
        visit: &VisitRecord,
        expected_version: i64,
        photos: &[Photo],
        audit: &AuditEntry,
    ) -> DbResult<i64>;
    /// The visit of a campaign household, if one was submitted.
    async fn visit(
        &self,
        campaign: uuid::Uuid,
        household: HouseholdId,
    ) -> DbResult<Option<VisitRecord>>;
    /// Review or send back: moves the household if it is still at the expected version
    /// and state (`DbError::Conflict` otherwise) and writes `audit`.
    async fn step_visit(&self, step: &VisitStep, audit: &AuditEntry) -> DbResult<i64>;
    /// Dinsos approval: `step` (reviewed → approved), then `write` (the register rows the
    /// visit changes, each guarded by its version) and `audit`, in one transaction.
    async fn approve_visit(
        &self,
        step: &VisitStep,
        write: &ImportWrite,
        audit: &AuditEntry,
    ) -> DbResult<i64>;
    /// Campaign households matching `filter`, by village and head's name.
    async fn visit_rows(&self, filter: &VisitFilter) -> DbResult<Vec<VisitRow>>;
    /// Ids of a visit's photos, oldest first.
    async fn photo_ids(
        &self,
        campaign: uuid::Uuid,
        household: HouseholdId,
    ) -> DbResult<Vec<uuid::Uuid>>;
    /// One photo.
    async fn photo(&self, id: uuid::Uuid) -> DbResult<Option<Photo>>;
}

/// Columns of a `VisitRow` over `campaign_households ch` left-joined to `verval_visits v`
/// and `households h`.
pub const VISIT_ROW_SQL: &str = "select ch.campaign_id, ch.household_id, ch.village_code, h.no_kk, \
    (select k.name from individuals k where k.household_id = ch.household_id \
       and k.relationship = 'kepala_keluarga' and k.merged_into is null order by k.id limit 1) as head_name, \
    ch.assignee, ch.state, v.result, v.comment, v.visited_by \
    from campaign_households ch join households h on h.id = ch.household_id \
    left join verval_visits v on v.campaign_id = ch.campaign_id and v.household_id = ch.household_id";

/// The `VisitRow` query for `f`: binds are campaign (or null), low, high, state (or
/// null), limit.
pub fn visit_rows_sql(p: impl Fn(usize) -> String) -> String {
    format!(
        "{VISIT_ROW_SQL} where ({c} is null or ch.campaign_id = {c}) \
         and ch.village_code >= {} and ch.village_code < {} \
         and ({s} is null or ch.state = {s}) \
         order by ch.village_code, head_name, ch.household_id limit {}",
        p(2),
        p(3),
        p(5),
        c = p(1),
        s = p(4),
    )
}

/// The guarded move of one step; binds: to_state, now, campaign, household, expected
/// version, from_state.
pub fn step_sql(p: impl Fn(usize) -> String) -> String {
    format!(
        "update campaign_households set state = {}, version = version + 1, updated_at = {} \
         where campaign_id = {} and household_id = {} and version = {} and state = {}",
        p(1),
        p(2),
        p(3),
        p(4),
        p(5),
        p(6)
    )
}

/// What a step records on the visit; binds: the comment (returned) or the actor
/// (reviewed, approved), now, campaign, household. `None` for other states.
pub fn visit_mark_sql(to_state: &str, p: impl Fn(usize) -> String) -> Option<String> {
    let set = match to_state {
        "returned" => format!("comment = {}, reviewed_at = {}", p(1), p(2)),
        "reviewed" => format!("reviewed_by = {}, reviewed_at = {}", p(1), p(2)),
        "approved" => format!("approved_by = {}, approved_at = {}", p(1), p(2)),
        _ => return None,
    };
    Some(format!(
        "update verval_visits set {set} where campaign_id = {} and household_id = {}",
        p(3),
        p(4)
    ))
}

/// One campaign household with its campaign; binds: campaign, household, low, high.
pub fn target_sql(p: impl Fn(usize) -> String) -> String {
    format!(
        "select ch.campaign_id, c.name, c.due_on, ch.household_id, ch.village_code, ch.assignee, \
           ch.state, ch.version \
         from campaign_households ch join campaigns c on c.id = ch.campaign_id \
         where ch.campaign_id = {} and ch.household_id = {} \
           and ch.village_code >= {} and ch.village_code < {}",
        p(1),
        p(2),
        p(3),
        p(4)
    )
}

/// The guarded move to `submitted` (from `listed` or `returned` only); binds: now,
/// campaign, household, expected version.
pub fn submit_sql(p: impl Fn(usize) -> String) -> String {
    format!(
        "update campaign_households set state = 'submitted', version = version + 1, updated_at = {} \
         where campaign_id = {} and household_id = {} and version = {} \
           and state in ('listed', 'returned')",
        p(1),
        p(2),
        p(3),
        p(4)
    )
}

/// Stores a visit, replacing a returned one (its review marks cleared, its comment kept
/// for the reviewer); binds: campaign, household, result, household version, record,
/// visited_by, submitted_at.
pub fn upsert_visit_sql(p: impl Fn(usize) -> String) -> String {
    format!(
        "insert into verval_visits (campaign_id, household_id, result, household_version, record, \
           visited_by, submitted_at) values ({}, {}, {}, {}, {}, {}, {}) \
         on conflict (campaign_id, household_id) do update set result = excluded.result, \
           household_version = excluded.household_version, record = excluded.record, \
           visited_by = excluded.visited_by, submitted_at = excluded.submitted_at, \
           reviewed_by = null, reviewed_at = null, approved_by = null, approved_at = null",
        p(1),
        p(2),
        p(3),
        p(4),
        p(5),
        p(6),
        p(7)
    )
}
