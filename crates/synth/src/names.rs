//! Names as they appear in Kalimantan Timur registers: Banjar, Kutai, Bugis, Javanese,
//! Dayak and Toraja families; single names; Muhammad written four ways; H./Hj. for those
//! who made the hajj.

use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;
use sipmas_domain::Sex;

/// The ethnic groups the generator mixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ethnicity {
    Banjar,
    Kutai,
    Bugis,
    Jawa,
    Dayak,
    Toraja,
}

impl Ethnicity {
    /// Muslim naming customs (hajj titles, Muhammad) apply.
    pub fn muslim(self) -> bool {
        !matches!(self, Self::Dayak | Self::Toraja)
    }

    /// The mix for a regency: the interior (Kutai Barat, Mahakam Ulu) is mostly Dayak.
    pub fn pick(rng: &mut ChaCha8Rng, regency: &str) -> Self {
        let weights: [(Self, u32); 6] = match regency {
            "64.07" | "64.11" => [
                (Self::Dayak, 55),
                (Self::Kutai, 15),
                (Self::Banjar, 10),
                (Self::Jawa, 10),
                (Self::Bugis, 5),
                (Self::Toraja, 5),
            ],
            "64.71" | "64.72" | "64.74" => [
                (Self::Banjar, 30),
                (Self::Jawa, 30),
                (Self::Bugis, 20),
                (Self::Kutai, 10),
                (Self::Toraja, 5),
                (Self::Dayak, 5),
            ],
            _ => [
                (Self::Bugis, 25),
                (Self::Jawa, 25),
                (Self::Banjar, 20),
                (Self::Kutai, 15),
                (Self::Dayak, 10),
                (Self::Toraja, 5),
            ],
        };
        let total: u32 = weights.iter().map(|w| w.1).sum();
        let mut x = rng.random_range(0..total);
        for (e, w) in weights {
            if x < w {
                return e;
            }
            x -= w;
        }
        Self::Banjar
    }
}

const MALE: &[(Ethnicity, &[&str])] = &[
    (
        Ethnicity::Banjar,
        &[
            "Ahmad",
            "Rusdi",
            "Syahrani",
            "Fahrurrazi",
            "Rahmadi",
            "Gusti Irwan",
            "Hamdani",
            "Rizali",
            "Norhadi",
            "Syamsul",
            "Abdul Hadi",
            "Taufik",
        ],
    ),
    (
        Ethnicity::Kutai,
        &[
            "Awang Darmawan",
            "Aji Surya",
            "Jumri",
            "Saipul",
            "Masrani",
            "Bahrun",
            "Ardiansyah",
            "Iskandar",
            "Hasanuddin",
            "Jailani",
        ],
    ),
    (
        Ethnicity::Bugis,
        &[
            "Andi Baso",
            "Baharuddin",
            "Syamsuddin",
            "La Ode Rahman",
            "Muhammad Arsyad",
            "Darwis",
            "Hamzah",
            "Sudirman",
            "Syarifuddin",
            "Abdul Rahman",
            "Daeng Marala",
        ],
    ),
    (
        Ethnicity::Jawa,
        &[
            "Sutrisno",
            "Joko Susilo",
            "Slamet",
            "Tukiman",
            "Bambang Wijaya",
            "Suparman",
            "Agus Santoso",
            "Eko Prasetyo",
            "Sugeng",
            "Wagiman",
            "Purwanto",
            "Djoko Santoso",
        ],
    ),
    (
        Ethnicity::Dayak,
        &[
            "Yohanes Lawing",
            "Petrus Ajang",
            "Lusang Ding",
            "Markus Hibau",
            "Stefanus Bilung",
            "Hiang Ledjie",
            "Paulus Ngau",
            "Antonius Jalung",
            "Yakobus Luhat",
        ],
    ),
    (
        Ethnicity::Toraja,
        &[
            "Yulius Rante",
            "Daniel Tandi",
            "Samuel Pasolang",
            "Markus Sampe",
            "Yohanis Bangri",
            "Frans Palimbong",
            "Elias Tangdilintin",
        ],
    ),
];

