//! Dashboard figures kept per village (`village_stats`, `village_trend`) and summed over
//! code ranges for higher levels. Both backends stream the status history through
//! `TrendTally`, so the rule "a household's status on a date is its latest entry on or
//! before it" is written once.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use sipmas_domain::RegionCode;

use crate::columns::NOT_A_MERGED_DUPLICATE;

/// The half-year dates the trend shows: 1 July 2022 (the P3KE baseline), then every
/// 1 January and 1 July up to `today`.
pub fn trend_dates(today: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    for year in 2022..=today.year() {
        for month in [1, 7] {
            if let Some(d) = NaiveDate::from_ymd_opt(year, month, 1)
                && d <= today
                && (year, month) >= (2022, 7)
            {
                out.push(d);
            }
        }
    }
    out
}

/// `[low, high)` code ranges to refresh: one per village, or everything.
pub fn refresh_ranges(villages: Option<&[RegionCode]>) -> Vec<(String, String)> {
    match villages {
        None => vec![(String::new(), "~".to_owned())],
        Some(v) => v.iter().map(RegionCode::code_range).collect(),
    }
}

/// Villages above which a refresh is done in bulk: one range over all of them, read in one
/// pass.
pub const BULK_VILLAGES: usize = 50;

/// True when a refresh of `villages` is done in bulk.
pub fn is_bulk(villages: Option<&[RegionCode]>) -> bool {
    villages.is_none_or(|v| v.len() > BULK_VILLAGES)
}

/// The ranges a refresh covers: per village, or in bulk one range from the lowest to the
/// highest (villages between them that were not touched get their figures recomputed,
/// unchanged).
pub fn refresh_plan(villages: Option<&[RegionCode]>) -> Vec<(String, String)> {
    let per_village = refresh_ranges(villages);
    if !is_bulk(villages) || per_village.len() < 2 {
        return per_village;
    }
    let low = per_village
        .iter()
        .map(|r| r.0.clone())
        .min()
        .unwrap_or_default();
    let high = per_village
        .iter()
        .map(|r| r.1.clone())
        .max()
        .unwrap_or_default();
    vec![(low, high)]
}

/// How a backend spells what the refresh SQL needs.
#[derive(Debug, Clone, Copy)]
pub struct Dialect {
    /// The `n`th bound parameter (`?1`, `$1`).
    pub param: fn(usize) -> String,
    /// "Member `i` has not moved away".
    pub not_moved: &'static str,
    /// After `households h` in a bulk refresh: read the table in storage order. SQLite
    /// otherwise walks the village index to serve the `group by` and fetches the rows in
    /// index order, one scattered page read each: 1.4 s per statement after a million-row
    /// import, 0.5 s with ` not indexed`.
    pub full_scan: &'static str,
}

/// The three statements of a refresh over one range (`param(1)`..`param(2)`; the stats
/// insert binds the refresh time as `param(3)`). Per village they look up each household's
/// members; in bulk one pass over `individuals` grouped by household serves every
/// household: after a million-row import the per-household lookups took 10 s on SQLite.
#[derive(Debug)]
pub struct RefreshSql {
    /// Run first, without parameters: in bulk, each household's member counts, computed
    /// once into a temporary table for the three statements (each had grouped the whole
    /// `individuals` table again: 1.4 s apiece after a million-row import on SQLite).
    pub before: Vec<String>,
    /// Run last, without parameters.
    pub after: Vec<String>,
    /// Clear the range in each per-village table before it is filled again.
    pub deletes: Vec<String>,
    pub stats: String,
    pub desil: String,
    pub history: String,
}

/// The temporary table of member counts per household that a bulk refresh joins.
const PEOPLE: &str = "refresh_people";

impl RefreshSql {
    pub fn new(bulk: bool, d: &Dialect) -> RefreshSql {
        let (p1, p2, p3) = ((d.param)(1), (d.param)(2), (d.param)(3));
        let not_moved = d.not_moved;
        let living = format!("i.life_status = 'hidup' and {not_moved} and i.merged_into is null");
        let households = if bulk {
            format!("households h{}", d.full_scan)
        } else {
            "households h".to_owned()
        };
        let (range, join, counted, people) = if bulk {
            (
                format!("h.village_code >= {p1} and h.village_code < {p2}"),
                format!("left join {PEOPLE} p on p.household_id = h.id"),
                // NOT_A_MERGED_DUPLICATE, as a join.
                "(coalesce(p.any_merged, 0) = 0 or p.any_unmerged = 1)".to_owned(),
                "p.people".to_owned(),
            )
        } else {
            (
                format!("h.village_code >= {p1} and h.village_code < {p2}"),
                String::new(),
                NOT_A_MERGED_DUPLICATE.to_owned(),
                format!(
                    "(select count(*) from individuals i where i.household_id = h.id and {living})"
                ),
            )
        };
        let (before, after) = if bulk {
            (
                vec![
                    format!("drop table if exists {PEOPLE}"),
                    format!(
                        "create temp table {PEOPLE} as select i.household_id, \
                           sum(case when {living} then 1 else 0 end) as people, \
                           max(case when i.merged_into is not null then 1 else 0 end) as any_merged, \
                           max(case when i.merged_into is null then 1 else 0 end) as any_unmerged \
                         from individuals i group by i.household_id"
                    ),
                    format!("create index {PEOPLE}_idx on {PEOPLE} (household_id)"),
                ],
                vec![format!("drop table {PEOPLE}")],
            )
        } else {
            (Vec::new(), Vec::new())
        };
        RefreshSql {
            before,
            after,
            deletes: ["village_stats", "village_trend", "village_desil"]
                .iter()
                .map(|t| {
                    format!("delete from {t} where village_code >= {p1} and village_code < {p2}")
                })
                .collect(),
            stats: format!(
                "insert into village_stats (village_code, households, individuals, extreme_households, \
                   extreme_individuals, refreshed_at) \
                 select village_code, count(*), coalesce(sum(people), 0), \
                   sum(case when welfare_status = 'miskin_ekstrem' then 1 else 0 end), \
                   coalesce(sum(case when welfare_status = 'miskin_ekstrem' then people else 0 end), 0), {p3} \
                 from (select h.village_code, h.welfare_status, {people} as people \
                       from {households} {join} where {range} and {counted}) as t \
                 group by village_code"
            ),
            desil: format!(
                "insert into village_desil (village_code, desil, households) \
                 select h.village_code, h.desil, count(*) from {households} {join} \
                 where {range} and h.desil is not null and {counted} \
                 group by h.village_code, h.desil"
            ),
            history: format!(
                "select h.village_code, s.household_id, s.to_status, s.effective_on \
                 from status_history s join {households} on h.id = s.household_id {join} \
                 where {range} and {counted} \
                 order by s.household_id, s.effective_on, s.id"
            ),
        }
    }
}

