//! Reading one CSV file into columns, with the checks that turn bad input into one clear
//! message: not CSV, empty, a missing column, an empty or repeated id.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::error::LinkError;
use crate::hashing::hash_str;
use crate::table::Column;

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

pub(crate) fn read_file(
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
    // Columns by position while reading (no map lookup per field), put back at the end.
    let mut read: Vec<Column> = wanted
        .iter()
        .map(|(name, _)| columns.remove(name).unwrap_or_default())
        .collect();
    let file_len = std::fs::metadata(path).map_or(0, |m| m.len());
    // Bytes already held from an earlier file (link mode), so that only this file's share
    // is scaled up.
    let before: Vec<usize> = std::iter::once(&*ids)
        .chain(read.iter())
        .map(Column::byte_len)
        .collect();
    let mut record = csv::ByteRecord::new();
    loop {
        let n = ids.len() - start;
        if n == SAMPLE_ROWS {
            reserve_for_file(&rdr, file_len, n, &before, ids, &mut read);
        }
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(path, &e)),
        }
        let n = n + 1;
        let field = |pos: usize| -> Result<&str, LinkError> {
            std::str::from_utf8(record.get(pos).unwrap_or(b"")).map_err(|_| {
                not_csv(
                    path,
                    format!(
                        "record {n} is not UTF-8 text (a binary file, or saved in another encoding)"
                    ),
                )
            })
        };
        let id = field(id_pos)?.trim();
        if id.is_empty() {
            return Err(LinkError::EmptyId {
                file: path.to_owned(),
                record: n,
            });
        }
        ids.push(id);
        for ((_, pos), col) in wanted.iter().zip(&mut read) {
            col.push(field(*pos)?.trim());
        }
    }
    for ((name, _), col) in wanted.iter().zip(read) {
        columns.insert(name.clone(), col);
    }
    if ids.len() == start {
        return Err(LinkError::Empty {
            file: path.to_owned(),
        });
    }
    duplicate_ids(path, ids, start)
}

/// Rows read before the columns are sized for the whole file.
const SAMPLE_ROWS: usize = 4096;

/// Sizes the columns for the whole file from its first `rows` rows (with a tenth to spare).
fn reserve_for_file<R: std::io::Read>(
    rdr: &csv::Reader<R>,
    file_len: u64,
    rows: usize,
    before: &[usize],
    ids: &mut Column,
    read: &mut [Column],
) {
    let consumed = rdr.position().byte().max(1);
    let scale = file_len as f64 / consumed as f64 * 1.1;
    if scale <= 1.0 {
        return;
    }
    let more = |now: usize| ((now as f64) * (scale - 1.0)) as usize;
    for (col, held) in std::iter::once(ids).chain(read.iter_mut()).zip(before) {
        let bytes = col.byte_len().saturating_sub(*held);
        col.reserve(more(bytes), more(rows));
    }
}

/// Finds a repeated id by sorting record numbers by the hash of their id (no per-id
/// allocation, in parallel); equal hashes are then checked on the ids themselves.
fn duplicate_ids(path: &Path, ids: &Column, start: usize) -> Result<(), LinkError> {
    let mut order: Vec<(u64, u32)> = (start..ids.len())
        .into_par_iter()
        .map(|i| (hash_str(ids.get(i)), i as u32))
        .collect();
    order.par_sort_unstable();
    let dup = order
        .windows(2)
        .filter(|w| w[0].0 == w[1].0 && ids.get(w[0].1 as usize) == ids.get(w[1].1 as usize))
        .map(|w| (w[0].1 as usize, w[1].1 as usize))
        .min_by_key(|&(_, second)| second);
    match dup {
        Some((first, second)) => Err(LinkError::DuplicateId {
            file: path.to_owned(),
            id: ids.get(first).to_owned(),
            first: first - start + 1,
            second: second - start + 1,
        }),
        None => Ok(()),
    }
}
