use chrono::NaiveDate;
use sipmas_domain::{LifeStatus, Relationship, Sex, WelfareStatus};

use super::*;

fn config(households: u64) -> SynthConfig {
    SynthConfig {
        seed: 7,
        households,
        as_of: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
    }
}

#[test]
fn same_seed_same_province_in_any_chunking() {
    let mut a = Generator::kaltim(config(300));
    let mut b = Generator::kaltim(config(300));
    let whole = a.generate(0, 300);
    let mut parts = b.generate(0, 120);
    parts.extend(b.generate(120, 500));
    assert_eq!(whole.len(), 300);
    assert_eq!(parts.len(), 300);
    for (x, y) in whole.iter().zip(&parts) {
        assert_eq!(x.household, y.household);
        assert_eq!(x.members, y.members);
    }
    let mut c = Generator::kaltim(SynthConfig {
        seed: 8,
        ..config(300)
    });
    assert_ne!(c.generate(0, 1)[0].household, whole[0].household);
}

#[test]
fn families_are_consistent() {
    let mut g = Generator::kaltim(config(2_000));
    let all = g.generate(0, 2_000);
    let mut niks = HashSet::new();
    let mut extreme_start = 0;
    let mut extreme_now = 0;
    for gh in &all {
        let heads = gh
            .members
            .iter()
            .filter(|m| m.relationship == Relationship::Head)
            .count();
        assert_eq!(heads, 1, "one head per family");
        let kk = gh.household.no_kk.as_ref().unwrap();
        assert!(
            gh.household
                .village
                .plain()
                .starts_with(kk.district_code().plain())
        );
        for m in &gh.members {
            let nik = m.nik.as_ref().expect("every synthetic person has a NIK");
            assert!(niks.insert(nik.clone()), "NIK unique");
            assert_eq!(nik.sex(), m.sex, "+40 rule");
            assert!(nik.matches_birth_date(m.birth_date.unwrap()));
            assert_eq!(
                m.life_status == LifeStatus::Deceased,
                m.deceased_on.is_some()
            );
        }
        let first = gh.history.first().unwrap();
        assert!(first.from.is_none());
        for w in gh.history.windows(2) {
            assert_eq!(w[1].from, Some(w[0].to));
            assert!(w[1].effective_on >= w[0].effective_on);
        }
        assert_eq!(gh.household.welfare, gh.history.last().unwrap().to);
        extreme_start += usize::from(first.to == WelfareStatus::ExtremePoor);
        extreme_now += usize::from(gh.household.welfare == WelfareStatus::ExtremePoor);
    }
    // Extreme poverty falls over time, and is not wiped out.
    assert!(
        extreme_now < extreme_start / 2,
        "{extreme_now} vs {extreme_start}"
    );
    assert!(extreme_now > 0);
    // Women exist, and so do Muhammad abbreviations and hajj titles somewhere in 2,000 families.
    let names: Vec<&str> = all
        .iter()
        .flat_map(|g| g.members.iter().map(|m| m.name.as_str()))
        .collect();
    assert!(
        all.iter()
            .flat_map(|g| &g.members)
            .any(|m| m.sex == Sex::Female)
    );
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("M. ") || n.starts_with("Muh. ") || n.starts_with("Moh. "))
    );
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("H. ") || n.starts_with("Hj. "))
    );
    // Lower desil, worse housing.
    let earth = |d: std::ops::RangeInclusive<u8>| {
        let hs: Vec<_> = all
            .iter()
            .filter(|g| d.contains(&g.household.desil.unwrap().desil.get()))
            .collect();
        hs.iter()
            .filter(|g| g.household.housing.floor.as_deref() == Some("tanah"))
            .count() as f64
            / hs.len() as f64
    };
    assert!(earth(1..=1) > earth(5..=10));
}

#[test]
fn p3ke_export_has_the_kemenko_columns() {
    let mut g = Generator::kaltim(config(50));
    let hs = g.generate(0, 50);
    let mut w = csv::Writer::from_writer(Vec::new());
    p3ke::write_header(&mut w).unwrap();
    let n = p3ke::write_rows(&g, &hs, &mut w).unwrap();
    let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(r.headers().unwrap().len(), 25);
    let rows: Vec<_> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len() as u64, n);
    assert!(n > 50);
    for row in &rows {
        assert!(Nik::parse(&row[10]).is_ok());
        assert_eq!(row[1].len(), 10, "plain Kemendagri code");
        assert!(["1", "2", "3", "4"].contains(&&row[2]));
    }
}

#[test]
fn linkage_file_plants_duplicates_with_truth() {
    let mut g = Generator::kaltim(config(300));
    let hs = g.generate(0, 300);
    let mut w = csv::Writer::from_writer(Vec::new());
    linkage::write_header(&mut w).unwrap();
    let (records, dups) = linkage::write_rows(&g, &hs, 0.2, &mut w).unwrap();
    let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len() as u64, records);
    assert!(dups > 100 && dups < records / 3, "{dups} of {records}");
    let mut by_cluster: HashMap<&str, Vec<&csv::StringRecord>> = HashMap::new();
    for r in &rows {
        by_cluster.entry(&r[1]).or_default().push(r);
    }
    let pairs: Vec<_> = by_cluster.values().filter(|v| v.len() == 2).collect();
    assert_eq!(pairs.len() as u64, dups);
    // Duplicates differ from their original somewhere, and are never identical rows.
    assert!(
        pairs
            .iter()
            .all(|p| p[0].iter().skip(2).take(6).ne(p[1].iter().skip(2).take(6)))
    );
}

#[test]
fn p3ke_xlsx_keeps_every_digit_as_text() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut g = Generator::kaltim(config(40));
    let hs = g.generate(0, 40);
    let mut w = csv::Writer::from_writer(Vec::new());
    let csv_rows = p3ke::write_rows(&g, &hs, &mut w).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p3ke.xlsx");
    let mut x = p3ke::XlsxExport::new().unwrap();
    assert_eq!(x.write_rows(&g, &hs).unwrap(), csv_rows);
    x.save(&path).unwrap();
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let range = book.worksheet_range("P3KE 1").unwrap();
    let rows: Vec<_> = range.rows().collect();
    assert_eq!(rows.len() as u64, csv_rows + 1);
    assert_eq!(rows[0][10], Data::String("nik".into()));
    for r in &rows[1..] {
        let Data::String(nik) = &r[10] else {
            panic!("NIK stored as text, got {:?}", r[10])
        };
        assert!(Nik::parse(nik).is_ok());
    }
}
