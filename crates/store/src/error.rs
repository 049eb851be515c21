/// Errors at the storage boundary. Messages are meant for operators: they never contain
/// personal data or database passwords.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    /// A version mismatch or a unique constraint: someone else got there first.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The URL names no supported backend or cannot be parsed.
    #[error("invalid database URL: {0}")]
    InvalidUrl(String),
    /// The database could not be reached or opened.
    #[error("cannot open database: {0}")]
    Unreachable(String),
    /// Stored data that does not parse into domain types (a bug or manual tampering).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Other(String),
}
