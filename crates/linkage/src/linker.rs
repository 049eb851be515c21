//! One linkage run, start to end: clean, block, estimate u, train m, score, and keep
//! what the thresholds ask for. All CPU work runs on its own rayon pool, never on an
//! async runtime's workers.

use std::time::Instant;

use rayon::prelude::*;

use crate::blocking::{self, KeySpec, RuleKeys};
use crate::cluster;
use crate::compare::{Comparison, Prepared};
use crate::config::{BlockingConfig, Config, Thresholds};
use crate::error::LinkError;
use crate::model::{self, Model};
use crate::score::{self, Explanation, ScoredPair};
use crate::table::Dataset;

/// The outcome of a run.
#[derive(Debug)]
pub struct Linkage {
    pub model: Model,
    prepared: Vec<Prepared>,
    /// Scored pairs at or above the lower threshold.
    pub pairs: Vec<ScoredPair>,
    pub thresholds: Thresholds,
    /// Candidate pairs scored (after blocking).
    pub candidates: usize,
    /// Blocks skipped for exceeding `max_block_size`.
    pub skipped_blocks: usize,
    records: usize,
    /// Seconds spent in each stage, for `--verbose` and benchmarks.
    pub timings: Vec<(&'static str, f64)>,
}

impl Linkage {
    /// Pairs at or above the upper threshold: the matches.
    pub fn matches(&self) -> impl Iterator<Item = &ScoredPair> {
        self.pairs
            .iter()
            .filter(|p| p.probability >= self.thresholds.upper)
    }

    /// Pairs in the review band.
    pub fn review(&self) -> Vec<ScoredPair> {
        cluster::review_band(&self.pairs, self.thresholds.lower, self.thresholds.upper)
    }

    /// Each record's cluster (smallest record index of its component at the upper threshold).
    pub fn clusters(&self) -> Vec<u32> {
        cluster::clusters(self.records, &self.pairs, self.thresholds.upper)
    }

    /// Why records `i` and `j` scored as they did.
    pub fn explain(&self, i: usize, j: usize) -> Explanation {
        score::explain(&self.model, &self.prepared, i, j)
    }
}

fn parse_rules(rules: &[BlockingConfig]) -> Result<Vec<Vec<KeySpec>>, LinkError> {
    rules
        .iter()
        .map(|r| r.keys.iter().map(|k| KeySpec::parse(k)).collect())
        .collect()
}

/// Runs the whole linkage on `threads` threads (all cores when `None`).
pub fn run(config: &Config, data: &Dataset, threads: Option<usize>) -> Result<Linkage, LinkError> {
    let mut builder = rayon::ThreadPoolBuilder::new().thread_name(|k| format!("linkage-{k}"));
    if let Some(t) = threads {
        builder = builder.num_threads(t);
    }
    let pool = builder
        .build()
        .map_err(|e| LinkError::Invalid(format!("cannot start worker threads: {e}")))?;
    pool.install(|| run_here(config, data))
}

/// Records the seconds since the last lap.
struct Laps(Instant, Vec<(&'static str, f64)>);

impl Laps {
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.1.push((stage, (now - self.0).as_secs_f64()));
        self.0 = now;
    }
}

fn run_here(config: &Config, data: &Dataset) -> Result<Linkage, LinkError> {
    let mut laps = Laps(Instant::now(), Vec::new());
    if data.len() < 2 {
        return Err(LinkError::Invalid("need at least two records".into()));
    }
    let comps: Vec<Comparison> = config
        .comparisons
        .iter()
        .map(Comparison::from_config)
        .collect::<Result<_, _>>()?;
    let prepared: Vec<Prepared> = comps
        .par_iter()
        .map(|c| c.prepare(data))
        .collect::<Result<_, _>>()?;
    laps.lap("prepare");
    let rules = parse_rules(&config.blocking)?;
    let own_training = if config.training.is_empty() {
        Vec::new()
    } else {
        parse_rules(&config.training)?
    };
    // The training rules' keys in the same pass: they usually repeat blocking rules (NIK,
    // name + birth date), whose keys are then derived once, not cleaned and hashed again.
    let mut rule_keys: Vec<RuleKeys> =
        blocking::all_rule_keys(data, &[rules.as_slice(), own_training.as_slice()].concat())?;
    let own_keys = rule_keys.split_off(rules.len());
    let found = blocking::candidates(data, &rule_keys, config.model.max_block_size);
    // Without training rules of its own, EM trains on the blocking rules.
    let (training, training_keys) = if own_training.is_empty() {
        (rules, rule_keys)
    } else {
        drop(rule_keys);
        (own_training, own_keys)
    };
    laps.lap("blocking");
    let rows = crate::prepared::interleave(&prepared, data.len());
    let width = prepared.len();
    let row = |i: u32| &rows[i as usize * width..(i as usize + 1) * width];
    let patterns: Vec<u64> = found
        .pairs
        .par_iter()
        .map(|&(i, j)| model::pattern_of_rows(&comps, &prepared, row(i), row(j)))
        .collect();
    drop(rows);
    laps.lap("compare");
    let u = model::estimate_u(
        data,
        &comps,
        &prepared,
        config.model.u_sample_pairs,
        config.model.seed,
    );
    laps.lap("estimate u");
    let (per_rule, all) = model::pattern_counts(&found.pairs, &patterns, &training_keys);
    let columns: Vec<Vec<String>> = training
        .iter()
        .map(|r| r.iter().map(|k| k.column.clone()).collect())
        .collect();
    let model = model::train(
        comps,
        u,
        &model::TrainingData {
            rule_columns: &columns,
            per_rule: &per_rule,
            all: &all,
            total_pairs: data.total_pairs(),
            max_iter: config.model.em_iterations,
            fixed_prior: config.model.prior,
        },
    );
    laps.lap("train m (EM)");
    let pairs = score::score(
        &model,
        &prepared,
        &found.pairs,
        &patterns,
        config.thresholds.lower,
    );
    laps.lap("score");
    Ok(Linkage {
        model,
        prepared,
        pairs,
        thresholds: config.thresholds,
        candidates: found.pairs.len(),
        skipped_blocks: found.skipped_blocks,
        records: data.len(),
        timings: laps.1,
    })
}
