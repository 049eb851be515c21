use async_trait::async_trait;
use chrono::Utc;
use sipmas_domain::{RegionCode, RegionLevel};
use sipmas_store::columns::REGION_COLUMNS;
use sipmas_store::{AuditEntry, DbResult, PopulationRecord, Region, RegionRecord, RegionStore};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};

use crate::rows::{code, get, opt_code};
use crate::{SqliteStore, audit, err};

// 5 binds per row; SQLite allows 32,766 per statement.
const CHUNK: usize = 5_000;

fn region(row: &SqliteRow) -> DbResult<Region> {
    let level: i64 = get(row, "level")?;
    Ok(Region {
        code: code(row, "code", |s| RegionCode::parse(s).ok())?,
        name: get(row, "name")?,
        level: RegionLevel::from_number(u8::try_from(level).unwrap_or(0))
            .ok_or_else(|| sipmas_store::DbError::Corrupt(format!("region level {level}")))?,
        parent: opt_code(row, "parent_code", |s| RegionCode::parse(s).ok())?,
        population: get(row, "population")?,
        population_male: get(row, "population_male")?,
        population_female: get(row, "population_female")?,
    })
}

#[async_trait]
impl RegionStore for SqliteStore {
    async fn region_index(&self) -> DbResult<Vec<(String, String, u8)>> {
        let rows = sqlx::query("select code, name, level from regions")
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok((
                    get(r, "code")?,
                    get(r, "name")?,
                    u8::try_from(get::<i64>(r, "level")?).unwrap_or(0),
                ))
            })
            .collect()
    }

    async fn save_regions(&self, regions: &[RegionRecord], entry: &AuditEntry) -> DbResult<()> {
        let mut tx = self.pool.begin().await.map_err(err)?;
        let now = Utc::now();
        for chunk in regions.chunks(CHUNK) {
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                "insert into regions (code, name, level, parent_code, updated_at) ",
            );
            q.push_values(chunk, |mut b, r| {
                b.push_bind(r.code.dotted())
                    .push_bind(r.name.clone())
                    .push_bind(i64::from(r.code.level().number()))
                    .push_bind(r.code.parent().map(|p| p.dotted()))
                    .push_bind(now);
            });
            q.push(
                " on conflict (code) do update set name = excluded.name, level = excluded.level, \
                 parent_code = excluded.parent_code, updated_at = excluded.updated_at, version = regions.version + 1",
            );
            q.build()
                // Only full chunks share a cached statement: a cached 1,500-row INSERT
                // is megabytes, and every file's last chunk has its own length.
                .persistent(chunk.len() == CHUNK)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
        }
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)
    }

    async fn save_population(
        &self,
        rows: &[PopulationRecord],
        entry: &AuditEntry,
    ) -> DbResult<u64> {
        let mut tx = self.pool.begin().await.map_err(err)?;
        let mut updated = 0;
        for r in rows {
            let res = sqlx::query(
                "update regions set population = ?, population_male = ?, population_female = ?, \
                 version = version + 1 where code = ?",
            )
            .bind(r.total)
            .bind(r.male)
            .bind(r.female)
            .bind(r.code.dotted())
            .execute(&mut *tx)
            .await
            .map_err(err)?;
            updated += res.rows_affected();
        }
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)?;
        Ok(updated)
    }

    async fn region(&self, code: &RegionCode) -> DbResult<Option<Region>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {REGION_COLUMNS} from regions where code = ?"
        )))
        .bind(code.dotted())
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.as_ref().map(region).transpose()
    }

    async fn child_regions(&self, parent: Option<&RegionCode>) -> DbResult<Vec<Region>> {
        let rows = match parent {
            Some(p) => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "select {REGION_COLUMNS} from regions where parent_code = ? order by code"
                )))
                .bind(p.dotted())
                .fetch_all(&self.pool)
                .await
            }
            None => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "select {REGION_COLUMNS} from regions where level = 1 order by code"
                )))
                .fetch_all(&self.pool)
                .await
            }
        }
        .map_err(err)?;
        rows.iter().map(region).collect()
    }

    async fn count_regions_by_level(&self) -> DbResult<[u64; 4]> {
        let rows = sqlx::query("select level, count(*) as n from regions group by level")
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
        let mut out = [0u64; 4];
        for r in rows {
            let level: i64 = r.try_get("level").map_err(err)?;
            let n: i64 = r.try_get("n").map_err(err)?;
            if let Some(slot) = usize::try_from(level - 1).ok().and_then(|i| out.get_mut(i)) {
                *slot = u64::try_from(n).unwrap_or(0);
            }
        }
        Ok(out)
    }
}
