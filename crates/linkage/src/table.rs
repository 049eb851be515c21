//! Records in memory, column by column. Each column is one string buffer plus end offsets:
//! a million records cost a few allocations, not ten million small strings.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::derived::DistinctIndex;
use crate::error::LinkError;

/// One column of text: value `i` is `data[ends[i-1]..ends[i]]`.
#[derive(Debug, Default, Clone)]
pub struct Column {
    data: String,
    ends: Vec<usize>,
    /// Found on first use and kept: a column is compared and blocked on more than once.
    distinct: OnceLock<DistinctIndex>,
}

impl Column {
    /// Appends a value.
    pub fn push(&mut self, s: &str) {
        self.data.push_str(s);
        self.ends.push(self.data.len());
        self.distinct.take();
    }

    /// Room for `values` more values of `bytes` in all: a million-record column grown by
    /// doubling would leave copies of every smaller size behind for the allocator to
    /// return and fault in again.
    pub fn reserve(&mut self, bytes: usize, values: usize) {
        self.data.reserve(bytes);
        self.ends.reserve(values);
    }

    /// Value `i` ("" when missing). Panics never: out of range gives "".
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            self.ends.get(i - 1).copied().unwrap_or(0)
        };
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.data.get(start..end).unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The bytes of all values together.
    pub fn byte_len(&self) -> usize {
        self.data.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The column's distinct values (computed once, then shared).
    pub fn distinct(&self) -> &DistinctIndex {
        self.distinct.get_or_init(|| DistinctIndex::of(self))
    }

    /// A column of `f(value)` for every value, computed in parallel.
    pub fn map(&self, f: impl Fn(&str) -> String + Sync) -> Column {
        let values: Vec<String> = (0..self.len())
            .into_par_iter()
            .map(|i| f(self.get(i)))
            .collect();
        let mut out = Column {
            data: String::with_capacity(values.iter().map(String::len).sum()),
            ends: Vec::with_capacity(values.len()),
            distinct: OnceLock::new(),
        };
        for v in &values {
            out.push(v);
        }
        out
    }
}

/// The records of one run: one file (deduplicate) or two (link), concatenated, with the
/// columns the config needs.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub ids: Column,
    columns: HashMap<String, Column>,
    /// Link mode: records `0..split` come from the left file, the rest from the right.
    pub split: Option<usize>,
}

impl Dataset {
    /// Builds a dataset in memory (tests, callers that already hold rows).
    pub fn from_rows(columns: &[&str], rows: &[Vec<&str>], split: Option<usize>) -> Dataset {
        let mut ids = Column::default();
        let mut cols: HashMap<String, Column> = columns
            .iter()
            .map(|c| ((*c).to_owned(), Column::default()))
            .collect();
        for row in rows {
            ids.push(row.first().copied().unwrap_or(""));
            for (k, name) in columns.iter().enumerate() {
                if let Some(col) = cols.get_mut(*name) {
                    col.push(row.get(k + 1).copied().unwrap_or(""));
                }
            }
        }
        Dataset {
            ids,
            columns: cols,
            split,
        }
    }

    /// Reads one or two CSV files, keeping the id column and `needed` columns.
    pub fn read(
        paths: &[PathBuf],
        id_column: &str,
        needed: &[String],
    ) -> Result<Dataset, LinkError> {
        if paths.is_empty() || paths.len() > 2 {
            return Err(LinkError::Invalid(format!(
                "give one input (deduplicate) or two (link), not {}",
                paths.len()
            )));
        }
        let mut ids = Column::default();
        let mut columns: HashMap<String, Column> = needed
            .iter()
            .map(|c| (c.clone(), Column::default()))
            .collect();
        let mut split = None;
        for (n, path) in paths.iter().enumerate() {
            crate::read::read_file(path, id_column, needed, &mut ids, &mut columns)?;
            if n == 0 && paths.len() == 2 {
                split = Some(ids.len());
            }
        }
        Ok(Dataset {
            ids,
            columns,
            split,
        })
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn column(&self, name: &str) -> Result<&Column, LinkError> {
        self.columns
            .get(name)
            .ok_or_else(|| LinkError::Config(format!("column `{name}` was not loaded")))
    }

    /// True when records `i < j` may form a pair: any two in deduplication, one from each
    /// file in linkage.
    pub fn pairable(&self, i: usize, j: usize) -> bool {
        match self.split {
            None => i != j,
            Some(s) => (i < s) != (j < s),
        }
    }

    /// The number of possible pairs, the denominator of the prior.
    pub fn total_pairs(&self) -> f64 {
        let n = self.len() as f64;
        match self.split {
            None => n * (n - 1.0) / 2.0,
            Some(s) => s as f64 * (n - s as f64),
        }
    }
}