const FEMALE: &[(Ethnicity, &[&str])] = &[
    (
        Ethnicity::Banjar,
        &[
            "Siti Aisyah",
            "Norhayati",
            "Fauziah",
            "Rusmini",
            "Mariana",
            "Noor Jannah",
            "Halimah",
            "Rahmawati",
            "Nur Hayati",
            "Jamilah",
        ],
    ),
    (
        Ethnicity::Kutai,
        &[
            "Dayang Kartini",
            "Aji Putri",
            "Masnah",
            "Salmah",
            "Rosita",
            "Juwita",
            "Hamsiah",
            "Siti Rahmah",
        ],
    ),
    (
        Ethnicity::Bugis,
        &[
            "Andi Besse",
            "Hasnah",
            "Nurhaedah",
            "St. Hadijah",
            "Hasmawati",
            "Sitti Aminah",
            "Murniati",
            "Nurlina",
            "Hajrah",
        ],
    ),
    (
        Ethnicity::Jawa,
        &[
            "Sri Wahyuni",
            "Suharti",
            "Sumiyati",
            "Tumini",
            "Endang Lestari",
            "Wartini",
            "Sulastri",
            "Ngatinem",
            "Tri Rahayu",
            "Suminah",
        ],
    ),
    (
        Ethnicity::Dayak,
        &[
            "Maria Ulen",
            "Yuliana Bua",
            "Agnes Hunyang",
            "Lusia Anyeq",
            "Theresia Lahang",
            "Rosalina Ping",
            "Veronika Tipung",
        ],
    ),
    (
        Ethnicity::Toraja,
        &[
            "Yuliana Sampe",
            "Martha Rante",
            "Debora Tandi",
            "Ribka Pasolang",
            "Agustina Bangri",
            "Lince Palimbong",
        ],
    ),
];

fn pool(
    table: &'static [(Ethnicity, &'static [&'static str])],
    e: Ethnicity,
) -> &'static [&'static str] {
    table
        .iter()
        .find(|(k, _)| *k == e)
        .map_or(&["Nur"][..], |(_, names)| *names)
}

/// A full name for a person of `sex`, `age` years, of ethnicity `e`.
pub fn person_name(rng: &mut ChaCha8Rng, e: Ethnicity, sex: Sex, age: i32) -> String {
    let table = if sex == Sex::Male { MALE } else { FEMALE };
    let mut name = (*pool(table, e).choose(rng).unwrap_or(&"Nur")).to_owned();
    if e.muslim() && sex == Sex::Male && rng.random_bool(0.18) {
        // Muhammad as a first name, written the ways registers write it.
        let m = ["Muhammad", "M.", "Muh.", "Moh."]
            .choose(rng)
            .unwrap_or(&"Muhammad");
        let last = name.split_whitespace().last().unwrap_or("Nur").to_owned();
        name = format!("{m} {last}");
    }
    if e == Ethnicity::Jawa && rng.random_bool(0.4) {
        // Many Javanese elders carry a single name.
        name = name
            .split_whitespace()
            .next()
            .unwrap_or("Slamet")
            .to_owned();
    }
    if e.muslim() && age >= 50 && rng.random_bool(0.15) {
        name = format!("{} {name}", if sex == Sex::Male { "H." } else { "Hj." });
    }
    name
}

/// A child's name: often the father's family element is kept by Dayak and Toraja families.
pub fn child_name(rng: &mut ChaCha8Rng, e: Ethnicity, sex: Sex, father: &str) -> String {
    let given = person_name(rng, e, sex, 10);
    match e {
        Ethnicity::Dayak | Ethnicity::Toraja => {
            let first = given.split_whitespace().next().unwrap_or("Maria");
            let family = father.split_whitespace().last().unwrap_or("Lawing");
            format!("{first} {family}")
        }
        _ => given,
    }
}
