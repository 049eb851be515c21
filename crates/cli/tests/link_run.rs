//! `sipmas link run` over the register, and undoing its merges, on both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use sipmas_domain::{Nik, RegionCode};
use sipmas_testkit::TestDb;

fn sipmas(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sipmas"))
        .args(args)
        .env("SIPMAS_DATABASE_URL", url)
        .env("SIPMAS_LOG_FORMAT", "json")
        .output()
        .expect("run sipmas")
}

fn ok(url: &str, args: &[&str]) -> String {
    let out = sipmas(url, args);
    assert!(
        out.status.success(),
        "sipmas {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(url: &str, args: &[&str]) -> Value {
    serde_json::from_str(&ok(url, args)).unwrap()
}

/// Every 40th person of `orig` listed again by a village, in a family of their own: names
/// in capitals, Muhammad as M., a Haji title added, No KK missing, NIK kept.
fn duplicates(orig: &Path, out: &Path) -> Vec<(String, String)> {
    let mut r = csv::Reader::from_path(orig).unwrap();
    let header = r.headers().unwrap().clone();
    let mut w = csv::Writer::from_path(out).unwrap();
    w.write_record(&header).unwrap();
    let mut planted = Vec::new();
    for (n, rec) in r.records().enumerate().filter(|(n, _)| n % 40 == 7) {
        let mut rec: Vec<String> = rec.unwrap().iter().map(str::to_owned).collect();
        rec[0] = format!("DESA{n:07}");
        rec[8] = format!("DESA{n:07}01");
        rec[9] = match n % 3 {
            0 => rec[9].to_uppercase(),
            1 => rec[9].replace("Muhammad", "M.").replace("Siti", "St."),
            _ => format!("H. {}", rec[9]),
        };
        rec[11] = String::new();
        rec[14] = "Kepala Keluarga".to_owned();
        planted.push((rec[10].clone(), rec[9].clone()));
        w.write_record(&rec).unwrap();
    }
    w.flush().unwrap();
    planted
}

#[test]
fn link_run_merges_planted_duplicates_and_unmerge_restores_them() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let wilayah = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/wilayah/kaltim_64.csv");
    for db in rt.block_on(TestDb::each()) {
        let url = db.url().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let orig = dir.path().join("p3ke.csv");
        ok(
            &url,
            &[
                "demo",
                "--no-serve",
                "--households",
                "1500",
                "--as-of",
                "2025-06-30",
                "--regions",
                wilayah.to_str().unwrap(),
                "--write-p3ke",
                orig.to_str().unwrap(),
            ],
        );
        let before = json(&url, &["stats", "--json"]);
        let dup = dir.path().join("desa.csv");
        let planted = duplicates(&orig, &dup);
        assert!(planted.len() >= 90, "{}", planted.len());
        ok(&url, &["import", "--format", "p3ke", dup.to_str().unwrap()]);
        let inflated = json(&url, &["stats", "--json"]);
        assert_eq!(
            inflated["individuals"].as_u64().unwrap(),
            before["individuals"].as_u64().unwrap() + planted.len() as u64
        );
        let run = json(&url, &["link", "run", "--json"]);
        assert_eq!(run["merged"].as_u64(), Some(planted.len() as u64), "{run}");
        // Each duplicate now points at its original, and the counts are the truth again.
        for (nik, name) in &planted {
            let people = rt
                .block_on(db.store.individuals_by_nik(&Nik::parse(nik).unwrap()))
                .unwrap();
            assert_eq!(people.len(), 2, "{name}");
            let (a, b) = (&people[0], &people[1]);
            let into_a = rt.block_on(db.store.merged_into(a.id)).unwrap();
            let into_b = rt.block_on(db.store.merged_into(b.id)).unwrap();
            assert!(
                into_a == Some(b.id) || into_b == Some(a.id),
                "{name}: {into_a:?} {into_b:?}"
            );
        }
        let after = json(&url, &["stats", "--json"]);
        assert_eq!(after, before, "duplicates no longer counted");
        // Every merge is explained and audited.
        let merged = json(
            &url,
            &[
                "link", "review", "--status", "merged", "--json", "--limit", "1000",
            ],
        );
        let merged = merged.as_array().unwrap();
        assert!(merged.len() >= planted.len());
        assert!(
            merged[0]["explanation"]
                .as_str()
                .unwrap()
                .contains("rincian")
        );
        // Unmerge one: the record, its household and its source row are back.
        let (nik, name) = &planted[0];
        let people = rt
            .block_on(db.store.individuals_by_nik(&Nik::parse(nik).unwrap()))
            .unwrap();
        let dup_person = people
            .iter()
            .find(|p| rt.block_on(db.store.merged_into(p.id)).unwrap().is_some())
            .unwrap();
        let out = ok(&url, &["link", "unmerge", &dup_person.id.0.to_string()]);
        assert!(out.contains("dibatalkan"), "{out}");
        assert_eq!(
            rt.block_on(db.store.merged_into(dup_person.id)).unwrap(),
            None
        );
        let restored = json(&url, &["stats", "--json"]);
        assert_eq!(
            restored["individuals"].as_u64(),
            Some(before["individuals"].as_u64().unwrap() + 1)
        );
        assert_eq!(
            restored["households"].as_u64(),
            Some(before["households"].as_u64().unwrap() + 1)
        );
        let sources = rt
            .block_on(db.store.sources_of_household(dup_person.household_id))
            .unwrap();
        assert_eq!(sources.len(), 1);
        assert!(
            sources[0].payload.contains(name.as_str()),
            "{}",
            sources[0].payload
        );
        // A pair that is not in review cannot be accepted; the error is clear.
        let unmerged = json(&url, &["link", "review", "--status", "unmerged", "--json"]);
        let pair = unmerged[0]["id"].as_i64().unwrap().to_string();
        let refused = sipmas(&url, &["link", "accept", &pair]);
        assert!(!refused.status.success());
        assert!(String::from_utf8_lossy(&refused.stderr).contains("not awaiting review"));
        let audit = rt.block_on(db.store.recent_audit(20)).unwrap();
        for action in ["link.run", "link.unmerged"] {
            assert!(
                audit.iter().any(|a| a.action == action),
                "{action}: {audit:?}"
            );
        }
        // Running again merges nothing: the duplicates are merged already, and the pair a
        // person unmerged is not merged behind their back.
        let again = json(&url, &["link", "run", "--json"]);
        assert_eq!(again["merged"].as_u64(), Some(0), "{again}");
        assert_eq!(again["previously_rejected"].as_u64(), Some(1), "{again}");
        assert_eq!(json(&url, &["stats", "--json"]), restored);
        refresh_in_bulk_agrees_with_village_by_village(&rt, &db);
        rt.block_on(db.finish());
    }
}

