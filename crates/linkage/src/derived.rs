//! Per-record values derived from a cleaned column: hashes of derived strings and term
//! frequencies.

use rayon::prelude::*;

use crate::hashing::{FastMap, hash_str};
use crate::table::Column;

/// A column as its distinct values plus, per record, which one it holds: anything derived
/// from a value is then computed once per distinct value.
#[derive(Debug)]
pub struct Distinct<'a> {
    pub slots: Vec<u32>,
    pub values: Vec<&'a str>,
}

impl<'a> Distinct<'a> {
    /// With `dedupe` false every record is its own value (for near-unique columns such as
    /// NIK, where hashing every value would cost more than it saves).
    pub fn of(c: &'a Column, dedupe: bool) -> Distinct<'a> {
        if !dedupe {
            return Distinct {
                slots: (0..c.len() as u32).collect(),
                values: (0..c.len()).map(|i| c.get(i)).collect(),
            };
        }
        let mut index: FastMap<&str, u32> = FastMap::default();
        let mut values = Vec::new();
        let slots = (0..c.len())
            .map(|i| {
                let v = c.get(i);
                *index.entry(v).or_insert_with(|| {
                    values.push(v);
                    (values.len() - 1) as u32
                })
            })
            .collect();
        Distinct { slots, values }
    }

    /// `f` of every distinct value, in parallel.
    pub fn each<T: Send>(&self, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
        (0..self.values.len()).into_par_iter().map(&f).collect()
    }

    /// Per record, the per-distinct-value `per`.
    pub fn expand<T: Copy + Default>(&self, per: &[T]) -> Vec<T> {
        self.slots
            .iter()
            .map(|&s| per.get(s as usize).copied().unwrap_or_default())
            .collect()
    }

    /// Per record, the per-distinct-value strings `per`, as a column.
    pub fn column(&self, per: &[String]) -> Column {
        let mut out = Column::default();
        for &s in &self.slots {
            out.push(per.get(s as usize).map_or("", String::as_str));
        }
        out
    }

    /// The share of non-empty records holding each record's cleaned value (`clean[d]` is
    /// distinct value `d` cleaned; several raw values may clean alike).
    pub fn term_frequencies(&self, clean: &[String]) -> Vec<f32> {
        let mut per_raw = vec![0u32; self.values.len()];
        for &s in &self.slots {
            per_raw[s as usize] += 1;
        }
        let mut counts: FastMap<&str, u32> = FastMap::default();
        for (d, c) in clean.iter().enumerate() {
            if !c.is_empty() {
                *counts.entry(c.as_str()).or_default() += per_raw[d];
            }
        }
        let total = counts.values().sum::<u32>().max(1) as f32;
        let per: Vec<f32> = clean
            .iter()
            .map(|c| counts.get(c.as_str()).copied().unwrap_or(0) as f32 / total)
            .collect();
        self.expand(&per)
    }
}

/// The hash of a derived value, 0 when it is empty.
pub fn value_hash(v: &str) -> u64 {
    if v.is_empty() { 0 } else { hash_str(v).max(1) }
}
