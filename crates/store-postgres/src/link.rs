//! Record linkage on PostgreSQL: merges are a pointer on the duplicate, pairs keep their
//! explanation, and every decision is audited in its own transaction.

use async_trait::async_trait;
use chrono::Utc;
use sipmas_domain::{HouseholdId, IndividualId, Nik, RegionCode};
use sipmas_store::{
    AuditEntry, DbError, DbResult, LinkPair, LinkRecord, LinkRunWrite, LinkStore, ReviewPair,
    ReviewSide, review_sql,
};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, QueryBuilder};

use crate::rows::{get, uuid};
use crate::{PgStore, audit, err};

const PAIR_COLUMNS: &str = "id, run_id, left_id, right_id, probability, weight, explanation, status, decided_by, created_at";

fn pair(r: &PgRow) -> DbResult<LinkPair> {
    Ok(LinkPair {
        id: get(r, "id")?,
        run_id: uuid(r, "run_id")?,
        left: IndividualId(uuid(r, "left_id")?),
        right: IndividualId(uuid(r, "right_id")?),
        probability: get(r, "probability")?,
        weight: get(r, "weight")?,
        explanation: get(r, "explanation")?,
        status: get(r, "status")?,
        decided_by: get(r, "decided_by")?,
        created_at: get(r, "created_at")?,
    })
}

/// Points `dup` at `kept` unless either is already merged; false when nothing changed.
async fn merge(conn: &mut PgConnection, dup: IndividualId, kept: IndividualId) -> DbResult<bool> {
    let done = sqlx::query(
        "update individuals set merged_into = $1, version = version + 1, updated_at = $3 \
         where id = $2 and merged_into is null \
         and exists (select 1 from individuals k where k.id = $1 and k.merged_into is null)",
    )
    .bind(kept.0)
    .bind(dup.0)
    .bind(Utc::now())
    .execute(&mut *conn)
    .await
    .map_err(err)?;
    Ok(done.rows_affected() == 1)
}

