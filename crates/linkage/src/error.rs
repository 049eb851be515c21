//! The one error type of the linkage crate: every message names the file and what to fix,
//! because the person reading it is an operator at a district office, not a developer.

use std::path::PathBuf;

/// Anything that stops a linkage run before it writes a result.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// The TOML config could not be parsed or is inconsistent.
    #[error("config: {0}")]
    Config(String),
    /// A column the config names is not in a file's header.
    #[error(
        "{file}: column `{column}` named in the config is not in the header (columns: {header})"
    )]
    MissingColumn {
        file: PathBuf,
        column: String,
        header: String,
    },
    /// The file has no header or no data rows.
    #[error("{file}: the file is empty (no header or no records)")]
    Empty { file: PathBuf },
    /// The file is not readable as CSV (binary, wrong encoding, ragged rows).
    #[error("{file}: not a CSV file: {message}")]
    NotCsv { file: PathBuf, message: String },
    /// The same id appears twice in one file.
    #[error("{file}: id `{id}` appears more than once (records {first} and {second})")]
    DuplicateId {
        file: PathBuf,
        id: String,
        first: usize,
        second: usize,
    },
    /// A record has an empty id.
    #[error("{file}: record {record} has an empty id")]
    EmptyId { file: PathBuf, record: usize },
    /// The run was asked for something the engine cannot do (e.g. three inputs).
    #[error("{0}")]
    Invalid(String),
    /// Reading a file failed.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}
