//! Fills a store with the synthetic province: regions first, then households in chunks,
//! generating the next chunk on the rayon pool while the current one is written.

use std::time::{Duration, Instant};

use serde::Serialize;
use sipmas_domain::AuditAction;
use sipmas_store::{AuditEntry, HouseholdBundle, RegionRecord, Store};
use sipmas_synth::{GeneratedHousehold, Generator};

use crate::AppError;

/// Households per transaction.
const CHUNK: u64 = 25_000;

/// What a demo run produced.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DemoReport {
    pub regions: u64,
    pub households: u64,
    pub individuals: u64,
    pub history_entries: u64,
    pub seconds: f64,
}

fn bundle(g: GeneratedHousehold) -> HouseholdBundle {
    HouseholdBundle {
        household: g.household,
        members: g.members,
        history: g.history,
    }
}

/// Writes the generator's regions that are not stored yet, then all its households.
/// `progress` is called after each chunk with the number of households written so far.
pub async fn populate(
    store: &dyn Store,
    mut generator: Generator,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<DemoReport, AppError> {
    let started = Instant::now();
    let stored: std::collections::HashSet<String> = store
        .region_index()
        .await?
        .into_iter()
        .map(|(c, _, _)| c)
        .collect();
    let regions: Vec<RegionRecord> = generator
        .regions()
        .iter()
        .filter(|r| !stored.contains(&r.code.dotted()))
        .map(|r| RegionRecord {
            code: r.code.clone(),
            name: r.name.clone(),
        })
        .collect();
    let mut report = DemoReport {
        regions: regions.len() as u64,
        ..Default::default()
    };
    if !regions.is_empty() {
        store
            .save_regions(
                &regions,
                &AuditEntry::new(crate::CLI_ACTOR, AuditAction::RegionsImported).subject("demo"),
            )
            .await?;
    }
    let total = generator.config().households;
    let seed = generator.config().seed;
    let mut next = 0u64;
    let mut pending = None;
    while next < total || pending.is_some() {
        // Start generating the next chunk before writing the current one.
        let current = pending.take();
        let task = (next < total).then(|| {
            let start = next;
            next += CHUNK;
            tokio::task::spawn_blocking(move || {
                let chunk = generator.generate(start, CHUNK);
                (generator, chunk)
            })
        });
        if let Some(chunk) = current {
            write_chunk(store, chunk, seed, &mut report).await?;
            progress(report.households);
        }
        if let Some(task) = task {
            let (g, chunk) = task
                .await
                .map_err(|e| AppError::Invalid(format!("generator failed: {e}")))?;
            generator = g;
            pending = Some(chunk);
        } else {
            break;
        }
    }
    crate::stats::refresh(store, None).await?;
    report.seconds = Duration::as_secs_f64(&started.elapsed());
    Ok(report)
}

async fn write_chunk(
    store: &dyn Store,
    chunk: Vec<GeneratedHousehold>,
    seed: u64,
    report: &mut DemoReport,
) -> Result<(), AppError> {
    let bundles: Vec<HouseholdBundle> = chunk.into_iter().map(bundle).collect();
    let individuals: u64 = bundles.iter().map(|b| b.members.len() as u64).sum();
    let history: u64 = bundles.iter().map(|b| b.history.len() as u64).sum();
    let entry = AuditEntry::new(crate::CLI_ACTOR, AuditAction::DemoGenerated)
        .detail(serde_json::json!({ "seed": seed, "households": bundles.len() }).to_string());
    store.insert_households(&bundles, &entry).await?;
    report.households += bundles.len() as u64;
    report.individuals += individuals;
    report.history_entries += history;
    Ok(())
}