#[async_trait]
impl LinkStore for PgStore {
    async fn link_records(&self) -> DbResult<Vec<LinkRecord>> {
        let rows = sqlx::query(
            "select i.id, i.nik, i.name, i.sex, i.birth_date, h.no_kk, h.village_code, h.street \
             from individuals i join households h on h.id = i.household_id \
             where i.merged_into is null and i.life_status = 'hidup' order by i.id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(LinkRecord {
                    id: IndividualId(uuid(r, "id")?),
                    nik: get(r, "nik")?,
                    name: get(r, "name")?,
                    sex: get(r, "sex")?,
                    birth_date: get(r, "birth_date")?,
                    no_kk: get(r, "no_kk")?,
                    village: get(r, "village_code")?,
                    address: get(r, "street")?,
                })
            })
            .collect()
    }

    async fn rejected_pairs(&self) -> DbResult<Vec<(IndividualId, IndividualId)>> {
        let rows = sqlx::query(
            "select left_id, right_id from link_pairs where status in ('rejected', 'unmerged')",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok((
                    IndividualId(uuid(r, "left_id")?),
                    IndividualId(uuid(r, "right_id")?),
                ))
            })
            .collect()
    }

    async fn save_link_run(&self, run: &LinkRunWrite, entry: &AuditEntry) -> DbResult<usize> {
        let mut tx = self.pool.begin().await.map_err(err)?;
        sqlx::query("update link_pairs set status = 'superseded' where status = 'review'")
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        let now = Utc::now();
        for chunk in run.pairs.chunks(3_000) {
            let mut q: QueryBuilder<Postgres> = QueryBuilder::new(
                "insert into link_pairs (run_id, left_id, right_id, probability, weight, explanation, status, decided_by, created_at) ",
            );
            q.push_values(chunk, |mut b, p| {
                b.push_bind(run.run_id)
                    .push_bind(p.left.0)
                    .push_bind(p.right.0)
                    .push_bind(p.probability)
                    .push_bind(p.weight)
                    .push_bind(p.explanation.as_str())
                    .push_bind(p.status.as_str())
                    .push_bind(p.decided_by.as_deref())
                    .push_bind(now);
            });
            q.build()
                .persistent(false)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
        }
        let mut applied = 0;
        for (dup, kept) in &run.merges {
            applied += usize::from(merge(&mut tx, *dup, *kept).await?);
        }
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)?;
        Ok(applied)
    }

    async fn link_pairs(&self, status: &str, limit: u32) -> DbResult<Vec<LinkPair>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {PAIR_COLUMNS} from link_pairs where status = $1 order by id limit $2"
        )))
        .bind(status)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(pair).collect()
    }

    async fn link_pair(&self, id: i64) -> DbResult<Option<LinkPair>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {PAIR_COLUMNS} from link_pairs where id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.as_ref().map(pair).transpose()
    }

    async fn decide_pair(
        &self,
        id: i64,
        do_merge: bool,
        actor: &str,
        entry: &AuditEntry,
    ) -> DbResult<()> {
        let mut tx = self.pool.begin().await.map_err(err)?;
        let status = if do_merge { "merged" } else { "rejected" };
        let done = sqlx::query(
            "update link_pairs set status = $1, decided_by = $2, decided_at = $3 where id = $4 and status = 'review'",
        )
        .bind(status)
        .bind(actor)
        .bind(Utc::now())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if done.rows_affected() != 1 {
            return Err(DbError::Conflict(format!(
                "pair {id} is not awaiting review"
            )));
        }
        if do_merge {
            let row = sqlx::query("select left_id, right_id from link_pairs where id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(err)?;
            let (kept, dup) = (
                IndividualId(uuid(&row, "left_id")?),
                IndividualId(uuid(&row, "right_id")?),
            );
            if !merge(&mut tx, dup, kept).await? {
                return Err(DbError::Conflict(format!(
                    "pair {id}: one record is already merged"
                )));
            }
        }
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)
    }

    async fn unmerge(
        &self,
        id: IndividualId,
        actor: &str,
        entry: &AuditEntry,
    ) -> DbResult<Option<IndividualId>> {
        let mut tx = self.pool.begin().await.map_err(err)?;
        let Some(row) = sqlx::query(
            "select merged_into from individuals where id = $1 and merged_into is not null",
        )
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(err)?
        else {
            return Ok(None);
        };
        let kept = IndividualId(uuid(&row, "merged_into")?);
        sqlx::query("update individuals set merged_into = null, version = version + 1, updated_at = $1 where id = $2")
            .bind(Utc::now())
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        sqlx::query(
            "update link_pairs set status = 'unmerged', decided_by = $1, decided_at = $2 \
             where status = 'merged' and (left_id = $3 or right_id = $3)",
        )
        .bind(actor)
        .bind(Utc::now())
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)?;
        Ok(Some(kept))
    }

    async fn review_pairs(
        &self,
        scope: Option<&RegionCode>,
        status: &str,
        limit: u32,
    ) -> DbResult<Vec<ReviewPair>> {
        let (low, high) = bounds(scope);
        let rows = sqlx::query(sqlx::AssertSqlSafe(review_sql(false, |n| format!("${n}"))))
            .bind(status)
            .bind(&low)
            .bind(&high)
            .bind(&low)
            .bind(&high)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
        rows.iter().map(review).collect()
    }

    async fn review_pair(
        &self,
        scope: Option<&RegionCode>,
        id: i64,
    ) -> DbResult<Option<ReviewPair>> {
        let (low, high) = bounds(scope);
        let row = sqlx::query(sqlx::AssertSqlSafe(review_sql(true, |n| format!("${n}"))))
            .bind(id)
            .bind(&low)
            .bind(&high)
            .bind(&low)
            .bind(&high)
            .bind(1_i64)
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?;
        row.as_ref().map(review).transpose()
    }

    async fn merged_into(&self, id: IndividualId) -> DbResult<Option<IndividualId>> {
        let row = sqlx::query("select merged_into from individuals where id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?;
        match row {
            Some(r) => Ok(crate::rows::opt_uuid(&r, "merged_into")?.map(IndividualId)),
            None => Err(DbError::NotFound),
        }
    }
}

fn bounds(scope: Option<&RegionCode>) -> (String, String) {
    scope.map_or_else(|| (String::new(), "~".to_owned()), RegionCode::code_range)
}

fn side(r: &PgRow, p: &str) -> DbResult<ReviewSide> {
    Ok(ReviewSide {
        id: IndividualId(uuid(r, if p == "l" { "left_id" } else { "right_id" })?),
        household_id: HouseholdId(uuid(r, &format!("{p}_household"))?),
        name: get(r, &format!("{p}_name"))?,
        nik: get::<Option<String>>(r, &format!("{p}_nik"))?.and_then(|n| Nik::parse(&n).ok()),
        sex: get(r, &format!("{p}_sex"))?,
        birth_date: get(r, &format!("{p}_birth"))?,
        village: RegionCode::parse(&get::<String>(r, &format!("{p}_village"))?)
            .map_err(|e| DbError::Other(e.to_string()))?,
    })
}

fn review(r: &PgRow) -> DbResult<ReviewPair> {
    Ok(ReviewPair {
        pair: pair(r)?,
        left: side(r, "l")?,
        right: side(r, "r")?,
    })
}
