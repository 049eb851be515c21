use async_trait::async_trait;
use sipmas_domain::{HouseholdId, IndividualId};
use sipmas_store::{AuditEntry, DbResult, ImportBatch, SourceRecord, SourceStore};
use sqlx::{Postgres, QueryBuilder};

use crate::rows::{get, opt_uuid, uuid};
use crate::{PgStore, audit, err};

const CHUNK: usize = 5_000;

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
        for chunk in rows.chunks(CHUNK) {
            let mut q: QueryBuilder<Postgres> = QueryBuilder::new(
                "insert into source_records (batch_id, line, household_id, individual_id, payload) ",
            );
            q.push_values(chunk, |mut b, r| {
                b.push_bind(r.batch_id)
                    .push_bind(r.line)
                    .push_bind(r.household_id.map(|h| h.0))
                    .push_bind(r.individual_id.map(|i| i.0))
                    .push_bind(r.payload.clone());
            });
            q.build().execute(&mut *tx).await.map_err(err)?;
        }
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)
    }

    async fn sources_of_household(&self, id: HouseholdId) -> DbResult<Vec<SourceRecord>> {
        let rows = sqlx::query(
            // A union, not `or`: each half walks its own index (an `or` across the join
            // scanned every source row: seconds on a million households).
            "select batch_id, line, household_id, individual_id, payload from source_records \
               where household_id = $1 \
             union \
             select s.batch_id, s.line, s.household_id, s.individual_id, s.payload from source_records s \
               join individuals i on i.id = s.individual_id where i.household_id = $1 \
             order by 1, 2",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(SourceRecord {
                    batch_id: uuid(r, "batch_id")?,
                    line: get(r, "line")?,
                    household_id: opt_uuid(r, "household_id")?.map(HouseholdId),
                    individual_id: opt_uuid(r, "individual_id")?.map(IndividualId),
                    payload: get(r, "payload")?,
                })
            })
            .collect()
    }
}
