//! Importing a register file (P3KE, DTSEN, any mapped CSV/XLSX): validate every row, keep
//! the good ones, report the bad ones beside the file, and apply the batch in one
//! transaction so that it is either absent or complete.

mod apply;
mod diff;
mod merge;
mod pipeline;
mod plan;
mod writer;
mod written;

use std::path::{Path, PathBuf};

use serde::Serialize;
use sipmas_import::{FileError, Mapping};
use sipmas_store::BatchSummary;

pub use pipeline::run;
pub use plan::{Counts, status_for};
pub use sipmas_import::Format;

use crate::AppError;

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub format: Format,
    /// Required for `Format::Generic`.
    pub mapping: Option<PathBuf>,
    /// Validate and count everything, then roll back.
    pub dry_run: bool,
    /// Import even a file already imported (its rows change nothing that is unchanged).
    pub force: bool,
    pub sheet: Option<String>,
    pub actor: String,
}

/// The summary `--json` prints.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportSummary {
    pub file: String,
    pub rows_read: i64,
    pub rows_imported: i64,
    pub rows_rejected: i64,
    pub rows_warned: i64,
    pub households_created: i64,
    pub households_updated: i64,
    pub individuals_created: i64,
    pub individuals_updated: i64,
    /// People of this source and region that the file no longer lists (flagged, not removed).
    pub individuals_missing: i64,
    pub batch_id: Option<uuid::Uuid>,
    /// The row report beside the input, when any row was rejected or warned about.
    pub report: Option<String>,
    pub dry_run: bool,
    /// The same file was imported before as `batch_id`; nothing was done.
    pub already_imported: bool,
}

impl ImportSummary {
    pub(crate) fn from_batch(b: &BatchSummary, file: &Path) -> Self {
        Self {
            file: file.display().to_string(),
            rows_read: b.rows_read,
            rows_imported: b.rows_imported,
            rows_rejected: b.rows_rejected,
            rows_warned: b.rows_warned,
            households_created: b.households_created,
            households_updated: b.households_updated,
            individuals_created: b.individuals_created,
            individuals_updated: b.individuals_updated,
            individuals_missing: b.individuals_missing,
            batch_id: Some(b.id),
            report: b.report.clone(),
            dry_run: false,
            already_imported: false,
        }
    }
}

/// The mapping for `opts`: built in, or read from the mapping file.
pub fn mapping_for(opts: &ImportOptions) -> Result<Mapping, AppError> {
    if let Some(builtin) = Mapping::builtin(opts.format).filter(|_| opts.mapping.is_none()) {
        return Ok(builtin);
    }
    let Some(path) = &opts.mapping else {
        return Err(AppError::Invalid(
            "--format generic memerlukan --mapping FILE (buat dengan --suggest-mapping)".to_owned(),
        ));
    };
    let text = std::fs::read_to_string(path).map_err(|e| AppError::File {
        path: path.display().to_string(),
        error: FileError::Io(e.to_string()),
    })?;
    Mapping::from_toml(&text).map_err(|error| AppError::File {
        path: path.display().to_string(),
        error,
    })
}

/// A starting mapping file for `input`.
pub fn suggest_mapping(input: &Path, sheet: Option<&str>) -> Result<String, AppError> {
    let headers = sipmas_import::headers_of(input, sheet).map_err(|error| AppError::File {
        path: input.display().to_string(),
        error,
    })?;
    let source = input
        .file_stem()
        .map(|s| {
            s.to_string_lossy()
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect::<String>()
        })
        .unwrap_or_else(|| "lokal".to_owned());
    Ok(sipmas_import::mapping::suggest(&headers, &source))
}
