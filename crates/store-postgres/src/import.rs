//! Import batches on PostgreSQL: one transaction per batch (a crash leaves it absent), COPY
//! for new rows, `= any($n)` array lookups instead of long `in (…)` lists.

use async_trait::async_trait;
use chrono::Utc;
use sipmas_domain::{HouseholdId, IndividualId};
use sipmas_store::columns::{BATCH_COLUMNS, HOUSEHOLD_COLUMNS, INDIVIDUAL_COLUMNS};
use sipmas_store::{
    AuditEntry, BatchSummary, DbResult, FieldChange, ImportExisting, ImportLookup, ImportSession,
    ImportStore, ImportWrite, LookupIndexes, MissingPerson, RegisterFlag,
};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, Row, Transaction};

use crate::rows::{get, household, individual, opt_uuid, uuid};
use crate::{PgStore, audit, err};

mod copy;
mod deferred;
pub(crate) mod write;

/// Rows of `sql`, whose last parameter is the text array `items` (after `first`, if any).
async fn rows_any(
    conn: &mut PgConnection,
    sql: &str,
    first: Option<&str>,
    items: &[String],
) -> DbResult<Vec<PgRow>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()));
    if let Some(f) = first {
        q = q.bind(f);
    }
    q.bind(items).fetch_all(&mut *conn).await.map_err(err)
}

pub(crate) fn batch(r: &PgRow) -> DbResult<BatchSummary> {
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
    tx: Transaction<'static, Postgres>,
    batch: uuid::Uuid,
    source: String,
    deferred: deferred::Restore,
    /// Dropped in a fresh session until a lookup or the commit needs them.
    lookup_indexes: LookupIndexes,
    fresh: bool,
}

#[async_trait]
impl ImportStore for PgStore {
    async fn begin_import(
        &self,
        b: &BatchSummary,
        dry_run: bool,
    ) -> DbResult<Box<dyn ImportSession>> {
        let mut tx = self.pool.begin().await.map_err(err)?;
        // Before the batch row: the tables are locked first, all at once.
        let deferred = if dry_run {
            Vec::new()
        } else {
            deferred::set_aside(&mut tx).await?
        };
        // Something set aside means the register tables are locked exclusively until the
        // commit: nobody else reads or writes them meanwhile.
        let fresh = !deferred.is_empty()
            && !sqlx::query_scalar::<_, bool>("select exists (select 1 from households)")
                .fetch_one(&mut *tx)
                .await
                .map_err(err)?;
        let lookup_indexes = if fresh {
            deferred::defer_lookup_indexes(&mut tx).await?
        } else {
            LookupIndexes::default()
        };
        sqlx::query(
            "insert into import_batches (id, source, format, file_name, file_sha256, headers, rows_read, actor, started_at) \
             values ($1, $2, $3, $4, $5, $6, 0, $7, $8)",
        )
        .bind(b.id)
        .bind(&b.source)
        .bind(&b.format)
        .bind(&b.file_name)
        .bind(&b.file_sha256)
        .bind(serde_json::to_string(&b.headers).unwrap_or_default())
        .bind(&b.actor)
        .bind(b.started_at)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        Ok(Box::new(Session {
            tx,
            batch: b.id,
            source: b.source.clone(),
            deferred,
            lookup_indexes,
            fresh,
        }))
    }

