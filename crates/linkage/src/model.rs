//! The Fellegi–Sunter model: per comparison and level, m (chance of the level among
//! matches) and u (among non-matches); a prior; weights log2(m/u). u comes from random
//! pairs, m from EM sessions, one per blocking rule, as Splink does.

use rayon::prelude::*;

use crate::blocking::RuleKeys;
use crate::compare::{Comparison, NULL, Prepared};
use crate::em::{self, FLOOR, pack};
use crate::hashing::FastMap;
use crate::table::Dataset;

/// A trained model.
#[derive(Debug, Clone)]
pub struct Model {
    pub comparisons: Vec<Comparison>,
    /// m per comparison and level.
    pub m: Vec<Vec<f64>>,
    /// u per comparison and level.
    pub u: Vec<Vec<f64>>,
    /// Probability that two random records match.
    pub prior: f64,
}

impl Model {
    /// The weight of level `l` of comparison `k`.
    pub fn weight(&self, k: usize, l: u8) -> f64 {
        if l == NULL {
            return 0.0;
        }
        let l = usize::from(l);
        (self.m[k][l] / self.u[k][l]).log2()
    }

    /// The prior as a weight: where every pair starts before any comparison.
    pub fn prior_weight(&self) -> f64 {
        (self.prior / (1.0 - self.prior)).log2()
    }
}

/// The packed levels of a pair from the records' rows of keys
/// ([`crate::prepared::interleave`]).
pub fn pattern_of_rows(comps: &[Comparison], prepared: &[Prepared], a: &[u64], b: &[u64]) -> u64 {
    pack(
        comps
            .iter()
            .zip(prepared)
            .zip(a.iter().zip(b))
            .map(|((c, p), (&ka, &kb))| c.level_of_keys(p, ka, kb)),
    )
}

/// SplitMix64: small, fast and good enough to draw record indices.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Up to `k` distinct random indices in `lo..hi`, sorted.
fn sample_indices(state: &mut u64, lo: usize, hi: usize, k: usize) -> Vec<usize> {
    let span = hi.saturating_sub(lo) as u64;
    if span == 0 {
        return Vec::new();
    }
    let mut v: Vec<usize> = (0..k.min(span as usize) * 2)
        .map(|_| lo + (splitmix(state) % span) as usize)
        .collect();
    v.sort_unstable();
    v.dedup();
    // Drop random surplus indices until k remain.
    while v.len() > k {
        let at = (splitmix(state) % v.len() as u64) as usize;
        v.swap_remove(at);
    }
    v.sort_unstable();
    v
}

/// u per comparison and level from about `samples` random pairs (seeded, so repeatable).
/// Like Splink, it draws a random set of records and compares every pair within it (for
/// linkage, every left record with every right one): the sampled records stay in cache,
/// whereas independent random pairs miss it on every value, which made this step ten
/// times slower.
pub fn estimate_u(
    data: &Dataset,
    comps: &[Comparison],
    prepared: &[Prepared],
    samples: usize,
    seed: u64,
) -> Vec<Vec<f64>> {
    let mut state = seed;
    let (left, right) = match data.split {
        None => {
            let k = ((2.0 * samples as f64).sqrt().ceil() as usize + 1).max(2);
            let s = sample_indices(&mut state, 0, data.len(), k);
            (s.clone(), s)
        }
        Some(split) => {
            let k = (samples as f64).sqrt().ceil() as usize;
            (
                sample_indices(&mut state, 0, split, k),
                sample_indices(&mut state, split, data.len(), k),
            )
        }
    };
    // Copy the sampled records' values next to each other: comparing every pair of them
    // then stays in cache instead of fetching each value from a million-record column.
    let picked: Vec<usize> = match data.split {
        None => left.clone(),
        Some(_) => left.iter().chain(&right).copied().collect(),
    };
    let local: Vec<Prepared> = prepared.iter().map(|p| p.select(&picked)).collect();
    let (nl, dedup) = (left.len(), data.split.is_none());
    let empty = || -> Vec<Vec<f64>> { comps.iter().map(|c| vec![0.0; c.levels.len()]).collect() };
    let counts = (0..nl)
        .into_par_iter()
        .fold(empty, |mut counts, a| {
            let others = if dedup { a + 1..nl } else { nl..picked.len() };
            for b in others {
                for (k, (comp, p)) in comps.iter().zip(&local).enumerate() {
                    let l = comp.level(p, a, b);
                    if l != NULL {
                        counts[k][usize::from(l)] += 1.0;
                    }
                }
            }
            counts
        })
        .reduce(empty, |mut a, b| {
            for (x, y) in a.iter_mut().zip(b) {
                for (p, q) in x.iter_mut().zip(y) {
                    *p += q;
                }
            }
            a
        });
    counts
        .into_iter()
        .map(|c| {
            let total: f64 = c.iter().sum();
            // A level never seen among random pairs gets half a count: rare, not impossible.
            c.iter()
                .map(|x| (x.max(0.5) / total.max(1.0)).min(1.0))
                .collect()
        })
        .collect()
}

