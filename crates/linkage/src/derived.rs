//! Per-record values derived from a cleaned column: hashes of derived strings and term
//! frequencies.

use crate::hashing::{FastMap, hash_str};
use crate::table::Column;

/// Derived values (compact, sorted, phonetic) are kept as 64-bit hashes, 0 when empty:
/// comparing two of them then reads one word per record instead of a string.
pub fn hashes(c: &Column) -> Vec<u64> {
    (0..c.len())
        .map(|i| match c.get(i) {
            "" => 0,
            v => hash_str(v).max(1),
        })
        .collect()
}

/// Each record's value frequency among non-missing values: the chance that a random
/// other record shares it, which is the u of an exact agreement on that value.
pub fn term_frequencies(text: &Column) -> Vec<f32> {
    let mut counts: FastMap<&str, u32> = FastMap::default();
    for i in 0..text.len() {
        let v = text.get(i);
        if !v.is_empty() {
            *counts.entry(v).or_default() += 1;
        }
    }
    let total: u32 = counts.values().sum();
    (0..text.len())
        .map(|i| {
            let c = counts.get(text.get(i)).copied().unwrap_or(0);
            c as f32 / total.max(1) as f32
        })
        .collect()
}
