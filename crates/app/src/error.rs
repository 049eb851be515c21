use sipmas_import::FileError;
use sipmas_store::DbError;

/// Errors of the use-case layer.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Db(#[from] DbError),
    /// `error` is shown in the message rather than chained as a source, so that the
    /// command line prints it once.
    #[error("{path}: {error}")]
    File { path: String, error: FileError },
    #[error("{0}")]
    Invalid(String),
    /// The user's role does not allow this. Records outside their region are `NotFound`
    /// instead, so a guessed id tells nothing.
    #[error("akses ditolak")]
    Forbidden,
    /// Not there, or not within the user's region.
    #[error("tidak ditemukan")]
    NotFound,
    /// Someone else acted first (the message says what changed); nothing was written.
    #[error("{0}")]
    Conflict(String),
}
