use async_trait::async_trait;
use chrono::{NaiveDate, Utc};
use futures_util::TryStreamExt;
use sipmas_domain::RegionCode;
use sipmas_store::columns::NOT_A_MERGED_DUPLICATE;
use sipmas_store::dashboard::{
    Dialect, RefreshSql, TrendTally, is_bulk, refresh_plan, refresh_ranges, stats_sum_sql,
    trend_dates,
};
use sipmas_store::{DbResult, PovertyCount, RegisterCounts, StatsStore};
use sqlx::{Connection, QueryBuilder, Row, Sqlite, SqliteConnection};

use crate::import::IMPORT_CACHE;
use crate::{SqliteStore, err};

const SQL: Dialect = Dialect {
    param: |n| format!("?{n}"),
    not_moved: "i.moved = 0",
    full_scan: " not indexed",
};

fn pattern(within: Option<&RegionCode>) -> String {
    within.map_or_else(|| "%".to_owned(), RegionCode::like_pattern)
}

fn count(row: &sqlx::sqlite::SqliteRow, col: &str) -> DbResult<u64> {
    let n: Option<i64> = row.try_get(col).map_err(err)?;
    Ok(u64::try_from(n.unwrap_or(0)).unwrap_or(0))
}

#[async_trait]
impl StatsStore for SqliteStore {
    async fn register_counts(&self, within: Option<&RegionCode>) -> DbResult<RegisterCounts> {
        // People are counted while alive and not moved away; households whatever their status.
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select count(*) as households, \
               sum(case when welfare_status = 'miskin_ekstrem' then 1 else 0 end) as extreme_households, \
               sum(people) as individuals, \
               sum(case when welfare_status = 'miskin_ekstrem' then people else 0 end) as extreme_individuals \
             from (select h.welfare_status, \
                     (select count(*) from individuals i where i.household_id = h.id \
                        and i.life_status = 'hidup' and i.moved = 0 and i.merged_into is null) as people \
                   from households h where h.village_code like ? and {NOT_A_MERGED_DUPLICATE})"
        )))
        .bind(pattern(within))
        .fetch_one(&self.pool)
        .await
        .map_err(err)?;
        Ok(RegisterCounts {
            households: count(&row, "households")?,
            individuals: count(&row, "individuals")?,
            extreme_poor_households: count(&row, "extreme_households")?,
            extreme_poor_individuals: count(&row, "extreme_individuals")?,
        })
    }

    async fn extreme_poor_on(
        &self,
        within: Option<&RegionCode>,
        date: NaiveDate,
    ) -> DbResult<PovertyCount> {
        // A household's status on `date` is its latest history entry effective on or before it.
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "with latest as ( \
               select household_id, to_status, row_number() over \
                 (partition by household_id order by effective_on desc, id desc) as rn \
               from status_history where effective_on <= ?) \
             select count(*) as households, sum( \
               (select count(*) from individuals i where i.household_id = l.household_id and i.moved = 0 and i.merged_into is null \
                  and (i.life_status = 'hidup' or i.deceased_on > ?))) as individuals \
             from latest l join households h on h.id = l.household_id \
             where l.rn = 1 and l.to_status = 'miskin_ekstrem' and h.village_code like ? \
               and {NOT_A_MERGED_DUPLICATE}"
        )))
        .bind(date)
        .bind(date)
        .bind(pattern(within))
        .fetch_one(&self.pool)
        .await
        .map_err(err)?;
        Ok(PovertyCount {
            households: count(&row, "households")?,
            individuals: count(&row, "individuals")?,
        })
    }

    async fn refresh_village_stats(
        &self,
        villages: Option<&[RegionCode]>,
        today: NaiveDate,
    ) -> DbResult<()> {
        let mut conn = self.pool.acquire().await.map_err(err)?;
        // After an import the refresh covers every village it touched and reads most of the
        // register once: with the pool's 256 MB cache the process kept a quarter gigabyte
        // of pages (444 MB peak after a million rows), so it runs with 32 MB. It also leaves
        // SQLite's temporary database open on its connection (`refresh_people`), and on
        // such a connection `temp_store` can no longer change inside a transaction, as an
        // import's index rebuild needs. So that connection is closed afterwards, success or
        // not, instead of going back to the pool. A few villages (a verval approval) keep
        // the warm cache and make no temporary table.
        let bulk = is_bulk(villages);
        if bulk {
            conn.close_on_drop();
        }
        let mut tx = conn.begin().await.map_err(err)?;
        if bulk {
            sqlx::query(IMPORT_CACHE)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
        }
        refresh(&mut tx, villages, today, bulk).await?;
        tx.commit().await.map_err(err)
    }

    async fn dashboard_counts(
        &self,
        within: Option<&RegionCode>,
        prefix_len: usize,
    ) -> DbResult<Vec<(String, RegisterCounts)>> {
        let (low, high) = refresh_ranges(within.map(std::slice::from_ref)).remove(0);
        let rows = sqlx::query(sqlx::AssertSqlSafe(stats_sum_sql(prefix_len, |n| {
            format!("?{n}")
        })))
        .bind(low)
        .bind(high)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get::<String, _>("code").map_err(err)?,
                    RegisterCounts {
                        households: count(r, "households")?,
                        individuals: count(r, "individuals")?,
                        extreme_poor_households: count(r, "extreme_households")?,
                        extreme_poor_individuals: count(r, "extreme_individuals")?,
                    },
                ))
            })
            .collect()
    }

    async fn dashboard_trend(
        &self,
        within: Option<&RegionCode>,
    ) -> DbResult<Vec<(NaiveDate, u64)>> {
        let (low, high) = refresh_ranges(within.map(std::slice::from_ref)).remove(0);
        let rows = sqlx::query(
            "select on_date, cast(sum(households) as bigint) as households from village_trend \
             where village_code >= ?1 and village_code < ?2 group by on_date order by on_date",
        )
        .bind(low)
        .bind(high)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| Ok((r.try_get("on_date").map_err(err)?, count(r, "households")?)))
            .collect()
    }

    async fn dashboard_desil(&self, within: Option<&RegionCode>) -> DbResult<Vec<(u8, u64)>> {
        let (low, high) = refresh_ranges(within.map(std::slice::from_ref)).remove(0);
        let rows = sqlx::query(
            "select desil, cast(sum(households) as bigint) as households from village_desil \
             where village_code >= ?1 and village_code < ?2 group by desil order by desil",
        )
        .bind(low)
        .bind(high)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                let d: i64 = r.try_get("desil").map_err(err)?;
                Ok((u8::try_from(d).unwrap_or(0), count(r, "households")?))
            })
            .collect()
    }
}

