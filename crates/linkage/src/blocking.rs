//! Blocking: only records that agree on some rule's keys are compared, so the work grows
//! with the number of plausible pairs, never with N². Rules are unioned: a pair found by
//! rule k is dropped when an earlier rule also holds for it, so no pair is scored twice
//! and no set of all pairs is ever held to deduplicate them.

use rayon::prelude::*;

use crate::dates::canonical;
use crate::error::LinkError;
use crate::normalize::{basic, compact_name, digits, normalize_name, sorted_name};
use crate::phonetic::{double_metaphone, indonesian_key};
use crate::place::normalize_village;
use crate::table::Dataset;

/// How one key is derived from a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyFn {
    Basic,
    Name,
    Compact,
    Sorted,
    Phonetic,
    Metaphone,
    Year,
    Date,
    Digits,
    FirstToken,
    LastToken,
    Village,
    Prefix(usize),
}

/// One key of a rule: a function of a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySpec {
    pub column: String,
    pub function: KeyFn,
}

impl KeySpec {
    /// Parses `column` or `function(column)`.
    pub fn parse(s: &str) -> Result<KeySpec, LinkError> {
        let s = s.trim();
        let Some((f, rest)) = s.split_once('(') else {
            return Ok(KeySpec {
                column: s.to_owned(),
                function: KeyFn::Basic,
            });
        };
        let column = rest
            .strip_suffix(')')
            .ok_or_else(|| LinkError::Config(format!("blocking key `{s}`: missing `)`")))?
            .trim()
            .to_owned();
        let function = match f.trim() {
            "exact" | "basic" => KeyFn::Basic,
            "name" => KeyFn::Name,
            "compact" => KeyFn::Compact,
            "sorted" => KeyFn::Sorted,
            "phonetic" => KeyFn::Phonetic,
            "metaphone" => KeyFn::Metaphone,
            "year" => KeyFn::Year,
            "date" => KeyFn::Date,
            "digits" => KeyFn::Digits,
            "first_token" => KeyFn::FirstToken,
            "last_token" => KeyFn::LastToken,
            "village" => KeyFn::Village,
            other => match other.strip_prefix("prefix").map(str::parse::<usize>) {
                Some(Ok(n)) if n > 0 => KeyFn::Prefix(n),
                _ => {
                    return Err(LinkError::Config(format!(
                        "blocking key `{s}`: unknown function `{other}`"
                    )));
                }
            },
        };
        Ok(KeySpec { column, function })
    }

    /// The key of one value; empty means missing, and a missing key never blocks.
    pub fn key(&self, v: &str) -> String {
        match &self.function {
            KeyFn::Basic => basic(v),
            KeyFn::Name => normalize_name(v),
            KeyFn::Compact => compact_name(v),
            KeyFn::Sorted => sorted_name(v),
            KeyFn::Phonetic => indonesian_key(v),
            KeyFn::Metaphone => double_metaphone(&basic(v)),
            KeyFn::Year => canonical(v).1.map(|d| d.y.to_string()).unwrap_or_default(),
            KeyFn::Date => canonical(v).0,
            KeyFn::Digits => digits(v),
            KeyFn::FirstToken => normalize_name(v).split(' ').next().unwrap_or("").to_owned(),
            KeyFn::LastToken => normalize_name(v)
                .rsplit(' ')
                .next()
                .unwrap_or("")
                .to_owned(),
            KeyFn::Village => normalize_village(v),
            KeyFn::Prefix(n) => {
                let b = basic(v);
                if b.chars().count() < *n {
                    String::new()
                } else {
                    b.chars().take(*n).collect()
                }
            }
        }
    }
}

/// A rule's hashed key per record, 0 when any key is missing (a real key is never 0).
/// Eight bytes a record, not the sixteen of an `Option<u64>`: at a million records the
/// keys of every rule are among the largest buffers of a run.
pub type RuleKeys = Vec<u64>;

/// FNV-1a: keys are short strings and need no protection against chosen collisions (a
/// collision only adds a candidate pair, which scoring then rejects).
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The hash of a key; 0 (missing) for the empty key.
fn key_hash(k: &str) -> u64 {
    if k.is_empty() {
        0
    } else {
        fnv(k.as_bytes()).max(1)
    }
}

/// True when [`basic`] and [`digits`] would return `v` itself, as they do for clean codes.
fn is_clean_code(v: &str) -> bool {
    v.bytes()
        .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
}

