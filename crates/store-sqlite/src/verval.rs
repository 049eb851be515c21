use async_trait::async_trait;
use chrono::Utc;
use sipmas_domain::RegionCode;
use sipmas_store::{
    Assignment, AuditEntry, Bind, CAMPAIGN_COLUMNS, CampaignSummary, DbResult, NewCampaign,
    VervalStore, VillageProgress, household_conditions, progress_sql, scope_range,
};
use sqlx::sqlite::SqliteRow;

use crate::rows::{get, uuid};
use crate::{SqliteStore, audit, err};

fn summary(r: &SqliteRow) -> DbResult<CampaignSummary> {
    Ok(CampaignSummary {
        id: uuid(r, "id")?,
        name: get(r, "name")?,
        scope: get(r, "scope_code")?,
        selection: get(r, "selection")?,
        due_on: get(r, "due_on")?,
        households: get(r, "households")?,
        created_by: get(r, "created_by")?,
        created_at: get(r, "created_at")?,
    })
}

/// Campaigns with at least one household within the range.
const IN_RANGE: &str = "exists (select 1 from campaign_households ch where ch.campaign_id = c.id \
    and ch.village_code >= ?2 and ch.village_code < ?3)";

#[async_trait]
impl VervalStore for SqliteStore {
    async fn create_campaign(&self, c: &NewCampaign, entry: &AuditEntry) -> DbResult<i64> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await.map_err(err)?;
        sqlx::query(
            "insert into campaigns (id, name, scope_code, selection, due_on, households, created_by, created_at) \
             values (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7)",
        )
        .bind(c.id.to_string())
        .bind(&c.name)
        .bind(c.scope.as_ref().map(RegionCode::dotted))
        .bind(&c.selection_json)
        .bind(c.due_on)
        .bind(&c.created_by)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        // Binds 1 and 2 are the campaign and the time; the filters follow.
        let mut binds = vec![Bind::Text(c.id.to_string()), Bind::Text(now.to_rfc3339())];
        let conds = household_conditions(&c.selection, &mut binds, &|n| format!("?{n}"));
        let mut filter = conds.join(" and ");
        if !filter.is_empty() {
            filter.push_str(" and ");
        }
        let sql = format!(
            "insert into campaign_households (campaign_id, household_id, village_code, state, version, updated_at) \
             select ?1, h.id, h.village_code, 'listed', 1, ?2 from households h \
             where {filter} exists (select 1 from individuals k where k.household_id = h.id and k.merged_into is null)"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for b in binds {
            q = match b {
                Bind::Text(t) => q.bind(t),
                Bind::Int(n) => q.bind(n),
                Bind::Date(d) => q.bind(d),
            };
        }
        let listed = i64::try_from(q.execute(&mut *tx).await.map_err(err)?.rows_affected())
            .unwrap_or(i64::MAX);
        sqlx::query("update campaigns set households = ?1 where id = ?2")
            .bind(listed)
            .bind(c.id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)?;
        Ok(listed)
    }

    async fn campaigns(&self, scope: Option<&RegionCode>) -> DbResult<Vec<CampaignSummary>> {
        let (low, high) = scope_range(scope);
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {CAMPAIGN_COLUMNS} from campaigns c where ?1 = ?1 and {IN_RANGE} order by c.created_at desc"
        )))
        .bind(0_i64)
        .bind(low)
        .bind(high)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(summary).collect()
    }

    async fn campaign(
        &self,
        id: uuid::Uuid,
        scope: Option<&RegionCode>,
    ) -> DbResult<Option<CampaignSummary>> {
        let (low, high) = scope_range(scope);
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {CAMPAIGN_COLUMNS} from campaigns c where c.id = ?1 and {IN_RANGE}"
        )))
        .bind(id.to_string())
        .bind(low)
        .bind(high)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.as_ref().map(summary).transpose()
    }

    async fn campaign_progress(
        &self,
        id: uuid::Uuid,
        scope: Option<&RegionCode>,
    ) -> DbResult<Vec<VillageProgress>> {
        let (low, high) = scope_range(scope);
        let rows = sqlx::query(sqlx::AssertSqlSafe(progress_sql(
            "group_concat(distinct ch.assignee)",
            |n| format!("?{n}"),
        )))
        .bind(id.to_string())
        .bind(low)
        .bind(high)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(VillageProgress {
                    village_code: get(r, "village_code")?,
                    village_name: get(r, "village_name")?,
                    households: get(r, "households")?,
                    assigned: get(r, "assigned")?,
                    assignees: get(r, "assignees")?,
                    visited: get(r, "visited")?,
                    submitted: get(r, "submitted")?,
                    returned: get(r, "returned")?,
                    reviewed: get(r, "reviewed")?,
                    approved: get(r, "approved")?,
                    still_poor: get(r, "still_poor")?,
                    graduated: get(r, "graduated")?,
                    moved: get(r, "moved")?,
                    died: get(r, "died")?,
                    duplicate: get(r, "duplicate")?,
                    not_found: get(r, "not_found")?,
                })
            })
            .collect()
    }

    async fn assign_village(
        &self,
        id: uuid::Uuid,
        village: &RegionCode,
        assignee: &str,
        entry: &AuditEntry,
    ) -> DbResult<u64> {
        let mut tx = self.pool.begin().await.map_err(err)?;
        let n = sqlx::query(
            "update campaign_households set assignee = ?1, version = version + 1, updated_at = ?2 \
             where campaign_id = ?3 and village_code = ?4",
        )
        .bind(assignee)
        .bind(Utc::now())
        .bind(id.to_string())
        .bind(village.dotted())
        .execute(&mut *tx)
        .await
        .map_err(err)?
        .rows_affected();
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)?;
        Ok(n)
    }

    async fn assignments(
        &self,
        assignee: &str,
        scope: Option<&RegionCode>,
    ) -> DbResult<Vec<Assignment>> {
        let (low, high) = scope_range(scope);
        let rows = sqlx::query(
            "select ch.campaign_id, c.name as campaign, ch.household_id, ch.village_code, ch.state, \
               (select k.name from individuals k where k.household_id = ch.household_id \
                  and k.relationship = 'kepala_keluarga' and k.merged_into is null order by k.id limit 1) as head_name \
             from campaign_households ch join campaigns c on c.id = ch.campaign_id \
             where ch.assignee = ?1 and ch.village_code >= ?2 and ch.village_code < ?3 \
             order by c.created_at desc, ch.village_code, ch.household_id limit 1000",
        )
        .bind(assignee)
        .bind(low)
        .bind(high)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(Assignment {
                    campaign_id: uuid(r, "campaign_id")?,
                    campaign: get(r, "campaign")?,
                    household_id: uuid(r, "household_id")?,
                    village_code: get(r, "village_code")?,
                    head_name: get(r, "head_name")?,
                    state: get(r, "state")?,
                })
            })
            .collect()
    }
}
