//! Import batches on SQLite: the whole batch is one write transaction, so a crash at any
//! moment leaves it absent (SQLite's journal rolls the rest back on the next open).

use async_trait::async_trait;
use chrono::Utc;
use sipmas_domain::{HouseholdId, IndividualId};
use sipmas_store::columns::BATCH_COLUMNS;
use sipmas_store::{
    AuditEntry, BatchSummary, DbResult, FieldChange, ImportExisting, ImportLookup, ImportSession,
    ImportStore, ImportWrite, LookupIndexes, MissingPerson, RegisterFlag,
};
use sqlx::pool::PoolConnection;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, SqliteConnection};

use crate::rows::{get, opt_uuid, uuid};
use crate::{SqliteStore, audit, err};

mod deferred;
mod lookup;
pub(crate) mod write;

/// Page cache of a session that streams through the tables once (an import, a refresh of
/// many villages' figures): 32 MB keeps the process under 300 MB whatever the register's
/// size. Such a session's connection is closed when it ends, never given back to the
/// pool with this cache.
pub(crate) const IMPORT_CACHE: &str = "pragma cache_size = -32768";

// Keys per `in (…)` lookup: far below SQLite's 32,766 bound parameters.
const IN_CHUNK: usize = 5_000;

/// Rows of `head` + `(?, ?, …)` for every chunk of `items`; `head` may use one `?` first,
/// bound to `first`.
pub(crate) async fn rows_in(
    conn: &mut SqliteConnection,
    head: &str,
    first: Option<&str>,
    items: &[String],
) -> DbResult<Vec<SqliteRow>> {
    let mut out = Vec::new();
    for chunk in items.chunks(IN_CHUNK) {
        let sql = format!("{head}({})", vec!["?"; chunk.len()].join(","));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false);
        if let Some(f) = first {
            q = q.bind(f);
        }
        for item in chunk {
            q = q.bind(item.as_str());
        }
        out.extend(q.fetch_all(&mut *conn).await.map_err(err)?);
    }
    Ok(out)
}

pub(crate) fn batch(r: &SqliteRow) -> DbResult<BatchSummary> {
    Ok(BatchSummary {
        id: uuid(r, "id")?,
        source: get(r, "source")?,
        format: get(r, "format")?,
        file_name: get(r, "file_name")?,
        file_sha256: get(r, "file_sha256")?,
        headers: Vec::new(),
        actor: get(r, "actor")?,
        started_at: get(r, "started_at")?,
        finished_at: get::<Option<chrono::DateTime<Utc>>>(r, "finished_at")?.unwrap_or_default(),
        rows_read: get(r, "rows_read")?,
        rows_imported: get(r, "rows_imported")?,
        rows_rejected: get(r, "rows_rejected")?,
        rows_warned: get(r, "rows_warned")?,
        households_created: get(r, "households_created")?,
        households_updated: get(r, "households_updated")?,
        individuals_created: get(r, "individuals_created")?,
        individuals_updated: get(r, "individuals_updated")?,
        individuals_missing: get(r, "individuals_missing")?,
        report: get(r, "report")?,
    })
}

struct Session {
    /// The import's own connection, between its `begin` and its `commit` or `rollback`.
    /// Closed when the session ends, never returned to the pool: it carries the import's
    /// page cache and checkpoint setting, and closing one dropped midway rolls it back.
    conn: PoolConnection<Sqlite>,
    batch: String,
    source: String,
    /// `create index` statements of the indexes dropped for this import, run again
    /// before it commits.
    deferred: Vec<String>,
    /// Dropped in a fresh session until a lookup or the commit needs them.
    lookup_indexes: LookupIndexes,
    fresh: bool,
}

