//! Reads a CSV or XLSX file as rows of text cells, one at a time, whatever its delimiter,
//! encoding or sheet layout, so that a file of any size is read in bounded memory.

mod csv_file;
mod xlsx_file;

use std::path::Path;

use crate::FileError;

pub use csv_file::{Sniffed, sniff};

/// One row of a table as text, with where it started in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRow {
    /// 1-based line (CSV) or row (XLSX) number.
    pub line: u64,
    pub cells: Vec<String>,
    /// Cells that were numbers in the spreadsheet: a NIK stored as a number has already
    /// lost its 16th digit to Excel's 15-digit precision, so such a cell must be refused.
    pub numeric: Vec<bool>,
}

impl RawRow {
    /// Whether every cell is blank.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }

    /// Cell `i`, trimmed, or "" when the row is short.
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map_or("", |c| c.trim())
    }

    /// Whether cell `i` was a number cell.
    pub fn is_numeric(&self, i: usize) -> bool {
        self.numeric.get(i).copied().unwrap_or(false)
    }
}

/// A source of rows.
#[derive(Debug)]
pub enum Table {
    Csv(Box<csv_file::CsvTable>),
    Xlsx(xlsx_file::XlsxTable),
}

impl Table {
    /// Opens `path` by its extension: `.xlsx` (first sheet unless `sheet` names one),
    /// anything else as CSV.
    pub fn open(path: &Path, sheet: Option<&str>) -> Result<Self, FileError> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext.eq_ignore_ascii_case("xls") || ext.eq_ignore_ascii_case("ods") {
            // Read as CSV these would only give a confusing "no header" error.
            return Err(FileError::Xlsx(format!(
                "format .{ext} tidak didukung; simpan ulang sebagai .xlsx atau CSV"
            )));
        }
        let is_xlsx = ext.eq_ignore_ascii_case("xlsx") || ext.eq_ignore_ascii_case("xlsm");
        if is_xlsx {
            Ok(Self::Xlsx(xlsx_file::XlsxTable::open(path, sheet)?))
        } else {
            Ok(Self::Csv(Box::new(csv_file::CsvTable::open(path)?)))
        }
    }

    /// The next row, or `None` at the end.
    pub fn next_row(&mut self) -> Result<Option<RawRow>, FileError> {
        match self {
            Self::Csv(t) => t.next_row(),
            Self::Xlsx(t) => t.next_row(),
        }
    }

    /// Bytes consumed so far (CSV) or rows read (XLSX), for progress.
    pub fn progress(&self) -> u64 {
        match self {
            Self::Csv(t) => t.progress(),
            Self::Xlsx(t) => t.progress(),
        }
    }

    /// Total for `progress`: file size (CSV) or the sheet's row count (XLSX).
    pub fn progress_total(&self) -> u64 {
        match self {
            Self::Csv(t) => t.size,
            Self::Xlsx(t) => t.rows_total,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn old_excel_files_get_a_clear_refusal() {
        let err = super::Table::open(std::path::Path::new("data.xls"), None).unwrap_err();
        assert!(err.to_string().contains(".xls tidak didukung"), "{err}");
    }
}
