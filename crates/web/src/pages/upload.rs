//! Import by upload: the file is streamed to disk (never held in memory), the same
//! pipeline as `sipmas import` runs in the background, and a progress page refreshes
//! itself (a meta refresh: no JavaScript needed) until the summary and the row report
//! are ready.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use sipmas_app::access::{Access, Permission};
use sipmas_app::import::{Format, ImportOptions, ImportSummary};
use sipmas_domain::AuditAction;
use tokio::io::AsyncWriteExt;

use super::{Chrome, html};
use crate::session::Viewer;
use crate::{AppState, WebError};

/// Where the upload form posts (no request timeout there: see `middleware`).
pub const UPLOAD_PATH: &str = "/impor/unggah";

/// Largest upload accepted (a province's P3KE export is a few hundred MB as CSV).
pub const UPLOAD_LIMIT: usize = 2 * 1024 * 1024 * 1024;

/// One upload being imported. Jobs live in this process only: a restart loses the
/// progress page, never the import (which is one transaction: done or absent).
#[derive(Debug, Clone)]
pub struct Job {
    owner: String,
    file: String,
    done: u64,
    total: u64,
    result: Option<Result<ImportSummary, String>>,
}

/// The upload jobs of this process.
#[derive(Debug, Default)]
pub struct Jobs(Mutex<HashMap<String, Job>>);

impl Jobs {
    fn update(&self, id: &str, f: impl FnOnce(&mut Job)) {
        if let Ok(mut map) = self.0.lock()
            && let Some(job) = map.get_mut(id)
        {
            f(job);
        }
    }

    fn get(&self, id: &str) -> Option<Job> {
        self.0.lock().ok().and_then(|m| m.get(id).cloned())
    }
}

fn allowed(v: &Viewer, path: &str) -> Result<Access, WebError> {
    let access = v.signed_in(path)?;
    access.require(Permission::Import)?;
    // The pipeline writes every row of the file; an account limited to a region must not
    // load rows of other regions, so uploads need an account without a region limit.
    if access.scope.is_some() {
        return Err(WebError::Forbidden);
    }
    Ok(access.clone())
}

#[derive(Template)]
#[template(path = "upload.html")]
struct UploadPage {
    c: Chrome,
    job: Option<(String, Job)>,
    percent: u64,
    error: Option<String>,
}

pub(crate) async fn form(v: Viewer) -> Result<Response, WebError> {
    allowed(&v, "/impor")?;
    html(&UploadPage {
        c: Chrome::new(&v, v.lang.t("upload-title"), "/impor"),
        job: None,
        percent: 0,
        error: None,
    })
}

fn safe_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("berkas");
    let clean: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean.trim_matches('.').is_empty() {
        "berkas.csv".to_owned()
    } else {
        clean
    }
}

type Received = (Option<Format>, bool, Option<PathBuf>);

/// Reads the form's fields, streaming the file into `dir`.
async fn receive(multipart: &mut Multipart, dir: &std::path::Path) -> Result<Received, WebError> {
    let (mut format, mut dry_run, mut path): Received = (None, false, None);
    let bad = |m: &str| WebError::BadRequest(m.to_owned());
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| bad(&e.body_text()))?
    {
        match field.name() {
            Some("format") => {
                let text = field.text().await.map_err(|e| bad(&e.body_text()))?;
                format = Some(
                    Format::parse(&text)
                        .filter(|f| *f != Format::Generic)
                        .ok_or_else(|| bad("format: pilih p3ke, p3ke-keluarga atau dtsen"))?,
                );
            }
            Some("dry_run") => dry_run = true,
            Some("file") => {
                let name = safe_name(field.file_name().unwrap_or("berkas.csv"));
                let target = dir.join(&name);
                let mut out = tokio::fs::File::create(&target)
                    .await
                    .map_err(|_| WebError::Internal("upload file"))?;
                while let Some(chunk) = field.chunk().await.map_err(|e| bad(&e.body_text()))? {
                    out.write_all(&chunk)
                        .await
                        .map_err(|_| WebError::Internal("upload write"))?;
                }
                out.flush()
                    .await
                    .map_err(|_| WebError::Internal("upload write"))?;
                path = Some(target);
            }
            _ => {}
        }
    }
    Ok((format, dry_run, path))
}

