//! Nomor Kartu Keluarga: kecamatan of issuance (6), date of recording DDMMYY (6), serial (4).
//! Unlike the NIK there is no +40 rule. A family's No KK changes when it splits or moves,
//! so it is an attribute of a household, never its key.

use std::fmt;

use crate::digits::{self, ShapeError};
use crate::region::RegionCode;

/// A structurally valid No KK; `Debug` is masked.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NoKk(String);

/// What is wrong with a No KK.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoKkError {
    #[error("No KK kosong")]
    Empty,
    #[error(
        "No KK ditulis dalam notasi ilmiah: Excel mengubahnya menjadi angka dan digit terakhir hilang"
    )]
    ScientificNotation,
    #[error("No KK berbentuk angka desimal: simpan kolom No KK sebagai teks")]
    Decimal,
    #[error("No KK harus 16 digit, ditemukan {0}")]
    WrongLength(usize),
    #[error("No KK hanya boleh berisi angka; karakter '{found}' di posisi {position}")]
    NotDigit { position: usize, found: char },
    #[error("No KK: {0}")]
    RegionPrefix(&'static str),
    #[error("No KK: tanggal pencatatan (digit 7-12) tidak valid")]
    Date,
    #[error(
        "No KK: nomor urut (digit 13-16) 0000 tidak pernah diberikan; kemungkinan Excel membulatkan angka"
    )]
    SerialZero,
}

impl NoKkError {
    /// A stable code for reports and APIs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "kk_empty",
            Self::ScientificNotation => "kk_scientific_notation",
            Self::Decimal => "kk_decimal",
            Self::WrongLength(_) => "kk_length",
            Self::NotDigit { .. } => "kk_not_digit",
            Self::RegionPrefix(_) => "kk_region",
            Self::Date => "kk_date",
            Self::SerialZero => "kk_serial_zero",
        }
    }
}

impl From<ShapeError> for NoKkError {
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

impl NoKk {
    /// Parses a No KK, trimming surrounding whitespace.
    pub fn parse(input: &str) -> Result<Self, NoKkError> {
        let d = digits::sixteen_digits(input)?;
        if let Some(problem) = digits::region_prefix_problem(&d) {
            return Err(NoKkError::RegionPrefix(problem));
        }
        let (day, month) = (digits::two(&d, 6), digits::two(&d, 8));
        if day == 0
            || !(1..=12).contains(&month)
            || day > digits::days_in_month(month, digits::two(&d, 10))
        {
            return Err(NoKkError::Date);
        }
        if d[12..].iter().all(|x| *x == 0) {
            return Err(NoKkError::SerialZero);
        }
        Ok(Self(digits::as_string(&d)))
    }

    /// Builds a No KK issued in `district` on `recorded` with `serial` (1–9999).
    pub fn compose(
        district: &RegionCode,
        recorded: chrono::NaiveDate,
        serial: u16,
    ) -> Option<Self> {
        use chrono::Datelike;
        if district.plain().len() != 6 || serial == 0 || serial > 9999 {
            return None;
        }
        let s = format!(
            "{}{:02}{:02}{:02}{:04}",
            district.plain(),
            recorded.day(),
            recorded.month(),
            recorded.year().rem_euclid(100),
            serial
        );
        Self::parse(&s).ok()
    }

    /// The 16 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The kecamatan where the card was issued.
    pub fn district_code(&self) -> RegionCode {
        RegionCode::from_valid_plain(&self.0[..6])
    }

    /// Masked for display without full view.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..6], &self.0[14..])
    }
}

impl fmt::Debug for NoKk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NoKk({})", self.masked())
    }
}

impl fmt::Display for NoKk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn parses_and_reports() {
        let kk = NoKk::parse("6408041503120007").unwrap();
        assert_eq!(kk.district_code().dotted(), "64.08.04");
        assert_eq!(kk.masked(), "640804********07");
        // A recording day of 52 would be a woman's NIK, not a KK.
        assert_eq!(NoKk::parse("6408045203120007"), Err(NoKkError::Date));
        assert_eq!(NoKk::parse("6408041503120000"), Err(NoKkError::SerialZero));
        assert_eq!(NoKk::parse("6.408E+15"), Err(NoKkError::ScientificNotation));
        assert_eq!(
            NoKk::parse("64080415031200"),
            Err(NoKkError::WrongLength(14))
        );
    }

    proptest! {
        #[test]
        fn compose_roundtrip(day in 0i64..9000, serial in 1u16..=9999) {
            let district = RegionCode::parse("64.08.04").unwrap();
            let date = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Duration::days(day);
            let kk = NoKk::compose(&district, date, serial).unwrap();
            prop_assert_eq!(NoKk::parse(kk.as_str()).unwrap(), kk);
        }
    }
}

crate::coded::serde_via_parse!(NoKk);
