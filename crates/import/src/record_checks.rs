//! The field checks of [`Validator`]: identity numbers, region, sex, relationship, place.

use sipmas_domain::{Nik, NoKk, RegionCode, RegionLevel, Relationship, Sex};

use crate::field::Field;
use crate::mapping::RowLevel;
use crate::record::{RowCtx, Validator};
use crate::values::parse_decimal;

const EXCEL_NUMBER: &str = "tersimpan sebagai angka di Excel, yang hanya menyimpan 15 digit: digit terakhir hilang. Format kolom sebagai Teks lalu ekspor ulang";

impl Validator<'_> {
    pub(crate) fn nik(&self, c: &mut RowCtx<'_, '_>) -> Option<Nik> {
        let Some(s) = c.value(Field::Nik) else {
            if c.col(Field::Nik).is_some() {
                c.warn(
                    Field::Nik,
                    "nik_missing",
                    "NIK kosong: orang ini dicatat tanpa NIK",
                );
            }
            return None;
        };
        if c.numeric(Field::Nik) {
            c.reject(
                Field::Nik,
                "nik_excel_number",
                format!("NIK {EXCEL_NUMBER}"),
            );
            return None;
        }
        match Nik::parse(&s) {
            Ok(n) => {
                let district = n.district_code();
                if !self.districts.is_empty() && !self.districts.contains(district.plain()) {
                    let district = district.dotted();
                    c.warn(Field::Nik, "nik_district_unknown", format!("NIK: kode kecamatan pendaftaran {district} tidak ada di daftar wilayah (mungkin kode lama sebelum pemekaran)"));
                }
                Some(n)
            }
            Err(e) => {
                c.reject(Field::Nik, e.code(), e.to_string());
                None
            }
        }
    }

    pub(crate) fn no_kk(&self, c: &mut RowCtx<'_, '_>) -> Option<NoKk> {
        let s = c.value(Field::NoKk)?;
        if c.numeric(Field::NoKk) {
            c.reject(
                Field::NoKk,
                "kk_excel_number",
                format!("No KK {EXCEL_NUMBER}"),
            );
            return None;
        }
        NoKk::parse(&s)
            .map_err(|e| c.reject(Field::NoKk, e.code(), e.to_string()))
            .ok()
    }

    pub(crate) fn village(&self, c: &mut RowCtx<'_, '_>) -> Option<RegionCode> {
        let Some(s) = c.value(Field::VillageCode) else {
            c.reject(
                Field::VillageCode,
                "region_missing",
                "kode wilayah (kode_kemendagri) kosong",
            );
            return None;
        };
        let code = match RegionCode::parse(&s) {
            Ok(code) => code,
            Err(e) => {
                c.reject(Field::VillageCode, "region_code_invalid", e.to_string());
                return None;
            }
        };
        if code.level() != RegionLevel::Village {
            c.reject(
                Field::VillageCode,
                "region_not_village",
                "kode wilayah harus kode desa/kelurahan (10 digit, mis. 6408011001)",
            );
            return None;
        }
        if !self.villages.contains(code.plain()) {
            c.reject(
                Field::VillageCode,
                "region_unknown",
                format!(
                    "kode desa {} tidak ada di daftar wilayah Kemendagri yang dimuat",
                    code.dotted()
                ),
            );
            return None;
        }
        Some(code)
    }

    pub(crate) fn sex(&self, c: &mut RowCtx<'_, '_>, nik: Option<&Nik>) -> Option<Sex> {
        match (c.value(Field::Sex), nik) {
            (Some(s), _) => match Sex::parse(&s) {
                Ok(sex) => {
                    if nik.is_some_and(|n| n.sex() != sex) {
                        c.warn(Field::Sex, "sex_nik_mismatch", "jenis kelamin tidak sesuai NIK (tanggal lahir perempuan di NIK ditambah 40)");
                    }
                    Some(sex)
                }
                Err(_) => {
                    c.reject(
                        Field::Sex,
                        "sex_invalid",
                        "jenis kelamin harus L/P atau Laki-laki/Perempuan",
                    );
                    None
                }
            },
            (None, Some(n)) => {
                c.warn(
                    Field::Sex,
                    "sex_from_nik",
                    "jenis kelamin kosong; diambil dari NIK",
                );
                Some(n.sex())
            }
            (None, None) => {
                c.reject(
                    Field::Sex,
                    "sex_missing",
                    "jenis kelamin kosong dan tidak ada NIK",
                );
                None
            }
        }
    }

    pub(crate) fn relationship(&self, c: &mut RowCtx<'_, '_>) -> Relationship {
        if self.mapping.level == RowLevel::Family {
            return Relationship::Head;
        }
        match c.value(Field::Relationship) {
            Some(s) => Relationship::parse_lenient(&s).unwrap_or_else(|_| {
                c.reject(
                    Field::Relationship,
                    "relationship_invalid",
                    "hubungan dengan kepala keluarga tidak dikenal",
                );
                Relationship::Other
            }),
            None => {
                c.warn(
                    Field::Relationship,
                    "relationship_missing",
                    "hubungan dengan kepala keluarga kosong; dicatat sebagai Lainnya",
                );
                Relationship::Other
            }
        }
    }

    pub(crate) fn coordinates(&self, c: &mut RowCtx<'_, '_>) -> Option<(f64, f64)> {
        let lat = c.value(Field::Latitude);
        let lon = c.value(Field::Longitude);
        if lat.is_none() && lon.is_none() {
            return None;
        }
        match (
            lat.as_deref().and_then(parse_decimal),
            lon.as_deref().and_then(parse_decimal),
        ) {
            (Some(a), Some(o)) if (-90.0..=90.0).contains(&a) && (-180.0..=180.0).contains(&o) => {
                Some((a, o))
            }
            _ => {
                c.warn(
                    Field::Latitude,
                    "coordinates_invalid",
                    "koordinat tidak lengkap atau di luar rentang; diabaikan",
                );
                None
            }
        }
    }
}
