//! A comparison's column, cleaned once and laid out for the hot loop. Each record holds
//! one 64-bit key: the slot of its cleaned value among the distinct cleaned values, or,
//! for identifiers of up to 16 digits, the digits themselves (four bits each). Everything
//! derived from a value (compact and sorted forms, phonetic key, parsed date, prefixes,
//! term frequency) is kept once per distinct value, in tables small enough to stay in
//! cache. Comparing two records then reads one word of each record per comparison, and the
//! linker lays those words side by side ([`interleave`]), so that a pair costs about one
//! cache miss for its far record instead of one or two per comparison and derived value.

use std::sync::Arc;

use rayon::prelude::*;

use crate::dates::Ymd;
use crate::hashing::FastMap;
use crate::table::Column;

/// The key of a missing value (also the digit key of an empty string: every nibble 0xF).
pub const MISSING: u64 = u64::MAX;
/// A derived value that is missing (an empty phonetic key, a value shorter than a prefix).
pub const NONE: u32 = u32::MAX;

/// What a record's key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyMode {
    /// The slot of the cleaned value in [`Tables::values`]: equal slots, equal values.
    Slot,
    /// Up to 16 decimal digits, one per nibble from the top, padded with 0xF.
    Digits,
}

/// Per distinct value (per slot): what the comparison's ladder needs.
#[derive(Debug, Default)]
pub struct Tables {
    pub values: Column,
    pub compact: Option<Vec<u32>>,
    pub sorted: Option<Vec<u32>>,
    pub phon: Option<Vec<u32>>,
    pub dates: Option<Vec<Option<Ymd>>>,
    pub numbers: Option<Vec<Option<f64>>>,
    /// For each prefix length of the ladder, the id of each value's prefix.
    pub prefixes: Vec<(usize, Vec<u32>)>,
    /// Share of non-empty records holding the value (when tf adjustment is on).
    pub tf: Option<Vec<f32>>,
}

/// A cleaned column: one key per record plus the per-value tables.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub mode: KeyMode,
    pub keys: Vec<u64>,
    pub tables: Arc<Tables>,
}

impl Prepared {
    /// The term frequency of record `i`'s value.
    pub fn tf(&self, i: usize) -> Option<f32> {
        let key = *self.keys.get(i)?;
        if key == MISSING {
            return None;
        }
        self.tables.tf.as_ref()?.get(key as usize).copied()
    }

    /// The records `idx`, in that order (record `idx[k]` becomes record `k`); the tables
    /// are shared, not copied.
    pub fn select(&self, idx: &[usize]) -> Prepared {
        Prepared {
            mode: self.mode,
            keys: idx
                .iter()
                .map(|&i| self.keys.get(i).copied().unwrap_or(MISSING))
                .collect(),
            tables: Arc::clone(&self.tables),
        }
    }
}

/// The digit key of `s`, when it is 1 to 16 ASCII digits.
pub fn digit_key(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 16 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.bytes().enumerate().fold(MISSING, |k, (n, b)| {
        let shift = 60 - 4 * n;
        (k & !(0xF << shift)) | (u64::from(b - b'0') << shift)
    }))
}

/// The number of digits in a digit key (digits are never 0xF, so the padding is the run
/// of 0xF nibbles at the bottom).
pub fn digit_len(k: u64) -> u32 {
    16 - (!k).trailing_zeros().min(64) / 4
}

/// [`crate::similarity::one_digit_apart`] on digit keys: equally long, and one digit
/// differs or two neighbours are swapped.
pub fn digits_one_apart(a: u64, b: u64) -> bool {
    if digit_len(a) != digit_len(b) {
        return false;
    }
    let x = a ^ b;
    // One bit per differing nibble, at the nibble's lowest bit.
    let m = (x | x >> 1 | x >> 2 | x >> 3) & 0x1111_1111_1111_1111;
    match m.count_ones() {
        1 => true,
        2 => {
            let lo = m.trailing_zeros();
            let nib = |k: u64, at: u32| (k >> at) & 0xF;
            m == (1 << lo) | (1 << (lo + 4))
                && nib(a, lo) == nib(b, lo + 4)
                && nib(a, lo + 4) == nib(b, lo)
        }
        _ => false,
    }
}

