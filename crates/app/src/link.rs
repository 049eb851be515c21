//! Record linkage over the register (`sipmas link run`): score every living, unmerged
//! person against the others, merge the pairs above the upper threshold into the oldest
//! record of their cluster, queue the review band for a person to decide, keep every pair
//! with its explanation. Merges only point a duplicate at the record kept, so an unmerge
//! restores it and its source rows exactly.

use std::collections::HashSet;

use serde::Serialize;
use sipmas_domain::{AuditAction, IndividualId, RegionCode};
use sipmas_linkage::{Config, Dataset};
use sipmas_store::{AuditEntry, LinkPair, LinkRecord, LinkRunWrite, Store};

use crate::AppError;

/// The model used when no config is given: the Indonesian register model.
pub const DEFAULT_CONFIG: &str = include_str!("../../../config/linkage/indonesia.toml");

/// The actor of automatic merges.
pub const LINKAGE_ACTOR: &str = "sistem:linkage";

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LinkRunSummary {
    pub run_id: uuid::Uuid,
    pub records: usize,
    pub candidates: usize,
    /// Records pointed at the record kept.
    pub merged: usize,
    /// Pairs waiting for a person's decision.
    pub review: usize,
    /// Pairs not merged or proposed again because a person rejected or unmerged them.
    pub previously_rejected: usize,
    pub seconds: f64,
}

/// The register columns a linkage config may name.
const COLUMNS: [&str; 7] = [
    "nik",
    "nama",
    "jenis_kelamin",
    "tanggal_lahir",
    "no_kk",
    "kode_desa",
    "alamat",
];

fn cells(r: &LinkRecord) -> [String; 8] {
    [
        r.id.0.to_string(),
        r.nik.clone().unwrap_or_default(),
        r.name.clone(),
        r.sex.clone(),
        r.birth_date
            .map(|d| d.format("%d-%m-%Y").to_string())
            .unwrap_or_default(),
        r.no_kk.clone().unwrap_or_default(),
        RegionCode::parse(&r.village)
            .map(|c| c.plain().to_owned())
            .unwrap_or_default(),
        r.address.clone(),
    ]
}

/// Parses a config, checking it names only register columns.
pub fn config(text: &str) -> Result<Config, AppError> {
    let config = Config::from_toml(text).map_err(|e| AppError::Invalid(e.to_string()))?;
    if let Some(bad) = config
        .columns()
        .into_iter()
        .find(|c| !COLUMNS.contains(&c.as_str()))
    {
        return Err(AppError::Invalid(format!(
            "kolom '{bad}' tidak ada di register; yang tersedia: {}",
            COLUMNS.join(", ")
        )));
    }
    Ok(config)
}

fn pair(
    run: uuid::Uuid,
    l: IndividualId,
    r: IndividualId,
    status: &str,
    p: &sipmas_linkage::score::ScoredPair,
    why: String,
) -> LinkPair {
    LinkPair {
        id: 0,
        run_id: run,
        left: l,
        right: r,
        probability: p.probability,
        weight: p.weight,
        explanation: why,
        status: status.to_owned(),
        decided_by: (status == "merged").then(|| LINKAGE_ACTOR.to_owned()),
        created_at: chrono::Utc::now(),
    }
}

