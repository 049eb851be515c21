//! Loading the Kemendagri region list: validate the whole file, then write only what is
//! new or changed, in one transaction with its audit event.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::Path;

use serde::Serialize;
use sipmas_domain::AuditAction;
use sipmas_import::FileError;
use sipmas_import::regions::{read_population, read_regions};
use sipmas_store::{AuditEntry, PopulationRecord, RegionRecord, Store};

use crate::AppError;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RegionImportReport {
    pub rows_read: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub population_updated: u64,
    /// Population rows whose region is not in the register.
    pub population_unknown: u64,
}

fn open(path: &Path) -> Result<File, AppError> {
    File::open(path).map_err(|e| AppError::File {
        path: path.display().to_string(),
        error: FileError::Io(e.to_string()),
    })
}

fn file_error(path: &Path) -> impl Fn(FileError) -> AppError + '_ {
    move |error| AppError::File {
        path: path.display().to_string(),
        error,
    }
}

/// Imports a region list (and optionally a population table). Both files are validated
/// completely before anything is written; a bad row changes nothing.
pub async fn import(
    store: &dyn Store,
    path: &Path,
    population: Option<&Path>,
    actor: &str,
) -> Result<RegionImportReport, AppError> {
    let existing: HashMap<String, (String, u8)> = store
        .region_index()
        .await?
        .into_iter()
        .map(|(c, n, l)| (c, (n, l)))
        .collect();
    let known: HashSet<String> = existing.keys().cloned().collect();
    let rows = read_regions(open(path)?, &known).map_err(file_error(path))?;
    let population_rows = population
        .map(|p| read_population(open(p)?).map_err(file_error(p)))
        .transpose()?;

    let mut report = RegionImportReport {
        rows_read: rows.len() as u64,
        ..Default::default()
    };
    let mut changed = Vec::new();
    for r in rows {
        match existing.get(&r.code.dotted()) {
            Some((name, _)) if *name == r.name => report.unchanged += 1,
            Some(_) => {
                report.updated += 1;
                changed.push(RegionRecord {
                    code: r.code,
                    name: r.name,
                });
            }
            None => {
                report.inserted += 1;
                changed.push(RegionRecord {
                    code: r.code,
                    name: r.name,
                });
            }
        }
    }
    if !changed.is_empty() {
        let detail = serde_json::json!({ "file": file_name(path), "inserted": report.inserted, "updated": report.updated });
        let entry = AuditEntry::new(actor, AuditAction::RegionsImported)
            .subject(file_name(path))
            .detail(detail.to_string());
        store.save_regions(&changed, &entry).await?;
    }
    if let (Some(rows), Some(p)) = (population_rows, population) {
        let stored: HashSet<String> = store
            .region_index()
            .await?
            .into_iter()
            .map(|(c, _, _)| c)
            .collect();
        let (known, unknown): (Vec<_>, Vec<_>) = rows
            .into_iter()
            .partition(|r| stored.contains(&r.code.dotted()));
        report.population_unknown = unknown.len() as u64;
        let records: Vec<PopulationRecord> = known
            .into_iter()
            .map(|r| PopulationRecord {
                code: r.code,
                male: r.male,
                female: r.female,
                total: r.total,
            })
            .collect();
        let entry = AuditEntry::new(actor, AuditAction::RegionsImported)
            .subject(file_name(p))
            .detail(
                serde_json::json!({ "file": file_name(p), "population_rows": records.len() })
                    .to_string(),
            );
        report.population_updated = store.save_population(&records, &entry).await?;
    }
    Ok(report)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// A village and the regions above it, village first: (dotted code, name). A code the
/// register lacks gets an empty name rather than an error (the page still shows it).
pub async fn place_names(
    store: &dyn Store,
    village: &sipmas_domain::RegionCode,
) -> Result<Vec<(String, String)>, AppError> {
    let mut places = Vec::new();
    let mut code = Some(village.clone());
    while let Some(c) = code {
        let name = store.region(&c).await?.map(|r| r.name).unwrap_or_default();
        places.push((c.dotted(), name));
        code = c.parent();
    }
    Ok(places)
}
