//! One file row into one validated register row, with every problem named, never guessed.

use std::collections::HashSet;

use chrono::NaiveDate;
use sipmas_domain::{
    Address, Desil, HousingConditions, MaritalStatus, Nik, NoKk, RegionCode, Relationship, Sex,
    name_key,
};

use crate::RowError;
use crate::columns::Columns;
use crate::field::Field;
use crate::mapping::{Mapping, RowLevel};
use crate::table::RawRow;
use crate::values::{DateError, parse_date, parse_decimal};

/// A person as the row describes them.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonFields {
    pub nik: Option<Nik>,
    pub name: String,
    pub sex: Sex,
    pub birth_place: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub relationship: Relationship,
    pub marital_status: Option<MaritalStatus>,
    pub education: Option<String>,
    pub occupation: Option<String>,
    pub disability: Option<String>,
    pub chronic_illness: Option<String>,
}

/// A row that passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    pub line: u64,
    /// The family's identity in its source: id_keluarga, else No KK.
    pub family_key: String,
    /// The person's identity in its source: id_individu, else NIK, else family + name + birth.
    pub person_key: String,
    pub no_kk: Option<NoKk>,
    pub village: RegionCode,
    pub address: Address,
    pub coordinates: Option<(f64, f64)>,
    pub desil: Option<Desil>,
    pub housing: HousingConditions,
    pub person: PersonFields,
    /// The row's cells as a JSON array, kept verbatim as provenance.
    pub payload: String,
}

/// A problem found in a row; `rejects` decides whether the row is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub error: RowError,
    pub rejects: bool,
}

/// The outcome for one row.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub row: Option<ImportRow>,
    pub problems: Vec<Problem>,
}

/// What rows are checked against.
#[derive(Debug, Clone)]
pub struct Validator<'a> {
    pub mapping: &'a Mapping,
    pub columns: &'a Columns,
    /// Plain codes of the villages in the region table.
    pub villages: &'a HashSet<String>,
    /// Plain codes of the kecamatan, to warn about NIKs registered elsewhere.
    pub districts: &'a HashSet<String>,
    /// Resolves the century of NIK birth dates.
    pub today: NaiveDate,
}

pub(crate) struct RowCtx<'r, 'v> {
    v: &'v Validator<'v>,
    raw: &'r RawRow,
    problems: Vec<Problem>,
}

impl RowCtx<'_, '_> {
    pub(crate) fn col(&self, f: Field) -> Option<usize> {
        self.v.columns.get(f)
    }

    /// The cell of a field after the mapping's value map, trimmed; `None` when blank.
    pub(crate) fn value(&self, f: Field) -> Option<String> {
        let i = self.col(f)?;
        let v = self.v.mapping.value(f, self.raw.cell(i)).trim();
        (!v.is_empty()).then(|| v.to_owned())
    }

    /// Whether the field's cell was a number in the spreadsheet.
    pub(crate) fn numeric(&self, f: Field) -> bool {
        self.col(f).is_some_and(|i| self.raw.is_numeric(i))
    }

    fn problem(&mut self, f: Field, code: &'static str, message: String, rejects: bool) {
        let i = self.col(f).unwrap_or(usize::MAX);
        self.problems.push(Problem {
            error: RowError {
                line: self.raw.line,
                column: self.v.columns.header(i).to_owned(),
                value: self.raw.cell(i).to_owned(),
                code,
                message,
            },
            rejects,
        });
    }

    pub(crate) fn reject(&mut self, f: Field, code: &'static str, message: impl Into<String>) {
        self.problem(f, code, message.into(), true);
    }

    pub(crate) fn warn(&mut self, f: Field, code: &'static str, message: impl Into<String>) {
        self.problem(f, code, message.into(), false);
    }
}

