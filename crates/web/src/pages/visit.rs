//! The visit pages: the village operator's form (phone-first, works offline with
//! verval.js, plain multipart without it), the reviewer's per-field comparison with the
//! register and its decision, and the photos.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sipmas_app::AppError;
use sipmas_app::access::{Access, Permission};
use sipmas_app::verval::{Decision, MAX_PHOTOS, Opened, VisitForm, next_step, stored_form};
use sipmas_domain::verval::CRITERIA;
use sipmas_domain::{Relationship, VisitResult, WelfareStatus};

use super::register::{compare, fields};
use super::{Chrome, Fm, html};
use crate::session::Viewer;
use crate::{AppState, WebError};

/// A member line of the form: id, name, relationship, what the form says now.
type MemberLine = (String, String, Relationship, String, String);

#[derive(Template)]
#[template(path = "visit.html")]
struct VisitPage {
    c: Chrome,
    o: Opened,
    form: VisitForm,
    members: Vec<MemberLine>,
    housing: Vec<(&'static str, &'static str, String)>,
    results: &'static [VisitResult],
    graduated: [WelfareStatus; 3],
    relationships: &'static [Relationship],
    criteria: &'static [(&'static str, &'static str, &'static str)],
    max_photos: usize,
    /// The register as it is now beside the form as typed, after a stale submission.
    stale: Vec<(&'static str, String, String)>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    c: Chrome,
    o: Opened,
    form: Option<VisitForm>,
    result: Option<VisitResult>,
    /// The status a graduation moves to.
    new_status: Option<WelfareStatus>,
    /// Field key, register value, visit value.
    diff: Vec<(&'static str, String, String)>,
    members: Vec<(String, String, String)>,
    criteria: Vec<(&'static str, &'static str, &'static str)>,
    photos: Vec<String>,
    nik_of: Vec<(String, String)>,
    can_decide: bool,
    error: Option<String>,
}

impl VisitPage {
    /// The checklist with what this form ticks.
    fn criteria_rows(&self) -> Vec<(&'static str, &'static str, &'static str, bool)> {
        self.criteria
            .iter()
            .map(|(code, id, en)| {
                (
                    *code,
                    *id,
                    *en,
                    self.form.criteria.iter().any(|k| k == code),
                )
            })
            .collect()
    }
}

pub(super) fn path(campaign: &str, household: &str) -> String {
    format!("/verval/{campaign}/kunjungan/{household}")
}

fn member_lines(o: &Opened, form: &VisitForm) -> Vec<MemberLine> {
    o.members
        .iter()
        .map(|m| {
            let id = m.id.0.to_string();
            let mark = form.members.iter().find(|k| k.id == id);
            (
                id,
                m.name.clone(),
                m.relationship,
                mark.map_or_else(|| "tetap".to_owned(), |k| k.action.clone()),
                mark.map(|k| k.date.clone()).unwrap_or_default(),
            )
        })
        .collect()
}

pub(super) fn visit_page(
    v: &Viewer,
    o: Opened,
    form: VisitForm,
    stale: bool,
    error: Option<String>,
) -> Result<Response, WebError> {
    let p = path(
        &o.target.campaign_id.to_string(),
        &o.household.id.0.to_string(),
    );
    let stale_rows = if stale {
        let now = sipmas_app::register::EditForm::of(&o.household);
        let mut rows = vec![(
            "search-status",
            o.household.welfare.label_id().to_owned(),
            form.result.clone(),
        )];
        rows.extend(compare(&now, &form.housing));
        rows
    } else {
        Vec::new()
    };
    let mut resp = html(&VisitPage {
        c: Chrome::new(v, v.lang.t("visit-title"), &p),
        members: member_lines(&o, &form),
        housing: fields(&form.housing),
        o,
        form,
        results: VisitResult::ALL,
        graduated: [
            WelfareStatus::Poor,
            WelfareStatus::Vulnerable,
            WelfareStatus::NotPoor,
        ],
        relationships: Relationship::ALL,
        criteria: &CRITERIA,
        max_photos: MAX_PHOTOS,
        stale: stale_rows,
        error: error.clone(),
    })?;
    if stale {
        *resp.status_mut() = StatusCode::CONFLICT;
    } else if error.is_some() {
        *resp.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(resp)
}

fn review_page(
    v: &Viewer,
    access: &Access,
    o: Opened,
    photos: Vec<String>,
    error: Option<String>,
) -> Result<Response, WebError> {
    let p = path(
        &o.target.campaign_id.to_string(),
        &o.household.id.0.to_string(),
    );
    let form = stored_form(&o);
    let now = sipmas_app::register::EditForm::of(&o.household);
    let mut diff = Vec::new();
    let mut members = Vec::new();
    let mut criteria = Vec::new();
    if let Some(f) = &form {
        let theirs = f.housing.over(&o.household);
        diff = compare(&now, &theirs);
        members = member_lines(&o, f)
            .into_iter()
            .map(|(_, name, _, action, date)| {
                // The label's key; an unknown action (never stored: the form is checked)
                // shows as staying.
                let key = match action.as_str() {
                    "meninggal" => "visit-member-died",
                    "pindah" => "visit-member-moved",
                    _ => "visit-member-stays",
                };
                (name, key.to_owned(), date)
            })
            .collect();
        criteria = CRITERIA
            .iter()
            .filter(|c| f.criteria.iter().any(|k| k == c.0))
            .copied()
            .collect();
    }
    let result = form
        .as_ref()
        .and_then(|f| VisitResult::from_code(&f.result));
    let new_status = form
        .as_ref()
        .and_then(|f| WelfareStatus::from_code(f.new_status.trim()));
    let nik_of = o
        .members
        .iter()
        .map(|m| {
            (
                m.name.clone(),
                access.nik(m.nik.as_ref()).unwrap_or_default(),
            )
        })
        .collect();
    let can_decide = next_step(access, o.state).is_some();
    let mut resp = html(&ReviewPage {
        c: Chrome::new(v, v.lang.t("review-title"), &p),
        o,
        form,
        result,
        new_status,
        diff,
        members,
        criteria,
        photos,
        nik_of,
        can_decide,
        error: error.clone(),
    })?;
    if error.is_some() {
        *resp.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(resp)
}

async fn show(
    state: &AppState,
    v: &Viewer,
    campaign: &str,
    household: &str,
    error: Option<String>,
) -> Result<Response, WebError> {
    let access = v.signed_in(&path(campaign, household))?;
    let store = state.store.as_ref();
    let o = sipmas_app::verval::view(store, access, campaign, household).await?;
    if access.allows(Permission::VisitHouseholds) && o.state.open_for_visit() {
        // A sent-back visit reopens with the version it was made against: if the register
        // moved since, sending it again shows the comparison instead of overwriting.
        let form = stored_form(&o).unwrap_or_else(|| VisitForm::blank(&o.household, &o.members));
        return visit_page(v, o, form, false, error);
    }
    let photos = photo_urls(store, &o).await.map_err(AppError::from)?;
    review_page(v, access, o, photos, error)
}

/// Where the visit's photos are served (`photo` below), oldest first; for the page and
/// the API alike.
pub(crate) async fn photo_urls(
    store: &dyn sipmas_store::Store,
    o: &Opened,
) -> Result<Vec<String>, sipmas_store::DbError> {
    Ok(store
        .photo_ids(o.target.campaign_id, o.household.id)
        .await?
        .into_iter()
        .map(|id| format!("/verval/foto/{id}"))
        .collect())
}

/// `GET /verval/{campaign}/kunjungan/{household}`: the form for the village operator
/// whose assignment it is (while open), the comparison for everyone else.
pub(crate) async fn visit(
    State(state): State<AppState>,
    v: Viewer,
    Path((campaign, household)): Path<(String, String)>,
) -> Result<Response, WebError> {
    show(&state, &v, &campaign, &household, None).await
}

/// `POST /verval/{campaign}/kunjungan/{household}/keputusan`: approve or send back.
pub(crate) async fn decide(
    State(state): State<AppState>,
    v: Viewer,
    Path((campaign, household)): Path<(String, String)>,
    Fm(d): Fm<Decision>,
) -> Result<Response, WebError> {
    let access = v.signed_in(&path(&campaign, &household))?;
    match sipmas_app::verval::decide(state.store.as_ref(), access, &campaign, &household, &d).await
    {
        Ok(_) => Ok(Redirect::to(&path(&campaign, &household)).into_response()),
        Err(AppError::Invalid(m)) => show(&state, &v, &campaign, &household, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

/// `GET /verval/foto/{id}`: a visit photo, for those who may open the visit.
pub(crate) async fn photo(
    State(state): State<AppState>,
    v: Viewer,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let access = v.signed_in(uri.path())?;
    let p = sipmas_app::verval::photo(state.store.as_ref(), access, &id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, p.content_type),
            (header::CACHE_CONTROL, "private, max-age=3600".to_owned()),
        ],
        p.bytes,
    )
        .into_response())
}
