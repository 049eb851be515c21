//! Admin pages: accounts and the audit trail (read-only: no route edits or deletes an
//! audit event, and the tables refuse it anyway).

use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::response::Response;
use serde::Deserialize;
use sipmas_app::AppError;
use sipmas_app::access::Permission;
use sipmas_app::auth::NewUser;
use sipmas_domain::{AuditAction, RegionCode, Role};
use sipmas_store::{AuditFilter, AuditRecord, UserSummary};

use super::{Chrome, Fm, Qs, html};
use crate::session::Viewer;
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    c: Chrome,
    users: Vec<UserSummary>,
    roles: &'static [Role],
    form: UserForm,
    error: Option<String>,
    notice: Option<String>,
    now: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct UserForm {
    username: String,
    display_name: String,
    role: String,
    region: String,
    full_view: Option<String>,
    password: String,
}

async fn users_page(
    state: &AppState,
    v: &Viewer,
    form: UserForm,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let users = state.store.list_users().await?;
    let mut resp = html(&UsersPage {
        c: Chrome::new(v, v.lang.t("users-title"), "/pengguna"),
        users,
        roles: Role::ALL,
        form: UserForm {
            password: String::new(),
            ..form
        },
        error: error.clone(),
        notice,
        now: chrono::Utc::now(),
    })?;
    if error.is_some() {
        *resp.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(resp)
}

pub(crate) async fn users(State(state): State<AppState>, v: Viewer) -> Result<Response, WebError> {
    v.signed_in("/pengguna")?.require(Permission::ManageUsers)?;
    users_page(&state, &v, UserForm::default(), None, None).await
}

pub(crate) async fn add_user(
    State(state): State<AppState>,
    v: Viewer,
    Fm(form): Fm<UserForm>,
) -> Result<Response, WebError> {
    let access = v.signed_in("/pengguna")?;
    access.require(Permission::ManageUsers)?;
    let parsed = (|| -> Result<NewUser, String> {
        let role = Role::from_code(form.role.trim()).ok_or("peran tidak dikenal")?;
        let region = Some(form.region.trim())
            .filter(|s| !s.is_empty())
            .map(RegionCode::parse)
            .transpose()
            .map_err(|e| e.to_string())?;
        // An admin creates accounts only within their own region.
        if let Some(scope) = &access.scope
            && !region.as_ref().is_some_and(|r| scope.contains(r))
        {
            return Err(format!("wilayah harus di dalam {}", scope.dotted()));
        }
        Ok(NewUser {
            username: form.username.clone(),
            display_name: form.display_name.clone(),
            role,
            region,
            full_view: form.full_view.is_some(),
            password: form.password.clone(),
        })
    })();
    let result = match parsed {
        Ok(new) => sipmas_app::auth::add_user(state.store.as_ref(), new, &access.username).await,
        Err(m) => Err(AppError::Invalid(m)),
    };
    match result {
        Ok(u) => {
            let notice = v.lang.t1("users-created", "name", &u.username);
            users_page(&state, &v, UserForm::default(), None, Some(notice)).await
        }
        Err(AppError::Invalid(m)) => users_page(&state, &v, form, Some(m), None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    events: Vec<AuditRecord>,
    filter: AuditQuery,
    actions: &'static [AuditAction],
    older: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub(crate) struct AuditQuery {
    actor: String,
    action: String,
    subject: String,
    sebelum: Option<i64>,
}

const AUDIT_PAGE: u32 = 100;

pub(crate) async fn audit(
    State(state): State<AppState>,
    v: Viewer,
    OriginalUri(uri): OriginalUri,
    Qs(q): Qs<AuditQuery>,
) -> Result<Response, WebError> {
    v.signed_in(&uri.to_string())?
        .require(Permission::ReadAudit)?;
    let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let events = state
        .store
        .audit_events(&AuditFilter {
            actor: opt(&q.actor),
            action: opt(&q.action),
            subject: opt(&q.subject),
            before_id: q.sebelum,
            limit: AUDIT_PAGE,
        })
        .await?;
    let older = (events.len() == AUDIT_PAGE as usize)
        .then(|| events.last().map(|e| e.id))
        .flatten()
        .map(|id| {
            let next = AuditQuery {
                sebelum: Some(id),
                ..q.clone()
            };
            format!(
                "/audit?{}",
                serde_urlencoded::to_string(&next).unwrap_or_default()
            )
        });
    html(&AuditPage {
        c: Chrome::new(&v, v.lang.t("audit-title"), &uri.to_string()),
        events,
        filter: q,
        actions: AuditAction::ALL,
        older,
    })
}
