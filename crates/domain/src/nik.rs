//! Nomor Induk Kependudukan: `PP KK CC DDMMYY SSSS`.
//!
//! Digits 1–6 are the kecamatan of *first registration* (it never changes when a person
//! moves), 7–12 the birth date with 40 added to the day for women, 13–16 a serial from 0001.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::digits::{self, ShapeError};
use crate::person::Sex;
use crate::region::RegionCode;

/// A structurally valid NIK. Its `Debug` output is masked so that a stray `{:?}` in a log
/// line does not leak personal data.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nik(String);

/// Precisely what is wrong with a NIK. `Display` is Bahasa Indonesia, for row reports.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NikError {
    #[error("NIK kosong")]
    Empty,
    #[error(
        "NIK ditulis dalam notasi ilmiah (mis. 6.40804E+15): Excel mengubahnya menjadi angka dan digit terakhir hilang"
    )]
    ScientificNotation,
    #[error("NIK berbentuk angka desimal atau berpemisah ribuan: simpan kolom NIK sebagai teks")]
    Decimal,
    #[error("NIK harus 16 digit, ditemukan {0}")]
    WrongLength(usize),
    #[error("NIK hanya boleh berisi angka; karakter '{found}' di posisi {position}")]
    NotDigit { position: usize, found: char },
    #[error("NIK: {0}")]
    RegionPrefix(&'static str),
    #[error("NIK: tanggal lahir (digit 7-8) {0:02} tidak valid; laki-laki 01-31, perempuan 41-71")]
    Day(u32),
    #[error("NIK: bulan lahir (digit 9-10) {0:02} tidak valid")]
    Month(u32),
    #[error("NIK: tanggal {day:02}-{month:02} tidak ada dalam kalender")]
    Date { day: u32, month: u32 },
    #[error(
        "NIK: nomor urut (digit 13-16) 0000 tidak pernah diberikan; kemungkinan Excel membulatkan angka 16 digit"
    )]
    SerialZero,
}

impl NikError {
    /// A stable code for reports and APIs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "nik_empty",
            Self::ScientificNotation => "nik_scientific_notation",
            Self::Decimal => "nik_decimal",
            Self::WrongLength(_) => "nik_length",
            Self::NotDigit { .. } => "nik_not_digit",
            Self::RegionPrefix(_) => "nik_region",
            Self::Day(_) => "nik_day",
            Self::Month(_) => "nik_month",
            Self::Date { .. } => "nik_date",
            Self::SerialZero => "nik_serial_zero",
        }
    }
}

impl From<ShapeError> for NikError {
    fn from(e: ShapeError) -> Self {
        match e {
            ShapeError::Empty => Self::Empty,
            ShapeError::ScientificNotation => Self::ScientificNotation,
            ShapeError::Decimal => Self::Decimal,
            ShapeError::WrongLength(n) => Self::WrongLength(n),
            ShapeError::NotDigit { position, found } => Self::NotDigit { position, found },
        }
    }
}

impl Nik {
    /// Parses a NIK, trimming surrounding whitespace.
    pub fn parse(input: &str) -> Result<Self, NikError> {
        let d = digits::sixteen_digits(input)?;
        if let Some(problem) = digits::region_prefix_problem(&d) {
            return Err(NikError::RegionPrefix(problem));
        }
        let raw_day = digits::two(&d, 6);
        let day = match raw_day {
            1..=31 => raw_day,
            41..=71 => raw_day - 40,
            _ => return Err(NikError::Day(raw_day)),
        };
        let month = digits::two(&d, 8);
        if !(1..=12).contains(&month) {
            return Err(NikError::Month(month));
        }
        if day > digits::days_in_month(month, digits::two(&d, 10)) {
            return Err(NikError::Date { day, month });
        }
        if d[12..].iter().all(|x| *x == 0) {
            return Err(NikError::SerialZero);
        }
        Ok(Self(digits::as_string(&d)))
    }

    /// Builds the NIK of a person first registered in `district` (a kecamatan code).
    /// Returns `None` when the serial is outside 1–9999 or the code is not a kecamatan.
    pub fn compose(district: &RegionCode, birth: NaiveDate, sex: Sex, serial: u16) -> Option<Self> {
        if district.plain().len() != 6 || serial == 0 || serial > 9999 {
            return None;
        }
        let day = birth.day() + if sex == Sex::Female { 40 } else { 0 };
        let s = format!(
            "{}{:02}{:02}{:02}{:04}",
            district.plain(),
            day,
            birth.month(),
            birth.year().rem_euclid(100),
            serial
        );
        Self::parse(&s).ok()
    }

    /// The 16 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn num(&self, at: usize) -> u32 {
        self.0[at..at + 2].parse().unwrap_or(0)
    }

    /// The kecamatan of first registration (digits 1–6).
    pub fn district_code(&self) -> RegionCode {
        // Digits 1–6 were checked in `parse`.
        RegionCode::from_valid_plain(&self.0[..6])
    }

    /// Sex encoded in the birth day (women have 40 added).
    pub fn sex(&self) -> Sex {
        if self.num(6) > 40 {
            Sex::Female
        } else {
            Sex::Male
        }
    }

    /// Birth day and month, and the two-digit year.
    pub fn birth_parts(&self) -> (u32, u32, u32) {
        let d = self.num(6);
        (if d > 40 { d - 40 } else { d }, self.num(8), self.num(10))
    }

    /// The birth date, choosing the century so that the date is not after `today`.
    pub fn birth_date(&self, today: NaiveDate) -> Option<NaiveDate> {
        let (day, month, yy) = self.birth_parts();
        let yy = i32::try_from(yy).ok()?;
        let century = if 2000 + yy <= today.year() {
            2000
        } else {
            1900
        };
        NaiveDate::from_ymd_opt(century + yy, month, day)
            .or_else(|| NaiveDate::from_ymd_opt(century - 100 + yy, month, day))
    }

    /// Whether a recorded birth date agrees with the one encoded in the NIK.
    pub fn matches_birth_date(&self, date: NaiveDate) -> bool {
        let (day, month, yy) = self.birth_parts();
        date.day() == day && date.month() == month && date.year().rem_euclid(100) == yy as i32
    }

    /// The serial (digits 13–16).
    pub fn serial(&self) -> u16 {
        self.0[12..].parse().unwrap_or(0)
    }

    /// Masked for display to users without full view: district code and the last two digits.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..6], &self.0[14..])
    }
}

impl fmt::Debug for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nik({})", self.masked())
    }
}

impl fmt::Display for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Nik {
    type Err = NikError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl AsRef<str> for Nik {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests;

crate::coded::serde_via_parse!(Nik);