impl Validator<'_> {
    /// Validates one row.
    pub fn parse(&self, raw: &RawRow) -> Parsed {
        let mut c = RowCtx {
            v: self,
            raw,
            problems: Vec::new(),
        };
        let row = self.build(&mut c);
        let rejected = c.problems.iter().any(|p| p.rejects);
        Parsed {
            row: if rejected { None } else { row },
            problems: c.problems,
        }
    }

    fn build(&self, c: &mut RowCtx<'_, '_>) -> Option<ImportRow> {
        let nik = self.nik(c);
        let no_kk = self.no_kk(c);
        let family_id = c.value(Field::FamilyId);
        let family_key = match (family_id, &no_kk) {
            (Some(id), _) => Some(id),
            (None, Some(kk)) => Some(kk.as_str().to_owned()),
            (None, None) => {
                c.reject(
                    Field::FamilyId,
                    "family_missing",
                    "ID keluarga dan No KK kosong: anggota tidak dapat dikelompokkan ke keluarga",
                );
                None
            }
        };
        let village = self.village(c);
        let name = c.value(Field::Name).unwrap_or_default();
        if name.is_empty() {
            c.reject(Field::Name, "name_missing", "nama kosong");
        }
        let birth_date = match c.value(Field::BirthDate) {
            None => None,
            Some(s) => match parse_date(&s) {
                Ok(d) if d > self.today => {
                    c.reject(
                        Field::BirthDate,
                        "birth_date_future",
                        "tanggal lahir di masa depan",
                    );
                    None
                }
                Ok(d) => Some(d),
                Err(DateError::Calendar) => {
                    c.reject(
                        Field::BirthDate,
                        "birth_date_invalid",
                        "tanggal lahir tidak ada di kalender",
                    );
                    None
                }
                Err(DateError::Shape) => {
                    c.reject(Field::BirthDate, "birth_date_format", "tanggal lahir harus HH-BB-TTTT, HH/BB/TTTT, TTTT-BB-HH atau nomor seri tanggal Excel");
                    None
                }
            },
        };
        let sex = self.sex(c, nik.as_ref());
        if let (Some(n), Some(d)) = (&nik, birth_date)
            && !n.matches_birth_date(d)
        {
            c.warn(
                Field::BirthDate,
                "birth_date_nik_mismatch",
                "tanggal lahir tidak sama dengan tanggal lahir di NIK",
            );
        }
        let relationship = self.relationship(c);
        let marital_status = c.value(Field::MaritalStatus).and_then(|s| {
            MaritalStatus::parse(&s)
                .map_err(|_| {
                    c.warn(
                        Field::MaritalStatus,
                        "marital_status_unknown",
                        "status kawin tidak dikenal; dikosongkan",
                    )
                })
                .ok()
        });
        let desil = c.value(Field::Desil).and_then(|s| {
            Desil::parse(&s)
                .map_err(|e| c.reject(Field::Desil, "desil_invalid", e.to_string()))
                .ok()
        });
        let coordinates = self.coordinates(c);
        let person_key = match (c.value(Field::IndividualId), &nik, &family_key) {
            (Some(id), _, _) => id,
            (None, Some(n), _) => format!("nik:{}", n.as_str()),
            (None, None, Some(f)) if self.mapping.level == RowLevel::Family => {
                format!("kepala:{f}")
            }
            (None, None, Some(f)) => format!(
                "nama:{f}|{}|{}",
                name_key(&name),
                birth_date.map(|d| d.to_string()).unwrap_or_default()
            ),
            (None, None, None) => String::new(),
        };
        let housing = HousingConditions {
            floor: c.value(Field::Floor),
            wall: c.value(Field::Wall),
            roof: c.value(Field::Roof),
            water_source: c.value(Field::WaterSource),
            lighting: c.value(Field::Lighting),
            cooking_fuel: c.value(Field::CookingFuel),
            toilet: c.value(Field::Toilet),
            ownership: c.value(Field::Ownership),
            floor_area_m2: c.value(Field::FloorArea).and_then(|s| parse_decimal(&s)),
            assets: Vec::new(),
        };
        let person = PersonFields {
            nik,
            name,
            sex: sex?,
            birth_place: c.value(Field::BirthPlace),
            birth_date,
            relationship,
            marital_status,
            education: c.value(Field::Education),
            occupation: c.value(Field::Occupation),
            disability: c.value(Field::Disability),
            chronic_illness: c.value(Field::ChronicIllness),
        };
        Some(ImportRow {
            line: c.raw.line,
            family_key: family_key?,
            person_key,
            no_kk,
            village: village?,
            address: Address {
                street: c.value(Field::Address).unwrap_or_default(),
                rt: c.value(Field::Rt),
                rw: c.value(Field::Rw),
                dusun: c.value(Field::Dusun),
            },
            coordinates,
            desil,
            housing,
            person,
            payload: serde_json::to_string(&c.raw.cells).unwrap_or_default(),
        })
    }
}
