//! The storage seam: intent-named traits per aggregate, one small error type, and the
//! settings that pick a backend from a URL. Implemented by `sipmas-store-sqlite` and
//! `sipmas-store-postgres`; nothing above this crate knows which one it talks to.

mod auth;
mod browse;
pub mod columns;
pub mod dashboard;
mod error;
mod import;
mod link;
mod model;
pub mod provenance;
mod settings;
mod verval;
mod visit;

use async_trait::async_trait;
use chrono::NaiveDate;
use sipmas_domain::{Household, HouseholdId, Individual, Nik, NoKk, RegionCode, StatusChange};

pub use auth::*;
pub use browse::*;
pub use error::DbError;
pub use import::*;
pub use link::*;
pub use model::*;
pub use settings::{DbKind, DbSettings};
pub use verval::*;
pub use visit::*;

/// Result of every store call.
pub type DbResult<T> = Result<T, DbError>;

/// The Kemendagri region tree.
#[async_trait]
pub trait RegionStore: Send + Sync {
    /// Every stored region's code (dotted) with its name and `tingkat`, to diff an import against.
    async fn region_index(&self) -> DbResult<Vec<(String, String, u8)>>;
    /// Inserts or updates regions (parents before children) and writes `audit`, in one transaction.
    async fn save_regions(&self, regions: &[RegionRecord], audit: &AuditEntry) -> DbResult<()>;
    /// Sets population figures; returns how many regions were updated.
    async fn save_population(&self, rows: &[PopulationRecord], audit: &AuditEntry)
    -> DbResult<u64>;
    /// One region.
    async fn region(&self, code: &RegionCode) -> DbResult<Option<Region>>;
    /// Children of a region, or the provinces when `parent` is `None`, ordered by code.
    async fn child_regions(&self, parent: Option<&RegionCode>) -> DbResult<Vec<Region>>;
    /// Regions stored per level: provinsi, kabupaten/kota, kecamatan, desa/kelurahan.
    async fn count_regions_by_level(&self) -> DbResult<[u64; 4]>;
}

/// Households, their members and their status history.
#[async_trait]
pub trait RegisterStore: Send + Sync {
    /// Bulk-inserts whole households (with members and history) in one transaction.
    async fn insert_households(
        &self,
        bundles: &[HouseholdBundle],
        audit: &AuditEntry,
    ) -> DbResult<()>;
    /// One household.
    async fn household(&self, id: HouseholdId) -> DbResult<Option<Household>>;
    /// Members of a household, head first.
    async fn members(&self, id: HouseholdId) -> DbResult<Vec<Individual>>;
    /// The status history of a household, oldest first.
    async fn status_history(&self, id: HouseholdId) -> DbResult<Vec<StatusChange>>;
    /// Everyone carrying this NIK (more than one means a duplicate to resolve).
    async fn individuals_by_nik(&self, nik: &Nik) -> DbResult<Vec<Individual>>;
    /// Households carrying this No KK.
    async fn households_by_no_kk(&self, no_kk: &NoKk) -> DbResult<Vec<Household>>;
    /// Appends a status change if the household is still at `expected_version`; returns the
    /// new version, or `DbError::Conflict` when someone else changed it first.
    async fn change_status(
        &self,
        expected_version: i64,
        change: &StatusChange,
        audit: &AuditEntry,
    ) -> DbResult<i64>;
}

/// Counts for dashboards and `sipmas stats`.
#[async_trait]
pub trait StatsStore: Send + Sync {
    /// Current totals, optionally within a region.
    async fn register_counts(&self, within: Option<&RegionCode>) -> DbResult<RegisterCounts>;
    /// Extremely poor households and living people as the status history stood on `date`.
    async fn extreme_poor_on(
        &self,
        within: Option<&RegionCode>,
        date: NaiveDate,
    ) -> DbResult<PovertyCount>;
    /// Recomputes the dashboard figures of these villages (every village when `None`)
    /// from the register and its status history, as of `today`.
    async fn refresh_village_stats(
        &self,
        villages: Option<&[RegionCode]>,
        today: NaiveDate,
    ) -> DbResult<()>;
    /// Dashboard figures within a region from the per-village table, grouped by the
    /// first `prefix_len` characters of the village code (0: one total).
    async fn dashboard_counts(
        &self,
        within: Option<&RegionCode>,
        prefix_len: usize,
    ) -> DbResult<Vec<(String, RegisterCounts)>>;
    /// Extremely poor households within a region on each half-year date.
    async fn dashboard_trend(&self, within: Option<&RegionCode>)
    -> DbResult<Vec<(NaiveDate, u64)>>;
    /// Households per desil (1–10) within a region, from the per-village table.
    async fn dashboard_desil(&self, within: Option<&RegionCode>) -> DbResult<Vec<(u8, u64)>>;
}

/// Import batches and the source rows they kept.
#[async_trait]
pub trait SourceStore: Send + Sync {
    /// Records a batch and its source rows in one transaction.
    async fn record_sources(
        &self,
        batch: &ImportBatch,
        rows: &[SourceRecord],
        audit: &AuditEntry,
    ) -> DbResult<()>;
    /// Source rows that became this household or one of its members.
    async fn sources_of_household(&self, id: HouseholdId) -> DbResult<Vec<SourceRecord>>;
}

/// User accounts.
#[async_trait]
pub trait UserStore: Send + Sync {
    /// Creates a user; `DbError::Conflict` when the username is taken.
    async fn create_user(&self, user: &User, audit: &AuditEntry) -> DbResult<()>;
    /// Looks a user up by username.
    async fn user_by_username(&self, username: &str) -> DbResult<Option<User>>;
}

/// The append-only audit trail (written by the other traits in their own transactions).
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Most recent events first.
    async fn recent_audit(&self, limit: u32) -> DbResult<Vec<AuditRecord>>;
}

/// Everything a backend provides.
#[async_trait]
pub trait Store:
    RegionStore
    + RegisterStore
    + StatsStore
    + SourceStore
    + UserStore
    + AuditStore
    + ImportStore
    + LinkStore
    + AuthStore
    + BrowseStore
    + VervalStore
    + VisitStore
{
    /// Which backend this is.
    fn kind(&self) -> DbKind;
    /// Applies pending migrations.
    async fn migrate(&self) -> DbResult<()>;
    /// Tables with their columns, for comparing the two backends' schemas.
    async fn schema(&self) -> DbResult<Vec<TableSchema>>;
    /// Cheap round trip for health checks.
    async fn ping(&self) -> DbResult<()>;
    /// Closes the pool, flushing SQLite's WAL.
    async fn close(&self);
}
