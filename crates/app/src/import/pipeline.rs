//! The import pipeline: a reader thread parses and validates rows in parallel (rayon) while
//! the async side plans and writes chunk after chunk inside the batch's one transaction.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use chrono::Utc;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use sipmas_domain::{AuditAction, RegionCode};
use sipmas_import::report_file::{ReportWriter, path_for};
use sipmas_import::{FileError, ImportReader, Mapping, Parsed, Validator};
use sipmas_store::{AuditEntry, BatchSummary, Store};
use tokio::sync::mpsc;

use super::apply::apply;
use super::writer::{Finished, Writer};
use super::{ImportOptions, ImportSummary, mapping_for};
use crate::AppError;

/// Rows validated together; the writes of one chunk are planned from one lookup.
const CHUNK_ROWS: usize = 8_192;

pub(super) enum Msg {
    Header(Vec<String>),
    Rows(Vec<Parsed>, (u64, u64)),
}

fn file_err(path: &Path) -> impl Fn(FileError) -> AppError + '_ {
    move |error| AppError::File {
        path: path.display().to_string(),
        error,
    }
}

fn sha256(path: &Path) -> Result<String, FileError> {
    let mut f = std::fs::File::open(path).map_err(|e| FileError::Io(e.to_string()))?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h).map_err(|e| FileError::Io(e.to_string()))?;
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Known village and kecamatan codes (plain), to validate rows against.
async fn known_regions(store: &dyn Store) -> Result<(HashSet<String>, HashSet<String>), AppError> {
    let mut villages = HashSet::new();
    let mut districts = HashSet::new();
    for (code, _, level) in store.region_index().await? {
        let Ok(c) = RegionCode::parse(&code) else {
            continue;
        };
        match level {
            4 => villages.insert(c.plain().to_owned()),
            3 => districts.insert(c.plain().to_owned()),
            _ => false,
        };
    }
    Ok((villages, districts))
}

fn spawn_reader(
    path: &Path,
    mapping: Mapping,
    sheet: Option<String>,
    regions: Arc<(HashSet<String>, HashSet<String>)>,
    tx: mpsc::Sender<Result<Msg, FileError>>,
) {
    let path = path.to_owned();
    std::thread::spawn(move || {
        let mut reader = match ImportReader::open(&path, &mapping, sheet.as_deref()) {
            Ok(r) => r,
            Err(e) => {
                let _ = tx.blocking_send(Err(e));
                return;
            }
        };
        if tx
            .blocking_send(Ok(Msg::Header(reader.columns.headers.clone())))
            .is_err()
        {
            return;
        }
        let validator = Validator {
            mapping: &mapping,
            columns: &reader.columns.clone(),
            villages: &regions.0,
            districts: &regions.1,
            today: Utc::now().date_naive(),
        };
        loop {
            let raw = match reader.next_rows(CHUNK_ROWS) {
                Ok(raw) if raw.is_empty() => return,
                Ok(raw) => raw,
                Err(e) => {
                    let _ = tx.blocking_send(Err(e));
                    return;
                }
            };
            let parsed: Vec<Parsed> = raw.par_iter().map(|r| validator.parse(r)).collect();
            if tx
                .blocking_send(Ok(Msg::Rows(parsed, reader.progress())))
                .is_err()
            {
                return;
            }
        }
    });
}

/// Imports `input`; `progress(done, total)` is called as each chunk is handed to the
/// writer (its write, and the batch's checks and commit after the last, still to come).
pub async fn run(
    store: &dyn Store,
    input: &Path,
    opts: &ImportOptions,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> Result<ImportSummary, AppError> {
    let mapping = mapping_for(opts)?;
    let sha = {
        let p = input.to_owned();
        tokio::task::spawn_blocking(move || sha256(&p))
            .await
            .map_err(|e| AppError::Invalid(e.to_string()))?
            .map_err(file_err(input))?
    };
    if !opts.force
        && !opts.dry_run
        && let Some(done) = store.batch_by_hash(&mapping.source, &sha).await?
    {
        let mut s = ImportSummary::from_batch(&done, input);
        s.already_imported = true;
        (s.households_created, s.households_updated) = (0, 0);
        (
            s.individuals_created,
            s.individuals_updated,
            s.individuals_missing,
        ) = (0, 0, 0);
        return Ok(s);
    }
    let regions = Arc::new(known_regions(store).await?);
    // One chunk in flight while one is written: reading overlaps writing, memory stays flat.
    let (tx, mut rx) = mpsc::channel(1);
    spawn_reader(input, mapping.clone(), opts.sheet.clone(), regions, tx);
    let headers = match rx.recv().await {
        Some(Ok(Msg::Header(h))) => h,
        Some(Err(e)) => return Err(file_err(input)(e)),
        _ => {
            return Err(AppError::Invalid(
                "pembaca berkas berhenti tanpa kabar".to_owned(),
            ));
        }
    };
    let mut batch = BatchSummary {
        id: uuid::Uuid::now_v7(),
        source: mapping.source.clone(),
        format: format!("{:?}", opts.format).to_lowercase(),
        file_name: input
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        file_sha256: sha,
        headers,
        actor: opts.actor.clone(),
        started_at: Utc::now(),
        ..BatchSummary::default()
    };
    let mut report = ReportWriter::create(path_for(input)).map_err(file_err(input))?;
    let mut writer = Writer::new(store.begin_import(&batch, opts.dry_run).await?);
    let result = apply(
        &mut writer,
        &mut rx,
        &mut batch,
        &mapping,
        &mut report,
        progress,
    )
    .await;
    let (flags, session) = match (result, writer.finish().await) {
        (Ok(flags), Finished::Ready(session)) => (flags, session),
        (result, finished) => {
            report.discard();
            if let Finished::Ready(session) | Finished::Failed(session) = finished {
                let _ = session.rollback().await;
            }
            return Err(result.err().unwrap_or_else(|| {
                AppError::Invalid("penulisan impor terhenti; tidak ada yang disimpan".to_owned())
            }));
        }
    };
    batch.finished_at = Utc::now();
    batch.rows_rejected = i64::try_from(report.rejected).unwrap_or(i64::MAX);
    batch.rows_warned = i64::try_from(report.warned).unwrap_or(i64::MAX);
    let has_report = report.rejected + report.warned > 0 || batch.individuals_missing > 0;
    if has_report {
        match report.finish() {
            Ok(path) => batch.report = Some(path.display().to_string()),
            Err(e) => {
                let _ = session.rollback().await;
                return Err(file_err(input)(e));
            }
        }
    } else {
        report.discard();
    }
    if opts.dry_run {
        session.rollback().await?;
    } else {
        let audit = AuditEntry::new(&opts.actor, AuditAction::RegisterImported)
            .subject(batch.id.to_string())
            .detail(
                serde_json::json!({
                    "file": batch.file_name, "source": batch.source, "rows_read": batch.rows_read,
                    "rows_imported": batch.rows_imported, "rows_rejected": batch.rows_rejected,
                })
                .to_string(),
            );
        let t = std::time::Instant::now();
        session.commit(&batch, &flags, &audit).await?;
        tracing::debug!(ms = t.elapsed().as_millis(), "batch committed");
        let t = std::time::Instant::now();
        crate::stats::refresh(store, None).await?;
        tracing::debug!(ms = t.elapsed().as_millis(), "dashboard figures refreshed");
    }
    let mut summary = ImportSummary::from_batch(&batch, input);
    summary.dry_run = opts.dry_run;
    if opts.dry_run {
        summary.batch_id = None;
    }
    Ok(summary)
}