#[async_trait]
impl ImportStore for SqliteStore {
    async fn begin_import(
        &self,
        b: &BatchSummary,
        dry_run: bool,
    ) -> DbResult<Box<dyn ImportSession>> {
        let mut conn = self.pool.acquire().await.map_err(err)?;
        conn.close_on_drop();
        // An import streams through the tables once: a smaller page cache (32 MB) keeps its
        // memory under 300 MB whatever the file size. Its commit does not copy the WAL back
        // into the database file on the spot (see `commit`), so the commit itself syncs the
        // WAL (`synchronous = full`; the pool's `normal` leaves that to the checkpoint): a
        // batch reported imported survives a power cut. Switching `temp_store` away
        // and back closes SQLite's temporary database if an earlier use of the connection
        // opened it (a temporary table, or an `alter table … rename` of a migration):
        // inside the transaction the index rebuild must switch it, which SQLite refuses
        // while that database is open.
        for sql in [
            IMPORT_CACHE,
            "pragma wal_autocheckpoint = 0",
            "pragma synchronous = full",
            "pragma temp_store = file",
            "pragma temp_store = memory",
            "begin",
        ] {
            sqlx::query(sql).execute(&mut *conn).await.map_err(err)?;
        }
        sqlx::query(
            "insert into import_batches (id, source, format, file_name, file_sha256, headers, rows_read, actor, started_at) \
             values (?, ?, ?, ?, ?, ?, 0, ?, ?)",
        )
        .bind(b.id.to_string())
        .bind(&b.source)
        .bind(&b.format)
        .bind(&b.file_name)
        .bind(&b.file_sha256)
        .bind(serde_json::to_string(&b.headers).unwrap_or_default())
        .bind(&b.actor)
        .bind(b.started_at)
        .execute(&mut *conn)
        .await
        .map_err(err)?;
        // After the batch row: this transaction now holds SQLite's one write lock, so
        // nobody else adds to the register until it ends.
        let fresh = !sqlx::query_scalar::<_, bool>("select exists (select 1 from households)")
            .fetch_one(&mut *conn)
            .await
            .map_err(err)?;
        let lookup_indexes = if fresh && !dry_run {
            deferred::defer_lookup_indexes(&mut conn).await?
        } else {
            LookupIndexes::default()
        };
        let deferred = if dry_run {
            Vec::new()
        } else {
            deferred::defer_indexes(&mut conn).await?
        };
        Ok(Box::new(Session {
            conn,
            batch: b.id.to_string(),
            source: b.source.clone(),
            deferred,
            lookup_indexes,
            fresh,
        }))
    }

    async fn batch_by_hash(&self, source: &str, sha256: &str) -> DbResult<Option<BatchSummary>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {BATCH_COLUMNS} from import_batches where source = ? and file_sha256 = ? \
             and finished_at is not null order by started_at limit 1"
        )))
        .bind(source)
        .bind(sha256)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.as_ref().map(batch).transpose()
    }

    async fn import_batches(&self, limit: u32) -> DbResult<Vec<BatchSummary>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {BATCH_COLUMNS} from import_batches order by started_at desc limit ?"
        )))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(batch).collect()
    }

    async fn field_changes(&self, h: HouseholdId) -> DbResult<Vec<FieldChange>> {
        let rows = sqlx::query(
            "select household_id, individual_id, field, old_value, new_value, batch_id, campaign_id, actor, recorded_at \
             from field_changes where household_id = ? order by id",
        )
        .bind(h.0.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(FieldChange {
                    household_id: HouseholdId(uuid(r, "household_id")?),
                    individual_id: opt_uuid(r, "individual_id")?.map(IndividualId),
                    field: get(r, "field")?,
                    old_value: get(r, "old_value")?,
                    new_value: get(r, "new_value")?,
                    batch_id: opt_uuid(r, "batch_id")?,
                    campaign_id: opt_uuid(r, "campaign_id")?,
                    actor: get(r, "actor")?,
                    recorded_at: get(r, "recorded_at")?,
                })
            })
            .collect()
    }

    async fn register_flags(&self, kind: Option<&str>, limit: u32) -> DbResult<Vec<RegisterFlag>> {
        let rows = sqlx::query(
            "select household_id, individual_id, kind, batch_id, detail from register_flags \
             where resolved_at is null and (?1 is null or kind = ?1) order by id desc limit ?2",
        )
        .bind(kind)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(RegisterFlag {
                    household_id: opt_uuid(r, "household_id")?.map(HouseholdId),
                    individual_id: opt_uuid(r, "individual_id")?.map(IndividualId),
                    kind: get(r, "kind")?,
                    batch_id: opt_uuid(r, "batch_id")?,
                    detail: get(r, "detail")?,
                })
            })
            .collect()
    }
}

#[async_trait]
impl ImportSession for Session {
    fn fresh(&self) -> bool {
        self.fresh
    }

    async fn lookup(&mut self, q: &ImportLookup) -> DbResult<ImportExisting> {
        let build = self.lookup_indexes.needed_by(q);
        deferred::rebuild(&mut self.conn, &build).await?;
        lookup::existing(&mut self.conn, q).await
    }

