//! Person records with planted duplicates and their ground truth, for measuring record
//! linkage. Every record carries `cluster_id`: records of the same person share it.
//! Duplicates are corrupted the ways Indonesian registers differ: typos, Muhammad/M.,
//! old spellings, added titles, day and month swapped, NIK missing or one digit wrong,
//! a move to another village. Household members sharing No KK and address are the hard
//! negatives that come for free.

use std::io::Write;

use chrono::Datelike;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sipmas_domain::{Individual, Sex};

use crate::{GeneratedHousehold, Generator};

/// The columns of the linkage file.
pub const COLUMNS: [&str; 10] = [
    "record_id",
    "cluster_id",
    "nik",
    "nama",
    "jenis_kelamin",
    "tanggal_lahir",
    "no_kk",
    "kode_desa",
    "alamat",
    "sumber",
];

fn typo(rng: &mut ChaCha8Rng, s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    if c.len() < 4 {
        return s.to_owned();
    }
    let i = rng.random_range(1..c.len() - 1);
    match rng.random_range(0..3) {
        0 => c.swap(i, i + 1),
        1 => {
            c.remove(i);
        }
        _ => c.insert(i, c[i]),
    }
    c.into_iter().collect()
}

fn old_spelling(s: &str) -> String {
    s.replace('u', "oe").replace("j", "dj").replace('c', "tj")
}

/// Corrupts a copy of a person the way another data set would have recorded them.
fn corrupt(
    rng: &mut ChaCha8Rng,
    m: &Individual,
    village: &str,
) -> (String, String, String, String) {
    let mut name = m.name.clone();
    let mut nik = m
        .nik
        .as_ref()
        .map(|n| n.as_str().to_owned())
        .unwrap_or_default();
    let mut birth = m.birth_date;
    let mut village = village.to_owned();
    let kinds = rng.random_range(1..=2);
    for _ in 0..kinds {
        match rng.random_range(0..7) {
            0 => name = typo(rng, &name),
            1 => name = name.replace("Muhammad", "M.").replace("Siti", "St."),
            2 => name = old_spelling(&name),
            3 => name = format!("{} {name}", if m.sex == Sex::Male { "H." } else { "Hj." }),
            4 => {
                birth = birth.and_then(|d| {
                    if d.day() <= 12 {
                        d.with_day(d.month()).and_then(|x| x.with_month(d.day()))
                    } else {
                        Some(d)
                    }
                })
            }
            5 => {
                if rng.random_bool(0.5) {
                    nik.clear();
                } else if nik.len() == 16 {
                    let i = rng.random_range(12..16);
                    let d = (nik.as_bytes()[i] - b'0' + rng.random_range(1..9)) % 10;
                    nik.replace_range(i..=i, &d.to_string());
                }
            }
            _ => village.replace_range(
                village.len() - 1..,
                ["1", "2", "3"].choose(rng).unwrap_or(&"1"),
            ),
        }
    }
    let unchanged = name == m.name
        && Some(&nik) == m.nik.as_ref().map(|n| n.as_str().to_owned()).as_ref()
        && birth == m.birth_date;
    if unchanged {
        name = typo(rng, &format!("{name}a"));
    }
    if rng.random_bool(0.3) {
        name = name.to_uppercase();
    }
    (
        name,
        nik,
        birth
            .map(|d| d.format("%d-%m-%Y").to_string())
            .unwrap_or_default(),
        village,
    )
}

/// Writes the header row.
pub fn write_header<W: Write>(w: &mut csv::Writer<W>) -> csv::Result<()> {
    w.write_record(COLUMNS)
}

/// Writes every living member once (source `p3ke`) and, for a share `duplicates` of them,
/// a corrupted second record (source `dtks`). Returns (records, duplicates).
pub fn write_rows<W: Write>(
    g: &Generator,
    households: &[GeneratedHousehold],
    duplicates: f64,
    w: &mut csv::Writer<W>,
) -> csv::Result<(u64, u64)> {
    let (mut records, mut dups) = (0, 0);
    for gh in households {
        let mut rng = ChaCha8Rng::seed_from_u64(g.config().seed.rotate_left(17) ^ gh.index);
        let h = &gh.household;
        let kk = h.no_kk.as_ref().map_or("", |k| k.as_str());
        let village = h.village.plain();
        for (i, m) in gh
            .members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.deceased_on.is_none())
        {
            let cluster = format!("P{}-{i}", gh.index);
            let nik = m.nik.as_ref().map_or("", |n| n.as_str());
            let birth = m
                .birth_date
                .map(|d| d.format("%d-%m-%Y").to_string())
                .unwrap_or_default();
            w.write_record([
                &format!("{cluster}-a"),
                &cluster,
                nik,
                &m.name,
                m.sex.code(),
                &birth,
                kk,
                village,
                &h.address.street,
                "p3ke",
            ])?;
            records += 1;
            if rng.random_bool(duplicates) {
                let (name, nik, birth, village) = corrupt(&mut rng, m, village);
                w.write_record([
                    &format!("{cluster}-b"),
                    &cluster,
                    &nik,
                    &name,
                    m.sex.code(),
                    &birth,
                    kk,
                    &village,
                    &h.address.street,
                    "dtks",
                ])?;
                records += 1;
                dups += 1;
            }
        }
    }
    Ok((records, dups))
}
