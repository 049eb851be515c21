//! Building small import files and running `sipmas` against a fresh database of each backend.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::NaiveDate;
use serde_json::Value;
use sipmas_domain::{Nik, NoKk, RegionCode, Sex};
use sipmas_testkit::TestDb;

/// The P3KE individual export's columns (domain brief §3.3), as the generator writes them.
pub use sipmas_synth::p3ke::COLUMNS as P3KE;

/// Real villages of Kecamatan Muara Ancalong (Kutai Timur).
pub const SENYIUR: &str = "6408012001";
pub const KELINJAU_ILIR: &str = "6408012002";

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn nik(birth: NaiveDate, sex: Sex, serial: u16) -> String {
    let district = RegionCode::parse("64.08.01").unwrap();
    Nik::compose(&district, birth, sex, serial)
        .unwrap()
        .as_str()
        .to_owned()
}

pub fn no_kk(serial: u16) -> String {
    let district = RegionCode::parse("64.08.01").unwrap();
    NoKk::compose(&district, date(2019, 7, 2), serial)
        .unwrap()
        .as_str()
        .to_owned()
}

/// One member row of a P3KE individual export.
#[derive(Debug, Clone)]
pub struct Member {
    pub family: String,
    pub village: String,
    pub desil: String,
    pub address: String,
    pub id: String,
    pub name: String,
    pub nik: String,
    pub kk: String,
    pub sex: String,
    pub relationship: String,
    pub birth: String,
}

impl Member {
    /// A member of family `family` (1-based `n` within it), born on `birth`.
    pub fn new(
        family: u16,
        n: u16,
        name: &str,
        sex: Sex,
        relationship: &str,
        birth: NaiveDate,
    ) -> Self {
        Self {
            family: format!("P3KE{family:010}"),
            village: SENYIUR.to_owned(),
            desil: "1".to_owned(),
            address: format!("Jl. Poros Wahau No. {family} RT 002"),
            id: format!("P3KE{family:010}{n:02}"),
            name: name.to_owned(),
            nik: nik(birth, sex, family * 10 + n),
            kk: no_kk(family),
            sex: if sex == Sex::Male {
                "Laki-laki"
            } else {
                "Perempuan"
            }
            .to_owned(),
            relationship: relationship.to_owned(),
            birth: birth.format("%d-%m-%Y").to_string(),
        }
    }

    pub fn cells(&self) -> Vec<String> {
        let s = |v: &str| v.to_owned();
        vec![
            self.family.clone(),
            self.village.clone(),
            self.desil.clone(),
            self.address.clone(),
            s("KALIMANTAN TIMUR"),
            s("KUTAI TIMUR"),
            s("MUARA ANCALONG"),
            s("SENYIUR"),
            self.id.clone(),
            self.name.clone(),
            self.nik.clone(),
            self.kk.clone(),
            s("YA"),
            self.sex.clone(),
            self.relationship.clone(),
            self.birth.clone(),
            s("Kawin"),
            s("Petani"),
            s("Tamat SD/Sederajat"),
            s("YA"),
            s("TIDAK"),
            s("TIDAK"),
            s("YA"),
            s("TIDAK"),
            s("TIDAK"),
        ]
    }
}

/// Two families: a couple with a child, and a widow with her grandchild.
pub fn two_families() -> Vec<Member> {
    vec![
        Member::new(
            1,
            1,
            "Abdul Rahman",
            Sex::Male,
            "Kepala Keluarga",
            date(1975, 4, 12),
        ),
        Member::new(1, 2, "Siti Aminah", Sex::Female, "Istri", date(1980, 8, 3)),
        Member::new(1, 3, "Muhammad Rizki", Sex::Male, "Anak", date(2008, 1, 30)),
        Member::new(
            2,
            1,
            "Hj. Rosnah",
            Sex::Female,
            "Kepala Keluarga",
            date(1950, 12, 25),
        ),
        Member::new(2, 2, "Nur Hayati", Sex::Female, "Cucu", date(2012, 6, 6)),
    ]
}

/// Writes rows as CSV with `delim`, quoting cells that need it.
pub fn csv_text(header: &[&str], rows: &[Vec<String>], delim: char, eol: &str) -> String {
    let quote = |c: &str| {
        if c.contains([delim, '"', '\n', '\r']) {
            format!("\"{}\"", c.replace('"', "\"\""))
        } else {
            c.to_owned()
        }
    };
    let mut out = header
        .iter()
        .map(|h| quote(h))
        .collect::<Vec<_>>()
        .join(&delim.to_string());
    out.push_str(eol);
    for r in rows {
        out.push_str(
            &r.iter()
                .map(|c| quote(c))
                .collect::<Vec<_>>()
                .join(&delim.to_string()),
        );
        out.push_str(eol);
    }
    out
}

pub fn write_members(dir: &Path, name: &str, members: &[Member]) -> PathBuf {
    let rows: Vec<Vec<String>> = members.iter().map(Member::cells).collect();
    let path = dir.join(name);
    std::fs::write(&path, csv_text(&P3KE, &rows, ',', "\n")).unwrap();
    path
}

pub fn sipmas(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sipmas"))
        .args(args)
        .env("SIPMAS_DATABASE_URL", url)
        .env("SIPMAS_LOG_FORMAT", "json")
        .output()
        .expect("run sipmas")
}

pub fn ok(url: &str, args: &[&str]) -> String {
    let out = sipmas(url, args);
    assert!(
        out.status.success(),
        "sipmas {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `sipmas import --json …` as JSON.
pub fn import(url: &str, args: &[&str]) -> Value {
    let mut all = vec!["import", "--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(url, &all)).unwrap()
}

pub fn count(v: &Value, key: &str) -> i64 {
    v[key]
        .as_i64()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
}

/// The report beside an input, as (line, column, reason_code, status) rows.
pub fn report(v: &Value) -> Vec<(String, String, String, String)> {
    let path = v["report"].as_str().expect("a report");
    let mut r = csv::Reader::from_path(path).unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (
                rec[0].to_owned(),
                rec[1].to_owned(),
                rec[3].to_owned(),
                rec[5].to_owned(),
            )
        })
        .collect()
}

/// Runs `test` against a fresh, region-loaded database of each backend.
pub fn each_backend(test: impl Fn(&str, &TestDb, &tokio::runtime::Runtime)) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    for db in rt.block_on(TestDb::each()) {
        let url = db.url().unwrap();
        let wilayah =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/wilayah/kaltim_64.csv");
        ok(&url, &["regions", "import", wilayah.to_str().unwrap()]);
        test(&url, &db, &rt);
        rt.block_on(db.finish());
    }
}
