use async_trait::async_trait;
use chrono::Utc;
use sipmas_domain::{Household, HouseholdId, Nik, NoKk, RegionCode, WelfareStatus};
use sipmas_store::columns::{HOUSEHOLD_COLUMNS, update_sql};
use sipmas_store::{
    AuditEntry, AuditFilter, AuditRecord, Bind, BrowseStore, DbError, DbResult, EDIT_COLUMNS,
    EditValue, HouseholdEdit, HouseholdHit, HouseholdSearch, SearchPage, audit_sql, edit_values,
    search_sql,
};
use sqlx::Arguments;
use sqlx::sqlite::{SqliteArguments, SqliteRow};

use crate::rows::{code, get, household, opt_code, uuid};
use crate::{SqliteStore, audit, err};

fn args(binds: Vec<Bind>) -> DbResult<SqliteArguments> {
    let mut a = SqliteArguments::default();
    for b in binds {
        match b {
            Bind::Text(t) => a.add(t),
            Bind::Int(n) => a.add(n),
            Bind::Date(d) => a.add(d),
        }
        .map_err(|e| DbError::Other(e.to_string()))?;
    }
    Ok(a)
}

fn hit(r: &SqliteRow) -> DbResult<HouseholdHit> {
    Ok(HouseholdHit {
        id: HouseholdId(uuid(r, "id")?),
        no_kk: opt_code(r, "no_kk", |s| NoKk::parse(s).ok())?,
        head_name: get(r, "head_name")?,
        head_nik: opt_code(r, "head_nik", |s| Nik::parse(s).ok())?,
        matched_name: get(r, "matched_name")?,
        village: code(r, "village_code", |s| RegionCode::parse(s).ok())?,
        village_name: get(r, "village_name")?,
        desil: get::<Option<i64>>(r, "desil")?.and_then(|d| u8::try_from(d).ok()),
        welfare: code(r, "welfare_status", WelfareStatus::from_code)?,
        members: get(r, "members")?,
    })
}

pub(crate) fn audit_record(r: &SqliteRow) -> DbResult<AuditRecord> {
    Ok(AuditRecord {
        id: get(r, "id")?,
        occurred_at: get(r, "occurred_at")?,
        actor: get(r, "actor")?,
        action: get(r, "action")?,
        subject: get(r, "subject")?,
        detail: get(r, "detail")?,
        ip: get(r, "ip")?,
    })
}

#[async_trait]
impl BrowseStore for SqliteStore {
    async fn search_households(&self, q: &HouseholdSearch) -> DbResult<SearchPage> {
        let (sql, binds) = search_sql(q, |n| format!("?{n}"));
        let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql), args(binds)?)
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
        let mut hits = rows.iter().map(hit).collect::<DbResult<Vec<_>>>()?;
        let more = hits.len() > q.limit as usize;
        hits.truncate(q.limit as usize);
        Ok(SearchPage { hits, more })
    }

    async fn household_within(
        &self,
        id: HouseholdId,
        scope: Option<&RegionCode>,
    ) -> DbResult<Option<Household>> {
        let (low, high) =
            scope.map_or_else(|| (String::new(), "~".to_owned()), RegionCode::code_range);
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {HOUSEHOLD_COLUMNS} from households where id = ? and village_code >= ? and village_code < ?"
        )))
        .bind(id.0.to_string())
        .bind(low)
        .bind(high)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.as_ref().map(household).transpose()
    }

    async fn edit_household(&self, edit: &HouseholdEdit, entry: &AuditEntry) -> DbResult<i64> {
        let mut columns = EDIT_COLUMNS.to_vec();
        columns.push("version");
        let sql = update_sql("households", &columns, |_| "?".to_owned());
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for v in edit_values(edit) {
            q = match v {
                EditValue::Text(t) => q.bind(t),
                EditValue::Real(r) => q.bind(r),
            };
        }
        let now = Utc::now();
        let mut tx = self.pool.begin().await.map_err(err)?;
        let updated = q
            .bind(edit.expected_version + 1)
            .bind(now)
            .bind(edit.id.0.to_string())
            .bind(edit.expected_version)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if updated.rows_affected() == 0 {
            let current: Option<i64> =
                sqlx::query_scalar("select version from households where id = ?")
                    .bind(edit.id.0.to_string())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(err)?;
            return Err(match current {
                None => DbError::NotFound,
                Some(v) => DbError::Conflict(format!(
                    "household is at version {v}, not {}",
                    edit.expected_version
                )),
            });
        }
        for c in &edit.changes {
            sqlx::query(
                "insert into field_changes (household_id, individual_id, field, old_value, new_value, batch_id, actor, recorded_at) \
                 values (?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(c.household_id.0.to_string())
            .bind(c.individual_id.map(|i| i.0.to_string()))
            .bind(&c.field)
            .bind(&c.old_value)
            .bind(&c.new_value)
            .bind(c.batch_id.map(|b| b.to_string()))
            .bind(&c.actor)
            .bind(c.recorded_at)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        }
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)?;
        Ok(edit.expected_version + 1)
    }

    async fn data_sources(&self) -> DbResult<Vec<String>> {
        sqlx::query_scalar("select distinct source from import_batches order by source")
            .fetch_all(&self.pool)
            .await
            .map_err(err)
    }

    async fn append_audit(&self, entry: &AuditEntry) -> DbResult<()> {
        let mut conn = self.pool.acquire().await.map_err(err)?;
        audit::write(&mut conn, entry).await
    }

    async fn audit_events(&self, filter: &AuditFilter) -> DbResult<Vec<AuditRecord>> {
        let (sql, binds) = audit_sql(filter, |n| format!("?{n}"));
        let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql), args(binds)?)
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
        rows.iter().map(audit_record).collect()
    }
}
