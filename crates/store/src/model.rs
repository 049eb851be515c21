//! Plain data crossing the storage seam.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sipmas_domain::{
    AuditAction, Household, HouseholdId, Individual, IndividualId, RegionCode, RegionLevel, Role,
    StatusChange,
};

/// A region to save; level and parent follow from the code.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionRecord {
    pub code: RegionCode,
    pub name: String,
}

/// A stored region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Region {
    pub code: RegionCode,
    pub name: String,
    pub level: RegionLevel,
    pub parent: Option<RegionCode>,
    pub population: Option<i64>,
    pub population_male: Option<i64>,
    pub population_female: Option<i64>,
}

/// Population of one region (Dukcapil semester figures).
#[derive(Debug, Clone, PartialEq)]
pub struct PopulationRecord {
    pub code: RegionCode,
    pub male: i64,
    pub female: i64,
    pub total: i64,
}

/// A household with its members and history, for bulk insertion.
#[derive(Debug, Clone)]
pub struct HouseholdBundle {
    pub household: Household,
    pub members: Vec<Individual>,
    pub history: Vec<StatusChange>,
}

/// Headline counts of the register.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RegisterCounts {
    pub households: u64,
    pub individuals: u64,
    pub extreme_poor_households: u64,
    pub extreme_poor_individuals: u64,
}

/// Extremely poor households and people at a date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PovertyCount {
    pub households: u64,
    pub individuals: u64,
}

/// One import of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportBatch {
    pub id: uuid::Uuid,
    /// Data set: `p3ke`, `dtsen`, `generic` …
    pub source: String,
    pub file_name: String,
    pub rows_read: i64,
    pub actor: String,
    pub started_at: DateTime<Utc>,
}

/// One row of a source file, kept verbatim (as JSON) with where it came from and what it became.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRecord {
    pub batch_id: uuid::Uuid,
    pub line: i64,
    pub household_id: Option<HouseholdId>,
    pub individual_id: Option<IndividualId>,
    pub payload: String,
}

/// A user account.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: uuid::Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Kemendagri prefix the user may see; `None` means the whole register.
    pub region_scope: Option<RegionCode>,
    /// Argon2id PHC string.
    pub password_hash: Option<String>,
    /// Whether NIK and No KK are shown unmasked.
    pub full_view: bool,
    pub active: bool,
    pub version: i64,
}

/// An audit event to write alongside a change.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub actor: String,
    pub action: AuditAction,
    /// What it concerns: a household id, a file name, a username.
    pub subject: Option<String>,
    /// JSON detail; never NIK, No KK or names in clear.
    pub detail: Option<String>,
    pub ip: Option<String>,
}

impl AuditEntry {
    /// An event by `actor` with no subject yet.
    pub fn new(actor: impl Into<String>, action: AuditAction) -> Self {
        Self {
            actor: actor.into(),
            action,
            subject: None,
            detail: None,
            ip: None,
        }
    }

    /// With a subject.
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// With JSON detail.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// A stored audit event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRecord {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub subject: Option<String>,
    pub detail: Option<String>,
    pub ip: Option<String>,
}

/// A table and its columns as the backend reports them, types folded into families
/// (`text`, `integer`, `real`) so SQLite and PostgreSQL can be compared.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct TableSchema {
    pub table: String,
    /// (column, type family, nullable), sorted by column name.
    pub columns: Vec<(String, String, bool)>,
    /// Index names, sorted (primary-key indexes excluded).
    pub indexes: Vec<String>,
    /// Foreign keys as `column -> table(column)`, sorted.
    pub foreign_keys: Vec<String>,
}
