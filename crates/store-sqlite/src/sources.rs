//! Source rows kept as compressed blocks of lines (`sipmas_store::provenance`).

use std::collections::HashMap;

use async_trait::async_trait;
use sipmas_domain::{HouseholdId, IndividualId};
use sipmas_store::provenance::{self, SourceBlock};
use sipmas_store::{AuditEntry, DbResult, ImportBatch, SourceRecord, SourceStore};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

use crate::import::rows_in;
use crate::rows::{get, opt_uuid, uuid};
use crate::{SqliteStore, audit, err};

// (household, block) rows per multi-row INSERT: 2 binds each.
const LINK_CHUNK: usize = 8_000;

/// Stores `blocks` of `batch` with their household index rows.
pub(crate) async fn write_blocks(
    conn: &mut SqliteConnection,
    batch: &str,
    blocks: &[SourceBlock],
) -> DbResult<()> {
    let mut links: Vec<(String, i64)> = Vec::new();
    for b in blocks {
        let id: i64 = sqlx::query_scalar(
            "insert into source_blocks (batch_id, first_line, last_line, records, body) \
             values (?, ?, ?, ?, ?) returning id",
        )
        .bind(batch)
        .bind(b.first_line)
        .bind(b.last_line)
        .bind(b.records)
        .bind(b.body.as_slice())
        .fetch_one(&mut *conn)
        .await
        .map_err(err)?;
        links.extend(b.households.iter().map(|h| (h.0.to_string(), id)));
    }
    for chunk in links.chunks(LINK_CHUNK) {
        let mut q: QueryBuilder<Sqlite> =
            QueryBuilder::new("insert into source_block_households (household_id, block_id) ");
        q.push_values(chunk, |mut b, (h, id)| {
            b.push_bind(h.as_str()).push_bind(*id);
        });
        q.build()
            // Only full chunks share a cached statement (see import::write).
            .persistent(chunk.len() == LINK_CHUNK)
            .execute(&mut *conn)
            .await
            .map_err(err)?;
    }
    Ok(())
}

/// Blocks for `rows`, the households of people named without theirs looked up.
async fn blocks_of(
    conn: &mut SqliteConnection,
    rows: &[SourceRecord],
) -> DbResult<Vec<SourceBlock>> {
    let people: Vec<String> = rows
        .iter()
        .filter(|r| r.household_id.is_none())
        .filter_map(|r| r.individual_id.map(|i| i.0.to_string()))
        .collect();
    let mut home: HashMap<uuid::Uuid, HouseholdId> = HashMap::new();
    let sql = "select id, household_id from individuals where id in ";
    for r in rows_in(conn, sql, None, &people).await? {
        home.insert(uuid(&r, "id")?, HouseholdId(uuid(&r, "household_id")?));
    }
    provenance::encode_rows(rows, |i| home.get(&i.0).copied())
}

/// Moves the rows of the `source_records` table of earlier versions into blocks, then
/// drops it; one transaction, so a crash leaves either the table or the blocks. Read a
/// block's worth of lines at a time: a batch may hold a million.
pub(crate) async fn upgrade(pool: &SqlitePool) -> DbResult<()> {
    const LEGACY: &str =
        "select count(*) from sqlite_master where type = 'table' and name = 'source_records'";
    let found: i64 = sqlx::query_scalar(LEGACY)
        .fetch_one(pool)
        .await
        .map_err(err)?;
    if found == 0 {
        return Ok(());
    }
    // Immediate: a second process opening the database at the same moment waits here
    // (busy timeout) and then finds the table gone, instead of failing on the drop.
    let mut tx = pool.begin_with("begin immediate").await.map_err(err)?;
    let found: i64 = sqlx::query_scalar(LEGACY)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
    if found == 0 {
        return Ok(());
    }
    let batches: Vec<String> =
        sqlx::query_scalar("select distinct batch_id from source_records order by batch_id")
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
    for batch in batches {
        let batch_id = uuid::Uuid::parse_str(&batch)
            .map_err(|e| sipmas_store::DbError::Corrupt(format!("source_records.batch_id: {e}")))?;
        let mut after = i64::MIN;
        loop {
            let rows = sqlx::query(
                "select s.line, s.household_id, s.individual_id, s.payload, \
                        coalesce(s.household_id, i.household_id) as owner \
                 from source_records s left join individuals i on i.id = s.individual_id \
                 where s.batch_id = ? and s.line > ? order by s.line limit ?",
            )
            .bind(&batch)
            .bind(after)
            .bind(i64::try_from(provenance::BLOCK_RECORDS).unwrap_or(i64::MAX))
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
            let mut owned = Vec::with_capacity(rows.len());
            for r in &rows {
                let record = SourceRecord {
                    batch_id,
                    line: get(r, "line")?,
                    household_id: opt_uuid(r, "household_id")?.map(HouseholdId),
                    individual_id: opt_uuid(r, "individual_id")?.map(IndividualId),
                    payload: get(r, "payload")?,
                };
                let owner = opt_uuid(r, "owner")?.unwrap_or_else(uuid::Uuid::nil);
                owned.push((HouseholdId(owner), record));
            }
            let Some((_, last)) = owned.last() else { break };
            after = last.line;
            let blocks = provenance::encode(owned.iter().map(|(o, r)| (*o, r)));
            write_blocks(&mut tx, &batch, &blocks).await?;
        }
    }
    sqlx::query("drop table source_records")
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    tx.commit().await.map_err(err)
}

#[async_trait]
impl SourceStore for SqliteStore {
    async fn record_sources(
        &self,
        batch: &ImportBatch,
        rows: &[SourceRecord],
        entry: &AuditEntry,
    ) -> DbResult<()> {
        let mut tx = self.pool.begin().await.map_err(err)?;
        sqlx::query("insert into import_batches (id, source, file_name, rows_read, actor, started_at) values (?, ?, ?, ?, ?, ?)")
            .bind(batch.id.to_string())
            .bind(&batch.source)
            .bind(&batch.file_name)
            .bind(batch.rows_read)
            .bind(&batch.actor)
            .bind(batch.started_at)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        let blocks = blocks_of(&mut tx, rows).await?;
        write_blocks(&mut tx, &batch.id.to_string(), &blocks).await?;
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)
    }

    async fn sources_of_household(&self, id: HouseholdId) -> DbResult<Vec<SourceRecord>> {
        let rows = sqlx::query(
            "select b.batch_id, b.body from source_block_households k \
             join source_blocks b on b.id = k.block_id where k.household_id = ?",
        )
        .bind(id.0.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut out = Vec::new();
        for r in &rows {
            let body: Vec<u8> = get(r, "body")?;
            out.extend(provenance::rows_of(uuid(r, "batch_id")?, &body, id)?);
        }
        out.sort_by_key(|s| (s.batch_id, s.line));
        Ok(out)
    }
}
