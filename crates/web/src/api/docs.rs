use askama::Template;
use axum::Json;
use axum::response::Response;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::WebError;
use crate::pages::{Chrome, html};
use crate::session::Viewer;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let c = openapi.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        c.add_security_scheme(
            "sesi",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::session::SESSION_COOKIE,
            ))),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "SIPMAS API", version = "1", description = "Register kemiskinan ekstrem. Writes with a session cookie need the header X-CSRF-Token; bearer tokens (sipmas users token) need none.",
         license(name = "AGPL-3.0-or-later")),
    paths(super::public::stats, super::register::me, super::register::search, super::register::household,
          super::register::edit_household, super::register::audit, super::links::queue,
          super::links::decide, super::verval::campaigns, super::verval::create,
          super::verval::campaign, super::verval::assign, super::verval::tasks,
          super::verval::visit, super::verval::submit, super::verval::decide,
          super::verval::minutes),
    components(schemas(super::ApiErrorBody, super::register::Me, super::register::SearchPage,
                       super::register::Hit, super::register::HouseholdDoc, super::register::Edited,
                       super::links::Decided, super::verval::AssignBody)),
    modifiers(&Security)
)]
struct ApiDoc;

/// The OpenAPI 3.1 document.
pub(crate) async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

struct Endpoint {
    method: String,
    path: String,
    summary: String,
    params: Vec<String>,
    responses: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "apidocs.html")]
struct DocsPage {
    c: Chrome,
    endpoints: Vec<Endpoint>,
}

/// The API described on one server-rendered page: works offline and without JavaScript.
pub(crate) async fn docs_page(v: Viewer) -> Result<Response, WebError> {
    let doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    let mut endpoints = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, ops) in paths {
            for (method, op) in ops.as_object().into_iter().flatten() {
                let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
                endpoints.push(Endpoint {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    summary: text(&op["description"])
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .to_owned(),
                    params: op["parameters"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|p| {
                            format!(
                                "{} ({}): {}",
                                text(&p["name"]),
                                text(&p["in"]),
                                text(&p["description"])
                            )
                        })
                        .collect(),
                    responses: op["responses"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(code, r)| (code.clone(), text(&r["description"])))
                        .collect(),
                });
            }
        }
    }
    html(&DocsPage {
        c: Chrome::new(&v, v.lang.t("api-title"), "/api/v1/docs"),
        endpoints,
    })
}
