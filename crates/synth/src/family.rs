//! One synthetic family: head, spouse, children, sometimes an elderly parent, with NIKs and
//! a No KK consistent with their region and birth dates.

use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;
use sipmas_domain::{
    Address, HouseholdId, Individual, IndividualId, LifeStatus, MaritalStatus, Nik, NoKk,
    RegionCode, RegionLevel, Relationship, Sex,
};

use crate::names::{Ethnicity, child_name, person_name};

/// Where migrants were first registered (their NIK keeps that kecamatan for life).
fn origin_district(rng: &mut ChaCha8Rng, e: Ethnicity) -> Option<&'static str> {
    let options: &[&str] = match e {
        Ethnicity::Jawa => &["35.07.01", "33.10.05", "35.22.02"],
        Ethnicity::Bugis => &["73.13.01", "73.14.02", "73.08.03"],
        Ethnicity::Banjar => &["63.03.01", "63.06.02"],
        Ethnicity::Toraja => &["73.18.01", "73.26.03"],
        Ethnicity::Kutai | Ethnicity::Dayak => &[],
    };
    options.choose(rng).copied()
}

/// A UUIDv8 whose first six bytes are the household's index: successive households get
/// ascending keys, so bulk loads append to the primary-key indexes instead of scattering
/// writes across them (4× faster at a million households on SQLite).
pub(crate) fn ordered_uuid(rng: &mut ChaCha8Rng, index: u64, slot: u8) -> uuid::Uuid {
    let mut bytes: [u8; 16] = rng.random();
    bytes[..6].copy_from_slice(&index.to_be_bytes()[2..]);
    bytes[7] = slot;
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

fn birth_date(rng: &mut ChaCha8Rng, as_of: NaiveDate, age: i32) -> NaiveDate {
    let year = as_of.year() - age;
    let born = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(as_of)
        + Duration::days(rng.random_range(0..365));
    // A baby of this year is born before `as_of`, not later in the year.
    if born > as_of { as_of } else { born }
}

fn education(rng: &mut ChaCha8Rng, age: i32, desil: u8) -> &'static str {
    if age < 7 {
        return "Tidak/Belum Sekolah";
    }
    let better = f64::from(desil) / 12.0;
    let levels = [
        "Tidak/Belum Sekolah",
        "Belum Tamat SD/Sederajat",
        "Tamat SD/Sederajat",
        "SLTP/Sederajat",
        "SLTA/Sederajat",
        "Diploma I/II/III",
        "Diploma IV/Strata I",
    ];
    let cap = match age {
        7..=12 => 2,
        13..=15 => 3,
        16..=18 => 4,
        _ => 6,
    };
    let mut i = if rng.random_bool(0.6) { 2 } else { 1 };
    while i < cap && rng.random_bool((0.35 + better).min(0.9)) {
        i += 1;
    }
    levels[i]
}

fn occupation(rng: &mut ChaCha8Rng, age: i32, sex: Sex, urban: bool) -> &'static str {
    match age {
        0..=5 => "Belum/Tidak Bekerja",
        6..=18 => "Pelajar/Mahasiswa",
        _ if age >= 70 => "Belum/Tidak Bekerja",
        _ if sex == Sex::Female && rng.random_bool(0.6) => "Mengurus Rumah Tangga",
        _ => {
            let rural = [
                "Petani/Pekebun",
                "Nelayan/Perikanan",
                "Buruh Harian Lepas",
                "Buruh Tani/Perkebunan",
                "Wiraswasta",
                "Pedagang",
            ];
            let city = [
                "Buruh Harian Lepas",
                "Wiraswasta",
                "Pedagang",
                "Karyawan Swasta",
                "Sopir",
                "Tukang Bangunan",
            ];
            (if urban { &city[..] } else { &rural[..] })
                .choose(rng)
                .unwrap_or(&"Wiraswasta")
        }
    }
}

/// Inputs for one family.
pub(crate) struct FamilyCtx<'a> {
    pub index: u64,
    pub household_id: HouseholdId,
    pub village: &'a RegionCode,
    pub village_name: &'a str,
    pub urban: bool,
    pub as_of: NaiveDate,
    pub desil: u8,
}

