//! The register pages: search, a household, and its edit form with conflict handling.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sipmas_app::AppError;
use sipmas_app::register::{EditForm, EditOutcome, HouseholdView, SearchForm, SearchResult};
use sipmas_domain::{Household, WelfareStatus};

use super::{Chrome, Fm, Qs, html};
use crate::session::Viewer;
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    c: Chrome,
    form: SearchForm,
    statuses: &'static [WelfareStatus],
    sources: Vec<String>,
    result: Option<SearchResult>,
    error: Option<String>,
    prev_url: String,
    next_url: String,
}

fn page_url(form: &SearchForm, page: u32) -> String {
    let mut f = form.clone();
    f.hal = Some(page);
    format!(
        "/cari?{}",
        serde_urlencoded::to_string(&f).unwrap_or_default()
    )
}

pub(crate) async fn search(
    State(state): State<AppState>,
    v: Viewer,
    OriginalUri(uri): OriginalUri,
    Qs(form): Qs<SearchForm>,
) -> Result<Response, WebError> {
    let access = v.signed_in(&uri.to_string())?;
    let store = state.store.as_ref();
    let (result, error) = if form.is_empty() {
        (None, None)
    } else {
        match sipmas_app::register::search(store, access, &form).await {
            Ok(r) => (Some(r), None),
            Err(AppError::Invalid(m)) => (None, Some(m)),
            Err(e) => return Err(e.into()),
        }
    };
    let page = result.as_ref().map_or(1, |r| r.page);
    let mut resp = html(&SearchPage {
        c: Chrome::new(&v, v.lang.t("search-title"), &uri.to_string()),
        prev_url: page_url(&form, page.saturating_sub(1).max(1)),
        next_url: page_url(&form, page + 1),
        statuses: WelfareStatus::ALL,
        sources: store.data_sources().await?,
        form,
        result,
        error: error.clone(),
    })?;
    if error.is_some() {
        // The form stays filled in; the status says what was wrong.
        *resp.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(resp)
}

#[derive(Template)]
#[template(path = "household.html")]
struct HouseholdPage {
    c: Chrome,
    v: HouseholdView,
    housing: Vec<(&'static str, String)>,
    notice: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct HouseholdQuery {
    disimpan: Option<usize>,
}

/// Field name, message key and value, in form order.
pub(crate) fn fields(f: &EditForm) -> Vec<(&'static str, &'static str, String)> {
    let v = |x: &Option<String>| x.clone().unwrap_or_default();
    vec![
        ("street", "field-street", v(&f.street)),
        ("rt", "field-rt", v(&f.rt)),
        ("rw", "field-rw", v(&f.rw)),
        ("dusun", "field-dusun", v(&f.dusun)),
        ("latitude", "field-latitude", v(&f.latitude)),
        ("longitude", "field-longitude", v(&f.longitude)),
        ("floor", "field-floor", v(&f.floor)),
        ("wall", "field-wall", v(&f.wall)),
        ("roof", "field-roof", v(&f.roof)),
        ("water_source", "field-water_source", v(&f.water_source)),
        ("lighting", "field-lighting", v(&f.lighting)),
        ("cooking_fuel", "field-cooking_fuel", v(&f.cooking_fuel)),
        ("toilet", "field-toilet", v(&f.toilet)),
        ("ownership", "field-ownership", v(&f.ownership)),
        ("floor_area_m2", "field-floor_area_m2", v(&f.floor_area_m2)),
    ]
}

/// Two versions of the edit form side by side: field key, `now`, `mine`.
pub(crate) fn compare(now: &EditForm, mine: &EditForm) -> Vec<(&'static str, String, String)> {
    fields(now)
        .into_iter()
        .zip(fields(mine))
        .map(|((_, key, a), (_, _, b))| (key, a, b))
        .collect()
}

pub(crate) async fn household(
    State(state): State<AppState>,
    v: Viewer,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
    Qs(q): Qs<HouseholdQuery>,
) -> Result<Response, WebError> {
    let access = v.signed_in(uri.path())?;
    let view = sipmas_app::register::household(state.store.as_ref(), access, &id).await?;
    let housing = fields(&EditForm::of(&view.household))
        .into_iter()
        .skip(4)
        .filter(|(n, _, val)| !val.is_empty() && !matches!(*n, "latitude" | "longitude"))
        // Codes such as `kayu_kualitas_rendah` read as words.
        .map(|(_, k, val)| (k, val.replace('_', " ")))
        .collect();
    let notice = q.disimpan.map(|n| {
        if n == 0 {
            v.lang.t("hh-unchanged")
        } else {
            v.lang.t1("hh-saved", "count", n)
        }
    });
    html(&HouseholdPage {
        c: Chrome::new(&v, v.lang.t("hh-title"), uri.path()),
        v: view,
        housing,
        notice,
    })
}

#[derive(Template)]
#[template(path = "edit.html")]
struct EditPage {
    c: Chrome,
    id: String,
    form: EditForm,
    fields: Vec<(&'static str, &'static str, String)>,
    /// (message key, current value, the editor's value) after a conflict.
    conflict: Vec<(&'static str, String, String)>,
    error: Option<String>,
}

fn edit_page(
    v: &Viewer,
    id: &str,
    form: EditForm,
    current: Option<&Household>,
    error: Option<String>,
) -> Result<Response, WebError> {
    let path = format!("/keluarga/{id}/ubah");
    let mut form = form;
    let conflict = match current {
        Some(h) => {
            let now = EditForm::of(h);
            // Resubmitting after reading the comparison is a decision made knowingly.
            form.version = Some(h.version);
            compare(&now, &form)
        }
        None => Vec::new(),
    };
    let mut resp = html(&EditPage {
        c: Chrome::new(v, v.lang.t("edit-title"), &path),
        id: id.to_owned(),
        fields: fields(&form),
        form,
        conflict,
        error: error.clone(),
    })?;
    if current.is_some() {
        *resp.status_mut() = axum::http::StatusCode::CONFLICT;
    } else if error.is_some() {
        *resp.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(resp)
}

pub(crate) async fn edit_form(
    State(state): State<AppState>,
    v: Viewer,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let access = v.signed_in(uri.path())?;
    access.require(sipmas_app::access::Permission::EditHousehold)?;
    let hid = uuid::Uuid::parse_str(&id).map_err(|_| WebError::NotFound)?;
    let h = state
        .store
        .household_within(sipmas_domain::HouseholdId(hid), access.scope.as_ref())
        .await?
        .ok_or(WebError::NotFound)?;
    edit_page(&v, &id, EditForm::of(&h), None, None)
}

pub(crate) async fn edit_submit(
    State(state): State<AppState>,
    v: Viewer,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
    Fm(form): Fm<EditForm>,
) -> Result<Response, WebError> {
    let access = v.signed_in(uri.path())?;
    match sipmas_app::register::edit(state.store.as_ref(), access, &id, &form).await {
        Ok(EditOutcome::Saved { changed, .. }) => {
            Ok(Redirect::to(&format!("/keluarga/{id}?disimpan={changed}")).into_response())
        }
        Ok(EditOutcome::Conflict { current, mine }) => {
            edit_page(&v, &id, *mine, Some(&current), None)
        }
        Err(AppError::Invalid(m)) => edit_page(&v, &id, form, None, Some(m)),
        Err(e) => Err(e.into()),
    }
}
