//! Blocking: only records that agree on some rule's keys are compared, so the work grows
//! with the number of plausible pairs, never with N². Rules are unioned: a pair found by
//! rule k is dropped when an earlier rule also holds for it, so no pair is scored twice
//! and no set of all pairs is ever held to deduplicate them.

use std::hash::{Hash, Hasher};

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

/// A rule's hashed key per record (`None` when any key is missing).
pub type RuleKeys = Vec<Option<u64>>;

/// Computes every record's key for a rule.
pub fn rule_keys(data: &Dataset, keys: &[KeySpec]) -> Result<RuleKeys, LinkError> {
    let cols = keys
        .iter()
        .map(|k| data.column(&k.column))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((0..data.len())
        .into_par_iter()
        .map(|i| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            for (spec, col) in keys.iter().zip(&cols) {
                let k = spec.key(col.get(i));
                if k.is_empty() {
                    return None;
                }
                k.hash(&mut h);
            }
            Some(h.finish())
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
    for (r, keys) in rules.iter().enumerate() {
        let mut order: Vec<(u64, u32)> = keys
            .iter()
            .enumerate()
            .filter_map(|(i, k)| k.map(|k| (k, i as u32)))
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
        let earlier = &rules[..r];
        let pairs: Vec<(u32, u32)> = blocks
            .par_iter()
            .filter(|(s, e)| e - s <= max_block)
            .flat_map_iter(|&(s, e)| {
                let block = &order[s..e];
                let mut found = Vec::new();
                for (x, &(_, a)) in block.iter().enumerate() {
                    for &(_, b) in &block[x + 1..] {
                        let (i, j) = (a.min(b) as usize, a.max(b) as usize);
                        let seen = earlier.iter().any(|k| k[i].is_some() && k[i] == k[j]);
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
    out
}
