//! The linkage seam: people to compare, scored pairs to keep, merges that can be undone.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sipmas_domain::{IndividualId, RegionCode};

use crate::{AuditEntry, DbResult};

/// A living, unmerged person with what linkage compares.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkRecord {
    pub id: IndividualId,
    pub nik: Option<String>,
    pub name: String,
    pub sex: String,
    pub birth_date: Option<NaiveDate>,
    pub no_kk: Option<String>,
    pub village: String,
    pub address: String,
}

/// A scored pair as kept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkPair {
    pub id: i64,
    pub run_id: uuid::Uuid,
    pub left: IndividualId,
    pub right: IndividualId,
    pub probability: f64,
    pub weight: f64,
    /// JSON: each comparison's level and weight.
    pub explanation: String,
    /// `merged`, `review`, `rejected`, `unmerged`, `superseded`.
    pub status: String,
    pub decided_by: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// What one `link run` writes.
#[derive(Debug, Clone, Default)]
pub struct LinkRunWrite {
    pub run_id: uuid::Uuid,
    /// Pairs to keep (`id` and `created_at` are assigned by the store).
    pub pairs: Vec<LinkPair>,
    /// (duplicate, kept): the duplicate will point at the kept record.
    pub merges: Vec<(IndividualId, IndividualId)>,
}

/// Record linkage over the register.
#[async_trait]
pub trait LinkStore: Send + Sync {
    /// Living people not merged into anyone.
    async fn link_records(&self) -> DbResult<Vec<LinkRecord>>;
    /// Pairs a person rejected or unmerged: never merged or proposed again.
    async fn rejected_pairs(&self) -> DbResult<Vec<(IndividualId, IndividualId)>>;
    /// Supersedes open review pairs, keeps the run's pairs and applies its merges, with
    /// `audit`, in one transaction. Returns the merges applied (a record merged meanwhile
    /// by someone else is skipped).
    async fn save_link_run(&self, run: &LinkRunWrite, audit: &AuditEntry) -> DbResult<usize>;
    /// Pairs with a status, oldest first.
    async fn link_pairs(&self, status: &str, limit: u32) -> DbResult<Vec<LinkPair>>;
    /// One pair.
    async fn link_pair(&self, id: i64) -> DbResult<Option<LinkPair>>;
    /// Decides a review pair: `merge` merges its right record into its left one.
    /// `DbError::Conflict` when the pair is no longer in review.
    async fn decide_pair(
        &self,
        id: i64,
        merge: bool,
        actor: &str,
        audit: &AuditEntry,
    ) -> DbResult<()>;
    /// Undoes the merge of `id`; returns the record it had been merged into.
    async fn unmerge(
        &self,
        id: IndividualId,
        actor: &str,
        audit: &AuditEntry,
    ) -> DbResult<Option<IndividualId>>;
    /// Pairs of `status` (`review`, `merged` …) whose people both lie within `scope`.
    async fn review_pairs(
        &self,
        scope: Option<&RegionCode>,
        status: &str,
        limit: u32,
    ) -> DbResult<Vec<ReviewPair>>;
    /// One pair, if both its people lie within `scope`.
    async fn review_pair(
        &self,
        scope: Option<&RegionCode>,
        id: i64,
    ) -> DbResult<Option<ReviewPair>>;
    /// The record `id` was merged into, if any.
    async fn merged_into(&self, id: IndividualId) -> DbResult<Option<IndividualId>>;
}

/// One side of a pair as the review queue shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewSide {
    pub id: IndividualId,
    pub household_id: sipmas_domain::HouseholdId,
    pub name: String,
    pub nik: Option<sipmas_domain::Nik>,
    pub sex: String,
    pub birth_date: Option<NaiveDate>,
    pub village: RegionCode,
}

/// A pair with both people, for the review page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewPair {
    pub pair: LinkPair,
    pub left: ReviewSide,
    pub right: ReviewSide,
}

/// Pairs whose two people both live within a region, by status (or one pair by id), most
/// likely first. Placeholders must be numbered. Binds: status or id, then the scope's
/// low and high bounds twice, then the limit.
pub fn review_sql(by_id: bool, placeholder: impl Fn(usize) -> String) -> String {
    let p = placeholder;
    let which = if by_id { "p.id" } else { "p.status" };
    format!(
        "select p.id, p.run_id, p.left_id, p.right_id, p.probability, p.weight, p.explanation, p.status, \
           p.decided_by, p.created_at, \
           l.name as l_name, l.nik as l_nik, l.sex as l_sex, l.birth_date as l_birth, lh.village_code as l_village, lh.id as l_household, \
           r.name as r_name, r.nik as r_nik, r.sex as r_sex, r.birth_date as r_birth, rh.village_code as r_village, rh.id as r_household \
         from link_pairs p \
           join individuals l on l.id = p.left_id join households lh on lh.id = l.household_id \
           join individuals r on r.id = p.right_id join households rh on rh.id = r.household_id \
         where {which} = {} and lh.village_code >= {} and lh.village_code < {} \
           and rh.village_code >= {} and rh.village_code < {} \
         order by p.probability desc, p.id limit {}",
        p(1),
        p(2),
        p(3),
        p(4),
        p(5),
        p(6)
    )
}
