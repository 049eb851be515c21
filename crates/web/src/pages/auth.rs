//! Sign-in, sign-out, the language switch, and the page that rescues a form whose
//! session ran out.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sipmas_app::auth::{LoginOutcome, SESSION_HOURS};

use super::{Chrome, Fm, html};
use crate::session::{LANG_COOKIE, SESSION_COOKIE, Viewer, set_cookie};
use crate::{AppState, WebError};

/// Failed sign-ins allowed per client address in a window, on top of the per-account
/// lock: past it the form answers 429 without checking any password (one address trying
/// one password against many accounts never trips a single account's lock).
pub const IP_FAILURES: u32 = 20;
const IP_WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Failed sign-ins per address (this process).
#[derive(Debug, Default)]
pub struct LoginThrottle(
    std::sync::Mutex<std::collections::HashMap<String, (u32, std::time::Instant)>>,
);

impl LoginThrottle {
    /// Counts an attempt as failed before its password is checked (so a burst of
    /// simultaneous attempts cannot all slip under the limit); `false` when the address
    /// is over the limit. A successful sign-in takes its count back (`succeeded`).
    fn attempt(&self, ip: Option<&str>) -> bool {
        let (Some(ip), Ok(mut map)) = (ip, self.0.lock()) else {
            return true;
        };
        // Forget old addresses so the map stays small.
        if map.len() > 10_000 {
            map.retain(|_, (_, since)| since.elapsed() < IP_WINDOW);
        }
        let entry = map
            .entry(ip.to_owned())
            .or_insert((0, std::time::Instant::now()));
        if entry.1.elapsed() >= IP_WINDOW {
            *entry = (0, std::time::Instant::now());
        }
        if entry.0 >= IP_FAILURES {
            return false;
        }
        entry.0 += 1;
        true
    }

    fn succeeded(&self, ip: Option<&str>) {
        if let (Some(ip), Ok(mut map)) = (ip, self.0.lock())
            && let Some(entry) = map.get_mut(ip)
        {
            entry.0 = entry.0.saturating_sub(1);
        }
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct Login {
    c: Chrome,
    error: Option<String>,
    next: String,
    username: String,
    resume: bool,
    carried: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "resume.html")]
struct Resume {
    c: Chrome,
    action: String,
    fields: Vec<(String, String)>,
}

/// Only a local path may be a redirect target (no `//host`, no scheme).
fn local(next: &str) -> String {
    // Browsers drop tabs and line breaks from URLs: `/\t/evil.example` would become
    // `//evil.example`, so no control or space character may appear at all.
    if next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct LoginQuery {
    #[serde(default)]
    lanjut: String,
}

pub(crate) async fn login_page(
    v: Viewer,
    Query(q): Query<LoginQuery>,
) -> Result<Response, WebError> {
    html(&Login {
        c: Chrome::new(&v, v.lang.t("login-title"), "/masuk"),
        error: None,
        next: local(&q.lanjut),
        username: String::new(),
        resume: false,
        carried: Vec::new(),
    })
}

/// The sign-in page answering a form posted after its session ended: the form's fields
/// ride along, hidden, and come back on the resume page after sign-in.
pub(crate) fn resume_page(
    _state: &AppState,
    v: &Viewer,
    path: &str,
    fields: &[(String, String)],
) -> Response {
    let page = Login {
        c: Chrome::new(v, v.lang.t("login-title"), "/masuk"),
        error: None,
        next: local(path),
        username: String::new(),
        resume: true,
        carried: fields
            .iter()
            .filter(|(k, _)| k != "_csrf")
            .cloned()
            .collect(),
    };
    match html(&page) {
        Ok(mut r) => {
            *r.status_mut() = StatusCode::UNAUTHORIZED;
            r
        }
        Err(e) => e.into_response(),
    }
}

pub(crate) async fn login(
    State(state): State<AppState>,
    v: Viewer,
    Fm(fields): Fm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let get = |k: &str| {
        fields
            .iter()
            .find(|(f, _)| f == k)
            .map(|(_, x)| x.clone())
            .unwrap_or_default()
    };
    let username = get("username");
    let next = local(&get("lanjut"));
    let carried: Vec<(String, String)> = fields
        .iter()
        .filter_map(|(k, x)| k.strip_prefix("bawa.").map(|k| (k.to_owned(), x.clone())))
        .collect();
    if !state.throttle.attempt(v.ip.as_deref()) {
        let mut resp = html(&Login {
            c: Chrome::new(&v, v.lang.t("login-title"), "/masuk"),
            error: Some(v.lang.t("login-throttled")),
            next,
            username,
            resume: !carried.is_empty(),
            carried,
        })?;
        *resp.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        return Ok(resp);
    }
    let outcome = sipmas_app::auth::login(
        state.store.as_ref(),
        username.trim(),
        &get("password"),
        v.ip.clone(),
    )
    .await?;
    let error = match outcome {
        LoginOutcome::SignedIn(s) => {
            state.throttle.succeeded(v.ip.as_deref());
            let cookie = set_cookie(&state, SESSION_COOKIE, &s.token, SESSION_HOURS * 3600);
            let mut resp = if carried.is_empty() {
                Redirect::to(&next).into_response()
            } else {
                let mut signed = v.clone();
                signed.csrf.clone_from(&s.csrf);
                signed.access = Some(s.access.clone());
                html(&Resume {
                    c: Chrome::new(&signed, v.lang.t("resume-title"), &next),
                    action: next,
                    fields: carried,
                })?
            };
            resp.headers_mut().append(header::SET_COOKIE, cookie);
            return Ok(resp);
        }
        LoginOutcome::Refused => v.lang.t("login-refused"),
        LoginOutcome::Locked(until) => v.lang.t1("login-locked", "until", until.format("%H:%M")),
    };
    let mut resp = html(&Login {
        c: Chrome::new(&v, v.lang.t("login-title"), "/masuk"),
        error: Some(error),
        next,
        username,
        resume: !carried.is_empty(),
        carried,
    })?;
    *resp.status_mut() = StatusCode::UNAUTHORIZED;
    Ok(resp)
}

pub(crate) async fn logout(State(state): State<AppState>, v: Viewer) -> Result<Response, WebError> {
    if let (Some(token), Some(access)) = (&v.session_token, &v.access) {
        sipmas_app::auth::logout(state.store.as_ref(), token, access).await?;
    }
    let mut resp = Redirect::to("/").into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, "", 0),
    );
    Ok(resp)
}

#[derive(Debug, Deserialize)]
pub(crate) struct LangQuery {
    #[serde(default)]
    kembali: String,
}

/// `/bahasa/en` or `/bahasa/id`: remembered in a cookie for a year.
pub(crate) async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let lang = crate::i18n::Lang::from_code(&code);
    let mut resp = Redirect::to(&local(&q.kembali)).into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, LANG_COOKIE, lang.code(), 365 * 24 * 3600),
    );
    resp
}