/// Builds the members; returns them with the family's ethnicity.
pub(crate) fn members(
    rng: &mut ChaCha8Rng,
    ctx: &FamilyCtx<'_>,
    ethnicity: Ethnicity,
) -> Vec<Individual> {
    let local = ctx
        .village
        .ancestor(RegionLevel::District)
        .unwrap_or_else(|| ctx.village.clone());
    let mut out: Vec<Individual> = Vec::new();
    let mut person = |rng: &mut ChaCha8Rng,
                      name: String,
                      sex: Sex,
                      age: i32,
                      rel: Relationship,
                      migrant: bool| {
        let born = birth_date(rng, ctx.as_of, age);
        let district = migrant
            .then(|| origin_district(rng, ethnicity))
            .flatten()
            .and_then(|c| RegionCode::parse(c).ok())
            .unwrap_or_else(|| local.clone());
        let nik = Nik::compose(&district, born, sex, rng.random_range(1..=2000));
        let marital = match rel {
            Relationship::Head | Relationship::Spouse => MaritalStatus::Married,
            Relationship::Parent => MaritalStatus::Widowed,
            _ if age >= 20 && rng.random_bool(0.3) => MaritalStatus::Married,
            _ => MaritalStatus::Single,
        };
        let died = age >= 65 && rng.random_bool(0.04);
        let slot = u8::try_from(out.len()).unwrap_or(u8::MAX - 1);
        out.push(Individual {
            id: IndividualId(ordered_uuid(rng, ctx.index, 1 + slot)),
            household_id: ctx.household_id,
            nik,
            birth_place: Some(if migrant {
                "Luar Kaltim".to_owned()
            } else {
                ctx.village_name.to_owned()
            }),
            birth_date: Some(born),
            education: Some(education(rng, age, ctx.desil).to_owned()),
            occupation: Some(occupation(rng, age, sex, ctx.urban).to_owned()),
            disability: rng
                .random_bool(0.02)
                .then(|| {
                    ["fisik", "netra", "rungu_wicara", "mental", "intelektual"]
                        .choose(rng)
                        .map(|s| (*s).to_owned())
                })
                .flatten(),
            chronic_illness: (age >= 40 && rng.random_bool(0.08))
                .then(|| {
                    ["hipertensi", "diabetes", "tbc", "stroke", "jantung"]
                        .choose(rng)
                        .map(|s| (*s).to_owned())
                })
                .flatten(),
            life_status: if died {
                LifeStatus::Deceased
            } else {
                LifeStatus::Alive
            },
            deceased_on: died.then(|| ctx.as_of - Duration::days(rng.random_range(30..900))),
            moved: rel == Relationship::Child && age >= 19 && rng.random_bool(0.05),
            name,
            sex,
            relationship: rel,
            marital_status: Some(marital),
            version: 1,
        });
    };
    let migrant =
        !matches!(ethnicity, Ethnicity::Kutai | Ethnicity::Dayak) && rng.random_bool(0.35);
    let female_head = rng.random_bool(0.14);
    let head_age = rng.random_range(22..78);
    let head_sex = if female_head { Sex::Female } else { Sex::Male };
    let head_name = person_name(rng, ethnicity, head_sex, head_age);
    person(
        rng,
        head_name.clone(),
        head_sex,
        head_age,
        Relationship::Head,
        migrant,
    );
    let mother_age = if female_head {
        head_age
    } else {
        let age = (head_age - rng.random_range(0..8)).max(19);
        let name = person_name(rng, ethnicity, Sex::Female, age);
        if head_age < 70 || rng.random_bool(0.5) {
            let spouse_migrant = migrant && rng.random_bool(0.7);
            person(
                rng,
                name,
                Sex::Female,
                age,
                Relationship::Spouse,
                spouse_migrant,
            );
        }
        age
    };
    let max_children = if ctx.desil <= 2 { 5 } else { 4 };
    let children = if mother_age > 45 {
        rng.random_range(0..3)
    } else {
        rng.random_range(0..=max_children)
    };
    for _ in 0..children {
        let oldest = (mother_age - 18).clamp(0, 30);
        let age = rng.random_range(0..=oldest);
        let sex = if rng.random_bool(0.5) {
            Sex::Male
        } else {
            Sex::Female
        };
        let name = child_name(rng, ethnicity, sex, &head_name);
        person(rng, name, sex, age, Relationship::Child, false);
    }
    if head_age < 50 && rng.random_bool(0.1) {
        let age = head_age + rng.random_range(22..32);
        let name = person_name(rng, ethnicity, Sex::Female, age);
        person(rng, name, Sex::Female, age, Relationship::Parent, migrant);
    }
    out
}

/// A No KK issued in the village's kecamatan some time before the 2022 P3KE data.
pub(crate) fn no_kk(rng: &mut ChaCha8Rng, village: &RegionCode) -> Option<NoKk> {
    let district = village.ancestor(RegionLevel::District)?;
    let recorded =
        NaiveDate::from_ymd_opt(2008, 1, 1)? + Duration::days(rng.random_range(0..5_200));
    NoKk::compose(&district, recorded, rng.random_range(1..=3000))
}

/// An address by name by address.
pub(crate) fn address(rng: &mut ChaCha8Rng, urban: bool) -> Address {
    let streets = [
        "Jl. Poros",
        "Jl. Pendidikan",
        "Jl. Yos Sudarso",
        "Jl. Masjid",
        "Jl. Pelabuhan",
        "Jl. Kenangan",
        "Gang Mawar",
        "Gang Melati",
        "Jl. Sungai Kapih",
        "Jl. Trans",
    ];
    Address {
        street: format!(
            "{} No. {}",
            streets.choose(rng).unwrap_or(&"Jl. Poros"),
            rng.random_range(1..120)
        ),
        rt: Some(format!("{:03}", rng.random_range(1..=25))),
        rw: urban.then(|| format!("{:03}", rng.random_range(1..=8))),
        dusun: (!urban).then(|| {
            format!(
                "Dusun {}",
                ["I", "II", "III", "IV", "V"].choose(rng).unwrap_or(&"I")
            )
        }),
    }
}
