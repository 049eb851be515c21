//! Source rows kept as compressed blocks of lines (`sipmas_store::provenance`).

use std::collections::HashMap;

use async_trait::async_trait;
use sipmas_domain::{HouseholdId, IndividualId};
use sipmas_store::provenance::{self, SourceBlock};
use sipmas_store::{AuditEntry, DbResult, ImportBatch, SourceRecord, SourceStore};
use sqlx::{PgConnection, PgPool};

use crate::rows::{get, opt_uuid, uuid};
use crate::{PgStore, audit, err};

/// Stores `blocks` of `batch` with their household index rows: ids drawn first, then
/// one statement for the blocks and one for the index rows.
pub(crate) async fn write_blocks(
    conn: &mut PgConnection,
    batch: uuid::Uuid,
    blocks: &[SourceBlock],
) -> DbResult<()> {
    if blocks.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = sqlx::query_scalar(
        "select nextval(pg_get_serial_sequence('source_blocks', 'id')) from generate_series(1, $1)",
    )
    .bind(i64::try_from(blocks.len()).unwrap_or(i64::MAX))
    .fetch_all(&mut *conn)
    .await
    .map_err(err)?;
    let body: Vec<&[u8]> = blocks.iter().map(|b| b.body.as_slice()).collect();
    sqlx::query(
        "insert into source_blocks (id, batch_id, first_line, last_line, records, body) \
         select id, $2, first_line, last_line, records, body \
         from unnest($1::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bytea[]) \
           as b (id, first_line, last_line, records, body)",
    )
    .bind(&ids)
    .bind(batch)
    .bind(blocks.iter().map(|b| b.first_line).collect::<Vec<_>>())
    .bind(blocks.iter().map(|b| b.last_line).collect::<Vec<_>>())
    .bind(blocks.iter().map(|b| b.records).collect::<Vec<_>>())
    .bind(body)
    .execute(&mut *conn)
    .await
    .map_err(err)?;
    let (households, block_ids): (Vec<uuid::Uuid>, Vec<i64>) = blocks
        .iter()
        .zip(&ids)
        .flat_map(|(b, id)| b.households.iter().map(move |h| (h.0, *id)))
        .unzip();
    sqlx::query(
        "insert into source_block_households (household_id, block_id) \
         select * from unnest($1::uuid[], $2::bigint[])",
    )
    .bind(households)
    .bind(block_ids)
    .execute(&mut *conn)
    .await
    .map_err(err)?;
    Ok(())
}

/// Blocks for `rows`, the households of people named without theirs looked up.
async fn blocks_of(conn: &mut PgConnection, rows: &[SourceRecord]) -> DbResult<Vec<SourceBlock>> {
    let people: Vec<uuid::Uuid> = rows
        .iter()
        .filter(|r| r.household_id.is_none())
        .filter_map(|r| r.individual_id.map(|i| i.0))
        .collect();
    let mut home: HashMap<uuid::Uuid, HouseholdId> = HashMap::new();
    let found = sqlx::query("select id, household_id from individuals where id = any($1)")
        .bind(people)
        .fetch_all(&mut *conn)
        .await
        .map_err(err)?;
    for r in &found {
        home.insert(uuid(r, "id")?, HouseholdId(uuid(r, "household_id")?));
    }
    provenance::encode_rows(rows, |i| home.get(&i.0).copied())
}

/// Moves the rows of the `source_records` table of earlier versions into blocks, then
/// drops it; one transaction, so a crash leaves either the table or the blocks. Read a
/// block's worth of lines at a time: a batch may hold a million.
pub(crate) async fn upgrade(pool: &PgPool) -> DbResult<()> {
    const LEGACY: &str = "select to_regclass('source_records')::text";
    let found: Option<String> = sqlx::query_scalar(LEGACY)
        .fetch_one(pool)
        .await
        .map_err(err)?;
    if found.is_none() {
        return Ok(());
    }
    let mut tx = pool.begin().await.map_err(err)?;
    // A second process starting at the same moment waits here, then finds the table gone.
    sqlx::query("select pg_advisory_xact_lock(hashtext('sipmas source_records upgrade'))")
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    let found: Option<String> = sqlx::query_scalar(LEGACY)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
    if found.is_none() {
        return Ok(());
    }
    let batches: Vec<uuid::Uuid> =
        sqlx::query_scalar("select distinct batch_id from source_records order by batch_id")
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
    for batch in batches {
        let mut after = i64::MIN;
        loop {
            let rows = sqlx::query(
                "select s.line, s.household_id, s.individual_id, s.payload, \
                        coalesce(s.household_id, i.household_id) as owner \
                 from source_records s left join individuals i on i.id = s.individual_id \
                 where s.batch_id = $1 and s.line > $2 order by s.line limit $3",
            )
            .bind(batch)
            .bind(after)
            .bind(i64::try_from(provenance::BLOCK_RECORDS).unwrap_or(i64::MAX))
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
            let mut owned = Vec::with_capacity(rows.len());
            for r in &rows {
                let record = SourceRecord {
                    batch_id: batch,
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
            write_blocks(&mut tx, batch, &blocks).await?;
        }
    }
    sqlx::query("drop table source_records")
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    tx.commit().await.map_err(err)
}

#[async_trait]
impl SourceStore for PgStore {
    async fn record_sources(
        &self,
        batch: &ImportBatch,
        rows: &[SourceRecord],
        entry: &AuditEntry,
    ) -> DbResult<()> {
        let mut tx = self.pool.begin().await.map_err(err)?;
        sqlx::query("insert into import_batches (id, source, file_name, rows_read, actor, started_at) values ($1, $2, $3, $4, $5, $6)")
            .bind(batch.id)
            .bind(&batch.source)
            .bind(&batch.file_name)
            .bind(batch.rows_read)
            .bind(&batch.actor)
            .bind(batch.started_at)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        let blocks = blocks_of(&mut tx, rows).await?;
        write_blocks(&mut tx, batch.id, &blocks).await?;
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)
    }

    async fn sources_of_household(&self, id: HouseholdId) -> DbResult<Vec<SourceRecord>> {
        let rows = sqlx::query(
            "select b.batch_id, b.body from source_block_households k \
             join source_blocks b on b.id = k.block_id where k.household_id = $1",
        )
        .bind(id.0)
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
