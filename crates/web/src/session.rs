//! Who is asking: the session cookie or a bearer token becomes a `Viewer` (with the
//! user's `Access`, language and CSRF token) before any handler runs, and every
//! state-changing request is checked against cross-site forgery here, in one place.
//!
//! CSRF has two halves (see docs/design/0005-web.md): the browser's `Sec-Fetch-Site` /
//! `Origin` must be this site, and the form field `_csrf` (or header `X-CSRF-Token`) must
//! equal the session's token, or before sign-in the `sipmas_pra` cookie's.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sipmas_app::access::Access;

use crate::i18n::Lang;
use crate::{AppState, WebError};

pub const SESSION_COOKIE: &str = "sipmas_sesi";
pub const PRE_COOKIE: &str = "sipmas_pra";
pub const LANG_COOKIE: &str = "bahasa";
/// Largest form body read for the CSRF check (forms here are small; uploads are not forms).
const FORM_LIMIT: usize = 64 * 1024;

/// The asker of a request.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub access: Option<Access>,
    /// The token this viewer's forms must carry.
    pub csrf: String,
    pub lang: Lang,
    pub ip: Option<String>,
    /// The raw session token (for sign-out).
    pub session_token: Option<String>,
    /// Authenticated by `Authorization: Bearer` (API clients: no cookies, no CSRF).
    pub bearer: bool,
}

impl Viewer {
    /// The signed-in user, or `LoginRequired` (a redirect to the sign-in page).
    pub fn signed_in(&self, path: &str) -> Result<&Access, WebError> {
        self.access
            .as_ref()
            .ok_or_else(|| WebError::LoginRequired(path.to_owned()))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Viewer>()
            .cloned()
            .ok_or(WebError::Internal("viewer middleware missing"))
    }
}

/// A cookie's value from the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Secure when served over TLS.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let v = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Equal in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The browser says the request came from another site.
fn cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    // Older browsers send no Sec-Fetch-Site: compare Origin with Host.
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        host,
    ) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, h)| h) != Some(host),
        _ => false,
    }
}

fn client_ip(req: &Request) -> Option<String> {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
}

/// Resolves the viewer, checks CSRF on state-changing requests, and sets the pre-session
/// cookie when a form needs one.
pub async fn resolve(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match resolve_inner(&state, req, next).await {
        Ok(r) | Err(r) => r,
    }
}

async fn resolve_inner(state: &AppState, req: Request, next: Next) -> Result<Response, Response> {
    let ip = client_ip(&req);
    let headers = req.headers().clone();
    let store = state.store.as_ref();
    let lang = cookie(&headers, LANG_COOKIE).map_or(Lang::Id, Lang::from_code);
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let mut viewer = Viewer {
        access: None,
        csrf: String::new(),
        lang,
        ip: ip.clone(),
        session_token: None,
        bearer: bearer.is_some(),
    };
    if let Some(token) = bearer {
        viewer.access = sipmas_app::auth::token_access(store, token, ip)
            .await
            .map_err(|e| WebError::from(e).into_response())?;
        if viewer.access.is_none() {
            return Err(crate::api::unauthorized());
        }
    } else if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        let found = sipmas_app::auth::session(store, token, ip)
            .await
            .map_err(|e| WebError::from(e).into_response())?;
        if let Some((access, csrf)) = found {
            viewer.access = Some(access);
            viewer.csrf = csrf;
            viewer.session_token = Some(token.to_owned());
        }
    }
    let mut new_pre = None;
    if viewer.session_token.is_none() {
        match cookie(&headers, PRE_COOKIE) {
            Some(pre) if pre.len() == 43 => viewer.csrf = pre.to_owned(),
            _ => {
                let t = sipmas_app::auth::new_token();
                viewer.csrf.clone_from(&t);
                new_pre = Some(t);
            }
        }
    }
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let req = if unsafe_method && !viewer.bearer {
        check_csrf(state, &viewer, &headers, req).await?
    } else {
        req
    };
    let mut req = req;
    req.extensions_mut().insert(viewer);
    let mut resp = next.run(req).await;
    if let Some(t) = new_pre {
        resp.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(state, PRE_COOKIE, &t, 12 * 3600),
        );
    }
    Ok(resp)
}

/// Passes the request on (its body restored) when it carries this viewer's token from
/// this site; otherwise answers 403, or, when a signed-in form outlived its session,
/// the sign-in page holding the form's fields.
async fn check_csrf(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    req: Request,
) -> Result<Request, Response> {
    if cross_site(headers) {
        return Err(WebError::Csrf.into_response());
    }
    let (parts, body) = req.into_parts();
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let (fields, body) = if is_form {
        let bytes = axum::body::to_bytes(body, FORM_LIMIT)
            .await
            .map_err(|_| WebError::TooLarge.into_response())?;
        let fields: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        (fields, Body::from(bytes))
    } else {
        (Vec::new(), body)
    };
    // Multipart uploads are not read here (they stream to disk): their form carries the
    // token in its action URL instead.
    let in_query = parts.uri.query().and_then(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v)
    });
    let sent = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            fields
                .iter()
                .find(|(k, _)| k == "_csrf")
                .map(|(_, v)| v.clone())
        })
        .or(in_query);
    let expired = cookie(headers, SESSION_COOKIE).is_some() && viewer.access.is_none();
    // Signing out of a session that already ended: nothing to protect, just clear it.
    if expired && parts.uri.path() == "/keluar" {
        return Ok(Request::from_parts(parts, body));
    }
    if expired && is_form && parts.uri.path() != "/masuk" {
        return Err(crate::pages::auth::resume_page(
            state,
            viewer,
            parts.uri.path(),
            &fields,
        ));
    }
    match sent {
        Some(t) if !viewer.csrf.is_empty() && same(&t, &viewer.csrf) => {
            Ok(Request::from_parts(parts, body))
        }
        _ => Err(WebError::Csrf.into_response()),
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderMap;

    use super::{cookie, cross_site, same};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap_or_else(|_| unreachable!()));
        }
        h
    }

    #[test]
    fn cross_site_rules() {
        assert!(!cross_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(cross_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!cross_site(&headers(&[
            ("host", "a.id"),
            ("origin", "https://a.id")
        ])));
        assert!(cross_site(&headers(&[
            ("host", "a.id"),
            ("origin", "https://evil.id")
        ])));
        assert!(cross_site(&headers(&[("origin", "null")])));
        assert!(!cross_site(&headers(&[("host", "a.id")])));
    }

    #[test]
    fn cookies_and_comparison() {
        let h = headers(&[("cookie", "a=1; sipmas_sesi=xyz; b=2")]);
        assert_eq!(cookie(&h, "sipmas_sesi"), Some("xyz"));
        assert_eq!(cookie(&h, "c"), None);
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }
}
