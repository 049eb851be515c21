//! The linkage config, read from TOML: which column is the id, what to compare and how,
//! how to block, and where the thresholds lie. See `config/linkage/*.toml` for examples.

use serde::Deserialize;

use crate::error::LinkError;

/// A whole linkage config.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The column holding each record's unique id (never compared).
    pub id_column: String,
    /// What to compare, in order; each gives one term of the match weight.
    #[serde(rename = "comparison")]
    pub comparisons: Vec<ComparisonConfig>,
    /// Blocking rules: a pair is scored when any rule's keys agree.
    #[serde(rename = "blocking")]
    pub blocking: Vec<BlockingConfig>,
    /// Rules whose pairs train m, one EM session each (default: the blocking rules). Pick
    /// rules whose non-matches look like random pairs elsewhere: a rule on No KK gives
    /// household members, who share address and village, and would teach EM that sharing
    /// an address means being one person.
    #[serde(default)]
    pub training: Vec<BlockingConfig>,
    #[serde(default)]
    pub thresholds: Thresholds,
    #[serde(default)]
    pub model: ModelConfig,
}

/// How values are compared; each kind has its own ladder of levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// exact / else.
    Exact,
    /// exact / same tokens reordered or respaced / Jaro-Winkler bands / phonetic / else.
    Name,
    /// exact / Damerau and Levenshtein bands / Jaro-Winkler bands / prefix / phonetic / else.
    String,
    /// exact / day and month swapped / one digit / one year apart / within N days / else.
    Date,
    /// Identifier numbers such as NIK: exact / one wrong digit or a swap / prefix / else.
    Id,
    /// exact / within each distance / else.
    Numeric,
}

/// How a value is cleaned before comparing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalize {
    /// Trimmed only.
    None,
    /// Lowercase, punctuation to spaces.
    Basic,
    /// Indonesian personal names: titles, Muhammad/Siti forms, old spellings.
    Name,
    /// Village names: Desa/Kel. prefixes, Sei/Sungai, Tg./Tanjung.
    Village,
    /// Street addresses: Jl./Jalan, RT/RW in one form.
    Address,
    /// Only the digits.
    Digits,
}

/// Which phonetic key a name or string comparison uses for its phonetic level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phonetic {
    Indonesian,
    DoubleMetaphone,
}

/// One comparison.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComparisonConfig {
    /// Label in explanations (defaults to the column).
    pub name: Option<String>,
    pub column: String,
    pub kind: Kind,
    /// Cleaning before comparing (default per kind: name → name, id → digits, else basic).
    pub normalize: Option<Normalize>,
    /// Jaro-Winkler thresholds, highest first (name, string).
    #[serde(default)]
    pub jaro_winkler: Vec<f64>,
    /// Damerau-Levenshtein distances, smallest first (string).
    #[serde(default)]
    pub damerau: Vec<u32>,
    /// Levenshtein distances, smallest first (string).
    #[serde(default)]
    pub levenshtein: Vec<u32>,
    /// Lengths of a shared prefix, longest first (string, id).
    #[serde(default)]
    pub prefix: Vec<usize>,
    /// A phonetic level (name, string).
    pub phonetic: Option<Phonetic>,
    /// Numeric distances (numeric) or days (date), smallest first.
    #[serde(default)]
    pub within: Vec<f64>,
    /// Weigh an exact agreement by how common the value is (Siti counts less than Suhartini).
    #[serde(default)]
    pub tf_adjustment: bool,
}

impl ComparisonConfig {
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.column)
    }
}

/// A blocking rule: records agreeing on every key become a candidate pair. A key is a
/// column or `function(column)`: `name`, `compact`, `sorted`, `phonetic` (Indonesian),
/// `metaphone`, `year`, `date`, `digits`, `first_token`, `last_token`, `village`,
/// `prefixN` (first N characters, e.g. `prefix6(nik)`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockingConfig {
    pub keys: Vec<String>,
}

/// Pairs at or above `upper` are matches (written and clustered); pairs in
/// `[lower, upper)` form the review band.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub lower: f64,
    pub upper: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            lower: 0.2,
            upper: 0.5,
        }
    }
}

/// Estimation settings; the defaults suit files from a thousand to a few million records.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ModelConfig {
    /// Random pairs drawn to estimate u.
    pub u_sample_pairs: usize,
    /// Upper bound on EM iterations per training session.
    pub em_iterations: usize,
    /// Fix the prior probability that two random records match instead of estimating it.
    pub prior: Option<f64>,
    /// Blocks larger than this are skipped (and counted): they would be nearly N².
    pub max_block_size: usize,
    /// Seed of the random-pair sampler, so runs are repeatable.
    pub seed: u64,
}

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig {
            u_sample_pairs: 1_000_000,
            em_iterations: 100,
            prior: None,
            max_block_size: 5_000,
            seed: 42,
        }
    }
}

impl Config {
    /// Parses and checks a TOML config.
    pub fn from_toml(text: &str) -> Result<Config, LinkError> {
        let config: Config = toml::from_str(text).map_err(|e| LinkError::Config(e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    /// Reads a TOML config file.
    pub fn from_file(path: &std::path::Path) -> Result<Config, LinkError> {
        let text = std::fs::read_to_string(path).map_err(|source| LinkError::Io {
            path: path.to_owned(),
            source,
        })?;
        Config::from_toml(&text).map_err(|e| match e {
            LinkError::Config(m) => LinkError::Config(format!("{}: {m}", path.display())),
            other => other,
        })
    }

    fn validate(&self) -> Result<(), LinkError> {
        let bad = |m: String| Err(LinkError::Config(m));
        if self.comparisons.is_empty() {
            return bad("at least one [[comparison]] is needed".into());
        }
        if self.comparisons.len() > crate::compare::MAX_COMPARISONS {
            return bad(format!(
                "at most {} comparisons",
                crate::compare::MAX_COMPARISONS
            ));
        }
        if self.blocking.is_empty() {
            return bad("at least one [[blocking]] rule is needed: never all pairs".into());
        }
        let t = self.thresholds;
        if !(0.0..=1.0).contains(&t.lower) || !(0.0..=1.0).contains(&t.upper) || t.lower > t.upper {
            return bad("thresholds need 0 <= lower <= upper <= 1".into());
        }
        for c in &self.comparisons {
            if c.column == self.id_column {
                return bad(format!("comparison `{}` compares the id column", c.label()));
            }
            crate::compare::Comparison::from_config(c)?;
        }
        for b in self.blocking.iter().chain(&self.training) {
            if b.keys.is_empty() {
                return bad("a [[blocking]] rule has no keys".into());
            }
            for k in &b.keys {
                crate::blocking::KeySpec::parse(k)?;
            }
        }
        Ok(())
    }

    /// Every column the run reads, besides the id.
    pub fn columns(&self) -> Vec<String> {
        let mut cols: Vec<String> = self.comparisons.iter().map(|c| c.column.clone()).collect();
        for b in self.blocking.iter().chain(&self.training) {
            for k in &b.keys {
                if let Ok(spec) = crate::blocking::KeySpec::parse(k) {
                    cols.push(spec.column);
                }
            }
        }
        cols.sort();
        cols.dedup();
        cols
    }
}
