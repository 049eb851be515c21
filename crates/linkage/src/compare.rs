//! Comparisons: each turns a pair of values into one level of a ladder, from exact
//! agreement down to `else`. A missing value on either side is the null level, which
//! carries no evidence either way.

use crate::config::{ComparisonConfig, Kind, Normalize, Phonetic};
use crate::dates::canonical;
use std::sync::Arc;

use rayon::prelude::*;

use crate::derived::Distinct;
use crate::error::LinkError;
pub use crate::level::Level;
use crate::normalize::{basic, digits, normalize_name};
use crate::phonetic;
use crate::place::{normalize_address, normalize_village};
pub use crate::prepared::Prepared;
use crate::prepared::{
    KeyMode, MISSING, NONE, Tables, digit_key, digits_one_apart, digits_prefix_eq, ids_of,
};
use crate::similarity::{damerau_at_most, jaro_winkler_at_least, levenshtein, one_digit_apart};
use crate::table::{Column, Dataset};

/// Levels are packed four bits each into a `u64` pattern, so at most 16 comparisons and
/// 15 levels (the 16th value is null).
pub const MAX_COMPARISONS: usize = 16;
pub const NULL: u8 = 15;

/// A comparison built from its config: the ladder and how to clean values.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub name: String,
    pub column: String,
    pub kind: Kind,
    pub normalize: Normalize,
    pub phonetic: Option<Phonetic>,
    pub levels: Vec<Level>,
    pub tf_adjustment: bool,
    /// The loosest Jaro-Winkler rung: below it the exact score does not matter.
    jw_cutoff: f64,
    /// The loosest Damerau rung.
    dl_cutoff: usize,
}

fn descending(v: &[f64]) -> bool {
    v.windows(2).all(|w| w[0] > w[1])
}

fn ascending<T: PartialOrd>(v: &[T]) -> bool {
    v.windows(2).all(|w| w[0] < w[1])
}

impl Comparison {
    pub fn from_config(c: &ComparisonConfig) -> Result<Comparison, LinkError> {
        let bad = |m: &str| LinkError::Config(format!("comparison `{}`: {m}", c.label()));
        if !descending(&c.jaro_winkler) || c.jaro_winkler.iter().any(|t| !(0.0..=1.0).contains(t)) {
            return Err(bad(
                "jaro_winkler thresholds must lie in [0, 1], highest first",
            ));
        }
        if !ascending(&c.damerau) || !ascending(&c.levenshtein) || !ascending(&c.within) {
            return Err(bad(
                "damerau, levenshtein and within must be smallest first",
            ));
        }
        if c.prefix.windows(2).any(|w| w[0] <= w[1]) || c.prefix.contains(&0) {
            return Err(bad("prefix lengths must be at least 1, longest first"));
        }
        let mut levels = vec![Level::Exact];
        match c.kind {
            Kind::Exact => {}
            Kind::Name => {
                levels.push(Level::Reordered);
                levels.extend(c.jaro_winkler.iter().map(|t| Level::JaroWinkler(*t)));
            }
            Kind::String => {
                levels.extend(c.damerau.iter().map(|k| Level::Damerau(*k)));
                levels.extend(c.levenshtein.iter().map(|k| Level::Levenshtein(*k)));
                levels.extend(c.jaro_winkler.iter().map(|t| Level::JaroWinkler(*t)));
                levels.extend(c.prefix.iter().map(|n| Level::Prefix(*n)));
            }
            Kind::Date => {
                levels.extend([Level::DateSwap, Level::DateTypo, Level::YearApart]);
                levels.extend(c.within.iter().map(|d| Level::Within(*d)));
            }
            Kind::Id => {
                levels.push(Level::OneDigit);
                levels.extend(c.prefix.iter().map(|n| Level::Prefix(*n)));
            }
            Kind::Numeric => levels.extend(c.within.iter().map(|d| Level::Within(*d))),
        }
        if c.phonetic.is_some() {
            if !matches!(c.kind, Kind::Name | Kind::String) {
                return Err(bad("phonetic applies to name and string comparisons"));
            }
            levels.push(Level::Phonetic);
        }
        levels.push(Level::Else);
        if levels.len() >= usize::from(NULL) {
            return Err(bad("too many levels (at most 14 besides else)"));
        }
        let normalize = c.normalize.unwrap_or(match c.kind {
            Kind::Name => Normalize::Name,
            Kind::Id => Normalize::Digits,
            _ => Normalize::Basic,
        });
        Ok(Comparison {
            name: c.label().to_owned(),
            column: c.column.clone(),
            kind: c.kind,
            normalize,
            phonetic: c.phonetic,
            levels,
            tf_adjustment: c.tf_adjustment,
            jw_cutoff: c.jaro_winkler.iter().copied().fold(1.0, f64::min),
            dl_cutoff: c.damerau.iter().copied().max().unwrap_or(0) as usize,
        })
    }

