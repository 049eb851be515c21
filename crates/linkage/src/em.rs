//! Expectation-maximisation of the m probabilities, without labels. Candidate pairs are
//! summarised as counts of comparison patterns (levels packed four bits each), so an
//! iteration costs the number of distinct patterns, not the number of pairs.

use crate::compare::NULL;

/// The level of comparison `k` in a packed pattern.
pub fn level_of(pattern: u64, k: usize) -> u8 {
    ((pattern >> (4 * k)) & 0xF) as u8
}

/// Packs levels into a pattern.
pub fn pack(levels: impl IntoIterator<Item = u8>) -> u64 {
    levels
        .into_iter()
        .enumerate()
        .fold(0, |acc, (k, l)| acc | (u64::from(l) << (4 * k)))
}

/// Smallest probability a level may have, so that an unseen level is strong evidence, not
/// an infinite weight.
pub const FLOOR: f64 = 1e-6;

/// The result of one EM session.
#[derive(Debug, Clone)]
pub struct EmFit {
    /// m per comparison and level; `None` for comparisons that were held fixed.
    pub m: Vec<Option<Vec<f64>>>,
    /// The share of matches among the session's pairs.
    pub lambda: f64,
    pub iterations: usize,
}

/// A starting m: most mass on the closest levels, little on `else`.
pub fn initial_m(levels: usize) -> Vec<f64> {
    let mut m: Vec<f64> = (0..levels).map(|k| 0.5f64.powi(k as i32 + 1)).collect();
    if let Some(last) = m.last_mut() {
        *last = 0.05;
    }
    let s: f64 = m.iter().sum();
    m.iter().map(|x| x / s).collect()
}

/// Fits m (for comparisons not `fixed`) and the match share on pattern counts, with u held
/// fixed. Fixed comparisons are left out of the likelihood: their agreement was forced by
/// the blocking rule that produced the pairs, so it says nothing about matching.
pub fn fit(
    counts: &[(u64, f64)],
    u: &[Vec<f64>],
    fixed: &[bool],
    start_m: &[Vec<f64>],
    max_iter: usize,
) -> EmFit {
    let mut m: Vec<Vec<f64>> = start_m.to_vec();
    let mut lambda = 0.1;
    let mut iterations = 0;
    for it in 0..max_iter {
        iterations = it + 1;
        let mut num: Vec<Vec<f64>> = u.iter().map(|l| vec![0.0; l.len()]).collect();
        let (mut matched, mut total) = (0.0, 0.0);
        for &(pattern, c) in counts {
            let (mut pm, mut pu) = (lambda, 1.0 - lambda);
            for k in 0..u.len() {
                let l = level_of(pattern, k);
                if fixed[k] || l == NULL {
                    continue;
                }
                pm *= m[k][usize::from(l)];
                pu *= u[k][usize::from(l)];
            }
            let w = if pm + pu > 0.0 { pm / (pm + pu) } else { 0.0 };
            matched += c * w;
            total += c;
            for (k, n) in num.iter_mut().enumerate() {
                let l = level_of(pattern, k);
                if l != NULL && !fixed[k] {
                    n[usize::from(l)] += c * w;
                }
            }
        }
        let new_lambda = (matched / total.max(1.0)).clamp(FLOOR, 1.0 - FLOOR);
        let mut change = (new_lambda - lambda).abs();
        for (k, n) in num.iter().enumerate() {
            if fixed[k] {
                continue;
            }
            let s: f64 = n.iter().sum();
            if s <= 0.0 {
                continue;
            }
            for (l, x) in n.iter().enumerate() {
                let v = (x / s).max(FLOOR);
                change = change.max((v - m[k][l]).abs());
                m[k][l] = v;
            }
        }
        lambda = new_lambda;
        if change < 1e-7 {
            break;
        }
    }
    EmFit {
        m: m.into_iter()
            .zip(fixed)
            .map(|(mk, f)| (!f).then_some(mk))
            .collect(),
        lambda,
        iterations,
    }
}

/// The prior (chance that two random records match) that agrees with the model: the
/// expected number of matches among candidates over all possible pairs, iterated to a
/// fixed point. Pairs outside the blocks are taken as non-matches.
pub fn prior_fixed_point(
    counts: &[(u64, f64)],
    m: &[Vec<f64>],
    u: &[Vec<f64>],
    total_pairs: f64,
) -> f64 {
    let bf: Vec<(f64, f64)> = counts
        .iter()
        .map(|&(p, c)| {
            let mut b = 1.0;
            for k in 0..u.len() {
                let l = level_of(p, k);
                if l != NULL {
                    b *= m[k][usize::from(l)] / u[k][usize::from(l)];
                }
            }
            (b, c)
        })
        .collect();
    let candidates: f64 = counts.iter().map(|(_, c)| c).sum();
    let mut lambda = (0.1 * candidates / total_pairs.max(1.0)).clamp(1e-12, 0.5);
    for _ in 0..200 {
        let odds = lambda / (1.0 - lambda);
        let expected: f64 = bf
            .iter()
            .map(|&(b, c)| c * (odds * b) / (1.0 + odds * b))
            .sum();
        let next = (expected / total_pairs.max(1.0)).clamp(1e-12, 0.5);
        if ((next - lambda) / lambda).abs() < 1e-9 {
            return next;
        }
        lambda = next;
    }
    lambda
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two comparisons, three levels each; matches mostly agree, non-matches mostly not.
    #[test]
    fn recovers_m_from_a_mixture() {
        let m_true = [vec![0.8, 0.15, 0.05], vec![0.7, 0.2, 0.1]];
        let u = vec![vec![0.01, 0.09, 0.9], vec![0.02, 0.08, 0.9]];
        let (n_match, n_non) = (10_000.0, 90_000.0);
        let mut counts = Vec::new();
        for a in 0..3u8 {
            for b in 0..3u8 {
                let c = n_match * m_true[0][a as usize] * m_true[1][b as usize]
                    + n_non * u[0][a as usize] * u[1][b as usize];
                counts.push((pack([a, b]), c));
            }
        }
        let start = vec![initial_m(3), initial_m(3)];
        let fit = fit(&counts, &u, &[false, false], &start, 500);
        assert!((fit.lambda - 0.1).abs() < 0.01, "lambda {}", fit.lambda);
        let m0 = fit.m[0].clone().unwrap_or_default();
        assert!((m0[0] - 0.8).abs() < 0.03, "{m0:?}");
    }

    #[test]
    fn pack_round_trips() {
        let p = pack([3, NULL, 0, 7]);
        assert_eq!(
            (0..4).map(|k| level_of(p, k)).collect::<Vec<_>>(),
            vec![3, NULL, 0, 7]
        );
    }
}
