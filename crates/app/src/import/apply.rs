//! The async half of the pipeline: report problems, keep families whole across chunk
//! borders, plan and write each chunk, then flag what only the whole batch can show.

use std::collections::HashSet;

use sipmas_import::report_file::ReportWriter;
use sipmas_import::{FileError, ImportRow, Mapping, RowError};
use sipmas_store::{BatchSummary, ImportExisting, ImportSession, RegisterFlag};
use tokio::sync::mpsc;

use super::pipeline::Msg;
use super::plan::Planner;
use super::writer::Writer;
use super::written::{MAX_FINGERPRINTS, Written};
use crate::AppError;

fn report_err(e: FileError) -> AppError {
    AppError::Invalid(format!("laporan baris tidak dapat ditulis: {e}"))
}

/// Writes every chunk the reader sends; returns the batch-level flags.
pub(super) async fn apply(
    writer: &mut Writer,
    rx: &mut mpsc::Receiver<Result<Msg, FileError>>,
    batch: &mut BatchSummary,
    mapping: &Mapping,
    report: &mut ReportWriter,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> Result<Vec<RegisterFlag>, AppError> {
    let mut planner = Planner::new(batch.id, &mapping.source, mapping.desil_source);
    // Rows of the last family of a chunk wait for the next one: exports list a family's
    // members together, so a family is then planned from one lookup.
    let mut carry: Vec<ImportRow> = Vec::new();
    // Lines with a warning not yet counted: a carried row may earn a second one later.
    // Lines before the carried family are counted and forgotten after each chunk, so the
    // set holds two chunks' lines at most, whatever the file's size.
    let mut warned: HashSet<u64> = HashSet::new();
    let mut written = writer.settle().await?.fresh().then(Written::default);
    tracing::debug!(fresh = written.is_some(), "batch begun");
    while let Some(msg) = rx.recv().await {
        let (parsed, (done, total)) = match msg {
            Ok(Msg::Rows(p, at)) => (p, at),
            Ok(Msg::Header(_)) => continue,
            Err(e) => return Err(AppError::Invalid(e.to_string())),
        };
        let mut rows = std::mem::take(&mut carry);
        for p in parsed {
            batch.rows_read += 1;
            let rejected = p.row.is_none();
            for problem in &p.problems {
                report
                    .write(&problem.error, problem.rejects)
                    .map_err(report_err)?;
            }
            if rejected {
                report.rejected += 1;
            } else if !p.problems.is_empty() {
                warned.insert(p.problems[0].error.line);
            }
            rows.extend(p.row);
        }
        if let Some(last) = rows.last().map(|r| r.family_key.clone()) {
            let split = rows
                .iter()
                .rposition(|r| r.family_key != last)
                .map_or(0, |i| i + 1);
            // A chunk that is one family only is written as it is.
            if split > 0 {
                carry = rows.split_off(split);
            }
        }
        batch.rows_imported += write_rows(
            writer,
            &mut planner,
            &mut written,
            &rows,
            report,
            &mut warned,
        )
        .await?;
        let keep_from = carry.first().map_or(u64::MAX, |r| r.line);
        let before = warned.len();
        warned.retain(|&line| line >= keep_from);
        report.warned += (before - warned.len()) as u64;
        progress(done, total);
    }
    batch.rows_imported += write_rows(
        writer,
        &mut planner,
        &mut written,
        &carry,
        report,
        &mut warned,
    )
    .await?;
    report.warned += warned.len() as u64;
    let c = planner.counts;
    batch.households_created = c.households_created;
    batch.households_updated = c.households_updated;
    batch.individuals_created = c.individuals_created;
    batch.individuals_updated = c.individuals_updated;
    let t = std::time::Instant::now();
    let flags = finish_flags(writer.settle().await?, batch, report).await;
    tracing::debug!(ms = t.elapsed().as_millis(), "batch checks done");
    flags
}

async fn write_rows(
    writer: &mut Writer,
    planner: &mut Planner,
    written: &mut Option<Written>,
    rows: &[ImportRow],
    report: &mut ReportWriter,
    warned: &mut HashSet<u64>,
) -> Result<i64, AppError> {
    if rows.is_empty() {
        return Ok(0);
    }
    let t0 = std::time::Instant::now();
    let mut q = planner.lookup(rows);
    if let Some(written) = written {
        written.narrow(&mut q);
    }
    let looked_up = !q.is_empty();
    let existing = if looked_up {
        writer.settle().await?.lookup(&q).await?
    } else {
        ImportExisting::default()
    };
    let t1 = std::time::Instant::now();
    let (write, notes) = planner.plan(rows, existing);
    let t2 = std::time::Instant::now();
    for n in &notes {
        report.write(n, false).map_err(report_err)?;
        warned.insert(n.line);
    }
    if let Some(w) = written {
        w.record(&write);
        if w.len() > MAX_FINGERPRINTS {
            // Memory stays bounded whatever the file's size: from here on every value is
            // looked up, as in a register that was not empty.
            tracing::debug!(fingerprints = w.len(), "lookups no longer narrowed");
            *written = None;
        }
    }
    // Rows that became a stored person; a row held back (a person of another household)
    // is reported, not imported.
    let imported = i64::try_from(write.sources.len()).unwrap_or(i64::MAX);
    writer.write(write).await?;
    tracing::debug!(
        rows = rows.len(),
        looked_up,
        lookup_ms = (t1 - t0).as_millis(),
        plan_ms = (t2 - t1).as_millis(),
        wait_ms = t2.elapsed().as_millis(),
        "chunk planned"
    );
    Ok(imported)
}

/// Families left without a head, and people this source listed before but not now.
async fn finish_flags(
    session: &mut dyn ImportSession,
    batch: &mut BatchSummary,
    report: &mut ReportWriter,
) -> Result<Vec<RegisterFlag>, AppError> {
    let mut flags = Vec::new();
    for h in session.households_without_head().await? {
        report
            .write(
                &RowError {
                    line: 0,
                    column: String::new(),
                    value: h.0.to_string(),
                    code: "no_head",
                    message: "keluarga tanpa kepala keluarga; perlu diverifikasi".to_owned(),
                },
                false,
            )
            .map_err(report_err)?;
        flags.push(RegisterFlag {
            household_id: Some(h),
            individual_id: None,
            kind: "no_head".to_owned(),
            batch_id: Some(batch.id),
            detail: None,
        });
    }
    for m in session.missing_persons().await? {
        report
            .write(
                &RowError {
                    line: 0,
                    column: String::new(),
                    value: m.key.clone(),
                    code: "missing_from_source",
                    message: "tercatat pada impor sebelumnya dari sumber yang sama tetapi tidak ada di berkas ini; tidak dihapus, perlu diverifikasi".to_owned(),
                },
                false,
            )
            .map_err(report_err)?;
        flags.push(RegisterFlag {
            household_id: Some(m.household_id),
            individual_id: Some(m.individual_id),
            kind: "missing_from_source".to_owned(),
            batch_id: Some(batch.id),
            detail: Some(m.key),
        });
        batch.individuals_missing += 1;
    }
    Ok(flags)
}