    fn clean(&self, raw: &str) -> String {
        match self.kind {
            Kind::Date => return canonical(raw).0,
            Kind::Numeric => return raw.trim().to_owned(),
            _ => {}
        }
        match self.normalize {
            Normalize::None => raw.trim().to_owned(),
            Normalize::Basic => basic(raw),
            Normalize::Name => normalize_name(raw),
            Normalize::Village => normalize_village(raw),
            Normalize::Address => normalize_address(raw),
            Normalize::Digits => digits(raw),
        }
    }

    /// Cleans a column once: a key per record, and per distinct value what the ladder
    /// needs (see [`crate::prepared`]).
    pub fn prepare(&self, data: &Dataset) -> Result<Prepared, LinkError> {
        let raw = data.column(&self.column)?;
        // Identifiers are nearly all distinct and cheap to clean: digit keys when they fit,
        // else one slot per record. Everything else repeats, so it is cleaned, keyed and
        // parsed once per distinct value.
        // Term frequencies are kept per distinct value, which digit keys do not have.
        if self.kind == Kind::Id
            && !self.tf_adjustment
            && let Some(keys) = self.digit_keys(raw)
        {
            return Ok(Prepared {
                mode: KeyMode::Digits,
                keys,
                tables: Arc::new(Tables::default()),
            });
        }
        let d = Distinct::of(raw, !matches!(self.kind, Kind::Id | Kind::Numeric));
        let clean: Vec<String> = d.each(|k| self.clean(d.values[k]));
        // Raw values that clean alike share one slot.
        let slot_of_clean = ids_of(&clean);
        let mut values: Vec<&str> = Vec::new();
        for (k, &id) in slot_of_clean.iter().enumerate() {
            if id != NONE && id as usize == values.len() {
                values.push(&clean[k]);
            }
        }
        let keys: Vec<u64> = d
            .slots
            .par_iter()
            .map(|&s| match slot_of_clean[s as usize] {
                NONE => MISSING,
                id => u64::from(id),
            })
            .collect();
        let per_value = |f: &(dyn Fn(&str) -> String + Sync)| -> Vec<u32> {
            ids_of(&values.par_iter().map(|v| f(v)).collect::<Vec<_>>())
        };
        let uses = |f: fn(&Level) -> bool| self.levels.iter().any(f);
        let reordered = uses(|l| matches!(l, Level::Reordered));
        let compact = reordered.then(|| per_value(&|v| v.replace(' ', "")));
        let sorted = reordered.then(|| {
            per_value(&|v| {
                let mut t: Vec<&str> = v.split(' ').collect();
                t.sort_unstable();
                t.join(" ")
            })
        });
        // From the cleaned value, as every derived value here: a slot stands for all raw
        // values that clean alike ("Hj.Siti" and "hj siti" under `basic` both key as siti).
        let phon = self.phonetic.map(|p| {
            per_value(&|v| match p {
                Phonetic::Indonesian if self.normalize == Normalize::Name => {
                    phonetic::key_of_normalised(v)
                }
                Phonetic::Indonesian => phonetic::indonesian_key(v),
                Phonetic::DoubleMetaphone => phonetic::double_metaphone(v),
            })
        });
        let dates =
            (self.kind == Kind::Date).then(|| values.par_iter().map(|v| canonical(v).1).collect());
        let numbers = (self.kind == Kind::Numeric).then(|| {
            values
                .par_iter()
                .map(|v| v.replace(',', ".").parse::<f64>().ok())
                .collect()
        });
        let prefixes = self
            .levels
            .iter()
            .filter_map(|l| match *l {
                Level::Prefix(n) => Some((n, per_value(&|v| prefix(v, n)))),
                _ => None,
            })
            .collect();
        let tf = self
            .tf_adjustment
            .then(|| term_frequencies(&keys, values.len()));
        let mut text = Column::default();
        for v in &values {
            text.push(v);
        }
        Ok(Prepared {
            mode: KeyMode::Slot,
            keys,
            tables: Arc::new(Tables {
                values: text,
                compact,
                sorted,
                phon,
                dates,
                numbers,
                prefixes,
                tf,
            }),
        })
    }

    /// Every record's digit key, when every cleaned value is at most 16 digits. A value
    /// that is clean already (the usual NIK) is keyed in place, without a cleaned copy.
    fn digit_keys(&self, raw: &Column) -> Option<Vec<u64>> {
        (0..raw.len())
            .into_par_iter()
            .map(|i| {
                let v = raw.get(i);
                let direct = self.normalize == Normalize::Digits
                    && !v.is_empty()
                    && v.bytes().all(|b| b.is_ascii_digit());
                if direct {
                    return digit_key(v);
                }
                match self.clean(v) {
                    c if c.is_empty() => Some(MISSING),
                    c => digit_key(&c),
                }
            })
            .collect()
    }

