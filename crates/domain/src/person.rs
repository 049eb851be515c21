//! Attributes of a person as the civil registry and the national data sets record them.

pub use crate::coded::ParseEnumError;
use crate::coded::coded_enum;

coded_enum! {
    /// Jenis kelamin.
    Sex, "jenis kelamin" {
        Male => "L", "Laki-laki", "Male", ["1", "pria", "lk", "m"];
        Female => "P", "Perempuan", "Female", ["2", "wanita", "pr", "f"];
    }
}

coded_enum! {
    /// Hubungan dengan kepala keluarga (Dukcapil SHDK codes 1–11 are accepted as aliases).
    Relationship, "hubungan dengan kepala keluarga" {
        Head => "kepala_keluarga", "Kepala Keluarga", "Head of household", ["1", "kk", "kepala"];
        Spouse => "pasangan", "Istri/Suami", "Spouse", ["2", "3", "istri", "suami", "suami/istri", "isteri"];
        Child => "anak", "Anak", "Child", ["4", "anak kandung", "anak tiri", "anak angkat"];
        ChildInLaw => "menantu", "Menantu", "Child-in-law", ["5"];
        Grandchild => "cucu", "Cucu", "Grandchild", ["6"];
        Parent => "orang_tua", "Orang Tua", "Parent", ["7", "orangtua", "ayah", "ibu"];
        ParentInLaw => "mertua", "Mertua", "Parent-in-law", ["8"];
        OtherRelative => "famili_lain", "Famili Lain", "Other relative", ["9", "saudara", "famili"];
        Helper => "pembantu", "Pembantu", "Household helper", ["10"];
        Other => "lainnya", "Lainnya", "Other", ["11", "lain lain", "lain-lain"];
    }
}

impl Relationship {
    /// P3KE writes e.g. `Kepala Keluarga / Head`; the part before the slash decides, unless
    /// the whole string is itself a spelling (as `Istri/Suami` is).
    pub fn parse_lenient(input: &str) -> Result<Self, ParseEnumError> {
        Self::parse(input).or_else(|e| match input.split_once('/') {
            Some((first, _)) => Self::parse(first).map_err(|_| e),
            None => Err(e),
        })
    }
}

coded_enum! {
    /// Status perkawinan.
    MaritalStatus, "status kawin" {
        Single => "belum_kawin", "Belum Kawin", "Never married", ["1", "lajang"];
        Married => "kawin", "Kawin", "Married", ["2", "menikah", "kawin tercatat", "kawin belum tercatat"];
        Divorced => "cerai_hidup", "Cerai Hidup", "Divorced", ["3", "cerai"];
        Widowed => "cerai_mati", "Cerai Mati", "Widowed", ["4", "janda", "duda"];
    }
}

coded_enum! {
    /// Whether a member is alive; a death is recorded, never deleted.
    LifeStatus, "status hidup" {
        Alive => "hidup", "Hidup", "Alive", [];
        Deceased => "meninggal", "Meninggal", "Deceased", ["wafat", "mati"];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_spellings_parse() {
        for s in ["L", "l", "Laki-laki", "LAKI LAKI", "laki_laki", "1"] {
            assert_eq!(Sex::parse(s), Ok(Sex::Male), "{s}");
        }
        for s in ["P", "Perempuan", "PEREMPUAN", "2"] {
            assert_eq!(Sex::parse(s), Ok(Sex::Female), "{s}");
        }
        assert!(Sex::parse("X").is_err());
        assert_eq!(
            Relationship::parse_lenient("Kepala Keluarga / Head"),
            Ok(Relationship::Head)
        );
        assert_eq!(
            Relationship::parse_lenient("Istri/Suami"),
            Ok(Relationship::Spouse)
        );
        assert_eq!(Relationship::parse_lenient("ANAK"), Ok(Relationship::Child));
        assert_eq!(
            Relationship::parse_lenient("8"),
            Ok(Relationship::ParentInLaw)
        );
        assert!(
            Relationship::parse_lenient("Tetangga")
                .unwrap_err()
                .to_string()
                .contains("Tetangga")
        );
        assert_eq!(
            MaritalStatus::parse("CERAI MATI"),
            Ok(MaritalStatus::Widowed)
        );
    }

    #[test]
    fn codes_roundtrip() {
        for r in Relationship::ALL {
            assert_eq!(Relationship::from_code(r.code()), Some(*r));
            assert_eq!(Relationship::parse(r.label_id()), Ok(*r));
        }
    }
}
