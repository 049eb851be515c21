//! How a file's columns become register fields: the built-in P3KE and DTSEN layouts, or a
//! TOML mapping file for any other spreadsheet.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use sipmas_domain::DesilSource;

use crate::FileError;
use crate::field::{Field, field_for_header, fold_header};

/// What one row of the file describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowLevel {
    /// One row per person (P3KE individual export, DTSEN).
    #[serde(alias = "individu")]
    Individual,
    /// One row per family, describing its head (P3KE family export).
    #[serde(alias = "keluarga")]
    Family,
}

/// The layouts `--format` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    P3ke,
    P3keKeluarga,
    Dtsen,
    Generic,
}

impl Format {
    /// From the `--format` value.
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "p3ke" => Some(Self::P3ke),
            "p3ke-keluarga" | "p3ke_keluarga" => Some(Self::P3keKeluarga),
            "dtsen" | "dtks" => Some(Self::Dtsen),
            "generic" | "umum" => Some(Self::Generic),
            _ => None,
        }
    }
}

/// A mapping file (`--mapping`), e.g.
/// ```toml
/// source = "pendataan-desa"
/// level = "individu"
/// [columns]
/// "NAMA" = "name"
/// [values.sex]
/// "1" = "L"
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingFile {
    pub source: String,
    #[serde(default = "individual")]
    pub level: RowLevel,
    #[serde(default)]
    pub desil_source: Option<String>,
    pub columns: BTreeMap<String, Field>,
    #[serde(default)]
    pub values: BTreeMap<Field, BTreeMap<String, String>>,
}

fn individual() -> RowLevel {
    RowLevel::Individual
}

/// The resolved description of an import: which data set, which fields, which values.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// Data set code, recorded with every batch and used to match records across exports.
    pub source: String,
    pub level: RowLevel,
    pub desil_source: DesilSource,
    /// Header (folded) → field; empty means "any known spelling".
    columns: HashMap<String, Field>,
    /// Per field: source value (folded) → value the parser understands.
    values: HashMap<Field, HashMap<String, String>>,
}

impl Mapping {
    /// A built-in layout; `Generic` needs a mapping file.
    pub fn builtin(format: Format) -> Option<Self> {
        let (source, level, desil) = match format {
            Format::P3ke => ("p3ke", RowLevel::Individual, DesilSource::P3ke),
            Format::P3keKeluarga => ("p3ke", RowLevel::Family, DesilSource::P3ke),
            Format::Dtsen => ("dtsen", RowLevel::Individual, DesilSource::DtsenNational),
            Format::Generic => return None,
        };
        Some(Self {
            source: source.to_owned(),
            level,
            desil_source: desil,
            columns: HashMap::new(),
            values: HashMap::new(),
        })
    }

    /// Reads a TOML mapping file.
    pub fn from_toml(text: &str) -> Result<Self, FileError> {
        let file: MappingFile =
            toml::from_str(text).map_err(|e| FileError::Mapping(e.to_string()))?;
        let source = file.source.trim().to_lowercase();
        if source.is_empty()
            || !source
                .chars()
                .all(|c| c.is_alphanumeric() || "-_".contains(c))
        {
            return Err(FileError::Mapping(format!(
                "source '{}' harus huruf, angka, '-' atau '_'",
                file.source
            )));
        }
        let desil_source = match file.desil_source.as_deref() {
            Some(s) => DesilSource::parse(s).map_err(|e| FileError::Mapping(e.to_string()))?,
            None => DesilSource::Local,
        };
        Ok(Self {
            source,
            level: file.level,
            desil_source,
            columns: file
                .columns
                .into_iter()
                .map(|(h, f)| (fold_header(&h), f))
                .collect(),
            values: file
                .values
                .into_iter()
                .map(|(f, m)| (f, m.into_iter().map(|(k, v)| (fold_value(&k), v)).collect()))
                .collect(),
        })
    }