    /// The level of records `i` and `j`, or [`NULL`] when either value is missing.
    pub fn level(&self, p: &Prepared, i: usize, j: usize) -> u8 {
        let key = |r: usize| p.keys.get(r).copied().unwrap_or(MISSING);
        self.level_of_keys(p, key(i), key(j))
    }

    /// The level of two records given their keys in `p`.
    pub fn level_of_keys(&self, p: &Prepared, ka: u64, kb: u64) -> u8 {
        if ka == MISSING || kb == MISSING {
            return NULL;
        }
        if p.mode == KeyMode::Digits {
            return self.level_of_digits(ka, kb);
        }
        let t = &*p.tables;
        let (sa, sb) = (ka as usize, kb as usize);
        let (a, b) = (t.values.get(sa), t.values.get(sb));
        let same = |ids: Option<&Vec<u32>>| {
            ids.is_some_and(|v| {
                let x = v.get(sa).copied().unwrap_or(NONE);
                x != NONE && Some(&x) == v.get(sb)
            })
        };
        let dates = || {
            let d = t.dates.as_ref()?;
            Some(((*d.get(sa)?)?, (*d.get(sb)?)?))
        };
        let numbers = || {
            let n = t.numbers.as_ref()?;
            Some(((*n.get(sa)?)?, (*n.get(sb)?)?))
        };
        // Each distance is computed once however many rungs ask for it, and only as far as
        // the loosest rung needs: most scored pairs fail them all.
        let (mut jw, mut dl, mut lev) = (None, None, None);
        for (k, level) in self.levels.iter().enumerate() {
            let holds = match *level {
                Level::Exact => {
                    sa == sb
                        || (self.kind == Kind::Numeric && numbers().is_some_and(|(x, y)| x == y))
                }
                Level::Reordered => same(t.compact.as_ref()) || same(t.sorted.as_ref()),
                Level::JaroWinkler(th) => {
                    *jw.get_or_insert_with(|| {
                        jaro_winkler_at_least(a, b, self.jw_cutoff).unwrap_or(0.0)
                    }) >= th
                }
                Level::Damerau(d) => {
                    *dl.get_or_insert_with(|| {
                        damerau_at_most(a, b, self.dl_cutoff).unwrap_or(usize::MAX)
                    }) <= d as usize
                }
                Level::Levenshtein(d) => {
                    *lev.get_or_insert_with(|| levenshtein(a, b)) <= d as usize
                }
                Level::Prefix(n) => t
                    .prefixes
                    .iter()
                    .find(|(len, _)| *len == n)
                    .is_some_and(|(_, ids)| same(Some(ids))),
                Level::Phonetic => same(t.phon.as_ref()),
                Level::DateSwap => {
                    dates().is_some_and(|(x, y)| x.y == y.y && x.m == y.d && x.d == y.m)
                }
                // Damerau distance 1 at equal length: one digit changed or two swapped.
                Level::DateTypo | Level::OneDigit => one_digit_apart(a, b),
                Level::YearApart => {
                    dates().is_some_and(|(x, y)| x.m == y.m && x.d == y.d && (x.y - y.y).abs() == 1)
                }
                Level::Within(d) => match self.kind {
                    Kind::Date => {
                        dates().is_some_and(|(x, y)| ((x.days() - y.days()).abs() as f64) <= d)
                    }
                    _ => numbers().is_some_and(|(x, y)| (x - y).abs() <= d),
                },
                Level::Else => true,
            };
            if holds {
                return k as u8;
            }
        }
        (self.levels.len() - 1) as u8
    }

    /// The ladder of an identifier held as digits ([`KeyMode::Digits`]).
    fn level_of_digits(&self, a: u64, b: u64) -> u8 {
        for (k, level) in self.levels.iter().enumerate() {
            let holds = match *level {
                Level::Exact => a == b,
                Level::OneDigit => digits_one_apart(a, b),
                Level::Prefix(n) => digits_prefix_eq(a, b, n),
                Level::Else => true,
                _ => false,
            };
            if holds {
                return k as u8;
            }
        }
        (self.levels.len() - 1) as u8
    }
}

/// The first `n` bytes of `v`, empty when `v` is shorter.
fn prefix(v: &str, n: usize) -> String {
    v.get(..n).map(str::to_owned).unwrap_or_default()
}

/// The share of non-empty records holding each slot's value.
fn term_frequencies(keys: &[u64], slots: usize) -> Vec<f32> {
    let mut counts = vec![0u32; slots];
    for &k in keys {
        if let Some(c) = counts.get_mut(k as usize) {
            *c += 1;
        }
    }
    let total = counts.iter().sum::<u32>().max(1) as f32;
    counts.iter().map(|&c| c as f32 / total).collect()
}
