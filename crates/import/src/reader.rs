//! An import file opened against a mapping: header found, then data rows one by one.

use std::collections::VecDeque;
use std::path::Path;

use crate::FileError;
use crate::columns::{Columns, HEADER_SEARCH_ROWS, find_header};
use crate::field::field_for_header;
use crate::mapping::Mapping;
use crate::table::{RawRow, Table};

/// Data rows of a file, after its header.
#[derive(Debug)]
pub struct ImportReader {
    table: Table,
    pending: VecDeque<RawRow>,
    pub columns: Columns,
}

fn first_rows(table: &mut Table) -> Result<Vec<RawRow>, FileError> {
    let mut rows = Vec::new();
    while rows.len() < HEADER_SEARCH_ROWS {
        match table.next_row()? {
            Some(r) if r.is_blank() => {}
            Some(r) => rows.push(r),
            None => break,
        }
    }
    Ok(rows)
}

impl ImportReader {
    /// Opens `path`, skipping title rows above the header.
    pub fn open(path: &Path, mapping: &Mapping, sheet: Option<&str>) -> Result<Self, FileError> {
        let mut table = Table::open(path, sheet)?;
        let mut rows = first_rows(&mut table)?;
        let (at, columns) = find_header(&rows, mapping)?;
        let pending: VecDeque<RawRow> = rows.drain(at + 1..).collect();
        Ok(Self {
            table,
            pending,
            columns,
        })
    }

    /// The next non-blank data row.
    pub fn next_row(&mut self) -> Result<Option<RawRow>, FileError> {
        if let Some(r) = self.pending.pop_front() {
            return Ok(Some(r));
        }
        loop {
            match self.table.next_row()? {
                Some(r) if r.is_blank() => {}
                other => return Ok(other),
            }
        }
    }

    /// Up to `n` rows.
    pub fn next_rows(&mut self, n: usize) -> Result<Vec<RawRow>, FileError> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            match self.next_row()? {
                Some(r) => out.push(r),
                None => break,
            }
        }
        Ok(out)
    }

    /// (done, total) in the table's progress unit.
    pub fn progress(&self) -> (u64, u64) {
        (self.table.progress(), self.table.progress_total())
    }
}

/// The header row of any file, for `--suggest-mapping`: the first row naming the most known
/// fields, or else the first row with the most filled cells.
pub fn headers_of(path: &Path, sheet: Option<&str>) -> Result<Vec<String>, FileError> {
    let mut table = Table::open(path, sheet)?;
    let rows = first_rows(&mut table)?;
    let score = |r: &RawRow| {
        let known = r
            .cells
            .iter()
            .filter(|h| field_for_header(h).is_some())
            .count();
        let filled = r.cells.iter().filter(|h| !h.trim().is_empty()).count();
        (known, filled)
    };
    let best = rows
        .iter()
        .enumerate()
        // Earlier rows win ties: a header sits above its data.
        .max_by_key(|(i, r)| {
            let (k, f) = score(r);
            (k, f, std::cmp::Reverse(*i))
        })
        .map(|(_, r)| r)
        .ok_or(FileError::Empty)?;
    Ok(best.cells.iter().map(|c| c.trim().to_owned()).collect())
}