    /// The field a header feeds.
    pub fn field_for(&self, header: &str) -> Option<Field> {
        if self.columns.is_empty() {
            field_for_header(header)
        } else {
            self.columns.get(&fold_header(header)).copied()
        }
    }

    /// A value as the parser should read it, after the mapping's value map.
    pub fn value<'a>(&'a self, field: Field, raw: &'a str) -> &'a str {
        self.values
            .get(&field)
            .and_then(|m| m.get(&fold_value(raw)))
            .map_or(raw, String::as_str)
    }

    /// Fields without which a row cannot become a register entry.
    pub fn required(&self) -> &'static [&'static [Field]] {
        // Each inner list is satisfied by any one of its fields.
        &[
            &[Field::FamilyId, Field::NoKk],
            &[Field::VillageCode],
            &[Field::Name],
        ]
    }
}

fn fold_value(v: &str) -> String {
    v.trim().to_lowercase()
}

/// A starting mapping file for `headers`: known spellings filled in, the rest commented out.
pub fn suggest(headers: &[String], source: &str) -> String {
    let mut out = format!(
        "# Pemetaan kolom untuk `sipmas import --format generic --mapping FILE`.\n\
         # Nama field: {}\n\
         source = \"{source}\"\nlevel = \"individu\"   # atau \"keluarga\": satu baris per keluarga\n\
         # desil_source = \"dtks\"\n\n[columns]\n",
        Field::ALL
            .iter()
            .map(|f| f.code())
            .collect::<Vec<_>>()
            .join(", ")
    );
    for h in headers.iter().filter(|h| !h.trim().is_empty()) {
        let key = h.replace('\\', "\\\\").replace('"', "\\\"");
        match field_for_header(h) {
            Some(f) => out.push_str(&format!("\"{key}\" = \"{}\"\n", f.code())),
            None => out.push_str(&format!("# \"{key}\" = \"\"\n")),
        }
    }
    out.push_str("\n# Contoh pemetaan nilai:\n# [values.sex]\n# \"1\" = \"L\"\n# \"2\" = \"P\"\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suggested_mapping_reads_back() {
        let headers = vec![
            "NAMA".to_owned(),
            "No KK".to_owned(),
            "Hobi \"x\"".to_owned(),
        ];
        let text = suggest(&headers, "desa-x");
        let m = Mapping::from_toml(&text).unwrap();
        assert_eq!(m.field_for("nama"), Some(Field::Name));
        assert_eq!(m.field_for("NO_KK"), Some(Field::NoKk));
        assert_eq!(m.field_for("Hobi \"x\""), None);
    }

    #[test]
    fn value_maps_apply_case_insensitively() {
        let m = Mapping::from_toml(
            "source = \"x\"\n[columns]\n\"JK\" = \"sex\"\n[values.sex]\n\"Pria\" = \"L\"\n",
        )
        .unwrap();
        assert_eq!(m.value(Field::Sex, " PRIA "), "L");
        assert_eq!(m.value(Field::Sex, "P"), "P");
    }

    #[test]
    fn unknown_fields_and_bad_sources_are_refused() {
        assert!(Mapping::from_toml("source = \"x\"\n[columns]\n\"A\" = \"warna\"\n").is_err());
        assert!(Mapping::from_toml("source = \"a b\"\n[columns]\n").is_err());
    }
}

#[cfg(test)]
mod example {
    use super::*;

    #[test]
    fn the_shipped_example_mapping_reads() {
        let m =
            Mapping::from_toml(include_str!("../../../config/import/desa-contoh.toml")).unwrap();
        assert_eq!(m.source, "pendataan-desa");
        assert_eq!(m.field_for("no_kk"), Some(Field::NoKk));
        assert_eq!(m.value(Field::Sex, "2"), "P");
        assert_eq!(m.value(Field::Relationship, "ank"), "Anak");
        assert_eq!(m.desil_source, DesilSource::Local);
    }
}
