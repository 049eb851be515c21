use std::fmt;

/// One problem in one row of an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// 1-based line number in the file (the header is line 1).
    pub line: u64,
    pub column: String,
    pub value: String,
    /// Stable machine code (`region_code`, `level_mismatch` …).
    pub code: &'static str,
    /// Bahasa Indonesia message for the operator.
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "baris {}, kolom {}: {} (nilai: '{}')",
            self.line, self.column, self.message, self.value
        )
    }
}

/// Why a file was refused as a whole.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("tidak dapat membaca berkas: {0}")]
    Io(String),
    #[error("berkas bukan CSV yang valid: {0}")]
    Csv(String),
    #[error("kolom wajib tidak ada: {missing}; ditemukan: {found}")]
    MissingColumns { missing: String, found: String },
    #[error("berkas kosong: tidak ada baris data")]
    Empty,
    #[error("berkas bukan XLSX yang valid: {0}")]
    Xlsx(String),
    #[error("lembar kerja '{wanted}' tidak ada; yang ada: {found}")]
    NoSheet { wanted: String, found: String },
    #[error("baris judul kolom tidak ditemukan di {searched} baris pertama: {detail}")]
    NoHeader { searched: usize, detail: String },
    #[error("berkas pemetaan tidak valid: {0}")]
    Mapping(String),
    #[error("{} baris bermasalah; tidak ada yang disimpan. Pertama: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    Rows(Vec<RowError>),
}
