//! Writes generated households as a P3KE by-name-by-address individual export (domain
//! brief §3.3), the file a Dinsos receives from Kemenko PMK, for the importer to load.

use std::io::Write;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sipmas_domain::{DesilSource, RegionLevel, Relationship, Sex};

use crate::{GeneratedHousehold, Generator};

/// The columns, in the order of the Kemenko PMK export.
pub const COLUMNS: [&str; 25] = [
    "id_keluarga_p3ke",
    "kode_kemendagri",
    "desil_kesejahteraan",
    "alamat",
    "provinsi",
    "kabupaten",
    "kecamatan",
    "desa",
    "id_individu",
    "nama_lengkap",
    "nik",
    "no_kk",
    "padan_dukcapil",
    "jenis_kelamin",
    "hubungan_dengan_kepala_keluarga",
    "tanggal_lahir",
    "status_kawin",
    "pekerjaan",
    "pendidikan",
    "penerima_bpnt",
    "penerima_bpum",
    "penerima_bst",
    "penerima_pkh",
    "penerima_sembako",
    "resiko_stunting",
];

fn ya(b: bool) -> &'static str {
    if b { "YA" } else { "TIDAK" }
}

/// Writes the header row.
pub fn write_header<W: Write>(w: &mut csv::Writer<W>) -> csv::Result<()> {
    w.write_record(COLUMNS)
}

/// Writes one row per member of every P3KE household (desil 1–4); returns rows written.
pub fn write_rows<W: Write>(
    g: &Generator,
    households: &[GeneratedHousehold],
    w: &mut csv::Writer<W>,
) -> csv::Result<u64> {
    for_each_row(g, households, |row| w.write_record(row))
}

/// Calls `emit` with the 25 cells of one row per member of every P3KE household.
pub fn for_each_row<E>(
    g: &Generator,
    households: &[GeneratedHousehold],
    mut emit: impl FnMut(&[&str; 25]) -> Result<(), E>,
) -> Result<u64, E> {
    let mut rows = 0;
    for gh in households {
        let h = &gh.household;
        let Some(desil) = h.desil.filter(|d| d.source == DesilSource::P3ke) else {
            continue;
        };
        let mut rng = ChaCha8Rng::seed_from_u64(g.config().seed.wrapping_add(gh.index));
        let name_at = |level| {
            h.village
                .ancestor(level)
                .map(|c| g.region_name(&c).to_owned())
                .unwrap_or_default()
        };
        let family_id = format!("P3KE{:010}", gh.index + 1);
        let alamat = format!(
            "{}{}{}",
            h.address.street,
            h.address
                .rt
                .as_ref()
                .map(|rt| format!(" RT {rt}"))
                .unwrap_or_default(),
            h.address
                .rw
                .as_ref()
                .map(|rw| format!(" RW {rw}"))
                .unwrap_or_default()
        );
        let (bpnt, pkh) = (rng.random_bool(0.4), rng.random_bool(0.3));
        for (i, m) in gh.members.iter().enumerate() {
            let relationship = match (m.relationship, m.sex) {
                (Relationship::Spouse, Sex::Female) => "Istri",
                (Relationship::Spouse, Sex::Male) => "Suami",
                (r, _) => r.label_id(),
            };
            let young = m
                .birth_date
                .is_some_and(|b| (g.config().as_of - b).num_days() < 5 * 365);
            emit(&[
                family_id.as_str(),
                h.village.plain(),
                &desil.desil.get().to_string(),
                &alamat,
                &name_at(RegionLevel::Province),
                &name_at(RegionLevel::Regency),
                &name_at(RegionLevel::District),
                &name_at(RegionLevel::Village),
                &format!("{family_id}{:02}", i + 1),
                &m.name,
                m.nik.as_ref().map_or("", |n| n.as_str()),
                h.no_kk.as_ref().map_or("", |k| k.as_str()),
                ya(rng.random_bool(0.95)),
                m.sex.label_id(),
                relationship,
                &m.birth_date
                    .map(|d| d.format("%d-%m-%Y").to_string())
                    .unwrap_or_default(),
                m.marital_status.map_or("", |s| s.label_id()),
                m.occupation.as_deref().unwrap_or(""),
                m.education.as_deref().unwrap_or(""),
                ya(bpnt),
                ya(rng.random_bool(0.05)),
                ya(rng.random_bool(0.1)),
                ya(pkh),
                ya(bpnt),
                ya(young && desil.desil.get() <= 2 && rng.random_bool(0.2)),
            ])?;
            rows += 1;
        }
    }
    Ok(rows)
}

/// Excel allows 1,048,576 rows per sheet; larger exports continue on further sheets,
/// each with its own header row.
const ROWS_PER_SHEET: u32 = 1_048_575;

/// A P3KE export as XLSX, the form Kemenko PMK actually sends, written in constant memory.
/// Every cell is text so that NIK and No KK keep all 16 digits.
pub struct XlsxExport {
    workbook: rust_xlsxwriter::Workbook,
    sheet: usize,
    row: u32,
}

impl std::fmt::Debug for XlsxExport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XlsxExport")
            .field("sheet", &self.sheet)
            .field("row", &self.row)
            .finish()
    }
}

impl XlsxExport {
    /// A workbook with its first sheet and header row.
    pub fn new() -> Result<Self, rust_xlsxwriter::XlsxError> {
        let mut export = Self {
            workbook: rust_xlsxwriter::Workbook::new(),
            sheet: 0,
            row: 0,
        };
        export.add_sheet()?;
        Ok(export)
    }

    fn add_sheet(&mut self) -> Result<(), rust_xlsxwriter::XlsxError> {
        let ws = self.workbook.add_worksheet_with_constant_memory()?;
        ws.set_name(format!("P3KE {}", self.sheet + 1))?;
        for (col, name) in (0u16..).zip(COLUMNS) {
            ws.write_string(0, col, name)?;
        }
        self.row = 1;
        Ok(())
    }

    /// Appends one row per member of every P3KE household; returns rows written.
    pub fn write_rows(
        &mut self,
        g: &Generator,
        households: &[GeneratedHousehold],
    ) -> Result<u64, rust_xlsxwriter::XlsxError> {
        for_each_row(g, households, |row| {
            if self.row > ROWS_PER_SHEET {
                self.sheet += 1;
                self.add_sheet()?;
            }
            let ws = self.workbook.worksheet_from_index(self.sheet)?;
            for (col, value) in (0u16..).zip(row.iter()) {
                ws.write_string(self.row, col, *value)?;
            }
            self.row += 1;
            Ok(())
        })
    }

    /// Writes the file.
    pub fn save(mut self, path: &std::path::Path) -> Result<(), rust_xlsxwriter::XlsxError> {
        self.workbook.save(path)
    }
}