/// `POST /impor/unggah` (multipart: `format`, `dry_run`, `file`).
pub(crate) async fn upload(
    State(state): State<AppState>,
    v: Viewer,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    let access = allowed(&v, "/impor")?;
    let job_id = uuid::Uuid::new_v4().to_string();
    // A fresh private directory (0700, random name): the file holds NIKs.
    let dir = tempfile::Builder::new()
        .prefix("sipmas-impor-")
        .tempdir()
        .map_err(|_| WebError::Internal("upload directory"))?
        .keep();
    let received = receive(&mut multipart, &dir).await;
    let (format, dry_run, path) = match received {
        Ok(r) => r,
        Err(e) => {
            let _ = tokio::fs::remove_dir_all(&dir).await;
            return Err(e);
        }
    };
    let bad = |m: &str| WebError::BadRequest(m.to_owned());
    let (Some(format), Some(path)) = (format, path) else {
        let _ = tokio::fs::remove_dir_all(&dir).await;
        return Err(bad("pilih format dan berkas"));
    };
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Ok(mut map) = state.jobs.0.lock() {
        map.insert(
            job_id.clone(),
            Job {
                owner: access.username.clone(),
                file,
                done: 0,
                total: 0,
                result: None,
            },
        );
    }
    let opts = ImportOptions {
        format,
        mapping: None,
        dry_run,
        force: false,
        sheet: None,
        actor: access.username.clone(),
    };
    let (store, jobs, id) = (state.store.clone(), state.jobs.clone(), job_id.clone());
    tokio::spawn(async move {
        let progress = {
            let (jobs, id) = (jobs.clone(), id.clone());
            move |done: u64, total: u64| {
                jobs.update(&id, |j| {
                    j.done = done;
                    j.total = total;
                })
            }
        };
        let result = sipmas_app::import::run(store.as_ref(), &path, &opts, &progress).await;
        // The register keeps every row (source_blocks); the uploaded copy is not needed
        // any more. The row report beside it stays for download.
        if let Err(e) = tokio::fs::remove_file(&path).await {
            tracing::warn!(error = %e, "uploaded file not removed");
        }
        if let Err(e) = &result {
            tracing::warn!(error = %e, "upload import failed");
        }
        jobs.update(&id, |j| j.result = Some(result.map_err(|e| e.to_string())));
    });
    Ok(Redirect::to(&format!("/impor/{job_id}")).into_response())
}

fn owned_job(state: &AppState, access: &Access, id: &str) -> Result<Job, WebError> {
    state
        .jobs
        .get(id)
        .filter(|j| j.owner == access.username)
        .ok_or(WebError::NotFound)
}

pub(crate) async fn progress(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let access = allowed(&v, "/impor")?;
    let job = owned_job(&state, &access, &id)?;
    let percent = (job.done * 100).checked_div(job.total).unwrap_or(0);
    let error = job.result.as_ref().and_then(|r| r.as_ref().err().cloned());
    let mut resp = html(&UploadPage {
        c: Chrome::new(&v, v.lang.t("upload-title"), "/impor"),
        job: Some((id, job.clone())),
        percent,
        error,
    })?;
    if job.result.is_none() {
        resp.headers_mut()
            .insert(header::REFRESH, axum::http::HeaderValue::from_static("2"));
    }
    Ok(resp)
}

/// The row report of a finished upload (it names rows and values: an audited export).
pub(crate) async fn report(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let access = allowed(&v, "/impor")?;
    let job = owned_job(&state, &access, &id)?;
    let path = job
        .result
        .and_then(Result::ok)
        .and_then(|s| s.report)
        .ok_or(WebError::NotFound)?;
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|_| WebError::NotFound)?;
    let entry = access
        .audit(AuditAction::ReportExported)
        .subject(id)
        .detail(serde_json::json!({ "file": job.file }).to_string());
    state.store.append_audit(&entry).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}.laporan.csv\"",
                    safe_name(&job.file)
                ),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// Shared job registry for `AppState`.
pub fn jobs() -> Arc<Jobs> {
    Arc::new(Jobs::default())
}
