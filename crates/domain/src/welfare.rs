//! Welfare status and desil: what the register is for.

use std::fmt;

use crate::coded::coded_enum;

coded_enum! {
    /// Status kesejahteraan of a household.
    WelfareStatus, "status kesejahteraan" {
        /// Below USD 1.90/2.15 PPP per person per day (domain brief §5).
        ExtremePoor => "miskin_ekstrem", "Miskin Ekstrem", "Extremely poor", ["ekstrem", "sangat miskin"];
        Poor => "miskin", "Miskin", "Poor", [];
        Vulnerable => "rentan", "Rentan Miskin", "Vulnerable", ["rentan miskin", "hampir miskin"];
        NotPoor => "tidak_miskin", "Tidak Miskin", "Not poor", ["mampu"];
        Unknown => "unknown", "Belum Diketahui", "Unknown", ["tidak diketahui", ""];
    }
}

coded_enum! {
    /// Which data set a desil came from; P3KE and DTKS rank 1–4, DTSEN 1–10.
    DesilSource, "sumber desil" {
        P3ke => "p3ke", "P3KE", "P3KE", [];
        Dtks => "dtks", "DTKS", "DTKS", [];
        DtsenNational => "dtsen_nasional", "DTSEN (nasional)", "DTSEN (national)", ["dtsen", "desil nasional"];
        DtsenProvince => "dtsen_provinsi", "DTSEN (provinsi)", "DTSEN (province)", ["desil provinsi"];
        DtsenRegency => "dtsen_kabupaten", "DTSEN (kabupaten/kota)", "DTSEN (regency)", ["desil kabupaten kota"];
        Regsosek => "regsosek", "Regsosek", "Regsosek", [];
        Local => "lokal", "Pendataan daerah", "Local survey", ["daerah", "pemda"];
    }
}

/// Desil kesejahteraan, 1 (poorest tenth) to 10.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "u8", into = "u8")]
pub struct Desil(u8);

/// A desil outside 1–10.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("desil harus 1 sampai 10, ditemukan '{0}'")]
pub struct DesilError(pub String);

impl Desil {
    /// From a number 1–10.
    pub fn new(n: u8) -> Result<Self, DesilError> {
        if (1..=10).contains(&n) {
            Ok(Self(n))
        } else {
            Err(DesilError(n.to_string()))
        }
    }

    /// From text such as `1`, `Desil 1` or `01`.
    pub fn parse(s: &str) -> Result<Self, DesilError> {
        let t = s.trim();
        let digits = t
            .strip_prefix("Desil")
            .or_else(|| t.strip_prefix("desil"))
            .or_else(|| t.strip_prefix("DESIL"));
        let n: u8 = digits
            .unwrap_or(t)
            .trim()
            .parse()
            .map_err(|_| DesilError(t.to_owned()))?;
        Self::new(n)
    }

    /// The number 1–10.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Desil {
    type Error = DesilError;
    fn try_from(n: u8) -> Result<Self, Self::Error> {
        Self::new(n)
    }
}

impl From<Desil> for u8 {
    fn from(d: Desil) -> u8 {
        d.0
    }
}

impl fmt::Display for Desil {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Desil {}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn statuses_parse() {
        assert_eq!(
            WelfareStatus::parse("Miskin Ekstrem"),
            Ok(WelfareStatus::ExtremePoor)
        );
        assert_eq!(
            WelfareStatus::parse("miskin_ekstrem"),
            Ok(WelfareStatus::ExtremePoor)
        );
        assert_eq!(
            WelfareStatus::parse("Rentan Miskin"),
            Ok(WelfareStatus::Vulnerable)
        );
        assert_eq!(DesilSource::parse("DTSEN"), Ok(DesilSource::DtsenNational));
    }

    proptest! {
        #[test]
        fn desil_accepts_exactly_one_to_ten(n in 0u8..=255) {
            prop_assert_eq!(Desil::new(n).is_ok(), (1..=10).contains(&n));
            if let Ok(d) = Desil::new(n) {
                prop_assert_eq!(Desil::parse(&format!("Desil {n}")), Ok(d));
                prop_assert_eq!(Desil::parse(&format!("{n:02}")), Ok(d));
            }
        }
    }
}
