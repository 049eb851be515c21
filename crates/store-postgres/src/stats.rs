use async_trait::async_trait;
use chrono::NaiveDate;
use sipmas_domain::RegionCode;
use sipmas_store::columns::NOT_A_MERGED_DUPLICATE;
use sipmas_store::{DbResult, PovertyCount, RegisterCounts, StatsStore};
use sqlx::Row;

use crate::{PgStore, err};

fn pattern(within: Option<&RegionCode>) -> String {
    within.map_or_else(|| "%".to_owned(), RegionCode::like_pattern)
}

fn count(row: &sqlx::postgres::PgRow, col: &str) -> DbResult<u64> {
    let n: Option<i64> = row.try_get(col).map_err(err)?;
    Ok(u64::try_from(n.unwrap_or(0)).unwrap_or(0))
}

#[async_trait]
impl StatsStore for PgStore {
    async fn register_counts(&self, within: Option<&RegionCode>) -> DbResult<RegisterCounts> {
        // People are counted while alive and not moved away; households whatever their status.
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select count(*) as households, \
               sum(case when welfare_status = 'miskin_ekstrem' then 1 else 0 end)::bigint as extreme_households, \
               sum(people)::bigint as individuals, \
               sum(case when welfare_status = 'miskin_ekstrem' then people else 0 end)::bigint as extreme_individuals \
             from (select h.welfare_status, \
                     (select count(*) from individuals i where i.household_id = h.id \
                        and i.life_status = 'hidup' and not i.moved and i.merged_into is null) as people \
                   from households h where h.village_code like $1 and {NOT_A_MERGED_DUPLICATE}) as t"
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
               from status_history where effective_on <= $1) \
             select count(*) as households, sum( \
               (select count(*) from individuals i where i.household_id = l.household_id and not i.moved and i.merged_into is null \
                  and (i.life_status = 'hidup' or i.deceased_on > $2)))::bigint as individuals \
             from latest l join households h on h.id = l.household_id \
             where l.rn = 1 and l.to_status = 'miskin_ekstrem' and h.village_code like $3 \
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
}
