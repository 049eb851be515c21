//! Record linkage for Indonesian registers, pure (no database, no web, no async): a
//! Fellegi–Sunter model over comparisons with levels, blocking, u from random pairs, m by
//! EM, term-frequency adjustment, clustering with a review band, and an explanation of
//! every score. `docs/design/0003-linkage.md` gives the reasons.
//!
//! Flow: [`config::Config`] + [`table::Dataset`] → [`linker::run`] → [`linker::Linkage`]
//! (pairs, clusters, review band, explanations) → [`output`] CSV writers.

pub mod blocking;
pub mod cluster;
pub mod compare;
pub mod config;
pub mod dates;
pub mod derived;
pub mod em;
pub mod error;
pub mod hashing;
pub mod level;
pub mod linker;
pub mod model;
pub mod normalize;
pub mod output;
pub mod phonetic;
pub mod place;
pub mod prepared;
mod read;
pub mod score;
pub mod similarity;
pub mod table;

pub use config::Config;
pub use error::LinkError;
pub use linker::{Linkage, run};
pub use table::Dataset;

#[cfg(test)]
mod compare_tests;
#[cfg(test)]
mod tests;
