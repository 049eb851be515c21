//! The built-in skeleton of Kalimantan Timur: the ten real kabupaten/kota with their real
//! numbers of kecamatan, kelurahan and desa (Kemendagri 2025), the real kecamatan names of
//! Kutai Timur, and generated names elsewhere.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sipmas_domain::RegionCode;

/// A region of the synthetic province.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthRegion {
    pub code: RegionCode,
    pub name: String,
}

/// A kabupaten/kota of the skeleton: code, name, kecamatan, kelurahan, desa, population, centroid.
struct Regency(&'static str, &'static str, u32, u32, u32, u32, (f64, f64));

const REGENCIES: &[Regency] = &[
    Regency(
        "64.01",
        "Kabupaten Paser",
        10,
        5,
        139,
        309_667,
        (-1.75, 116.05),
    ),
    Regency(
        "64.02",
        "Kabupaten Kutai Kartanegara",
        20,
        44,
        193,
        806_964,
        (-0.40, 116.90),
    ),
    Regency(
        "64.03",
        "Kabupaten Berau",
        13,
        10,
        100,
        299_005,
        (2.00, 117.30),
    ),
    Regency(
        "64.07",
        "Kabupaten Kutai Barat",
        16,
        4,
        190,
        186_581,
        (-0.30, 115.60),
    ),
    Regency(
        "64.08",
        "Kabupaten Kutai Timur",
        18,
        2,
        139,
        448_850,
        (1.00, 117.40),
    ),
    Regency(
        "64.09",
        "Kabupaten Penajam Paser Utara",
        4,
        24,
        30,
        202_067,
        (-1.20, 116.60),
    ),
    Regency(
        "64.11",
        "Kabupaten Mahakam Ulu",
        5,
        0,
        50,
        39_715,
        (0.80, 114.80),
    ),
    Regency(
        "64.71",
        "Kota Balikpapan",
        6,
        34,
        0,
        757_418,
        (-1.24, 116.85),
    ),
    Regency(
        "64.72",
        "Kota Samarinda",
        10,
        59,
        0,
        881_225,
        (-0.50, 117.15),
    ),
    Regency("64.74", "Kota Bontang", 3, 15, 0, 191_811, (0.13, 117.50)),
];

const KUTIM_DISTRICTS: &[&str] = &[
    "Muara Ancalong",
    "Muara Wahau",
    "Muara Bengkal",
    "Sangatta Utara",
    "Sangkulirang",
    "Busang",
    "Telen",
    "Kombeng",
    "Bengalon",
    "Kaliorang",
    "Sandaran",
    "Sangatta Selatan",
    "Teluk Pandan",
    "Rantau Pulung",
    "Kaubun",
    "Karangan",
    "Batu Ampar",
    "Long Mesangat",
];

const PLACE_HEADS: &[&str] = &[
    "Sungai", "Muara", "Long", "Tanjung", "Batu", "Loa", "Teluk", "Sebulu", "Tering", "Bukit",
    "Rantau", "Karang", "Sepaku", "Separi", "Tanah", "Gunung", "Purwa", "Sido", "Marga", "Kampung",
];
const PLACE_TAILS: &[&str] = &[
    "Jaya",
    "Makmur",
    "Baru",
    "Lama",
    "Mulia",
    "Indah",
    "Permai",
    "Kencana",
    "Ilir",
    "Ulu",
    "Rejo",
    "Mulyo",
    "Harapan",
    "Sari",
    "Kembang",
    "Pinang",
    "Durian",
    "Belimbing",
    "Manggar",
    "Tengkawang",
    "Lestari",
    "Sejahtera",
    "Bangun",
    "Tunggal",
    "Raya",
    "Dalam",
    "Hulu",
    "Hilir",
    "Pandan",
    "Wahau",
];

fn place_name(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{} {}",
        PLACE_HEADS[rng.random_range(0..PLACE_HEADS.len())],
        PLACE_TAILS[rng.random_range(0..PLACE_TAILS.len())]
    )
}

fn code(s: &str) -> RegionCode {
    // The skeleton's codes are literals above and always parse.
    RegionCode::parse(s).unwrap_or_else(|_| unreachable!("skeleton code {s}"))
}

/// A village of the skeleton: code, weight (people per village), centroid, urban.
pub(crate) type SkeletonVillage = (RegionCode, f64, (f64, f64), bool);

/// Every region of the skeleton, parents first, with the weight (people per village) and
/// centroid used to place households.
pub(crate) fn skeleton() -> (Vec<SynthRegion>, Vec<SkeletonVillage>) {
    let mut rng = ChaCha8Rng::seed_from_u64(64);
    let mut regions = vec![SynthRegion {
        code: code("64"),
        name: "Kalimantan Timur".into(),
    }];
    let mut villages = Vec::new();
    for r in REGENCIES {
        let regency = code(r.0);
        regions.push(SynthRegion {
            code: regency.clone(),
            name: r.1.into(),
        });
        let (districts, kel, desa) = (r.2, r.3, r.4);
        let per_village = f64::from(r.5) / f64::from((kel + desa).max(1));
        for d in 1..=districts {
            let dcode = code(&format!("{}.{d:02}", r.0));
            let name = if r.0 == "64.08" {
                KUTIM_DISTRICTS[(d - 1) as usize].to_owned()
            } else {
                place_name(&mut rng)
            };
            regions.push(SynthRegion {
                code: dcode.clone(),
                name,
            });
            // Spread kelurahan (1xxx) and desa (2xxx) evenly over the kecamatan.
            let share = |total: u32| total / districts + u32::from(d <= total % districts);
            for (kind, n) in [(1u32, share(kel)), (2u32, share(desa))] {
                for v in 1..=n {
                    let vcode = code(&format!("{}.{}{v:03}", dcode.dotted(), kind));
                    regions.push(SynthRegion {
                        code: vcode.clone(),
                        name: place_name(&mut rng),
                    });
                    villages.push((vcode, per_village, r.6, kind == 1));
                }
            }
        }
    }
    (regions, villages)
}

/// Rough centroid for a regency code outside the skeleton: the province's middle.
pub(crate) fn centroid_of(code: &RegionCode) -> (f64, f64) {
    let regency = code.ancestor(sipmas_domain::RegionLevel::Regency);
    REGENCIES
        .iter()
        .find(|r| regency.as_ref().is_some_and(|c| c.dotted() == r.0))
        .map_or((0.5, 116.5), |r| r.6)
}

#[cfg(test)]
mod tests {
    use sipmas_domain::RegionLevel;

    use super::*;

    #[test]
    fn skeleton_has_the_real_counts() {
        let (regions, villages) = skeleton();
        let count = |l: RegionLevel| regions.iter().filter(|r| r.code.level() == l).count();
        assert_eq!(count(RegionLevel::Province), 1);
        assert_eq!(count(RegionLevel::Regency), 10);
        assert_eq!(count(RegionLevel::District), 105);
        assert_eq!(count(RegionLevel::Village), 1_038);
        assert_eq!(villages.len(), 1_038);
        assert!(
            regions
                .iter()
                .any(|r| r.code.dotted() == "64.08.03" && r.name == "Muara Bengkal")
        );
        // Kota Samarinda has only kelurahan.
        assert!(
            villages
                .iter()
                .filter(|v| v.0.dotted().starts_with("64.72"))
                .all(|v| v.3)
        );
    }
}
