use async_trait::async_trait;
use chrono::Utc;
use sipmas_domain::{HouseholdId, RegionCode};
use sipmas_store::{
    AuditEntry, DbError, DbResult, ImportWrite, Photo, VisitFilter, VisitRecord, VisitRow,
    VisitStep, VisitStore, VisitTarget, scope_range, step_sql, submit_sql, target_sql,
    upsert_visit_sql, visit_mark_sql, visit_rows_sql,
};
use sqlx::PgConnection;
use sqlx::postgres::PgRow;

use crate::import::write;
use crate::rows::{get, uuid};
use crate::{PgStore, audit, err};

fn n(i: usize) -> String {
    format!("${i}")
}

fn visit(r: &PgRow) -> DbResult<VisitRecord> {
    Ok(VisitRecord {
        campaign_id: uuid(r, "campaign_id")?,
        household_id: HouseholdId(uuid(r, "household_id")?),
        result: get(r, "result")?,
        household_version: get(r, "household_version")?,
        record: get(r, "record")?,
        visited_by: get(r, "visited_by")?,
        submitted_at: get(r, "submitted_at")?,
        comment: get(r, "comment")?,
        reviewed_by: get(r, "reviewed_by")?,
        reviewed_at: get(r, "reviewed_at")?,
        approved_by: get(r, "approved_by")?,
        approved_at: get(r, "approved_at")?,
    })
}

/// Moves a campaign household one step, guarded by version and state, and marks the visit.
async fn step(conn: &mut PgConnection, s: &VisitStep) -> DbResult<i64> {
    let now = Utc::now();
    let moved = sqlx::query(sqlx::AssertSqlSafe(step_sql(n)))
        .bind(&s.to_state)
        .bind(now)
        .bind(s.campaign_id)
        .bind(s.household_id.0)
        .bind(s.expected_version)
        .bind(&s.from_state)
        .execute(&mut *conn)
        .await
        .map_err(err)?;
    if moved.rows_affected() == 0 {
        return Err(DbError::Conflict(format!(
            "the visit is no longer at version {} in state {}",
            s.expected_version, s.from_state
        )));
    }
    if let Some(sql) = visit_mark_sql(&s.to_state, n) {
        let who = if s.to_state == "returned" {
            s.comment.clone()
        } else {
            Some(s.actor.clone())
        };
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(who)
            .bind(now)
            .bind(s.campaign_id)
            .bind(s.household_id.0)
            .execute(&mut *conn)
            .await
            .map_err(err)?;
    }
    Ok(s.expected_version + 1)
}

#[async_trait]
impl VisitStore for PgStore {
    async fn visit_target(
        &self,
        campaign: uuid::Uuid,
        household: HouseholdId,
        scope: Option<&RegionCode>,
    ) -> DbResult<Option<VisitTarget>> {
        let (low, high) = scope_range(scope);
        let row = sqlx::query(sqlx::AssertSqlSafe(target_sql(n)))
            .bind(campaign)
            .bind(household.0)
            .bind(low)
            .bind(high)
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?;
        row.map(|r| {
            Ok(VisitTarget {
                campaign_id: uuid(&r, "campaign_id")?,
                campaign: get(&r, "name")?,
                due_on: get(&r, "due_on")?,
                household_id: HouseholdId(uuid(&r, "household_id")?),
                village_code: get(&r, "village_code")?,
                assignee: get(&r, "assignee")?,
                state: get(&r, "state")?,
                version: get(&r, "version")?,
            })
        })
        .transpose()
    }

