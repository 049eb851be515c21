//! Verval pages: campaigns (plan, list), a campaign's progress by village with the
//! assignment of villages to their operators, and a village operator's list.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sipmas_app::AppError;
use sipmas_app::access::Permission;
use sipmas_app::verval::CampaignForm;
use sipmas_domain::{VisitResult, VisitState, WelfareStatus};
use sipmas_store::{Assignment, CampaignSummary, VillageProgress};

use super::{Chrome, Fm, Qs, html};
use crate::session::Viewer;
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "verval.html")]
struct CampaignsPage {
    c: Chrome,
    campaigns: Vec<CampaignSummary>,
    can_plan: bool,
    form: CampaignForm,
    statuses: &'static [WelfareStatus],
    error: Option<String>,
}

async fn campaigns_page(
    state: &AppState,
    v: &Viewer,
    form: CampaignForm,
    error: Option<String>,
) -> Result<Response, WebError> {
    let access = v.signed_in("/verval")?;
    let campaigns = sipmas_app::verval::campaigns(state.store.as_ref(), access).await?;
    let mut resp = html(&CampaignsPage {
        c: Chrome::new(v, v.lang.t("verval-title"), "/verval"),
        campaigns,
        can_plan: access.allows(Permission::PlanVerval),
        form,
        statuses: WelfareStatus::ALL,
        error: error.clone(),
    })?;
    if error.is_some() {
        *resp.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(resp)
}

pub(crate) async fn campaigns(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<Response, WebError> {
    campaigns_page(&state, &v, CampaignForm::default(), None).await
}

pub(crate) async fn create(
    State(state): State<AppState>,
    v: Viewer,
    Fm(form): Fm<CampaignForm>,
) -> Result<Response, WebError> {
    let access = v.signed_in("/verval")?;
    match sipmas_app::verval::create(state.store.as_ref(), access, &form).await {
        Ok((id, _)) => Ok(Redirect::to(&format!("/verval/{id}")).into_response()),
        Err(AppError::Invalid(m)) => campaigns_page(&state, &v, form, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "campaign.html")]
struct CampaignPage {
    c: Chrome,
    /// The due date has passed.
    overdue: bool,
    results: &'static [VisitResult],
    /// The filters the campaign was made with, as "wilayah 64.08 · status miskin_ekstrem".
    selection: String,
    campaign: CampaignSummary,
    villages: Vec<VillageProgress>,
    can_plan: bool,
    error: Option<String>,
}

/// The stored filters (a JSON object) as words; empty filters left out.
fn selection_text(json: &str) -> String {
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(json)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| {
            let v = v.as_str()?.trim().to_owned();
            (!v.is_empty()).then(|| format!("{k} {v}"))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

async fn campaign_page(
    state: &AppState,
    v: &Viewer,
    id: &str,
    error: Option<String>,
) -> Result<Response, WebError> {
    let path = format!("/verval/{id}");
    let access = v.signed_in(&path)?;
    let (campaign, villages) =
        sipmas_app::verval::progress(state.store.as_ref(), access, id).await?;
    let overdue = campaign
        .due_on
        .is_some_and(|d| d < chrono::Utc::now().date_naive());
    let mut resp = html(&CampaignPage {
        c: Chrome::new(v, campaign.name.clone(), &path),
        overdue,
        results: VisitResult::ALL,
        selection: selection_text(&campaign.selection),
        campaign,
        villages,
        can_plan: access.allows(Permission::PlanVerval),
        error: error.clone(),
    })?;
    if error.is_some() {
        *resp.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(resp)
}

pub(crate) async fn campaign(
    State(state): State<AppState>,
    v: Viewer,
    OriginalUri(_): OriginalUri,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    campaign_page(&state, &v, &id, None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct AssignForm {
    desa: String,
    petugas: String,
}

pub(crate) async fn assign(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Fm(form): Fm<AssignForm>,
) -> Result<Response, WebError> {
    let access = v.signed_in(&format!("/verval/{id}"))?;
    match sipmas_app::verval::assign(state.store.as_ref(), access, &id, &form.desa, &form.petugas)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/verval/{id}")).into_response()),
        Err(AppError::Invalid(m)) => campaign_page(&state, &v, &id, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct TasksPage {
    c: Chrome,
    tasks: Vec<(Assignment, VisitState)>,
    sent: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct TasksQuery {
    terkirim: Option<String>,
}

pub(crate) async fn tasks(
    State(state): State<AppState>,
    v: Viewer,
    Qs(q): Qs<TasksQuery>,
) -> Result<Response, WebError> {
    let access = v.signed_in("/tugas")?;
    let tasks = sipmas_app::verval::my_assignments(state.store.as_ref(), access)
        .await?
        .into_iter()
        .map(|t| {
            let st = VisitState::from_code(&t.state).unwrap_or(VisitState::Listed);
            (t, st)
        })
        .collect();
    html(&TasksPage {
        c: Chrome::new(&v, v.lang.t("tasks-title"), "/tugas"),
        tasks,
        sent: q.terkirim.is_some(),
    })
}
