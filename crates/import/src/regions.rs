//! Kemendagri region lists (`kode,nama,tingkat`) and Dukcapil population tables
//! (`kode,nama,laki_laki,perempuan,total`).

use std::collections::{HashMap, HashSet};
use std::io::Read;

use sipmas_domain::{RegionCode, RegionLevel};

use crate::{FileError, RowError};

/// A region as read from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionRow {
    pub line: u64,
    pub code: RegionCode,
    pub name: String,
}

/// Population of one region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationRow {
    pub code: RegionCode,
    pub male: i64,
    pub female: i64,
    pub total: i64,
}

fn fold(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace([' ', '-'], "_")
}

fn columns(headers: &csv::StringRecord, wanted: &[&str]) -> Result<Vec<usize>, FileError> {
    let folded: Vec<String> = headers.iter().map(fold).collect();
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for w in wanted {
        match folded.iter().position(|h| h == w) {
            Some(i) => out.push(i),
            None => missing.push(*w),
        }
    }
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(FileError::MissingColumns {
            missing: missing.join(", "),
            found: folded.join(", "),
        })
    }
}

fn reader<R: Read>(input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new().flexible(true).from_reader(input)
}

fn csv_error(e: csv::Error) -> FileError {
    FileError::Csv(e.to_string())
}

/// Reads a region list. Parents must come in the file or already be `known` (dotted codes).
/// Every problem is collected; any problem refuses the whole file.
pub fn read_regions<R: Read>(
    input: R,
    known: &HashSet<String>,
) -> Result<Vec<RegionRow>, FileError> {
    let mut rdr = reader(input);
    let idx = columns(
        rdr.headers().map_err(csv_error)?,
        &["kode", "nama", "tingkat"],
    )?;
    let (ci, ni, ti) = (idx[0], idx[1], idx[2]);
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<RegionCode, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    let mut line = 1;
    while rdr.read_record(&mut record).map_err(csv_error)? {
        line = record.position().map_or(line + 1, |p| p.line());
        let get = |i: usize| record.get(i).unwrap_or("").trim();
        let mut fail = |column: &str, value: &str, code: &'static str, message: String| {
            errors.push(RowError {
                line,
                column: column.into(),
                value: value.into(),
                code,
                message,
            });
        };
        let code = match RegionCode::parse(get(ci)) {
            Ok(c) => c,
            Err(e) => {
                fail("kode", get(ci), "region_code", e.to_string());
                continue;
            }
        };
        if get(ni).is_empty() {
            fail("nama", "", "name_empty", "nama wilayah kosong".into());
        }
        match get(ti)
            .parse::<u8>()
            .ok()
            .and_then(RegionLevel::from_number)
        {
            Some(level) if level == code.level() => {}
            Some(_) => fail(
                "tingkat",
                get(ti),
                "level_mismatch",
                format!(
                    "tingkat tidak sesuai dengan kode {code} (seharusnya {})",
                    code.level().number()
                ),
            ),
            None => fail(
                "tingkat",
                get(ti),
                "level_invalid",
                "tingkat harus 1, 2, 3 atau 4".into(),
            ),
        }
        if let Some(first) = seen.insert(code.clone(), line) {
            fail(
                "kode",
                get(ci),
                "duplicate",
                format!("kode {code} sudah muncul di baris {first}"),
            );
        }
        rows.push(RegionRow {
            line,
            code,
            name: get(ni).to_owned(),
        });
    }
    for r in &rows {
        if let Some(parent) = r.code.parent()
            && !seen.contains_key(&parent)
            && !known.contains(&parent.dotted())
        {
            errors.push(RowError {
                line: r.line,
                column: "kode".into(),
                value: r.code.dotted(),
                code: "parent_missing",
                message: format!("wilayah induk {parent} tidak ada di berkas maupun di basis data"),
            });
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(FileError::Rows(errors));
    }
    if rows.is_empty() {
        return Err(FileError::Empty);
    }
    // Parents before children, so foreign keys hold at every statement.
    rows.sort_by(|a, b| (a.code.level(), &a.code).cmp(&(b.code.level(), &b.code)));
    Ok(rows)
}

/// Reads a population table. The national row (`0`) is skipped.
pub fn read_population<R: Read>(input: R) -> Result<Vec<PopulationRow>, FileError> {
    let mut rdr = reader(input);
    let idx = columns(
        rdr.headers().map_err(csv_error)?,
        &["kode", "laki_laki", "perempuan", "total"],
    )?;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut record = csv::StringRecord::new();
    while rdr.read_record(&mut record).map_err(csv_error)? {
        let line = record.position().map_or(0, |p| p.line());
        let get = |i: usize| record.get(idx[i]).unwrap_or("").trim();
        if get(0) == "0" {
            continue;
        }
        let code = match RegionCode::parse(get(0)) {
            Ok(c) => c,
            Err(e) => {
                errors.push(RowError {
                    line,
                    column: "kode".into(),
                    value: get(0).into(),
                    code: "region_code",
                    message: e.to_string(),
                });
                continue;
            }
        };
        let mut nums = [0i64; 3];
        for (slot, (i, col)) in
            nums.iter_mut()
                .zip([(1, "laki_laki"), (2, "perempuan"), (3, "total")])
        {
            // Indonesian thousands separators are dots: 1.234.567.
            match get(i).replace(['.', ','], "").parse::<i64>() {
                Ok(n) if n >= 0 => *slot = n,
                _ => errors.push(RowError {
                    line,
                    column: col.into(),
                    value: get(i).into(),
                    code: "number",
                    message: "bukan bilangan bulat non-negatif".into(),
                }),
            }
        }
        rows.push(PopulationRow {
            code,
            male: nums[0],
            female: nums[1],
            total: nums[2],
        });
    }
    if !errors.is_empty() {
        return Err(FileError::Rows(errors));
    }
    if rows.is_empty() {
        return Err(FileError::Empty);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests;