/// The dashboard's figures refreshed in bulk (every village in one pass, as after an
/// import) equal those refreshed village by village, on a register with merged duplicates
/// and an unmerge. The trend is first computed for another day, so a bulk refresh that
/// wrote nothing would leave it behind.
fn refresh_in_bulk_agrees_with_village_by_village(rt: &tokio::runtime::Runtime, db: &TestDb) {
    let store = &db.store;
    let today = chrono::Utc::now().date_naive();
    let long_ago = chrono::NaiveDate::from_ymd_opt(2001, 1, 31).unwrap();
    let snapshot = || {
        rt.block_on(async {
            (
                store.dashboard_counts(None, 13).await.unwrap(),
                store.dashboard_trend(None).await.unwrap(),
                store.dashboard_desil(None).await.unwrap(),
            )
        })
    };
    let villages: Vec<RegionCode> = snapshot()
        .0
        .iter()
        .map(|(code, _)| RegionCode::parse(code).unwrap())
        .collect();
    assert!(villages.len() > 50, "{} villages", villages.len());
    let one_by_one = |day| {
        for v in &villages {
            rt.block_on(store.refresh_village_stats(Some(std::slice::from_ref(v)), day))
                .unwrap();
        }
    };
    one_by_one(long_ago);
    let stale = snapshot();
    rt.block_on(store.refresh_village_stats(Some(&villages), today))
        .unwrap();
    let bulk = snapshot();
    assert_ne!(stale.1, bulk.1, "the bulk refresh rewrote the trend");
    one_by_one(today);
    let village = snapshot();
    assert_eq!(bulk.0.len(), village.0.len());
    for (b, v) in bulk.0.iter().zip(&village.0) {
        assert_eq!(b, v, "a village's figures");
    }
    assert_eq!(bulk.1, village.1, "trend");
    assert_eq!(bulk.2, village.2, "desil");
    // Trend and desil village by village too, so that figures credited to the wrong
    // village cannot hide in the totals.
    let per_village = || {
        villages
            .iter()
            .map(|v| {
                rt.block_on(async {
                    (
                        store.dashboard_trend(Some(v)).await.unwrap(),
                        store.dashboard_desil(Some(v)).await.unwrap(),
                    )
                })
            })
            .collect::<Vec<_>>()
    };
    let by_village = per_village();
    rt.block_on(store.refresh_village_stats(Some(&villages), today))
        .unwrap();
    for (v, (one, all)) in villages.iter().zip(by_village.iter().zip(per_village())) {
        assert_eq!(one, &all, "{v}");
    }
    let live = rt.block_on(store.register_counts(None)).unwrap();
    let households: u64 = bulk.0.iter().map(|(_, c)| c.households).sum();
    assert_eq!(households, live.households);
}
