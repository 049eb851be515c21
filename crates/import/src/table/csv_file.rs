//! CSV as Excel on an Indonesian-locale computer writes it: `;` or `,` or tab, UTF-8 with
//! or without BOM or Windows-1252, CRLF, quoted fields with delimiters and newlines.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use encoding_rs::WINDOWS_1252;
use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};

use super::RawRow;
use crate::FileError;

/// What sniffing found out about a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    pub delimiter: u8,
    /// `false` when the bytes are not valid UTF-8 and are read as Windows-1252.
    pub utf8: bool,
}

/// Reads rows from a CSV file.
pub struct CsvTable {
    reader: csv::Reader<DecodeReaderBytes<BufReader<File>, Vec<u8>>>,
    record: csv::ByteRecord,
    pub sniffed: Sniffed,
    pub size: u64,
}

fn io(e: std::io::Error) -> FileError {
    FileError::Io(e.to_string())
}

/// Decides the encoding from the whole file (a stray Windows-1252 byte may sit anywhere)
/// and the delimiter from its first 64 KiB.
pub fn sniff(path: &Path) -> Result<Sniffed, FileError> {
    let mut file = BufReader::with_capacity(1 << 20, File::open(path).map_err(io)?);
    let mut head = Vec::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut carry: Vec<u8> = Vec::new();
    let mut utf8 = true;
    loop {
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        if head.len() < 65_536 {
            head.extend_from_slice(&buf[..n.min(65_536 - head.len())]);
        }
        if utf8 {
            carry.extend_from_slice(&buf[..n]);
            match std::str::from_utf8(&carry) {
                Ok(_) => carry.clear(),
                // A character cut by the buffer boundary: keep its first bytes for the next read.
                Err(e) if e.error_len().is_none() => {
                    carry.drain(..e.valid_up_to());
                }
                Err(_) => utf8 = false,
            }
        }
    }
    if !carry.is_empty() {
        utf8 = false;
    }
    let text = if utf8 {
        String::from_utf8_lossy(&head).into_owned()
    } else {
        WINDOWS_1252.decode(&head).0.into_owned()
    };
    Ok(Sniffed {
        delimiter: delimiter(&text),
        utf8,
    })
}

/// The candidate whose per-line count (outside quotes) is most consistently non-zero.
fn delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().take(60).collect();
    let mut best = (b',', 0usize, 0usize);
    for d in [b',', b';', b'\t', b'|'] {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, d)).collect();
        let mut freq = std::collections::HashMap::new();
        for &c in counts.iter().filter(|&&c| c > 0) {
            *freq.entry(c).or_insert(0usize) += 1;
        }
        if let Some((&count, &lines_agreeing)) = freq.iter().max_by_key(|(c, f)| (**f, **c))
            && (lines_agreeing, count) > (best.1, best.2)
        {
            best = (d, lines_agreeing, count);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, d: u8) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == d && !quoted {
            n += 1;
        }
    }
    n
}

impl std::fmt::Debug for CsvTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvTable")
            .field("sniffed", &self.sniffed)
            .finish_non_exhaustive()
    }
}

impl CsvTable {
    pub fn open(path: &Path) -> Result<Self, FileError> {
        let sniffed = sniff(path)?;
        let file = File::open(path).map_err(io)?;
        let size = file.metadata().map_err(io)?.len();
        let mut decode = DecodeReaderBytesBuilder::new();
        decode.bom_override(true).strip_bom(true);
        if sniffed.utf8 {
            decode.utf8_passthru(true);
        } else {
            decode.encoding(Some(WINDOWS_1252));
        }
        let reader = csv::ReaderBuilder::new()
            .delimiter(sniffed.delimiter)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 20)
            .from_reader(decode.build(BufReader::with_capacity(1 << 20, file)));
        Ok(Self {
            reader,
            record: csv::ByteRecord::new(),
            sniffed,
            size,
        })
    }

    pub fn next_row(&mut self) -> Result<Option<RawRow>, FileError> {
        let more = self
            .reader
            .read_byte_record(&mut self.record)
            .map_err(|e| FileError::Csv(e.to_string()))?;
        if !more {
            return Ok(None);
        }
        let line = self.record.position().map_or(0, |p| p.line());
        // The decoder hands over UTF-8; a lossy conversion only guards against a bug there.
        let cells = self
            .record
            .iter()
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        Ok(Some(RawRow {
            line,
            cells,
            numeric: Vec::new(),
        }))
    }

    pub fn progress(&self) -> u64 {
        self.reader.position().byte()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sniffs_the_delimiter_past_title_rows() {
        let text =
            "DATA P3KE KABUPATEN KUTAI TIMUR\nTahun 2024\nnik;nama;alamat\n1;\"A;B\";x\n2;C;y\n";
        assert_eq!(super::delimiter(text), b';');
        assert_eq!(super::delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(super::delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
    }
}
