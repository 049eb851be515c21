//! Scoring candidate pairs and explaining each score: a reviewer sees, per comparison,
//! which level the pair reached and how much weight it added.

use rayon::prelude::*;

use crate::compare::{Level, NULL, Prepared};
use crate::model::Model;

/// A scored pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoredPair {
    pub i: u32,
    pub j: u32,
    /// log2 of the posterior odds (prior included).
    pub weight: f64,
    pub probability: f64,
}

/// Probability from a weight (log2 odds).
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

/// One comparison's part in a pair's weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub comparison: String,
    /// The level label, or `null` when a value was missing.
    pub level: String,
    pub weight: f64,
    /// True when the weight was adjusted for how common the shared value is.
    pub tf_adjusted: bool,
}

/// Why a pair scored as it did: the prior plus one term per comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    pub prior_weight: f64,
    pub terms: Vec<Term>,
    pub weight: f64,
    pub probability: f64,
}

/// The weight of comparison `k` at level `l` for records `i` and `j`, with the
/// term-frequency adjustment on exact agreement: u becomes the share of records holding
/// this value, so agreeing on `Siti` weighs less than agreeing on `Suhartini`.
fn term(model: &Model, prepared: &[Prepared], k: usize, l: u8, i: usize) -> (f64, bool) {
    let comp = &model.comparisons[k];
    if l == 0
        && comp.levels.first() == Some(&Level::Exact)
        && let Some(tf) = prepared[k].tf(i)
    {
        let u = f64::from(tf).max(1e-9);
        return ((model.m[k][0] / u).log2(), true);
    }
    (model.weight(k, l), false)
}

/// The weight of a pair.
pub fn weight(model: &Model, prepared: &[Prepared], i: usize, j: usize) -> f64 {
    let mut w = model.prior_weight();
    for (k, (c, p)) in model.comparisons.iter().zip(prepared).enumerate() {
        w += term(model, prepared, k, c.level(p, i, j), i).0;
    }
    w
}

/// The weight of a pair whose levels are already packed in `pattern`.
pub fn weight_of_pattern(model: &Model, prepared: &[Prepared], pattern: u64, i: usize) -> f64 {
    let mut w = model.prior_weight();
    for k in 0..model.comparisons.len() {
        w += term(model, prepared, k, crate::em::level_of(pattern, k), i).0;
    }
    w
}

/// Scores every candidate in parallel from its packed levels (computed once, for EM) and
/// keeps those at or above `min_probability`.
pub fn score(
    model: &Model,
    prepared: &[Prepared],
    pairs: &[(u32, u32)],
    patterns: &[u64],
    min_probability: f64,
) -> Vec<ScoredPair> {
    pairs
        .par_iter()
        .zip(patterns.par_iter())
        .filter_map(|(&(i, j), &pattern)| {
            let w = weight_of_pattern(model, prepared, pattern, i as usize);
            let p = probability(w);
            (p >= min_probability).then_some(ScoredPair {
                i,
                j,
                weight: w,
                probability: p,
            })
        })
        .collect()
}

/// Explains the score of records `i` and `j`.
pub fn explain(model: &Model, prepared: &[Prepared], i: usize, j: usize) -> Explanation {
    let prior_weight = model.prior_weight();
    let terms: Vec<Term> = model
        .comparisons
        .iter()
        .zip(prepared)
        .enumerate()
        .map(|(k, (c, p))| {
            let l = c.level(p, i, j);
            let (weight, tf_adjusted) = term(model, prepared, k, l, i);
            Term {
                comparison: c.name.clone(),
                level: if l == NULL {
                    "null".into()
                } else {
                    c.levels[usize::from(l)].label()
                },
                weight,
                tf_adjusted,
            }
        })
        .collect();
    let weight = prior_weight + terms.iter().map(|t| t.weight).sum::<f64>();
    Explanation {
        prior_weight,
        terms,
        weight,
        probability: probability(weight),
    }
}
