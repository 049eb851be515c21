//! The berita acara of one village: every household of the campaign with its result and
//! state, the counts, and who signs.

use serde::Serialize;
use sipmas_domain::{NoKk, RegionCode, RegionLevel, VisitResult, VisitState};
use sipmas_store::{CampaignSummary, Store, VisitFilter};

use crate::AppError;
use crate::access::{Access, Permission};
use crate::register::audit_read;

/// One household line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MinutesRow {
    pub household_id: String,
    pub no_kk: Option<String>,
    pub head_name: String,
    pub result: Option<VisitResult>,
    pub state: VisitState,
    pub comment: Option<String>,
}

/// The berita acara of a village.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Minutes {
    pub campaign: CampaignSummary,
    pub village_code: String,
    /// Village, kecamatan, kabupaten/kota, province names.
    pub places: Vec<String>,
    pub rows: Vec<MinutesRow>,
    /// Households per result (in `VisitResult` order), then not yet visited.
    pub counts: Vec<(String, usize)>,
    pub approved: usize,
    /// Village operators who visited.
    pub officers: Vec<String>,
}

/// Every household of the village (no village comes near this; the bound only keeps a
/// runaway query finite).
const LIMIT: u32 = 1_000_000;

/// The berita acara of `village` in `campaign`, within the reader's region; audited as a
/// read of personal data.
pub async fn minutes(
    store: &dyn Store,
    access: &Access,
    campaign: &str,
    village: &str,
) -> Result<Minutes, AppError> {
    access.require(Permission::ReadVisits)?;
    let id = super::id_or_not_found(campaign)?;
    let village = RegionCode::parse(village).map_err(|_| AppError::NotFound)?;
    if village.level() != RegionLevel::Village || !access.covers(&village) {
        return Err(AppError::NotFound);
    }
    let summary = store
        .campaign(id, Some(&village))
        .await?
        .ok_or(AppError::NotFound)?;
    let list = store
        .visit_rows(&VisitFilter {
            campaign_id: Some(id),
            within: Some(village.clone()),
            state: None,
            limit: LIMIT,
        })
        .await?;
    // Who visited signs; before any visit, whoever is assigned.
    let mut officers: Vec<String> = list.iter().filter_map(|r| r.visited_by.clone()).collect();
    if officers.is_empty() {
        officers = list.iter().filter_map(|r| r.assignee.clone()).collect();
    }
    officers.sort();
    officers.dedup();
    let rows: Vec<MinutesRow> = list
        .into_iter()
        .map(|r| MinutesRow {
            household_id: r.household_id.0.to_string(),
            no_kk: access.no_kk(
                r.no_kk
                    .as_deref()
                    .and_then(|k| NoKk::parse(k).ok())
                    .as_ref(),
            ),
            head_name: r.head_name.unwrap_or_default(),
            result: r.result.as_deref().and_then(VisitResult::from_code),
            state: VisitState::from_code(&r.state).unwrap_or(VisitState::Listed),
            comment: r.comment,
        })
        .collect();
    let mut counts: Vec<(String, usize)> = VisitResult::ALL
        .iter()
        .map(|res| {
            let n = rows.iter().filter(|r| r.result == Some(*res)).count();
            (res.label_id().to_owned(), n)
        })
        .collect();
    counts.push((
        VisitState::Listed.label_id().to_owned(),
        rows.iter().filter(|r| r.result.is_none()).count(),
    ));
    let places = crate::regions::place_names(store, &village)
        .await?
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    audit_read(
        store,
        access,
        &format!("berita-acara/{id}/{}", village.dotted()),
        serde_json::json!({ "page": "berita_acara", "households": rows.len() }),
    )
    .await?;
    Ok(Minutes {
        approved: rows
            .iter()
            .filter(|r| r.state == VisitState::Approved)
            .count(),
        campaign: summary,
        village_code: village.dotted(),
        places,
        rows,
        counts,
        officers,
    })
}
