//! Kemendagri region codes (Permendagri 58/2021): `PP` provinsi, `PP.KK` kabupaten/kota,
//! `PP.KK.CC` kecamatan, `PP.KK.CC.DDDD` desa/kelurahan. Accepted dotted or plain.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The four administrative levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    /// Provinsi (tingkat 1).
    Province,
    /// Kabupaten or kota (tingkat 2).
    Regency,
    /// Kecamatan (tingkat 3).
    District,
    /// Desa or kelurahan (tingkat 4).
    Village,
}

impl RegionLevel {
    /// Kemendagri's `tingkat` number, 1–4.
    pub fn number(self) -> u8 {
        match self {
            Self::Province => 1,
            Self::Regency => 2,
            Self::District => 3,
            Self::Village => 4,
        }
    }

    /// The level for a `tingkat` number.
    pub fn from_number(n: u8) -> Option<Self> {
        Some(match n {
            1 => Self::Province,
            2 => Self::Regency,
            3 => Self::District,
            4 => Self::Village,
            _ => return None,
        })
    }

    /// Every level, top down.
    pub const ALL: [RegionLevel; 4] =
        [Self::Province, Self::Regency, Self::District, Self::Village];

    /// Indonesian name of the level.
    pub fn label_id(self) -> &'static str {
        match self {
            Self::Province => "Provinsi",
            Self::Regency => "Kabupaten/Kota",
            Self::District => "Kecamatan",
            Self::Village => "Desa/Kelurahan",
        }
    }
}

/// A Kemendagri region code, kept in plain digits; rendered dotted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode(String);

/// What is wrong with a region code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionCodeError {
    #[error("kode wilayah kosong")]
    Empty,
    #[error("kode wilayah '{0}' berisi karakter selain angka dan titik")]
    NotDigit(String),
    #[error("kode wilayah '{0}' harus 2, 4, 6 atau 10 digit (PP, PP.KK, PP.KK.CC, PP.KK.CC.DDDD)")]
    Length(String),
    #[error("kode wilayah '{0}': bagian bertitik harus 2.2.2.4 digit")]
    Segments(String),
    #[error("kode wilayah '{0}': bagian kode tidak boleh nol")]
    Zero(String),
}

impl RegionCode {
    /// Parses `64.08.04.2001` or `6408042001` (and the shorter levels).
    pub fn parse(input: &str) -> Result<Self, RegionCodeError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(RegionCodeError::Empty);
        }
        if !s.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Err(RegionCodeError::NotDigit(s.to_owned()));
        }
        if s.contains('.') {
            let lens: Vec<usize> = s.split('.').map(str::len).collect();
            if lens.len() > 4 || lens.iter().zip([2, 2, 2, 4]).any(|(a, b)| *a != b) {
                return Err(RegionCodeError::Segments(s.to_owned()));
            }
        }
        let plain: String = s.chars().filter(char::is_ascii_digit).collect();
        if ![2, 4, 6, 10].contains(&plain.len()) {
            return Err(RegionCodeError::Length(s.to_owned()));
        }
        let parts = [
            &plain[..2],
            plain.get(2..4).unwrap_or("1"),
            plain.get(4..6).unwrap_or("1"),
        ];
        if parts.iter().any(|p| p.bytes().all(|b| b == b'0'))
            || plain.get(6..).is_some_and(|p| p == "0000")
        {
            return Err(RegionCodeError::Zero(s.to_owned()));
        }
        Ok(Self(plain))
    }

    /// For digits already checked elsewhere (the first six of a valid NIK).
    pub(crate) fn from_valid_plain(plain: &str) -> Self {
        Self(plain.to_owned())
    }

    /// The level, from the number of digits.
    pub fn level(&self) -> RegionLevel {
        match self.0.len() {
            2 => RegionLevel::Province,
            4 => RegionLevel::Regency,
            6 => RegionLevel::District,
            _ => RegionLevel::Village,
        }
    }

    /// The enclosing region, or `None` for a province.
    pub fn parent(&self) -> Option<Self> {
        let len = match self.level() {
            RegionLevel::Province => return None,
            RegionLevel::Regency => 2,
            RegionLevel::District => 4,
            RegionLevel::Village => 6,
        };
        Some(Self(self.0[..len].to_owned()))
    }

    /// The ancestor at `level`, if this code is at or below it.
    pub fn ancestor(&self, level: RegionLevel) -> Option<Self> {
        let len = match level {
            RegionLevel::Province => 2,
            RegionLevel::Regency => 4,
            RegionLevel::District => 6,
            RegionLevel::Village => 10,
        };
        (self.0.len() >= len).then(|| Self(self.0[..len].to_owned()))
    }

    /// Whether `other` lies within this region (or is this region).
    pub fn contains(&self, other: &RegionCode) -> bool {
        other.0.starts_with(&self.0)
    }

    /// Plain digits, as in NIK prefixes and P3KE `kode_kemendagri`.
    pub fn plain(&self) -> &str {
        &self.0
    }

    /// Dotted Kemendagri form, as stored in the database.
    pub fn dotted(&self) -> String {
        let p = &self.0;
        let mut out = String::with_capacity(13);
        for (i, (from, to)) in [(0, 2), (2, 4), (4, 6), (6, 10)].into_iter().enumerate() {
            if let Some(seg) = p.get(from..to) {
                if i > 0 {
                    out.push('.');
                }
                out.push_str(seg);
            }
        }
        out
    }

    /// A SQL `LIKE` pattern matching this region and everything below it, on dotted codes.
    pub fn like_pattern(&self) -> String {
        match self.level() {
            RegionLevel::Village => self.dotted(),
            _ => format!("{}%", self.dotted()),
        }
    }

    /// `[low, high)` bounds on dotted codes holding this region and everything below it:
    /// a range an index can walk, where `LIKE` would scan on SQLite.
    pub fn code_range(&self) -> (String, String) {
        let low = self.dotted();
        let high = format!("{low}~");
        (low, high)
    }

    /// For a regency: kota codes are 71–99, kabupaten 01–69.
    pub fn is_city(&self) -> bool {
        self.level() == RegionLevel::Regency && self.0[2..4] >= *"71"
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.dotted())
    }
}

