//! The import seam: one transaction per batch, so a batch is either absent or complete.
//! The use-case (`sipmas-app`) decides what changes; a backend only looks up and writes.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sipmas_domain::{Household, HouseholdId, Individual, IndividualId, StatusChange};

use crate::{AuditEntry, DbResult, SourceRecord};

/// Registers holding fewer people than this have their secondary indexes (and, on
/// PostgreSQL, the foreign keys among the register tables) set aside during an import and
/// restored before it commits, rather than kept up to date row by row. The size of the
/// file is not known when the import begins, so the bound is low: a small monthly update
/// into such a register pays a rebuild of a tenth of a second, and the first load of P3KE
/// into an empty register gains the most.
pub const DEFER_BELOW_PEOPLE: i64 = 20_000;

/// A finished import batch with its counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BatchSummary {
    pub id: uuid::Uuid,
    /// Data set the rows came from (`p3ke`, `dtsen`, a mapping's `source`).
    pub source: String,
    /// `--format` used.
    pub format: String,
    pub file_name: String,
    /// SHA-256 of the file, hex: the same file imported again is recognised.
    pub file_sha256: String,
    /// The file's header row; source records keep cells in this order.
    #[serde(skip)]
    pub headers: Vec<String>,
    pub actor: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub rows_read: i64,
    pub rows_imported: i64,
    pub rows_rejected: i64,
    pub rows_warned: i64,
    pub households_created: i64,
    pub households_updated: i64,
    pub individuals_created: i64,
    pub individuals_updated: i64,
    pub individuals_missing: i64,
    pub report: Option<String>,
}

/// What a chunk of rows may match in the register.
#[derive(Debug, Clone, Default)]
pub struct ImportLookup {
    pub source: String,
    pub family_keys: Vec<String>,
    /// No KK of families whose key is unknown to this source.
    pub no_kks: Vec<String>,
    pub person_keys: Vec<String>,
    pub niks: Vec<String>,
}

impl ImportLookup {
    /// Nothing to look up.
    pub fn is_empty(&self) -> bool {
        self.family_keys.is_empty()
            && self.no_kks.is_empty()
            && self.person_keys.is_empty()
            && self.niks.is_empty()
    }
}

/// The indexes only an import's lookups read: `individuals` by NIK and `households` by
/// No KK. A fresh session (see [`ImportSession::fresh`]) drops them as it begins and builds
/// each again, sorted, when a lookup first asks for its column, or else before it commits:
/// the first load of a clean export, which asks for neither, never updates them row by row
/// (each takes a random B-tree insertion per row; a million-row first load was 4–6 s
/// faster without them). A dirty file pays one early build and continues as before.
#[derive(Debug, Default)]
pub struct LookupIndexes {
    /// `create index` statement of the NIK index, while it is dropped.
    pub nik: Option<String>,
    /// `create index` statement of the No KK index, while it is dropped.
    pub no_kk: Option<String>,
}

impl LookupIndexes {
    pub const NIK: &'static str = "individuals_nik_idx";
    pub const NO_KK: &'static str = "households_no_kk_idx";

    /// The statements `q` needs run before it is looked up, no longer left for the commit.
    pub fn needed_by(&mut self, q: &ImportLookup) -> Vec<String> {
        self.take(!q.niks.is_empty(), !q.no_kks.is_empty())
    }

    /// The statements to run before `w` updates rows of their tables. PostgreSQL does not
    /// let a transaction use an index it built after its own HOT updates of the table
    /// (`pg_index.indcheckxmin`), and with these indexes set aside any update of a
    /// household or person is HOT when its page has room: built afterwards, the index
    /// would serve none of the batch's later lookups.
    pub fn needed_by_write(&mut self, w: &ImportWrite) -> Vec<String> {
        self.take(
            !w.member_updates.is_empty(),
            !w.household_updates.is_empty(),
        )
    }

    /// Every statement still to run, for the commit.
    pub fn rest(&mut self) -> Vec<String> {
        self.take(true, true)
    }

    /// The statements of the indexes asked for that are still set aside, no longer left
    /// for later.
    fn take(&mut self, nik: bool, no_kk: bool) -> Vec<String> {
        let nik = nik.then(|| self.nik.take()).flatten();
        let no_kk = no_kk.then(|| self.no_kk.take()).flatten();
        nik.into_iter().chain(no_kk).collect()
    }
}

