use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sipmas_store::{
    AuditEntry, AuthStore, DbResult, LoginState, NewSession, Session, User, UserSummary,
};

use crate::rows::get;
use crate::users::{USER_COLUMNS, user};
use crate::{SqliteStore, audit, err};

fn login_state(r: &sqlx::sqlite::SqliteRow) -> DbResult<LoginState> {
    Ok(LoginState {
        failed_logins: u32::try_from(get::<i64>(r, "failed_logins")?).unwrap_or(u32::MAX),
        locked_until: get(r, "locked_until")?,
    })
}

#[async_trait]
impl AuthStore for SqliteStore {
    async fn create_session(&self, s: &NewSession, entry: &AuditEntry) -> DbResult<()> {
        let mut tx = self.pool.begin().await.map_err(err)?;
        let now = Utc::now();
        sqlx::query(
            "insert into sessions (token_hash, user_id, csrf_token, ip, created_at, expires_at) \
             values (?, ?, ?, ?, ?, ?)",
        )
        .bind(&s.token_hash)
        .bind(s.user_id.to_string())
        .bind(&s.csrf_token)
        .bind(&s.ip)
        .bind(now)
        .bind(s.expires_at)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        sqlx::query(
            "update users set failed_logins = 0, locked_until = null, last_login_at = ? where id = ?",
        )
        .bind(now)
        .bind(s.user_id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)
    }

    async fn session(&self, token_hash: &str, now: DateTime<Utc>) -> DbResult<Option<Session>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {USER_COLUMNS}, csrf_token, expires_at from sessions join users on users.id = sessions.user_id \
             where token_hash = ? and expires_at > ? and active = 1"
        )))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.map(|r| {
            Ok(Session {
                user: user(&r)?,
                csrf_token: get(&r, "csrf_token")?,
                expires_at: get(&r, "expires_at")?,
            })
        })
        .transpose()
    }

    async fn delete_session(&self, token_hash: &str, entry: &AuditEntry) -> DbResult<()> {
        let mut tx = self.pool.begin().await.map_err(err)?;
        sqlx::query("delete from sessions where token_hash = ?")
            .bind(token_hash)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)
    }

    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> DbResult<u64> {
        sqlx::query("delete from sessions where expires_at <= ?")
            .bind(now)
            .execute(&self.pool)
            .await
            .map(|r| r.rows_affected())
            .map_err(err)
    }

    async fn login_state(&self, user_id: uuid::Uuid) -> DbResult<LoginState> {
        let row = sqlx::query("select failed_logins, locked_until from users where id = ?")
            .bind(user_id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?;
        row.as_ref()
            .map(login_state)
            .transpose()
            .map(Option::unwrap_or_default)
    }

    async fn record_login_failure(
        &self,
        user_id: uuid::Uuid,
        lock_until: Option<DateTime<Utc>>,
        entry: &AuditEntry,
    ) -> DbResult<u32> {
        let mut tx = self.pool.begin().await.map_err(err)?;
        let failed: i64 = sqlx::query_scalar(
            "update users set failed_logins = failed_logins + 1, \
             locked_until = coalesce(?, locked_until) where id = ? returning failed_logins",
        )
        .bind(lock_until)
        .bind(user_id.to_string())
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)?;
        Ok(u32::try_from(failed).unwrap_or(u32::MAX))
    }

    async fn create_api_token(
        &self,
        token_hash: &str,
        user_id: uuid::Uuid,
        label: &str,
        entry: &AuditEntry,
    ) -> DbResult<()> {
        let mut tx = self.pool.begin().await.map_err(err)?;
        sqlx::query(
            "insert into api_tokens (token_hash, user_id, label, created_at) values (?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(user_id.to_string())
        .bind(label)
        .bind(Utc::now())
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)
    }

    async fn user_by_api_token(&self, token_hash: &str) -> DbResult<Option<User>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {USER_COLUMNS} from api_tokens join users on users.id = api_tokens.user_id \
             where token_hash = ? and revoked_at is null and active = 1"
        )))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.as_ref().map(user).transpose()
    }

    async fn list_users(&self) -> DbResult<Vec<UserSummary>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {USER_COLUMNS}, failed_logins, locked_until, last_login_at from users order by username"
        )))
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(UserSummary {
                    user: user(r)?,
                    login: login_state(r)?,
                    last_login_at: get(r, "last_login_at")?,
                })
            })
            .collect()
    }
}
