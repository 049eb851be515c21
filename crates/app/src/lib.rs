//! Use-cases over the store traits. Handlers and commands call these; they never talk to
//! a backend directly, and every change they make carries its audit event.

pub mod access;
pub mod auth;
pub mod demo;
mod error;
pub mod import;
pub mod link;
pub mod link_review;
pub mod regions;
pub mod register;
pub mod stats;
pub mod verval;

pub use error::AppError;

/// The actor recorded for changes made from the command line.
pub const CLI_ACTOR: &str = "sistem:cli";
