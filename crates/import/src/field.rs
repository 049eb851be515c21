//! The register fields an import column can feed, and the header spellings each is known by.

use serde::{Deserialize, Serialize};

macro_rules! fields {
    ($($variant:ident => $code:literal, [$($alias:literal),* $(,)?];)*) => {
        /// A register field a source column maps to (`snake_case` in mapping files).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Field { $($variant),* }

        impl Field {
            /// Every field, in declaration order.
            pub const ALL: &'static [Field] = &[$(Field::$variant),*];

            /// The name used in mapping files.
            pub fn code(self) -> &'static str {
                match self { $(Field::$variant => $code),* }
            }

            /// Header spellings seen in P3KE, DTKS and DTSEN exports, folded by [`fold_header`].
            pub fn aliases(self) -> &'static [&'static str] {
                match self { $(Field::$variant => &[$code, $($alias),*]),* }
            }
        }
    };
}

fields! {
    FamilyId => "family_id", ["id_keluarga_p3ke", "id_keluarga", "id_kk", "id_dtks_keluarga", "id_art_keluarga"];
    IndividualId => "individual_id", ["id_individu", "id_individu_p3ke", "id_art", "id_dtks"];
    NoKk => "no_kk", ["nokk", "nomor_kk", "no_kartu_keluarga", "nomor_kartu_keluarga", "b1_r102", "kk"];
    Nik => "nik", ["no_nik", "nomor_nik", "nik_art", "nik_kepala_keluarga", "b1_r101"];
    Name => "name", ["nama_lengkap", "nama", "nama_art", "kepala_keluarga", "nama_kepala_keluarga", "nama_krt"];
    Sex => "sex", ["jenis_kelamin", "jk", "kelamin", "l_p", "gender"];
    Relationship => "relationship", ["hubungan_dengan_kepala_keluarga", "hubungan_keluarga", "hubungan_dengan_krt", "hub_krt", "shdk", "status_hubungan_dalam_keluarga", "hubungan"];
    BirthDate => "birth_date", ["tanggal_lahir", "tgl_lahir", "tgllahir", "tanggal_lahir_art"];
    BirthPlace => "birth_place", ["tempat_lahir", "tmp_lahir"];
    MaritalStatus => "marital_status", ["status_kawin", "status_perkawinan", "sts_kawin"];
    Occupation => "occupation", ["pekerjaan", "pekerjaan_utama", "jenis_pekerjaan"];
    Education => "education", ["pendidikan", "pendidikan_terakhir", "ijazah_tertinggi"];
    VillageCode => "village_code", ["kode_kemendagri", "kode_kemdagri", "kode_wilayah", "kode_desa", "kode_desa_kelurahan", "kd_desa", "kode_kelurahan"];
    Province => "province", ["provinsi", "nama_provinsi", "prov"];
    Regency => "regency", ["kabupaten", "kabupaten_kota", "kab_kota", "nama_kabupaten"];
    District => "district", ["kecamatan", "nama_kecamatan", "kec"];
    Village => "village", ["desa", "desa_kelurahan", "kelurahan", "nama_desa"];
    Address => "address", ["alamat", "alamat_lengkap", "b1_r105", "jalan"];
    Rt => "rt", ["no_rt"];
    Rw => "rw", ["no_rw"];
    Dusun => "dusun", ["dusun_lingkungan", "lingkungan", "nama_dusun"];
    Desil => "desil", ["desil_kesejahteraan", "desil_nasional", "b1_r104", "peringkat_kesejahteraan", "desil_p3ke"];
    PadanDukcapil => "padan_dukcapil", ["status_padan", "padan"];
    Bpnt => "bpnt", ["penerima_bpnt"];
    Bpum => "bpum", ["penerima_bpum"];
    Bst => "bst", ["penerima_bst"];
    Pkh => "pkh", ["penerima_pkh"];
    Sembako => "sembako", ["penerima_sembako"];
    StuntingRisk => "stunting_risk", ["resiko_stunting", "risiko_stunting"];
    Ownership => "ownership", ["kepemilikan_rumah", "status_kepemilikan_rumah", "status_rumah"];
    Floor => "floor", ["jenis_lantai", "jenis_lantai_terluas", "lantai"];
    Wall => "wall", ["jenis_dinding", "jenis_dinding_terluas", "dinding"];
    Roof => "roof", ["jenis_atap", "jenis_atap_terluas", "atap"];
    WaterSource => "water_source", ["sumber_air_minum", "sumber_air_minum_utama"];
    Lighting => "lighting", ["sumber_penerangan", "sumber_penerangan_utama"];
    CookingFuel => "cooking_fuel", ["bahan_bakar_memasak", "bahan_bakar_utama_memasak"];
    Toilet => "toilet", ["fasilitas_bab", "fasilitas_buang_air_besar"];
    FloorArea => "floor_area", ["luas_lantai", "luas_lantai_m2"];
    Latitude => "latitude", ["lintang", "lat"];
    Longitude => "longitude", ["bujur", "lon", "lng"];
    Disability => "disability", ["disabilitas", "jenis_disabilitas", "penyandang_disabilitas"];
    ChronicIllness => "chronic_illness", ["penyakit_kronis", "penyakit_menahun"];
}

/// Header folded for matching: lowercase letters and digits only, so `Nama Lengkap`,
/// `NAMA_LENGKAP` and `nama lengkap` are one header.
pub fn fold_header(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The field a header names, if it is a known spelling.
pub fn field_for_header(header: &str) -> Option<Field> {
    let folded = fold_header(header);
    if folded.is_empty() {
        return None;
    }
    Field::ALL
        .iter()
        .copied()
        .find(|f| f.aliases().iter().any(|a| fold_header(a) == folded))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_whatever_their_case_spaces_and_underscores() {
        assert_eq!(field_for_header("Nama Lengkap"), Some(Field::Name));
        assert_eq!(field_for_header("NAMA_LENGKAP"), Some(Field::Name));
        assert_eq!(
            field_for_header("\u{feff}id_keluarga_p3ke"),
            Some(Field::FamilyId)
        );
        assert_eq!(field_for_header("No. KK"), Some(Field::NoKk));
        assert_eq!(
            field_for_header("Hubungan Dengan Kepala Keluarga"),
            Some(Field::Relationship)
        );
        assert_eq!(field_for_header("warna favorit"), None);
        assert_eq!(field_for_header(""), None);
    }

    #[test]
    fn no_alias_names_two_fields() {
        let mut seen = std::collections::HashMap::new();
        for f in Field::ALL {
            for a in f.aliases() {
                if let Some(other) = seen.insert(fold_header(a), *f)
                    && other != *f
                {
                    panic!("{a} names both {other:?} and {f:?}");
                }
            }
        }
    }
}