impl std::str::FromStr for RegionCode {
    type Err = RegionCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn dotted_and_plain_are_the_same_code() {
        let a = RegionCode::parse("64.08.04.2001").unwrap();
        let b = RegionCode::parse("6408042001").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.dotted(), "64.08.04.2001");
        assert_eq!(a.level(), RegionLevel::Village);
        assert_eq!(a.parent().unwrap().dotted(), "64.08.04");
        assert_eq!(
            a.parent()
                .unwrap()
                .parent()
                .unwrap()
                .parent()
                .unwrap()
                .dotted(),
            "64"
        );
        assert!(RegionCode::parse("64.08").unwrap().contains(&a));
        assert!(!RegionCode::parse("64.07").unwrap().contains(&a));
        assert!(RegionCode::parse("64.71").unwrap().is_city());
        assert!(!RegionCode::parse("64.08").unwrap().is_city());
    }

    #[test]
    fn rejects_bad_codes_with_reasons() {
        assert!(matches!(
            RegionCode::parse("64.8.04"),
            Err(RegionCodeError::Segments(_))
        ));
        assert!(matches!(
            RegionCode::parse("640"),
            Err(RegionCodeError::Length(_))
        ));
        assert!(matches!(
            RegionCode::parse("64-08"),
            Err(RegionCodeError::NotDigit(_))
        ));
        assert!(matches!(
            RegionCode::parse("64.00"),
            Err(RegionCodeError::Zero(_))
        ));
        assert!(matches!(
            RegionCode::parse("64.08.04.0000"),
            Err(RegionCodeError::Zero(_))
        ));
        assert!(matches!(
            RegionCode::parse(" "),
            Err(RegionCodeError::Empty)
        ));
    }

    proptest! {
        #[test]
        fn plain_dotted_roundtrip(p in 11u32..99, k in 1u32..99, c in 1u32..99, d in 1u32..9999, lvl in 1u8..=4) {
            let plain = match lvl {
                1 => format!("{p:02}"),
                2 => format!("{p:02}{k:02}"),
                3 => format!("{p:02}{k:02}{c:02}"),
                _ => format!("{p:02}{k:02}{c:02}{d:04}"),
            };
            let code = RegionCode::parse(&plain).unwrap();
            prop_assert_eq!(code.level().number(), lvl);
            let again = RegionCode::parse(&code.dotted()).unwrap();
            prop_assert_eq!(&again, &code);
            if let Some(parent) = code.parent() {
                prop_assert!(parent.contains(&code));
                prop_assert_eq!(parent.level().number() + 1, lvl);
            }
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = RegionCode::parse(&s);
        }
    }
}

crate::coded::serde_via_parse!(RegionCode);