/// True when both digit keys have at least `n` digits and their first `n` agree.
pub fn digits_prefix_eq(a: u64, b: u64, n: usize) -> bool {
    if n == 0 || n > 16 || digit_len(a) < n as u32 || digit_len(b) < n as u32 {
        return false;
    }
    (a ^ b) >> (64 - 4 * n as u32) == 0
}

/// Ids for strings: equal strings get equal ids, the empty string gets [`NONE`].
pub fn ids_of<S: AsRef<[u8]> + Sync>(values: &[S]) -> Vec<u32> {
    let mut index: FastMap<&[u8], u32> = FastMap::default();
    values
        .iter()
        .map(|v| {
            let v = v.as_ref();
            if v.is_empty() {
                return NONE;
            }
            let next = index.len() as u32;
            *index.entry(v).or_insert(next)
        })
        .collect()
}

/// The records' keys laid side by side: row `i` holds the key of every comparison for
/// record `i`, so scoring a pair reads one short row per record.
pub fn interleave(prepared: &[Prepared], records: usize) -> Vec<u64> {
    let width = prepared.len().max(1);
    let mut rows = vec![MISSING; records * width];
    rows.par_chunks_mut(width).enumerate().for_each(|(i, row)| {
        for (cell, p) in row.iter_mut().zip(prepared) {
            *cell = p.keys.get(i).copied().unwrap_or(MISSING);
        }
    });
    rows
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::similarity::one_digit_apart;

    #[test]
    fn digit_keys() {
        assert_eq!(digit_key(""), None);
        assert_eq!(digit_key("12a"), None);
        assert_eq!(digit_key("12345678901234567"), None);
        let k = digit_key("6472011203870001").unwrap();
        assert_eq!(digit_len(k), 16);
        assert_eq!(digit_len(digit_key("0").unwrap()), 1);
        assert_ne!(digit_key("0"), digit_key("00"));
        assert!(digits_prefix_eq(k, digit_key("647201999").unwrap(), 6));
        assert!(!digits_prefix_eq(k, digit_key("64720").unwrap(), 6));
    }

    proptest! {
        #[test]
        fn digit_keys_agree_with_strings(a in "[0-9]{1,16}", b in "[0-9]{1,16}",
                                         swap in 0usize..15, edit in 0usize..16, d in 0u8..10,
                                         edit2 in 0usize..16, d2 in 0u8..10) {
            let (ka, kb) = (digit_key(&a).unwrap(), digit_key(&b).unwrap());
            prop_assert_eq!(ka == kb, a == b);
            prop_assert_eq!(digits_one_apart(ka, kb), one_digit_apart(&a, &b));
            // Near misses, which random pairs rarely are.
            let mut t = a.clone().into_bytes();
            if swap + 1 < t.len() { t.swap(swap, swap + 1); }
            if edit < t.len() && edit != swap { t[edit] = b'0' + d; }
            let t = String::from_utf8(t).unwrap();
            let kt = digit_key(&t).unwrap();
            prop_assert_eq!(digits_one_apart(ka, kt), one_digit_apart(&a, &t));
            // A second edit anywhere: two differences that are not a swap.
            let mut u = t.clone().into_bytes();
            if edit2 < u.len() { u[edit2] = b'0' + d2; }
            let u = String::from_utf8(u).unwrap();
            prop_assert_eq!(digits_one_apart(ka, digit_key(&u).unwrap()), one_digit_apart(&a, &u));
            let prefix = |x: &str, y: &str, n: usize| x.len() >= n && y.len() >= n && x[..n] == y[..n];
            prop_assert!(!digits_prefix_eq(ka, kt, 0));
            for n in 1..=16 {
                prop_assert_eq!(digits_prefix_eq(ka, kb, n), prefix(&a, &b, n));
                prop_assert_eq!(digits_prefix_eq(ka, kt, n), prefix(&a, &t, n));
            }
        }
    }
}
