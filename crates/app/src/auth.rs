//! Accounts and sign-in: argon2id passwords, sessions and API tokens kept as SHA-256
//! hashes, and a temporary lock after repeated failures.

use std::sync::{Arc, LazyLock};

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sipmas_domain::{AuditAction, RegionCode, RegionLevel, Role};
use sipmas_store::{AuditEntry, DbError, NewSession, Store, User};
use tokio::sync::Semaphore;

use crate::AppError;
use crate::access::Access;

/// How long a session lasts from sign-in (one working day).
pub const SESSION_HOURS: i64 = 10;
/// Failed sign-ins in a row before the account is locked.
pub const MAX_FAILURES: u32 = 5;
/// How long the lock lasts.
pub const LOCK_MINUTES: i64 = 15;
/// Shortest password accepted for a new account.
pub const MIN_PASSWORD_LEN: usize = 10;

/// Each verification costs ~19 MB and tens of ms of CPU: at most two at once on a
/// two-core server, so a burst of sign-ins cannot starve every other request.
static HASHING: LazyLock<Arc<Semaphore>> = LazyLock::new(|| Arc::new(Semaphore::new(2)));

/// Verified against when the username is unknown, so both answers take as long.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_blocking(&new_token()).unwrap_or_default());

fn hash_blocking(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Invalid(format!("kata sandi tidak dapat di-hash: {e}")))
}

/// An argon2id PHC string for `password` (off the async runtime).
pub async fn hash_password(password: String) -> Result<String, AppError> {
    let _permit = HASHING.clone().acquire_owned().await;
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| AppError::Invalid(e.to_string()))?
}

/// Verifies on the blocking pool; the caller holds a `HASHING` permit.
async fn verify(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await
    .unwrap_or(false)
}

/// 256 random bits, URL-safe: session cookies, CSRF tokens, API tokens.
pub fn new_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    URL_SAFE_NO_PAD.encode(b)
}

/// What the store keeps of a token.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new session, to be set as a cookie.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub token: String,
    pub csrf: String,
    pub expires_at: DateTime<Utc>,
    pub access: Access,
}

/// How a sign-in ended.
#[derive(Debug)]
pub enum LoginOutcome {
    SignedIn(Box<SignedIn>),
    /// Wrong username or password (never which of the two).
    Refused,
    /// Too many failures; try again after this time.
    Locked(DateTime<Utc>),
}

/// Checks a username and password and starts a fresh session (a new token every time:
/// a session id known before sign-in is never promoted).
pub async fn login(
    store: &dyn Store,
    username: &str,
    password: &str,
    ip: Option<String>,
) -> Result<LoginOutcome, AppError> {
    // The permit is held from the lock check to the recorded failure: a burst of
    // simultaneous guesses waits here and sees the lock the earlier ones set.
    let _permit = HASHING.clone().acquire_owned().await;
    let now = Utc::now();
    let user = store.user_by_username(username).await?.filter(|u| u.active);
    let Some(user) = user else {
        verify(password.to_owned(), DUMMY_HASH.clone()).await;
        return Ok(LoginOutcome::Refused);
    };
    let state = store.login_state(user.id).await?;
    if let Some(until) = state.locked_until.filter(|t| *t > now) {
        return Ok(LoginOutcome::Locked(until));
    }
    let hash = user
        .password_hash
        .clone()
        .unwrap_or_else(|| DUMMY_HASH.clone());
    let mut entry = AuditEntry::new(user.username.clone(), AuditAction::LoginFailed);
    entry.ip.clone_from(&ip);
    if !verify(password.to_owned(), hash).await || user.password_hash.is_none() {
        // The lock starts at the MAX_FAILURES-th failure in a row; a success resets the count.
        let lock = (state.failed_logins + 1 >= MAX_FAILURES)
            .then(|| now + Duration::minutes(LOCK_MINUTES));
        store.record_login_failure(user.id, lock, &entry).await?;
        return Ok(match lock {
            Some(until) => LoginOutcome::Locked(until),
            None => LoginOutcome::Refused,
        });
    }
    let token = new_token();
    let csrf = new_token();
    let expires_at = now + Duration::hours(SESSION_HOURS);
    entry.action = AuditAction::LoggedIn;
    store
        .create_session(
            &NewSession {
                token_hash: token_hash(&token),
                user_id: user.id,
                csrf_token: csrf.clone(),
                ip: ip.clone(),
                expires_at,
            },
            &entry,
        )
        .await?;
    Ok(LoginOutcome::SignedIn(Box::new(SignedIn {
        token,
        csrf,
        expires_at,
        access: Access::of(&user, ip),
    })))
}