    async fn submit_visit(
        &self,
        v: &VisitRecord,
        expected_version: i64,
        photos: &[Photo],
        entry: &AuditEntry,
    ) -> DbResult<i64> {
        let mut tx = self.pool.begin().await.map_err(err)?;
        let now = Utc::now();
        let moved = sqlx::query(sqlx::AssertSqlSafe(submit_sql(n)))
            .bind(now)
            .bind(v.campaign_id)
            .bind(v.household_id.0)
            .bind(expected_version)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if moved.rows_affected() == 0 {
            return Err(DbError::Conflict(
                "the visit was submitted or changed meanwhile".into(),
            ));
        }
        sqlx::query(sqlx::AssertSqlSafe(upsert_visit_sql(n)))
            .bind(v.campaign_id)
            .bind(v.household_id.0)
            .bind(&v.result)
            .bind(v.household_version)
            .bind(&v.record)
            .bind(&v.visited_by)
            .bind(v.submitted_at)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if !photos.is_empty() {
            // New photos replace those of a visit sent back (the audit keeps how many).
            sqlx::query("delete from verval_photos where campaign_id = $1 and household_id = $2")
                .bind(v.campaign_id)
                .bind(v.household_id.0)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
        }
        for p in photos {
            sqlx::query(
                "insert into verval_photos (id, campaign_id, household_id, content_type, bytes, created_by, created_at) \
                 values ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(p.id)
            .bind(p.campaign_id)
            .bind(p.household_id.0)
            .bind(&p.content_type)
            .bind(&p.bytes)
            .bind(&v.visited_by)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        }
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)?;
        Ok(expected_version + 1)
    }

    async fn visit(
        &self,
        campaign: uuid::Uuid,
        household: HouseholdId,
    ) -> DbResult<Option<VisitRecord>> {
        let row =
            sqlx::query("select * from verval_visits where campaign_id = $1 and household_id = $2")
                .bind(campaign)
                .bind(household.0)
                .fetch_optional(&self.pool)
                .await
                .map_err(err)?;
        row.as_ref().map(visit).transpose()
    }

    async fn step_visit(&self, s: &VisitStep, entry: &AuditEntry) -> DbResult<i64> {
        let mut tx = self.pool.begin().await.map_err(err)?;
        let v = step(&mut tx, s).await?;
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)?;
        Ok(v)
    }

    async fn approve_visit(
        &self,
        s: &VisitStep,
        w: &ImportWrite,
        entry: &AuditEntry,
    ) -> DbResult<i64> {
        let mut tx = self.pool.begin().await.map_err(err)?;
        let v = step(&mut tx, s).await?;
        // No keys or source rows in an approval, so the batch and source go unused.
        write::chunk(&mut tx, uuid::Uuid::nil(), "verval", w).await?;
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)?;
        Ok(v)
    }

    async fn visit_rows(&self, f: &VisitFilter) -> DbResult<Vec<VisitRow>> {
        let (low, high) = scope_range(f.within.as_ref());
        let rows = sqlx::query(sqlx::AssertSqlSafe(visit_rows_sql(n)))
            .bind(f.campaign_id)
            .bind(low)
            .bind(high)
            .bind(f.state.clone())
            .bind(i64::from(f.limit))
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(VisitRow {
                    campaign_id: uuid(r, "campaign_id")?,
                    household_id: HouseholdId(uuid(r, "household_id")?),
                    village_code: get(r, "village_code")?,
                    no_kk: get(r, "no_kk")?,
                    head_name: get(r, "head_name")?,
                    assignee: get(r, "assignee")?,
                    state: get(r, "state")?,
                    result: get(r, "result")?,
                    comment: get(r, "comment")?,
                    visited_by: get(r, "visited_by")?,
                })
            })
            .collect()
    }

    async fn photo_ids(
        &self,
        campaign: uuid::Uuid,
        household: HouseholdId,
    ) -> DbResult<Vec<uuid::Uuid>> {
        sqlx::query_scalar(
            "select id from verval_photos where campaign_id = $1 and household_id = $2 order by created_at, id",
        )
        .bind(campaign)
        .bind(household.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)
    }

    async fn photo(&self, id: uuid::Uuid) -> DbResult<Option<Photo>> {
        let row = sqlx::query(
            "select id, campaign_id, household_id, content_type, bytes from verval_photos where id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.map(|r| {
            Ok(Photo {
                id: uuid(&r, "id")?,
                campaign_id: uuid(&r, "campaign_id")?,
                household_id: HouseholdId(uuid(&r, "household_id")?),
                content_type: get(&r, "content_type")?,
                bytes: get(&r, "bytes")?,
            })
        })
        .transpose()
    }
}