    async fn batch_by_hash(&self, source: &str, sha256: &str) -> DbResult<Option<BatchSummary>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {BATCH_COLUMNS} from import_batches where source = $1 and file_sha256 = $2 \
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
            "select {BATCH_COLUMNS} from import_batches order by started_at desc limit $1"
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
             from field_changes where household_id = $1 order by id",
        )
        .bind(h.0)
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
             where resolved_at is null and ($1::text is null or kind = $1) order by id desc limit $2",
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
        deferred::restore(&mut self.tx, &build).await?;
        let conn = &mut *self.tx;
        let mut out = ImportExisting::default();
        let src = Some(q.source.as_str());
        for r in rows_any(
            conn,
            "select key, household_id from household_keys where source = $1 and key = any($2)",
            src,
            &q.family_keys,
        )
        .await?
        {
            out.families
                .insert(get(&r, "key")?, HouseholdId(uuid(&r, "household_id")?));
        }
        for r in rows_any(
            conn,
            "select no_kk, id from households where no_kk = any($1)",
            None,
            &q.no_kks,
        )
        .await?
        {
            out.by_no_kk
                .entry(get(&r, "no_kk")?)
                .or_default()
                .push(HouseholdId(uuid(&r, "id")?));
        }
        let mut ids: Vec<uuid::Uuid> = out
            .families
            .values()
            .chain(out.by_no_kk.values().flatten())
            .map(|h| h.0)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        if !ids.is_empty() {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "select {HOUSEHOLD_COLUMNS} from households where id = any($1)"
            )))
            .bind(&ids)
            .fetch_all(&mut *conn)
            .await
            .map_err(err)?;
            for r in &rows {
                let h = household(r)?;
                out.households.insert(h.id, (h, Vec::new()));
            }
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "select {INDIVIDUAL_COLUMNS} from individuals where household_id = any($1)"
            )))
            .bind(&ids)
            .fetch_all(&mut *conn)
            .await
            .map_err(err)?;
            for r in &rows {
                let m = individual(r)?;
                if let Some((_, members)) = out.households.get_mut(&m.household_id) {
                    members.push(m);
                }
            }
        }
        for r in rows_any(
            conn,
            "select key, individual_id from individual_keys where source = $1 and key = any($2)",
            src,
            &q.person_keys,
        )
        .await?
        {
            out.persons
                .insert(get(&r, "key")?, IndividualId(uuid(&r, "individual_id")?));
        }
        for r in rows_any(
            conn,
            "select nik, id, household_id from individuals where nik = any($1)",
            None,
            &q.niks,
        )
        .await?
        {
            out.nik_owners.entry(get(&r, "nik")?).or_default().push((
                IndividualId(uuid(&r, "id")?),
                HouseholdId(uuid(&r, "household_id")?),
            ));
        }
        Ok(out)
    }

    async fn write(&mut self, w: &ImportWrite) -> DbResult<()> {
        let build = self.lookup_indexes.needed_by_write(w);
        deferred::restore(&mut self.tx, &build).await?;
        write::chunk(&mut self.tx, self.batch, &self.source, w).await
    }

    async fn households_without_head(&mut self) -> DbResult<Vec<HouseholdId>> {
        let rows = sqlx::query(
            "select k.household_id from household_keys k where k.source = $1 and k.last_batch_id = $2 \
             and not exists (select 1 from individuals i where i.household_id = k.household_id \
             and i.relationship = 'kepala_keluarga' and i.life_status = 'hidup')",
        )
        .bind(&self.source)
        .bind(self.batch)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| Ok(HouseholdId(uuid(r, "household_id")?)))
            .collect()
    }

    async fn missing_persons(&mut self) -> DbResult<Vec<MissingPerson>> {
        // The tables' statistics predate this transaction's rows (autovacuum cannot see
        // them), so the planner thinks they are tiny and picks nested loops that scan a
        // million rows per key; hash joins are linear whatever the estimates.
        sqlx::query("set local enable_nestloop = off")
            .execute(&mut *self.tx)
            .await
            .map_err(err)?;
        let rows = sqlx::query(
            "select k.individual_id, i.household_id, k.key from individual_keys k \
             join individuals i on i.id = k.individual_id and i.merged_into is null \
             join households h on h.id = i.household_id \
             where k.source = $1 and k.last_batch_id <> $2 and h.village_code in \
             (select distinct h2.village_code from household_keys k2 join households h2 on h2.id = k2.household_id \
              where k2.source = $1 and k2.last_batch_id = $2) order by k.key",
        )
        .bind(&self.source)
        .bind(self.batch)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(err)?;
        sqlx::query("set local enable_nestloop = on")
            .execute(&mut *self.tx)
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
        write::flags(&mut self.tx, flags).await?;
        let build = self.lookup_indexes.rest();
        deferred::restore(&mut self.tx, &build).await?;
        deferred::restore(&mut self.tx, &self.deferred).await?;
        sqlx::query(
            "update import_batches set rows_read = $1, rows_imported = $2, rows_rejected = $3, rows_warned = $4, \
             households_created = $5, households_updated = $6, individuals_created = $7, individuals_updated = $8, \
             individuals_missing = $9, report = $10, finished_at = $11 where id = $12",
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
        .bind(self.batch)
        .execute(&mut *self.tx)
        .await
        .map_err(err)?;
        audit::write(&mut self.tx, entry).await?;
        self.tx.commit().await.map_err(err)
    }

    async fn rollback(self: Box<Self>) -> DbResult<()> {
        self.tx.rollback().await.map_err(err)
    }
}
