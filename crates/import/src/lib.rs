//! Files into validated domain rows, without touching the database. A file is read in
//! full and every bad row is reported with its line; the caller writes nothing unless
//! the whole file is good (for region lists) or writes only the good rows (for registers).

pub mod regions;
mod report;

pub use report::{FileError, RowError};