/// Distinct comparison patterns and how many pairs show each.
pub type PatternCounts = Vec<(u64, f64)>;

/// Pattern counts per blocking rule (pairs whose rule keys agree) and over all candidates.
pub fn pattern_counts(
    pairs: &[(u32, u32)],
    patterns: &[u64],
    rules: &[RuleKeys],
) -> (Vec<PatternCounts>, PatternCounts) {
    let empty = || {
        (
            vec![FastMap::<u64, f64>::default(); rules.len()],
            FastMap::<u64, f64>::default(),
        )
    };
    let (per_rule, all) = pairs
        .par_iter()
        .zip(patterns.par_iter())
        .fold(empty, |(mut per, mut all), (&(i, j), &p)| {
            *all.entry(p).or_default() += 1.0;
            for (r, keys) in rules.iter().enumerate() {
                let (a, b) = (keys[i as usize], keys[j as usize]);
                if a != 0 && a == b {
                    *per[r].entry(p).or_default() += 1.0;
                }
            }
            (per, all)
        })
        .reduce(empty, |(mut pa, mut aa), (pb, ab)| {
            for (x, y) in pa.iter_mut().zip(pb) {
                for (k, v) in y {
                    *x.entry(k).or_default() += v;
                }
            }
            for (k, v) in ab {
                *aa.entry(k).or_default() += v;
            }
            (pa, aa)
        });
    let flat = |h: FastMap<u64, f64>| h.into_iter().collect::<Vec<_>>();
    (per_rule.into_iter().map(flat).collect(), flat(all))
}

/// What EM trains on.
#[derive(Debug)]
pub struct TrainingData<'a> {
    /// The columns of each training rule (their comparisons are held out of its session).
    pub rule_columns: &'a [Vec<String>],
    /// Pattern counts of each training rule's pairs.
    pub per_rule: &'a [PatternCounts],
    /// Pattern counts of all candidate pairs.
    pub all: &'a [(u64, f64)],
    /// The number of possible pairs.
    pub total_pairs: f64,
    pub max_iter: usize,
    /// A prior given in the config instead of estimated.
    pub fixed_prior: Option<f64>,
}

/// Trains m by one EM session per blocking rule (comparisons on the rule's columns held
/// out) and averages the sessions; then sets the prior.
pub fn train(comps: Vec<Comparison>, u: Vec<Vec<f64>>, t: &TrainingData<'_>) -> Model {
    let TrainingData {
        rule_columns,
        per_rule,
        all,
        total_pairs,
        max_iter,
        fixed_prior,
    } = *t;
    let start: Vec<Vec<f64>> = comps
        .iter()
        .map(|c| em::initial_m(c.levels.len()))
        .collect();
    let mut sums: Vec<Vec<f64>> = start.iter().map(|m| vec![0.0; m.len()]).collect();
    let mut sessions = vec![0usize; comps.len()];
    for (cols, counts) in rule_columns.iter().zip(per_rule) {
        if counts.is_empty() {
            continue;
        }
        let fixed: Vec<bool> = comps.iter().map(|c| cols.contains(&c.column)).collect();
        let fit = em::fit(counts, &u, &fixed, &start, max_iter);
        for (k, m) in fit.m.iter().enumerate() {
            if let Some(m) = m {
                sums[k].iter_mut().zip(m).for_each(|(s, x)| *s += x);
                sessions[k] += 1;
            }
        }
    }
    // A comparison that every rule blocks on is trained on all candidates instead.
    let fallback = sessions
        .contains(&0)
        .then(|| em::fit(all, &u, &vec![false; comps.len()], &start, max_iter));
    let m: Vec<Vec<f64>> = (0..comps.len())
        .map(|k| match (sessions[k], &fallback) {
            (0, Some(fit)) => fit.m[k].clone().unwrap_or_else(|| start[k].clone()),
            (n, _) => sums[k]
                .iter()
                .map(|s| (s / n.max(1) as f64).max(FLOOR))
                .collect(),
        })
        .collect();
    let prior = fixed_prior.unwrap_or_else(|| em::prior_fixed_point(all, &m, &u, total_pairs));
    Model {
        comparisons: comps,
        m,
        u,
        prior,
    }
}
