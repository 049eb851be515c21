//! Finding the header row (title rows above it are skipped) and which column feeds which field.

use std::collections::HashMap;

use crate::FileError;
use crate::field::Field;
use crate::mapping::Mapping;
use crate::table::RawRow;

/// How many rows may sit above the header (report titles, logos, blank lines).
pub const HEADER_SEARCH_ROWS: usize = 30;

/// The header of a file, resolved against a mapping.
#[derive(Debug, Clone)]
pub struct Columns {
    pub headers: Vec<String>,
    /// The line the header is on.
    pub line: u64,
    index: HashMap<Field, usize>,
}

impl Columns {
    /// Resolves one row as a header; the first column naming a field wins.
    pub fn resolve(row: &RawRow, mapping: &Mapping) -> Self {
        let mut index = HashMap::new();
        for (i, h) in row.cells.iter().enumerate() {
            if let Some(f) = mapping.field_for(h) {
                index.entry(f).or_insert(i);
            }
        }
        Self {
            headers: row.cells.iter().map(|h| h.trim().to_owned()).collect(),
            line: row.line,
            index,
        }
    }

    /// The column of a field.
    pub fn get(&self, f: Field) -> Option<usize> {
        self.index.get(&f).copied()
    }

    /// The header text of column `i`.
    pub fn header(&self, i: usize) -> &str {
        self.headers.get(i).map_or("", String::as_str)
    }

    /// Required field groups with no column.
    pub fn missing(&self, mapping: &Mapping) -> Vec<String> {
        mapping
            .required()
            .iter()
            .filter(|group| group.iter().all(|f| !self.index.contains_key(f)))
            .map(|group| {
                group
                    .iter()
                    .map(|f| f.aliases().get(1).copied().unwrap_or(f.code()))
                    .collect::<Vec<_>>()
                    .join(" atau ")
            })
            .collect()
    }

    /// The number of columns that name a field.
    pub fn known(&self) -> usize {
        self.index.len()
    }
}

/// Picks the header among the first rows: the first that has every required field, or
/// else explains what the best candidate lacked.
pub fn find_header(rows: &[RawRow], mapping: &Mapping) -> Result<(usize, Columns), FileError> {
    let mut best: Option<Columns> = None;
    for (i, row) in rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let cols = Columns::resolve(row, mapping);
        if cols.missing(mapping).is_empty() {
            return Ok((i, cols));
        }
        if best.as_ref().is_none_or(|b| cols.known() > b.known()) {
            best = Some(cols);
        }
    }
    match best {
        None => Err(FileError::Empty),
        Some(b) if b.known() >= 2 => Err(FileError::MissingColumns {
            missing: b.missing(mapping).join(", "),
            found: b
                .headers
                .iter()
                .filter(|h| !h.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
        }),
        Some(_) => Err(FileError::NoHeader {
            searched: rows.len().min(HEADER_SEARCH_ROWS),
            detail: "tidak ada baris yang memuat kolom yang dikenal (mis. nik, nama_lengkap, kode_kemendagri); periksa --format atau --mapping".to_owned(),
        }),
    }
}
