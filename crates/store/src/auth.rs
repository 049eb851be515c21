//! Sign-in state: sessions, API tokens and failed-login lockout. Tokens reach the store
//! only as SHA-256 hashes.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::{AuditEntry, DbResult, User};

/// A session to create at sign-in.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSession {
    pub token_hash: String,
    pub user_id: uuid::Uuid,
    /// The synchronizer token forms of this session must carry.
    pub csrf_token: String,
    pub ip: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// A live session with its (active) user.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

/// Failed sign-ins of an account and until when it is locked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoginState {
    pub failed_logins: u32,
    pub locked_until: Option<DateTime<Utc>>,
}

/// Accounts as the admin page lists them.
#[derive(Debug, Clone, PartialEq)]
pub struct UserSummary {
    pub user: User,
    pub login: LoginState,
    pub last_login_at: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait AuthStore: Send + Sync {
    /// Starts a session, clears the failure count and writes `audit`, in one transaction.
    async fn create_session(&self, session: &NewSession, audit: &AuditEntry) -> DbResult<()>;
    /// The session with this token hash if it has not expired and its user is active.
    async fn session(&self, token_hash: &str, now: DateTime<Utc>) -> DbResult<Option<Session>>;
    /// Ends a session (sign-out) and writes `audit`.
    async fn delete_session(&self, token_hash: &str, audit: &AuditEntry) -> DbResult<()>;
    /// Removes expired sessions; returns how many.
    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> DbResult<u64>;
    /// Failure count and lock of an account.
    async fn login_state(&self, user_id: uuid::Uuid) -> DbResult<LoginState>;
    /// Counts one failed sign-in, locking the account until `lock_until` when given, and
    /// writes `audit`; returns the new count.
    async fn record_login_failure(
        &self,
        user_id: uuid::Uuid,
        lock_until: Option<DateTime<Utc>>,
        audit: &AuditEntry,
    ) -> DbResult<u32>;
    /// Stores an API token for a user and writes `audit`.
    async fn create_api_token(
        &self,
        token_hash: &str,
        user_id: uuid::Uuid,
        label: &str,
        audit: &AuditEntry,
    ) -> DbResult<()>;
    /// The active user owning an unrevoked API token.
    async fn user_by_api_token(&self, token_hash: &str) -> DbResult<Option<User>>;
    /// Every account, by username.
    async fn list_users(&self) -> DbResult<Vec<UserSummary>>;
}
