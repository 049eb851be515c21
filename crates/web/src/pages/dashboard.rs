//! The dashboard: aggregates only (it is public), with small figures suppressed.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;
use sipmas_domain::RegionCode;

use crate::{AppState, WebError};

/// Figures below this many people are shown as "< 5" to the public (re-identification risk).
pub(crate) const SUPPRESS_BELOW: u64 = 5;

/// Formats a count the Indonesian way (1.234.567), suppressing small people counts.
pub(crate) fn people(n: u64) -> String {
    if n > 0 && n < SUPPRESS_BELOW {
        "< 5".to_owned()
    } else {
        thousands(n)
    }
}

pub(crate) fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

struct Row {
    code: String,
    name: String,
    drill: bool,
    households: String,
    extreme_households: String,
    extreme_people: String,
    /// Bar width in percent of the largest region.
    bar: u64,
}

struct TrendPoint {
    label: String,
    households: String,
    /// Bar height in pixels (0–120).
    height: u64,
    y: u64,
    x: u64,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    c: super::Chrome,
    title: String,
    parent: Option<(String, String)>,
    households: String,
    extreme_households: String,
    extreme_people: String,
    rows: Vec<Row>,
    trend: Vec<TrendPoint>,
    /// (desil, households, bar width in percent of the largest)
    desil: Vec<(u8, String, u64)>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct DashboardQuery {
    wilayah: Option<String>,
}

pub(crate) async fn dashboard(
    State(state): State<AppState>,
    v: crate::session::Viewer,
    axum::extract::OriginalUri(uri): axum::extract::OriginalUri,
    super::Qs(q): super::Qs<DashboardQuery>,
) -> Result<Response, WebError> {
    let store = state.store.as_ref();
    let within = q.wilayah.as_deref().and_then(|s| RegionCode::parse(s).ok());
    let region = match &within {
        Some(c) => Some(store.region(c).await?.ok_or(WebError::NotFound)?),
        None => None,
    };
    let mut children = store.child_regions(within.as_ref()).await?;
    // A province-less register (only the demo's Kalimantan Timur): open on the province.
    if within.is_none() && children.len() == 1 {
        children = store.child_regions(Some(&children[0].code)).await?;
    }
    // Figures come from the per-village table (refreshed by every change that moves
    // them), summed by code prefix: one query for the total, one for all the children.
    let total = store
        .dashboard_counts(within.as_ref(), 0)
        .await?
        .into_iter()
        .next()
        .map(|(_, c)| c)
        .unwrap_or_default();
    let child_len = children.first().map_or(0, |c| c.code.dotted().len());
    let by_child: std::collections::HashMap<String, sipmas_store::RegisterCounts> = store
        .dashboard_counts(within.as_ref(), child_len)
        .await?
        .into_iter()
        .collect();
    let mut rows = Vec::new();
    let mut counts = Vec::new();
    for child in &children {
        let c = by_child
            .get(&child.code.dotted())
            .copied()
            .unwrap_or_default();
        counts.push(c.extreme_poor_households);
        rows.push(Row {
            code: child.code.dotted(),
            name: child.name.clone(),
            drill: child.code.level() != sipmas_domain::RegionLevel::Village,
            households: thousands(c.households),
            extreme_households: people(c.extreme_poor_households),
            extreme_people: people(c.extreme_poor_individuals),
            bar: 0,
        });
    }
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    for (row, n) in rows.iter_mut().zip(&counts) {
        row.bar = n * 100 / max;
    }
    let trend = trend(store, within.as_ref(), total.extreme_poor_households).await?;
    let by_desil = store.dashboard_desil(within.as_ref()).await?;
    let widest = by_desil.iter().map(|d| d.1).max().unwrap_or(0).max(1);
    let desil = by_desil
        .into_iter()
        .map(|(d, n)| (d, thousands(n), n * 100 / widest))
        .collect();
    let page = Dashboard {
        c: super::Chrome::new(&v, v.lang.t("dash-title"), &uri.to_string()),
        title: region.as_ref().map_or_else(
            || v.lang.t("dash-all"),
            |r| format!("{} ({})", r.name, r.code),
        ),
        parent: region
            .as_ref()
            .and_then(|r| r.parent.as_ref())
            .map(|p| (p.dotted(), p.dotted())),
        households: thousands(total.households),
        extreme_households: people(total.extreme_poor_households),
        extreme_people: people(total.extreme_poor_individuals),
        rows,
        trend,
        desil,
    };
    super::html(&page)
}

/// Extremely poor households every half year since the 2022 P3KE data (from the status
/// history, kept per village), and today.
async fn trend(
    store: &dyn sipmas_store::Store,
    within: Option<&RegionCode>,
    today: u64,
) -> Result<Vec<TrendPoint>, WebError> {
    let mut points: Vec<(String, u64)> = store
        .dashboard_trend(within)
        .await?
        .into_iter()
        .map(|(d, n)| (d.format("%m/%Y").to_string(), n))
        .collect();
    points.push((Utc::now().date_naive().format("%m/%Y").to_string(), today));
    let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1);
    Ok(points
        .into_iter()
        .enumerate()
        .map(|(i, (label, v))| {
            let height = v * 120 / max;
            TrendPoint {
                label,
                households: people(v),
                height,
                y: 130 - height,
                x: 10 + i as u64 * 44,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn indonesian_thousands_and_suppression() {
        assert_eq!(super::thousands(1_234_567), "1.234.567");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::people(3), "< 5");
        assert_eq!(super::people(0), "0");
        assert_eq!(super::people(5), "5");
    }
}
