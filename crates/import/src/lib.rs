//! Files into validated domain rows, without touching the database. Region lists are read
//! in full and refused as a whole when any row is bad; register files (P3KE, DTSEN, any
//! mapped spreadsheet) are streamed row by row, each row kept or rejected on its own.

pub mod columns;
pub mod field;
pub mod mapping;
pub mod reader;
pub mod record;
mod record_checks;
pub mod regions;
mod report;
pub mod report_file;
pub mod table;
pub mod values;

pub use field::Field;
pub use mapping::{Format, Mapping, RowLevel};
pub use reader::{ImportReader, headers_of};
pub use record::{ImportRow, Parsed, PersonFields, Problem, Validator};
pub use report::{FileError, RowError};
