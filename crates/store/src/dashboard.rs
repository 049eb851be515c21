//! Dashboard figures kept per village (`village_stats`, `village_trend`) and summed over
//! code ranges for higher levels. Both backends stream the status history through
//! `TrendTally`, so the rule "a household's status on a date is its latest entry on or
//! before it" is written once.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use sipmas_domain::RegionCode;

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