/// Runs linkage over the register and applies it.
pub async fn run(
    store: &dyn Store,
    config: Config,
    actor: &str,
) -> Result<LinkRunSummary, AppError> {
    let started = std::time::Instant::now();
    let records = store.link_records().await?;
    let rejected: HashSet<(IndividualId, IndividualId)> =
        store.rejected_pairs().await?.into_iter().collect();
    let run_id = uuid::Uuid::now_v7();
    // CPU work on its own threads (rayon inside), never on the async workers.
    let (linkage, records) = tokio::task::spawn_blocking(move || {
        let rows: Vec<[String; 8]> = records.iter().map(cells).collect();
        let refs: Vec<Vec<&str>> = rows
            .iter()
            .map(|r| r.iter().map(String::as_str).collect())
            .collect();
        let data = Dataset::from_rows(&COLUMNS, &refs, None);
        sipmas_linkage::run(&config, &data, None).map(|l| (l, records))
    })
    .await
    .map_err(|e| AppError::Invalid(e.to_string()))?
    .map_err(|e| AppError::Invalid(e.to_string()))?;
    let mut linkage = linkage;
    let id = |i: u32| records[i as usize].id;
    // A pair a person rejected or unmerged is never merged or proposed again.
    let before = linkage.pairs.len();
    linkage.pairs.retain(|p| {
        let (l, r) = (id(p.i), id(p.j));
        !rejected.contains(&(l, r)) && !rejected.contains(&(r, l))
    });
    let mut write = LinkRunWrite {
        run_id,
        ..LinkRunWrite::default()
    };
    let mut summary = LinkRunSummary {
        run_id,
        records: records.len(),
        candidates: linkage.candidates,
        previously_rejected: before - linkage.pairs.len(),
        ..Default::default()
    };
    let explain = |i: usize, j: usize| {
        let e = linkage.explain(i, j);
        let terms: Vec<_> = e
            .terms
            .iter()
            .map(|t| serde_json::json!({"perbandingan": t.comparison, "tingkat": t.level, "bobot": t.weight, "tf": t.tf_adjusted}))
            .collect();
        serde_json::json!({"bobot_awal": e.prior_weight, "rincian": terms}).to_string()
    };
    // Records are ordered by id, which grows with time: the cluster's first is its oldest.
    let clusters = linkage.clusters();
    for (i, &c) in clusters.iter().enumerate() {
        if c as usize != i {
            write.merges.push((records[i].id, records[c as usize].id));
        }
    }
    summary.merged = write.merges.len();
    for p in linkage.matches() {
        write.pairs.push(pair(
            run_id,
            id(p.i),
            id(p.j),
            "merged",
            p,
            explain(p.i as usize, p.j as usize),
        ));
    }
    for p in linkage.review() {
        write.pairs.push(pair(
            run_id,
            id(p.i),
            id(p.j),
            "review",
            &p,
            explain(p.i as usize, p.j as usize),
        ));
        summary.review += 1;
    }
    summary.seconds = started.elapsed().as_secs_f64();
    let audit = AuditEntry::new(actor, AuditAction::LinkRun)
        .subject(run_id.to_string())
        .detail(serde_json::to_string(&summary).unwrap_or_default());
    summary.merged = store.save_link_run(&write, &audit).await?;
    crate::stats::refresh(store, None).await?;
    Ok(summary)
}

/// Accepts (merge) or rejects a pair in the review queue.
pub async fn decide(
    store: &dyn Store,
    pair: i64,
    merge: bool,
    actor: &str,
) -> Result<(), AppError> {
    let action = if merge {
        AuditAction::LinkMerged
    } else {
        AuditAction::LinkRejected
    };
    let audit = AuditEntry::new(actor, action).subject(format!("pasangan:{pair}"));
    let villages = store
        .review_pair(None, pair)
        .await?
        .map(|p| vec![p.left.village, p.right.village]);
    store.decide_pair(pair, merge, actor, &audit).await?;
    crate::stats::refresh(store, villages.as_deref()).await
}

/// Undoes a merge; returns the record it had been merged into.
pub async fn unmerge(
    store: &dyn Store,
    id: IndividualId,
    actor: &str,
) -> Result<Option<IndividualId>, AppError> {
    let audit = AuditEntry::new(actor, AuditAction::LinkUnmerged).subject(id.0.to_string());
    let kept = store.unmerge(id, actor, &audit).await?;
    // Whose villages changed is not known here without more lookups; an undo is rare.
    crate::stats::refresh(store, None).await?;
    Ok(kept)
}