    async fn write(&mut self, w: &ImportWrite) -> DbResult<()> {
        write::chunk(&mut self.conn, &self.batch, &self.source, w).await
    }

    async fn households_without_head(&mut self) -> DbResult<Vec<HouseholdId>> {
        let rows = sqlx::query(
            "select k.household_id from household_keys k where k.source = ? and k.last_batch_id = ? \
             and not exists (select 1 from individuals i where i.household_id = k.household_id \
             and i.relationship = 'kepala_keluarga' and i.life_status = 'hidup')",
        )
        .bind(&self.source)
        .bind(&self.batch)
        .fetch_all(&mut *self.conn)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| Ok(HouseholdId(uuid(r, "household_id")?)))
            .collect()
    }

    async fn missing_persons(&mut self) -> DbResult<Vec<MissingPerson>> {
        let rows = sqlx::query(
            "select k.individual_id, i.household_id, k.key from individual_keys k \
             join individuals i on i.id = k.individual_id and i.merged_into is null \
             join households h on h.id = i.household_id \
             where k.source = ?1 and k.last_batch_id <> ?2 and h.village_code in \
             (select distinct h2.village_code from household_keys k2 join households h2 on h2.id = k2.household_id \
              where k2.source = ?1 and k2.last_batch_id = ?2) order by k.key",
        )
        .bind(&self.source)
        .bind(&self.batch)
        .fetch_all(&mut *self.conn)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(MissingPerson {
                    individual_id: IndividualId(uuid(r, "individual_id")?),
                    household_id: HouseholdId(uuid(r, "household_id")?),
                    key: r.try_get("key").map_err(err)?,
                })
            })
            .collect()
    }

    async fn commit(
        mut self: Box<Self>,
        s: &BatchSummary,
        flags: &[RegisterFlag],
        entry: &AuditEntry,
    ) -> DbResult<()> {
        // On failure the session is dropped, and closing its connection rolls it back.
        self.finish(s, flags, entry).await?;
        sqlx::query("commit")
            .execute(&mut *self.conn)
            .await
            .map_err(err)?;
        // The WAL now holds the whole batch, the whole register after a first load: copying
        // it into the database file took 2–4 s after a million rows, which the connection
        // committing would have spent at once (`wal_autocheckpoint`). It runs on this
        // connection beside whatever comes next on others (an import's dashboard refresh),
        // and `Store::close` waits for it, as the pool waits for every connection out.
        let mut conn = self.conn;
        tokio::spawn(async move {
            if let Err(e) = sqlx::query("pragma wal_checkpoint(passive)")
                .execute(&mut *conn)
                .await
            {
                tracing::warn!(error = %e, "checkpoint after an import failed; a later one will copy its pages");
            }
        });
        Ok(())
    }

    async fn rollback(mut self: Box<Self>) -> DbResult<()> {
        sqlx::query("rollback")
            .execute(&mut *self.conn)
            .await
            .map(|_| ())
            .map_err(err)
    }
}

impl Session {
    /// Everything a commit writes: flags, the batch's counts, the audit event, and the
    /// indexes set aside.
    async fn finish(
        &mut self,
        s: &BatchSummary,
        flags: &[RegisterFlag],
        entry: &AuditEntry,
    ) -> DbResult<()> {
        write::flags(&mut self.conn, flags).await?;
        sqlx::query(
            "update import_batches set rows_read = ?, rows_imported = ?, rows_rejected = ?, rows_warned = ?, \
             households_created = ?, households_updated = ?, individuals_created = ?, individuals_updated = ?, \
             individuals_missing = ?, report = ?, finished_at = ? where id = ?",
        )
        .bind(s.rows_read)
        .bind(s.rows_imported)
        .bind(s.rows_rejected)
        .bind(s.rows_warned)
        .bind(s.households_created)
        .bind(s.households_updated)
        .bind(s.individuals_created)
        .bind(s.individuals_updated)
        .bind(s.individuals_missing)
        .bind(&s.report)
        .bind(s.finished_at)
        .bind(&self.batch)
        .execute(&mut *self.conn)
        .await
        .map_err(err)?;
        audit::write(&mut self.conn, entry).await?;
        let mut build = self.lookup_indexes.rest();
        build.extend(self.deferred.iter().cloned());
        deferred::rebuild(&mut self.conn, &build).await
    }
}

#[cfg(test)]
mod tests;
