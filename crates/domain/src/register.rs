//! The register's entities: households (KK), their members (NIK) and the status history.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::nik::Nik;
use crate::nokk::NoKk;
use crate::person::{LifeStatus, MaritalStatus, Relationship, Sex};
use crate::region::RegionCode;
use crate::welfare::{Desil, DesilSource, WelfareStatus};

/// Identifies a household for its whole life, whatever happens to its No KK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct HouseholdId(pub uuid::Uuid);

/// Identifies a person in the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IndividualId(pub uuid::Uuid);

/// Address by name by address: street or hamlet text plus RT/RW and dusun.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Address {
    /// Free text as written in the source (jalan, gang, nomor).
    pub street: String,
    /// Rukun tetangga, as written (`003`).
    pub rt: Option<String>,
    /// Rukun warga.
    pub rw: Option<String>,
    /// Dusun or lingkungan.
    pub dusun: Option<String>,
}

/// A desil together with where and when it was assigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesilAssessment {
    pub desil: Desil,
    pub source: DesilSource,
    pub year: i32,
}

/// Housing conditions (domain brief §3.3–3.4). Categorical values are lowercase codes
/// such as `tanah`, `kayu`, `seng`, `sungai`, `listrik_pln`, `kayu_bakar`, `tidak_ada`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HousingConditions {
    pub floor: Option<String>,
    pub wall: Option<String>,
    pub roof: Option<String>,
    pub water_source: Option<String>,
    pub lighting: Option<String>,
    pub cooking_fuel: Option<String>,
    pub toilet: Option<String>,
    pub ownership: Option<String>,
    pub floor_area_m2: Option<f64>,
    /// Asset codes owned (`sepeda_motor`, `kulkas`, `perahu` …).
    pub assets: Vec<String>,
}

/// A household as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Household {
    pub id: HouseholdId,
    pub no_kk: Option<NoKk>,
    pub address: Address,
    pub village: RegionCode,
    /// Latitude and longitude (WGS84).
    pub coordinates: Option<(f64, f64)>,
    pub desil: Option<DesilAssessment>,
    pub housing: HousingConditions,
    pub welfare: WelfareStatus,
    /// Optimistic-concurrency version, bumped by every change.
    pub version: i64,
}

/// A member of a household.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Individual {
    pub id: IndividualId,
    pub household_id: HouseholdId,
    pub nik: Option<Nik>,
    pub name: String,
    pub sex: Sex,
    pub birth_place: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub relationship: Relationship,
    pub marital_status: Option<MaritalStatus>,
    pub education: Option<String>,
    pub occupation: Option<String>,
    /// Kind of disability, if any (`fisik`, `netra`, `rungu`, `mental` …).
    pub disability: Option<String>,
    pub chronic_illness: Option<String>,
    pub life_status: LifeStatus,
    pub deceased_on: Option<NaiveDate>,
    pub moved: bool,
    pub version: i64,
}

/// One append-only entry of a household's welfare-status history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    pub household_id: HouseholdId,
    /// `None` for the first entry.
    pub from: Option<WelfareStatus>,
    pub to: WelfareStatus,
    pub effective_on: NaiveDate,
    /// Why (`Data P3KE 2022`, `Verval Februari 2024` …).
    pub reason: String,
    /// Who: a username or a system actor such as `import:<batch>`.
    pub actor: String,
    /// A document reference (berita acara number, SK).
    pub reference: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

/// The key a name is indexed and searched by: uppercase letters and digits, single spaces.
/// (The linkage crate's normalisation goes further: titles, old spellings, phonetics.)
pub fn name_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_uppercase));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn name_key_folds_case_and_punctuation() {
        assert_eq!(super::name_key("  Hj. Siti  nur'aini "), "HJ SITI NUR AINI");
        assert_eq!(super::name_key("M. Rusdi"), "M RUSDI");
    }
}