/// The deletes and inserts of one refresh, inside the caller's transaction.
async fn refresh(
    tx: &mut SqliteConnection,
    villages: Option<&[RegionCode]>,
    today: NaiveDate,
    bulk: bool,
) -> DbResult<()> {
    let sql = RefreshSql::new(bulk, &SQL);
    for statement in &sql.before {
        sqlx::query(sqlx::AssertSqlSafe(statement.as_str()))
            .execute(&mut *tx)
            .await
            .map_err(err)?;
    }
    for (low, high) in refresh_plan(villages) {
        for delete in &sql.deletes {
            sqlx::query(sqlx::AssertSqlSafe(delete.as_str()))
                .bind(&low)
                .bind(&high)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
        }
        sqlx::query(sqlx::AssertSqlSafe(sql.stats.as_str()))
            .bind(&low)
            .bind(&high)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        sqlx::query(sqlx::AssertSqlSafe(sql.desil.as_str()))
            .bind(&low)
            .bind(&high)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        let mut tally = TrendTally::new(trend_dates(today));
        {
            let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql.history.as_str()))
                .bind(&low)
                .bind(&high)
                .fetch(&mut *tx);
            while let Some(r) = rows.try_next().await.map_err(err)? {
                let village: String = r.try_get(0).map_err(err)?;
                let household: String = r.try_get(1).map_err(err)?;
                let status: String = r.try_get(2).map_err(err)?;
                let on: NaiveDate = r.try_get(3).map_err(err)?;
                tally.push(&village, &household, &status, on);
            }
        }
        for chunk in tally.finish().chunks(300) {
            let mut q: QueryBuilder<Sqlite> =
                QueryBuilder::new("insert into village_trend (village_code, on_date, households) ");
            q.push_values(chunk, |mut b, (v, d, n)| {
                b.push_bind(v.as_str()).push_bind(*d).push_bind(*n);
            });
            q.build().execute(&mut *tx).await.map_err(err)?;
        }
    }
    for statement in &sql.after {
        sqlx::query(sqlx::AssertSqlSafe(statement.as_str()))
            .execute(&mut *tx)
            .await
            .map_err(err)?;
    }
    Ok(())
}
