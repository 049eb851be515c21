//! Records in memory, column by column. Each column is one string buffer plus end offsets:
//! a million records cost a few allocations, not ten million small strings.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::LinkError;

/// One column of text: value `i` is `data[ends[i-1]..ends[i]]`.
#[derive(Debug, Default, Clone)]
pub struct Column {
    data: String,
    ends: Vec<usize>,
}

impl Column {
    /// Appends a value.
    pub fn push(&mut self, s: &str) {
        self.data.push_str(s);
        self.ends.push(self.data.len());
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

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
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
            read_file(path, id_column, needed, &mut ids, &mut columns)?;
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

fn not_csv(path: &Path, e: impl std::fmt::Display) -> LinkError {
    LinkError::NotCsv {
        file: path.to_owned(),
        message: e.to_string(),
    }
}

/// The csv crate's errors in words an operator can act on.
fn csv_error(path: &Path, e: &csv::Error) -> LinkError {
    let line = e.position().map_or(0, csv::Position::line);
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => {
            format!("line {line} is not UTF-8 text (a binary file, or saved in another encoding)")
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("line {line} has {len} fields where the header has {expected_len}"),
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => format!("unreadable at line {line}"),
    };
    not_csv(path, message)
}

fn read_file(
    path: &Path,
    id_column: &str,
    needed: &[String],
    ids: &mut Column,
    columns: &mut HashMap<String, Column>,
) -> Result<(), LinkError> {
    let file = std::fs::File::open(path).map_err(|source| LinkError::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(std::io::BufReader::with_capacity(1 << 20, file));
    let header = rdr.headers().map_err(|e| csv_error(path, &e))?.clone();
    if header.is_empty() || (header.len() == 1 && header.get(0) == Some("")) {
        return Err(LinkError::Empty {
            file: path.to_owned(),
        });
    }
    // Excel writes a UTF-8 byte-order mark before the first header.
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_owned())
        .collect();
    if names.iter().any(|h| h.contains('\0')) {
        return Err(not_csv(path, "the header holds binary data"));
    }
    let position = |column: &str| {
        names
            .iter()
            .position(|h| h == column)
            .ok_or_else(|| LinkError::MissingColumn {
                file: path.to_owned(),
                column: column.to_owned(),
                header: names.join(","),
            })
    };
    let id_pos = position(id_column)?;
    let wanted: Vec<(String, usize)> = needed
        .iter()
        .map(|c| position(c).map(|p| (c.clone(), p)))
        .collect::<Result<_, _>>()?;
    let start = ids.len();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(path, &e)),
        }
        let n = ids.len() - start + 1;
        let id = record.get(id_pos).unwrap_or("").trim();
        if id.is_empty() {
            return Err(LinkError::EmptyId {
                file: path.to_owned(),
                record: n,
            });
        }
        if let Some(first) = seen.insert(id.to_owned(), n) {
            return Err(LinkError::DuplicateId {
                file: path.to_owned(),
                id: id.to_owned(),
                first,
                second: n,
            });
        }
        ids.push(id);
        for (name, pos) in &wanted {
            if let Some(col) = columns.get_mut(name) {
                col.push(record.get(*pos).unwrap_or("").trim());
            }
        }
    }
    if ids.len() == start {
        return Err(LinkError::Empty {
            file: path.to_owned(),
        });
    }
    Ok(())
}
