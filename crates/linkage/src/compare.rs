//! Comparisons: each turns a pair of values into one level of a ladder, from exact
//! agreement down to `else`. A missing value on either side is the null level, which
//! carries no evidence either way.

use crate::config::{ComparisonConfig, Kind, Normalize, Phonetic};
use crate::dates::{Ymd, canonical};
use crate::derived::{Distinct, value_hash};
use crate::error::LinkError;
pub use crate::level::Level;
use crate::normalize::{basic, digits, normalize_name};
use crate::phonetic;
use crate::place::{normalize_address, normalize_village};
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
        if c.prefix.windows(2).any(|w| w[0] <= w[1]) {
            return Err(bad("prefix lengths must be longest first"));
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

    /// Cleans a column once, with everything the ladder needs per record.
    pub fn prepare(&self, data: &Dataset) -> Result<Prepared, LinkError> {
        let raw = data.column(&self.column)?;
        // Identifiers are nearly all distinct and cheap to clean; everything else repeats,
        // so it is cleaned, keyed and parsed once per distinct value.
        let d = Distinct::of(raw, !matches!(self.kind, Kind::Id | Kind::Numeric));
        let clean: Vec<String> = d.each(|k| self.clean(d.values[k]));
        let uses = |f: fn(&Level) -> bool| self.levels.iter().any(f);
        let reordered = uses(|l| matches!(l, Level::Reordered));
        let compact =
            reordered.then(|| d.expand(&d.each(|k| value_hash(&clean[k].replace(' ', "")))));
        let sorted = reordered.then(|| {
            d.expand(&d.each(|k| {
                let mut v: Vec<&str> = clean[k].split(' ').collect();
                v.sort_unstable();
                value_hash(&v.join(" "))
            }))
        });
        let phon = self.phonetic.map(|p| {
            d.expand(&d.each(|k| {
                value_hash(&match p {
                    Phonetic::Indonesian if self.normalize == Normalize::Name => {
                        phonetic::key_of_normalised(&clean[k])
                    }
                    Phonetic::Indonesian => phonetic::indonesian_key(d.values[k]),
                    Phonetic::DoubleMetaphone => phonetic::double_metaphone(&clean[k]),
                })
            }))
        });
        let dates =
            (self.kind == Kind::Date).then(|| d.expand(&d.each(|k| canonical(&clean[k]).1)));
        let numbers = (self.kind == Kind::Numeric)
            .then(|| d.expand(&d.each(|k| clean[k].replace(',', ".").parse::<f64>().ok())));
        let tf = self.tf_adjustment.then(|| d.term_frequencies(&clean));
        let text = d.column(&clean);
        Ok(Prepared {
            text,
            compact,
            sorted,
            phon,
            dates,
            numbers,
            tf,
        })
    }

    /// The level of records `i` and `j`, or [`NULL`] when either value is missing.
    pub fn level(&self, p: &Prepared, i: usize, j: usize) -> u8 {
        let (a, b) = (p.text.get(i), p.text.get(j));
        if a.is_empty() || b.is_empty() {
            return NULL;
        }
        // Each distance is computed once however many rungs ask for it, and only as far as
        // the loosest rung needs: most scored pairs fail them all.
        let (mut jw, mut dl, mut lev) = (None, None, None);

        for (k, level) in self.levels.iter().enumerate() {
            let holds = match *level {
                Level::Exact => {
                    a == b
                        || (self.kind == Kind::Numeric
                            && num_pair(p, i, j).is_some_and(|(x, y)| x == y))
                }
                Level::Reordered => {
                    col_eq(p.compact.as_ref(), i, j) || col_eq(p.sorted.as_ref(), i, j)
                }
                Level::JaroWinkler(t) => {
                    *jw.get_or_insert_with(|| {
                        jaro_winkler_at_least(a, b, self.jw_cutoff).unwrap_or(0.0)
                    }) >= t
                }
                Level::Damerau(d) => {
                    *dl.get_or_insert_with(|| {
                        damerau_at_most(a, b, self.dl_cutoff).unwrap_or(usize::MAX)
                    }) <= d as usize
                }
                Level::Levenshtein(d) => {
                    *lev.get_or_insert_with(|| levenshtein(a, b)) <= d as usize
                }
                Level::Prefix(n) => a.len() >= n && b.len() >= n && a.get(..n) == b.get(..n),
                Level::Phonetic => col_eq(p.phon.as_ref(), i, j),
                Level::DateSwap => match date_pair(p, i, j) {
                    Some((x, y)) => x.y == y.y && x.m == y.d && x.d == y.m,
                    None => false,
                },
                // Damerau distance 1 at equal length: one digit changed or two swapped.
                Level::DateTypo => one_digit_apart(a, b),
                Level::YearApart => match date_pair(p, i, j) {
                    Some((x, y)) => x.m == y.m && x.d == y.d && (x.y - y.y).abs() == 1,
                    None => false,
                },
                Level::OneDigit => one_digit_apart(a, b),
                Level::Within(d) => match self.kind {
                    Kind::Date => date_pair(p, i, j)
                        .is_some_and(|(x, y)| ((x.days() - y.days()).abs() as f64) <= d),
                    _ => num_pair(p, i, j).is_some_and(|(x, y)| (x - y).abs() <= d),
                },
                Level::Else => true,
            };
            if holds {
                return k as u8;
            }
        }
        (self.levels.len() - 1) as u8
    }
}

fn col_eq(c: Option<&Vec<u64>>, i: usize, j: usize) -> bool {
    c.is_some_and(|c| {
        let a = c.get(i).copied().unwrap_or(0);
        a != 0 && Some(&a) == c.get(j)
    })
}

fn date_pair(p: &Prepared, i: usize, j: usize) -> Option<(Ymd, Ymd)> {
    let d = p.dates.as_ref()?;
    Some(((*d.get(i)?)?, (*d.get(j)?)?))
}

fn num_pair(p: &Prepared, i: usize, j: usize) -> Option<(f64, f64)> {
    let n = p.numbers.as_ref()?;
    Some(((*n.get(i)?)?, (*n.get(j)?)?))
}

impl Prepared {
    /// The values of records `idx`, in that order (record `idx[k]` becomes record `k`).
    pub fn select(&self, idx: &[usize]) -> Prepared {
        fn pick<T: Copy + Default>(v: &Option<Vec<T>>, idx: &[usize]) -> Option<Vec<T>> {
            v.as_ref().map(|v| {
                idx.iter()
                    .map(|&i| v.get(i).copied().unwrap_or_default())
                    .collect()
            })
        }
        let mut text = Column::default();
        for &i in idx {
            text.push(self.text.get(i));
        }
        Prepared {
            text,
            compact: pick(&self.compact, idx),
            sorted: pick(&self.sorted, idx),
            phon: pick(&self.phon, idx),
            dates: pick(&self.dates, idx),
            numbers: pick(&self.numbers, idx),
            tf: pick(&self.tf, idx),
        }
    }
}

/// A cleaned column and the per-record extras its ladder needs.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub text: Column,
    compact: Option<Vec<u64>>,
    sorted: Option<Vec<u64>>,
    phon: Option<Vec<u64>>,
    dates: Option<Vec<Option<Ymd>>>,
    numbers: Option<Vec<Option<f64>>>,
    /// Term frequency of each record's value (when tf adjustment is on).
    pub tf: Option<Vec<f32>>,
}
