//! Server-rendered pages (askama). Every page shares `Chrome`: language, navigation for
//! the viewer's role, and the CSRF token its forms carry.

pub(crate) mod admin;
pub(crate) mod auth;
pub(crate) mod dashboard;
pub(crate) mod links;
pub(crate) mod minutes;
pub(crate) mod register;
pub(crate) mod upload;
pub(crate) mod verval;
pub(crate) mod visit;
pub(crate) mod visit_submit;

use axum::response::{Html, IntoResponse, Response};
use sipmas_app::access::Permission;

use crate::WebError;
use crate::assets;
use crate::i18n::Lang;
use crate::session::Viewer;

pub(crate) use dashboard::SUPPRESS_BELOW;

/// What every page's frame needs.
#[derive(Debug, Clone)]
pub(crate) struct Chrome {
    pub lang: Lang,
    pub csrf: String,
    /// Display name and role label of the signed-in user.
    pub user: Option<(String, String)>,
    /// Username of the signed-in user (empty when signed out): the offline queue keeps
    /// each visit with the account that made it.
    pub username: String,
    pub nav: Vec<(&'static str, String)>,
    pub title: String,
    /// This page's path with its query, for the language switch to come back to.
    pub back: String,
}

impl Chrome {
    pub fn new(v: &Viewer, title: String, back: &str) -> Self {
        let lang = v.lang;
        let mut nav = vec![("/", lang.t("nav-dashboard"))];
        if let Some(a) = &v.access {
            nav.push(("/cari", lang.t("nav-search")));
            if a.role == sipmas_domain::Role::Desa {
                nav.push(("/tugas", lang.t("nav-tasks")));
            } else {
                nav.push(("/verval", lang.t("nav-verval")));
            }
            if a.allows(Permission::Import) && a.scope.is_none() {
                nav.push(("/impor", lang.t("nav-import")));
            }
            if a.allows(Permission::ReviewLinks) {
                nav.push(("/data-ganda", lang.t("nav-links")));
            }
            if a.allows(Permission::ManageUsers) {
                nav.push(("/pengguna", lang.t("nav-users")));
            }
            if a.allows(Permission::ReadAudit) {
                nav.push(("/audit", lang.t("nav-audit")));
            }
        }
        nav.push(("/api/v1/docs", lang.t("nav-api")));
        Self {
            lang,
            csrf: v.csrf.clone(),
            user: v.access.as_ref().map(|a| {
                (
                    a.display_name.clone(),
                    lang.label(a.role.label_id(), a.role.label_en()).to_owned(),
                )
            }),
            username: v
                .access
                .as_ref()
                .map(|a| a.username.clone())
                .unwrap_or_default(),
            nav,
            title,
            back: crate::error::urlencode(back),
        }
    }

    /// A message in the page's language.
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// A coded value's label in the page's language.
    pub fn label(&self, id: &'static str, en: &'static str) -> &'static str {
        self.lang.label(id, en)
    }

    /// The cache-busted URL of an embedded asset.
    pub fn asset(&self, name: &str) -> String {
        assets::url(name)
    }
}

/// Renders a template as a no-store HTML response (pages carry personal data: no caches).
pub(crate) fn html(t: &impl askama::Template) -> Result<Response, WebError> {
    let body = t.render()?;
    Ok((
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        Html(body),
    )
        .into_response())
}

/// `Query` whose rejection is our 400 page (a malformed `hal=abc` is the user's typo, not a crash).
#[derive(Debug)]
pub(crate) struct Qs<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequestParts<S> for Qs<T> {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, WebError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Qs(q.0))
            .map_err(|e| WebError::BadRequest(format!("alamat tidak sah: {}", e.body_text())))
    }
}

/// `Form` whose rejection is our 400 page.
#[derive(Debug)]
pub(crate) struct Fm<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for Fm<T> {
    type Rejection = WebError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, WebError> {
        axum::Form::<T>::from_request(req, state)
            .await
            .map(|f| Fm(f.0))
            .map_err(|e| WebError::BadRequest(format!("isian tidak sah: {}", e.body_text())))
    }
}

pub(crate) async fn not_found() -> Response {
    WebError::NotFound.into_response()
}