/// Counts extremely poor households per village and date from history rows that arrive
/// ordered by household, then effective date, then entry id.
#[derive(Debug)]
pub struct TrendTally {
    dates: Vec<NaiveDate>,
    counts: HashMap<String, Vec<u64>>,
    household: Option<String>,
    village: String,
    /// (effective date, extremely poor) of the current household, in order.
    entries: Vec<(NaiveDate, bool)>,
}

impl TrendTally {
    pub fn new(dates: Vec<NaiveDate>) -> Self {
        Self {
            dates,
            counts: HashMap::new(),
            household: None,
            village: String::new(),
            entries: Vec::new(),
        }
    }

    fn flush(&mut self) {
        if self.household.is_none() {
            return;
        }
        let row = self
            .counts
            .entry(std::mem::take(&mut self.village))
            .or_insert_with(|| vec![0; self.dates.len()]);
        for (k, d) in self.dates.iter().enumerate() {
            // The last entry effective on or before the date decides.
            if let Some((_, extreme)) = self.entries.iter().rev().find(|(on, _)| on <= d)
                && *extreme
            {
                row[k] += 1;
            }
        }
        self.entries.clear();
    }

    /// One history entry.
    pub fn push(&mut self, village: &str, household: &str, to_status: &str, on: NaiveDate) {
        if self.household.as_deref() != Some(household) {
            self.flush();
            self.household = Some(household.to_owned());
            village.clone_into(&mut self.village);
        }
        self.entries.push((on, to_status == "miskin_ekstrem"));
    }

    /// (village, date, households) for every village seen, zeros included.
    pub fn finish(mut self) -> Vec<(String, NaiveDate, i64)> {
        self.flush();
        let mut out = Vec::new();
        for (village, counts) in self.counts {
            for (d, n) in self.dates.iter().zip(counts) {
                out.push((village.clone(), *d, i64::try_from(n).unwrap_or(i64::MAX)));
            }
        }
        out
    }
}

/// Sums of `village_stats` within a range, grouped by the first `prefix_len` characters
/// of the code (0: one total row). Binds: low, high.
pub fn stats_sum_sql(prefix_len: usize, placeholder: impl Fn(usize) -> String) -> String {
    let key = if prefix_len == 0 {
        "''".to_owned()
    } else {
        format!("substr(village_code, 1, {prefix_len})")
    };
    format!(
        "select {key} as code, cast(sum(households) as bigint) as households, \
           cast(sum(individuals) as bigint) as individuals, \
           cast(sum(extreme_households) as bigint) as extreme_households, \
           cast(sum(extreme_individuals) as bigint) as extreme_individuals \
         from village_stats where village_code >= {} and village_code < {} group by 1 order by 1",
        placeholder(1),
        placeholder(2)
    )
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::{TrendTally, trend_dates};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn half_years_since_the_baseline() {
        assert_eq!(
            trend_dates(d(2023, 3, 5)),
            vec![d(2022, 7, 1), d(2023, 1, 1)]
        );
        assert_eq!(trend_dates(d(2022, 6, 30)), vec![]);
    }

    #[test]
    fn latest_entry_on_or_before_each_date_decides() {
        let mut t = TrendTally::new(vec![d(2022, 7, 1), d(2023, 1, 1), d(2023, 7, 1)]);
        // Extremely poor from the baseline, graduated in March 2023.
        t.push("64.08.01.2001", "a", "miskin_ekstrem", d(2022, 6, 1));
        t.push("64.08.01.2001", "a", "tidak_miskin", d(2023, 3, 1));
        // Fell into extreme poverty in 2023.
        t.push("64.08.01.2001", "b", "miskin", d(2022, 1, 1));
        t.push("64.08.01.2001", "b", "miskin_ekstrem", d(2023, 2, 1));
        // Another village, registered after the first date.
        t.push("64.08.01.2002", "c", "miskin_ekstrem", d(2022, 12, 1));
        let mut rows = t.finish();
        rows.sort();
        let first: Vec<i64> = rows
            .iter()
            .filter(|r| r.0.ends_with("2001"))
            .map(|r| r.2)
            .collect();
        let second: Vec<i64> = rows
            .iter()
            .filter(|r| r.0.ends_with("2002"))
            .map(|r| r.2)
            .collect();
        assert_eq!(first, vec![1, 1, 1]);
        assert_eq!(second, vec![0, 1, 1]);
    }
}
