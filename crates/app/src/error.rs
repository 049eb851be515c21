use sipmas_import::FileError;
use sipmas_store::DbError;

/// Errors of the use-case layer.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("{path}: {source}")]
    File { path: String, source: FileError },
    #[error("{0}")]
    Invalid(String),
}
