//! Field verification: campaigns over a selection of households, their assignment to
//! villages and village operators, and progress by village.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sipmas_domain::RegionCode;

use crate::{AuditEntry, DbResult, HouseholdSearch};

/// A campaign to create: `selection` picks its households (its scope included).
#[derive(Debug, Clone, PartialEq)]
pub struct NewCampaign {
    pub id: uuid::Uuid,
    pub name: String,
    pub scope: Option<RegionCode>,
    pub selection: HouseholdSearch,
    /// The filters as the user gave them (JSON), kept with the campaign.
    pub selection_json: String,
    pub due_on: Option<NaiveDate>,
    pub created_by: String,
}

/// A campaign as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignSummary {
    pub id: uuid::Uuid,
    pub name: String,
    pub scope: Option<String>,
    pub selection: String,
    pub due_on: Option<NaiveDate>,
    pub households: i64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// Progress of one village in a campaign.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VillageProgress {
    pub village_code: String,
    pub village_name: String,
    pub households: i64,
    pub assigned: i64,
    /// The operator(s) assigned, comma-separated.
    pub assignees: Option<String>,
    /// Visited or further along.
    pub visited: i64,
    /// Waiting for the kecamatan.
    pub submitted: i64,
    /// Sent back to the village.
    pub returned: i64,
    /// Waiting for Dinsos.
    pub reviewed: i64,
    pub approved: i64,
    /// Visit results (submitted or further), by `VisitResult`.
    pub still_poor: i64,
    pub graduated: i64,
    pub moved: i64,
    pub died: i64,
    pub duplicate: i64,
    pub not_found: i64,
}

/// A household on a village operator's list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    pub campaign_id: uuid::Uuid,
    pub campaign: String,
    pub household_id: uuid::Uuid,
    pub village_code: String,
    pub head_name: Option<String>,
    pub state: String,
}

#[async_trait]
pub trait VervalStore: Send + Sync {
    /// Creates a campaign with every household its selection matches (unmerged ones) and
    /// writes `audit`, in one transaction; returns how many households it lists.
    async fn create_campaign(&self, c: &NewCampaign, audit: &AuditEntry) -> DbResult<i64>;
    /// Campaigns with households within `scope`, newest first.
    async fn campaigns(&self, scope: Option<&RegionCode>) -> DbResult<Vec<CampaignSummary>>;
    /// One campaign, if it has households within `scope`.
    async fn campaign(
        &self,
        id: uuid::Uuid,
        scope: Option<&RegionCode>,
    ) -> DbResult<Option<CampaignSummary>>;
    /// Per village within `scope`: households, assigned, visited, approved.
    async fn campaign_progress(
        &self,
        id: uuid::Uuid,
        scope: Option<&RegionCode>,
    ) -> DbResult<Vec<VillageProgress>>;
    /// Gives a village's households in a campaign to `assignee` (reassigning any) and
    /// writes `audit`; returns how many.
    async fn assign_village(
        &self,
        id: uuid::Uuid,
        village: &RegionCode,
        assignee: &str,
        audit: &AuditEntry,
    ) -> DbResult<u64>;
    /// The households assigned to `assignee` within `scope`, by campaign and village.
    async fn assignments(
        &self,
        assignee: &str,
        scope: Option<&RegionCode>,
    ) -> DbResult<Vec<Assignment>>;
}

/// Bounds of a scope (everything when `None`).
pub fn scope_range(scope: Option<&RegionCode>) -> (String, String) {
    scope.map_or_else(|| (String::new(), "~".to_owned()), RegionCode::code_range)
}

/// Columns of a `CampaignSummary`, on `campaigns c`.
pub const CAMPAIGN_COLUMNS: &str =
    "c.id, c.name, c.scope_code, c.selection, c.due_on, c.households, c.created_by, c.created_at";

/// Per-village progress; binds: campaign, low, high. `assignees` is the backend's
/// aggregate of distinct assignees (`group_concat` / `string_agg`).
pub fn progress_sql(assignees: &str, p: impl Fn(usize) -> String) -> String {
    format!(
        "select ch.village_code, r.name as village_name, count(*) as households, \
           count(ch.assignee) as assigned, \
           {assignees} as assignees, \
           sum(case when ch.state <> 'listed' then 1 else 0 end) as visited, \
           sum(case when ch.state = 'submitted' then 1 else 0 end) as submitted, \
           sum(case when ch.state = 'returned' then 1 else 0 end) as returned, \
           sum(case when ch.state = 'reviewed' then 1 else 0 end) as reviewed, \
           sum(case when ch.state = 'approved' then 1 else 0 end) as approved, \
           sum(case when v.result = 'miskin_ekstrem' then 1 else 0 end) as still_poor, \
           sum(case when v.result = 'graduasi' then 1 else 0 end) as graduated, \
           sum(case when v.result = 'pindah' then 1 else 0 end) as moved, \
           sum(case when v.result = 'meninggal' then 1 else 0 end) as died, \
           sum(case when v.result = 'ganda' then 1 else 0 end) as duplicate, \
           sum(case when v.result = 'tidak_ditemukan' then 1 else 0 end) as not_found \
         from campaign_households ch join regions r on r.code = ch.village_code \
         left join verval_visits v on v.campaign_id = ch.campaign_id and v.household_id = ch.household_id \
         where ch.campaign_id = {} and ch.village_code >= {} and ch.village_code < {} \
         group by ch.village_code, r.name order by ch.village_code",
        p(1),
        p(2),
        p(3)
    )
}
