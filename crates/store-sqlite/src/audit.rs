use async_trait::async_trait;
use chrono::Utc;
use sipmas_store::{AuditEntry, AuditRecord, AuditStore, DbResult};
use sqlx::SqliteConnection;

use crate::rows::get;
use crate::{SqliteStore, err};

/// Writes an audit event on the caller's connection, so it commits or rolls back with the change.
pub(crate) async fn write(conn: &mut SqliteConnection, entry: &AuditEntry) -> DbResult<()> {
    sqlx::query("insert into audit_events (occurred_at, actor, action, subject, detail, ip) values (?, ?, ?, ?, ?, ?)")
        .bind(Utc::now())
        .bind(&entry.actor)
        .bind(entry.action.code())
        .bind(&entry.subject)
        .bind(&entry.detail)
        .bind(&entry.ip)
        .execute(conn)
        .await
        .map(|_| ())
        .map_err(err)
}

#[async_trait]
impl AuditStore for SqliteStore {
    async fn recent_audit(&self, limit: u32) -> DbResult<Vec<AuditRecord>> {
        let rows = sqlx::query(
            "select id, occurred_at, actor, action, subject, detail, ip from audit_events order by id desc limit ?",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(AuditRecord {
                    id: get(r, "id")?,
                    occurred_at: get(r, "occurred_at")?,
                    actor: get(r, "actor")?,
                    action: get(r, "action")?,
                    subject: get(r, "subject")?,
                    detail: get(r, "detail")?,
                    ip: get(r, "ip")?,
                })
            })
            .collect()
    }
}
