//! XLSX streamed cell by cell with calamine, so a 1,000,000-row sheet never sits in memory.
//! calamine's cell reader borrows the workbook, so one thread owns both and hands rows over
//! a bounded channel.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use calamine::{DataRef, Reader, Xlsx};

use super::RawRow;
use crate::FileError;

type Workbook = Xlsx<BufReader<File>>;

/// Rows of one sheet.
#[derive(Debug)]
pub struct XlsxTable {
    rows: Receiver<Result<RawRow, FileError>>,
    read: u64,
    pub rows_total: u64,
}

fn xlsx_error(e: impl std::fmt::Display) -> FileError {
    FileError::Xlsx(e.to_string())
}

impl XlsxTable {
    pub fn open(path: &Path, sheet: Option<&str>) -> Result<Self, FileError> {
        let mut workbook: Workbook = calamine::open_workbook(path).map_err(xlsx_error)?;
        let names = workbook.sheet_names();
        let name = match sheet {
            Some(wanted) => names
                .iter()
                .find(|n| n.eq_ignore_ascii_case(wanted))
                .cloned()
                .ok_or_else(|| FileError::NoSheet {
                    wanted: wanted.to_owned(),
                    found: names.join(", "),
                })?,
            None => names.first().cloned().ok_or(FileError::Empty)?,
        };
        let (tx, rx) = sync_channel(4_096);
        let (dims_tx, dims_rx) = sync_channel(1);
        std::thread::Builder::new()
            .name("xlsx-reader".into())
            .spawn(move || stream(&mut workbook, &name, &tx, &dims_tx))
            .map_err(|e| FileError::Io(e.to_string()))?;
        let rows_total = dims_rx.recv().unwrap_or(0);
        Ok(Self {
            rows: rx,
            read: 0,
            rows_total,
        })
    }

    pub fn next_row(&mut self) -> Result<Option<RawRow>, FileError> {
        match self.rows.recv() {
            Ok(row) => {
                self.read += 1;
                row.map(Some)
            }
            // The reader thread hung up: the sheet is done.
            Err(_) => Ok(None),
        }
    }

    pub fn progress(&self) -> u64 {
        self.read
    }
}

fn stream(
    workbook: &mut Workbook,
    sheet: &str,
    tx: &SyncSender<Result<RawRow, FileError>>,
    dims: &SyncSender<u64>,
) {
    let mut cells = match workbook.worksheet_cells_reader(sheet) {
        Ok(c) => c,
        Err(e) => {
            let _ = dims.send(0);
            let _ = tx.send(Err(xlsx_error(e)));
            return;
        }
    };
    let _ = dims.send(u64::from(cells.dimensions().end.0) + 1);
    let mut row = RawRow::default();
    let mut current: Option<u32> = None;
    loop {
        let cell = match cells.next_cell() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => {
                let _ = tx.send(Err(xlsx_error(e)));
                return;
            }
        };
        let (r, c) = cell.get_position();
        if current != Some(r) {
            if current.is_some() && tx.send(Ok(std::mem::take(&mut row))).is_err() {
                return;
            }
            current = Some(r);
            row.line = u64::from(r) + 1;
        }
        let c = c as usize;
        if row.cells.len() <= c {
            row.cells.resize(c + 1, String::new());
            row.numeric.resize(c + 1, false);
        }
        let (text, numeric) = text_of(cell.get_value());
        row.cells[c] = text;
        row.numeric[c] = numeric;
    }
    if current.is_some() {
        let _ = tx.send(Ok(row));
    }
}

/// A cell as the text an operator sees; numbers without a fraction print without `.0`.
fn text_of(v: &DataRef<'_>) -> (String, bool) {
    match v {
        DataRef::Int(i) => (i.to_string(), true),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e17 => (format!("{f:.0}"), true),
        DataRef::Float(f) => (f.to_string(), true),
        DataRef::String(s) => (s.clone(), false),
        DataRef::SharedString(s) => ((*s).to_owned(), false),
        DataRef::Bool(true) => ("YA".to_owned(), false),
        DataRef::Bool(false) => ("TIDAK".to_owned(), false),
        DataRef::DateTime(dt) => match dt.as_datetime() {
            Some(d) if dt.is_datetime() => (d.format("%Y-%m-%d").to_string(), false),
            _ => (dt.as_f64().to_string(), true),
        },
        DataRef::DateTimeIso(s) => (s.get(..10).unwrap_or(s).to_owned(), false),
        DataRef::DurationIso(s) => (s.clone(), false),
        DataRef::Error(e) => (format!("#{e}"), false),
        DataRef::Empty => (String::new(), false),
    }
}