/// Every record's hashed key for one key spec.
fn spec_hashes(data: &Dataset, spec: &KeySpec) -> Result<RuleKeys, LinkError> {
    let col = data.column(&spec.column)?;
    let cheap = matches!(
        spec.function,
        KeyFn::Basic | KeyFn::Digits | KeyFn::Prefix(_)
    );
    if cheap {
        // Nearly every value is distinct (NIK, No KK): hash straight from the record, and
        // without building the key when the value is a clean code already.
        return Ok((0..col.len())
            .into_par_iter()
            .map(|i| {
                let v = col.get(i);
                let clean = is_clean_code(v)
                    && (spec.function != KeyFn::Digits || v.bytes().all(|b| b.is_ascii_digit()));
                match spec.function {
                    KeyFn::Basic | KeyFn::Digits if clean => key_hash(v),
                    KeyFn::Prefix(n) if clean => key_hash(v.get(..n).unwrap_or("")),
                    _ => key_hash(&spec.key(v)),
                }
            })
            .collect());
    }
    let d = col.distinct();
    let per: Vec<u64> = d
        .first
        .par_iter()
        .map(|&r| key_hash(&spec.key(col.get(r as usize))))
        .collect();
    Ok(d.slots.par_iter().map(|&s| per[s as usize]).collect())
}

/// Every rule's key per record. A key spec shared by several rules (the birth date, say)
/// is computed once.
pub fn all_rule_keys(data: &Dataset, rules: &[Vec<KeySpec>]) -> Result<Vec<RuleKeys>, LinkError> {
    let mut cache: Vec<(KeySpec, RuleKeys)> = Vec::new();
    for spec in rules.iter().flatten() {
        if !cache.iter().any(|(s, _)| s == spec) {
            cache.push((spec.clone(), spec_hashes(data, spec)?));
        }
    }
    let lookup = |spec: &KeySpec| cache.iter().find(|(s, _)| s == spec).map(|(_, h)| h);
    Ok(rules
        .iter()
        .map(|rule| {
            let parts: Vec<&RuleKeys> = rule.iter().filter_map(lookup).collect();
            (0..data.len())
                .into_par_iter()
                .map(|i| {
                    parts
                        .iter()
                        .try_fold(0x9E37_79B9_7F4A_7C15u64, |acc, h| {
                            (h[i] != 0).then(|| {
                                (acc.rotate_left(5) ^ h[i]).wrapping_mul(0x2545_F491_4F6C_DD1D)
                            })
                        })
                        .map_or(0, |k| k.max(1))
                })
                .collect()
        })
        .collect())
}

/// Candidate pairs `(i, j)`, `i < j`, and how many blocks were too large to use.
#[derive(Debug, Default)]
pub struct Candidates {
    pub pairs: Vec<(u32, u32)>,
    pub skipped_blocks: usize,
}

/// Unions the rules' pairs without duplicates; `max_block` caps a block's size.
pub fn candidates(data: &Dataset, rules: &[RuleKeys], max_block: usize) -> Candidates {
    let mut out = Candidates::default();
    // Each record's keys of all rules side by side: checking whether an earlier rule
    // already holds for a pair then reads one short row per record, not one scattered
    // value per earlier rule.
    let width = rules.len();
    let mut rows = vec![0u64; data.len() * width];
    rows.par_chunks_mut(width.max(1))
        .enumerate()
        .for_each(|(i, row)| {
            for (cell, keys) in row.iter_mut().zip(rules) {
                *cell = keys.get(i).copied().unwrap_or(0);
            }
        });
    let row = |i: usize| &rows[i * width..(i + 1) * width];
    for (r, keys) in rules.iter().enumerate() {
        let mut order: Vec<(u64, u32)> = keys
            .iter()
            .enumerate()
            .filter(|(_, k)| **k != 0)
            .map(|(i, &k)| (k, i as u32))
            .collect();
        order.par_sort_unstable();
        let mut blocks = Vec::new();
        let mut start = 0;
        for end in 1..=order.len() {
            if end == order.len() || order[end].0 != order[start].0 {
                if end - start > 1 {
                    blocks.push((start, end));
                }
                start = end;
            }
        }
        out.skipped_blocks += blocks.iter().filter(|(s, e)| e - s > max_block).count();
        let pairs: Vec<(u32, u32)> = blocks
            .par_iter()
            .filter(|(s, e)| e - s <= max_block)
            .flat_map_iter(|&(s, e)| {
                let block = &order[s..e];
                let mut found = Vec::new();
                for (x, &(_, a)) in block.iter().enumerate() {
                    for &(_, b) in &block[x + 1..] {
                        let (i, j) = (a.min(b) as usize, a.max(b) as usize);
                        let (ri, rj) = (&row(i)[..r], &row(j)[..r]);
                        let seen = ri.iter().zip(rj).any(|(x, y)| *x != 0 && x == y);
                        if !seen && data.pairable(i, j) {
                            found.push((i as u32, j as u32));
                        }
                    }
                }
                found
            })
            .collect();
        out.pairs.extend(pairs);
    }
    // In record order, so that comparing walks the left record's values in sequence
    // instead of jumping around memory for both records of every pair.
    out.pairs.par_sort_unstable();
    out
}
