//! The row report written beside an input file: every rejected row and every warning,
//! so an operator can fix the source and import again.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use crate::{FileError, RowError};

/// Columns of the report.
pub const COLUMNS: [&str; 6] = ["baris", "kolom", "nilai", "kode_alasan", "pesan", "status"];

/// Where the report of `input` goes: `data.csv` → `data.laporan.csv`.
pub fn path_for(input: &Path) -> PathBuf {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "impor".to_owned());
    input.with_file_name(format!("{stem}.laporan.csv"))
}

/// A report being written to a temporary file, renamed into place by `finish`.
#[derive(Debug)]
pub struct ReportWriter {
    tmp: PathBuf,
    target: PathBuf,
    writer: csv::Writer<BufWriter<File>>,
    pub rejected: u64,
    pub warned: u64,
}

fn io(e: impl std::fmt::Display) -> FileError {
    FileError::Io(e.to_string())
}

impl ReportWriter {
    pub fn create(target: PathBuf) -> Result<Self, FileError> {
        let tmp = target.with_extension("csv.tmp");
        let file = File::create(&tmp).map_err(|e| io(format!("{}: {e}", tmp.display())))?;
        let mut writer = csv::Writer::from_writer(BufWriter::new(file));
        writer.write_record(COLUMNS).map_err(io)?;
        Ok(Self {
            tmp,
            target,
            writer,
            rejected: 0,
            warned: 0,
        })
    }

    /// Writes one problem; `rejects` says whether its row was refused.
    pub fn write(&mut self, e: &RowError, rejects: bool) -> Result<(), FileError> {
        let line = if e.line == 0 {
            String::new()
        } else {
            e.line.to_string()
        };
        let status = if rejects { "ditolak" } else { "peringatan" };
        self.writer
            .write_record([&line, &e.column, &e.value, e.code, &e.message, status])
            .map_err(io)
    }

    /// Flushes and moves the report into place; returns its path.
    pub fn finish(mut self) -> Result<PathBuf, FileError> {
        self.writer.flush().map_err(io)?;
        drop(self.writer);
        std::fs::rename(&self.tmp, &self.target).map_err(io)?;
        Ok(self.target)
    }

    /// Drops the temporary file (dry runs and failed imports keep no report).
    pub fn discard(self) {
        let _ = std::fs::remove_file(&self.tmp);
    }
}