/// The signed-in user of a session cookie, with the session's CSRF token.
pub async fn session(
    store: &dyn Store,
    token: &str,
    ip: Option<String>,
) -> Result<Option<(Access, String)>, AppError> {
    let s = store.session(&token_hash(token), Utc::now()).await?;
    Ok(s.map(|s| (Access::of(&s.user, ip), s.csrf_token)))
}

/// Ends a session.
pub async fn logout(store: &dyn Store, token: &str, access: &Access) -> Result<(), AppError> {
    store
        .delete_session(&token_hash(token), &access.audit(AuditAction::LoggedOut))
        .await
        .map_err(Into::into)
}

/// The user of a bearer token.
pub async fn token_access(
    store: &dyn Store,
    token: &str,
    ip: Option<String>,
) -> Result<Option<Access>, AppError> {
    let user = store.user_by_api_token(&token_hash(token)).await?;
    Ok(user.map(|u| Access::of(&u, ip)))
}

/// A new account as the admin page or `sipmas users add` describes it.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub region: Option<RegionCode>,
    pub full_view: bool,
    pub password: String,
}

/// Checks and creates an account. Village operators need a village, district supervisors
/// a kecamatan; the region must be in the database.
pub async fn add_user(store: &dyn Store, new: NewUser, actor: &str) -> Result<User, AppError> {
    let name = new.username.trim();
    if name.len() < 3
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(AppError::Invalid(
            "nama pengguna: 3–64 huruf, angka, titik, garis bawah atau tanda hubung".into(),
        ));
    }
    if new.password.chars().count() < MIN_PASSWORD_LEN {
        return Err(AppError::Invalid(format!(
            "kata sandi minimal {MIN_PASSWORD_LEN} karakter"
        )));
    }
    let needed = match new.role {
        Role::Desa => Some(RegionLevel::Village),
        Role::Kecamatan => Some(RegionLevel::District),
        _ => None,
    };
    if let Some(level) = needed
        && new.region.as_ref().map(RegionCode::level) != Some(level)
    {
        return Err(AppError::Invalid(format!(
            "peran {} memerlukan wilayah tingkat {}",
            new.role.code(),
            level.label_id()
        )));
    }
    if let Some(code) = &new.region
        && store.region(code).await?.is_none()
    {
        return Err(AppError::Invalid(format!(
            "wilayah {} tidak ada di basis data",
            code.dotted()
        )));
    }
    let user = User {
        id: uuid::Uuid::new_v4(),
        username: name.to_owned(),
        display_name: if new.display_name.trim().is_empty() {
            name.to_owned()
        } else {
            new.display_name.trim().to_owned()
        },
        role: new.role,
        region_scope: new.region.clone(),
        password_hash: Some(hash_password(new.password).await?),
        full_view: new.full_view,
        active: true,
        version: 1,
    };
    let entry = AuditEntry::new(actor, AuditAction::UserCreated)
        .subject(user.username.clone())
        .detail(
            serde_json::json!({
                "role": user.role.code(),
                "region": user.region_scope.as_ref().map(RegionCode::dotted),
                "full_view": user.full_view,
            })
            .to_string(),
        );
    match store.create_user(&user, &entry).await {
        Err(DbError::Conflict(_)) => Err(AppError::Invalid(format!(
            "nama pengguna {} sudah dipakai",
            user.username
        ))),
        other => other.map(|()| user).map_err(Into::into),
    }
}

/// Issues an API token for `username`; the token is shown once and stored only hashed.
pub async fn create_token(
    store: &dyn Store,
    username: &str,
    label: &str,
    actor: &str,
) -> Result<String, AppError> {
    let user = store
        .user_by_username(username)
        .await?
        .ok_or(AppError::NotFound)?;
    let token = new_token();
    let entry = AuditEntry::new(actor, AuditAction::ApiTokenCreated)
        .subject(user.username.clone())
        .detail(serde_json::json!({ "label": label }).to_string());
    store
        .create_api_token(&token_hash(&token), user.id, label, &entry)
        .await?;
    Ok(token)
}
