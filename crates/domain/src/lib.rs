//! The words of the register, as types that parse.
//!
//! Nothing in this crate does I/O. Every identifier that arrives from a file, a form or a
//! database goes through one of these constructors, so the rest of the code can rely on
//! its shape (a [`Nik`] always has 16 digits and a valid birth date, a [`RegionCode`]
//! always has a level and a parent).

pub mod audit;
mod coded;
mod digits;
pub mod names;
pub mod nik;
pub mod nokk;
pub mod person;
pub mod region;
pub mod register;
pub mod role;
pub mod verval;
pub mod welfare;

pub use audit::AuditAction;
pub use names::search_key;
pub use nik::{Nik, NikError};
pub use nokk::{NoKk, NoKkError};
pub use person::{LifeStatus, MaritalStatus, ParseEnumError, Relationship, Sex};
pub use region::{RegionCode, RegionCodeError, RegionLevel};
pub use register::{
    Address, DesilAssessment, Household, HouseholdId, HousingConditions, Individual, IndividualId,
    StatusChange, name_key,
};
pub use role::Role;
pub use verval::{CRITERIA, VisitResult, VisitState};
pub use welfare::{Desil, DesilError, DesilSource, WelfareStatus};