/// What the register already holds for a chunk.
#[derive(Debug, Clone, Default)]
pub struct ImportExisting {
    /// This source's family key → household.
    pub families: HashMap<String, HouseholdId>,
    /// No KK → households carrying it.
    pub by_no_kk: HashMap<String, Vec<HouseholdId>>,
    /// Every household found above, with its members.
    pub households: HashMap<HouseholdId, (Household, Vec<Individual>)>,
    /// This source's person key → person.
    pub persons: HashMap<String, IndividualId>,
    /// NIK → (person, household) for everyone carrying one of the chunk's NIKs.
    pub nik_owners: HashMap<String, Vec<(IndividualId, HouseholdId)>>,
}

/// One changed value, kept forever in the household's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub household_id: HouseholdId,
    pub individual_id: Option<IndividualId>,
    /// `households.desil`, `individuals.name` …
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub batch_id: Option<uuid::Uuid>,
    /// The verval campaign whose approved visit made the change.
    pub campaign_id: Option<uuid::Uuid>,
    pub actor: String,
    pub recorded_at: DateTime<Utc>,
}

/// Something a person must look at: a family without a head, a NIK in two families,
/// someone missing from a newer export.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegisterFlag {
    pub household_id: Option<HouseholdId>,
    pub individual_id: Option<IndividualId>,
    /// `no_head`, `nik_in_two_households`, `missing_from_source`.
    pub kind: String,
    pub batch_id: Option<uuid::Uuid>,
    pub detail: Option<String>,
}

/// Everything one chunk writes.
#[derive(Debug, Clone, Default)]
pub struct ImportWrite {
    pub new_households: Vec<Household>,
    pub new_members: Vec<Individual>,
    pub history: Vec<StatusChange>,
    /// Full rows of changed households and people (version already bumped).
    pub household_updates: Vec<Household>,
    pub member_updates: Vec<Individual>,
    pub new_family_keys: Vec<(String, HouseholdId)>,
    pub new_person_keys: Vec<(String, IndividualId)>,
    /// Keys already known that this batch saw again.
    pub seen_family_keys: Vec<String>,
    pub seen_person_keys: Vec<String>,
    pub sources: Vec<SourceRecord>,
    pub changes: Vec<FieldChange>,
    pub flags: Vec<RegisterFlag>,
}

/// People of this source in the villages this batch covered whom the batch did not list.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingPerson {
    pub individual_id: IndividualId,
    pub household_id: HouseholdId,
    pub key: String,
}

/// A batch being written inside one transaction. Dropping it without `commit` rolls back.
#[async_trait]
pub trait ImportSession: Send {
    /// The register held no household when the batch began, and no other session can
    /// write to it before this one ends: whatever a lookup could find, this batch wrote.
    /// The importer then asks only about values it has written itself.
    fn fresh(&self) -> bool;
    /// What the register holds for a chunk (including rows written earlier in this batch).
    async fn lookup(&mut self, q: &ImportLookup) -> DbResult<ImportExisting>;
    /// Writes one chunk.
    async fn write(&mut self, w: &ImportWrite) -> DbResult<()>;
    /// Households this batch created or updated that have no living head.
    async fn households_without_head(&mut self) -> DbResult<Vec<HouseholdId>>;
    /// People of this batch's source in the villages it touched that it did not see.
    async fn missing_persons(&mut self) -> DbResult<Vec<MissingPerson>>;
    /// Records the flags and the batch's final counts, writes `audit`, and commits.
    async fn commit(
        self: Box<Self>,
        summary: &BatchSummary,
        flags: &[RegisterFlag],
        audit: &AuditEntry,
    ) -> DbResult<()>;
    /// Throws the batch away (dry runs).
    async fn rollback(self: Box<Self>) -> DbResult<()>;
}

/// Import batches.
#[async_trait]
pub trait ImportStore: Send + Sync {
    /// Opens a transaction and records the batch in it. A `dry_run` will be rolled back:
    /// the backend then keeps its indexes and keys as they are (they would only be
    /// dropped and never restored, and on PostgreSQL readers would wait for nothing).
    async fn begin_import(
        &self,
        batch: &BatchSummary,
        dry_run: bool,
    ) -> DbResult<Box<dyn ImportSession>>;
    /// The committed batch of this source with this file hash, if any.
    async fn batch_by_hash(&self, source: &str, sha256: &str) -> DbResult<Option<BatchSummary>>;
    /// Most recent batches first.
    async fn import_batches(&self, limit: u32) -> DbResult<Vec<BatchSummary>>;
    /// The history of field changes of a household, oldest first.
    async fn field_changes(&self, household: HouseholdId) -> DbResult<Vec<FieldChange>>;
    /// Open flags of a kind (`None`: all), newest first.
    async fn register_flags(&self, kind: Option<&str>, limit: u32) -> DbResult<Vec<RegisterFlag>>;
}
