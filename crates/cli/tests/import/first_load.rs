//! A first load into an empty register asks the store only about values it has written
//! itself (`sipmas_app::import::written`), plans a chunk while the one before is being
//! written, and has the NIK and No KK indexes built when a lookup first needs them
//! (`sipmas_store::LookupIndexes`). Rows that meet again chunks apart must still meet,
//! exactly as they do when the register already holds other families and every value is
//! looked up, and the schema afterwards is the schema before.

use chrono::Duration;
use sipmas_domain::{Nik, NoKk, RegionCode, Sex};
use sqlx::Connection;

use crate::support::*;

/// Families of two; with the rows below, three chunks of 8,192 rows.
const FAMILIES: u16 = 9_000;

fn family(f: u16) -> Vec<Member> {
    let district = RegionCode::parse("64.08.01").unwrap();
    let born = date(1960, 1, 1) + Duration::days(i64::from(f));
    let kk = NoKk::compose(
        &district,
        date(2019, 1, 1) + Duration::days(i64::from(f / 9_000)),
        f % 9_000 + 1,
    );
    let mut head = Member::new(1, 1, "Kepala", Sex::Male, "Kepala Keluarga", born);
    head.family = format!("P3KE{f:010}");
    head.id = format!("P3KE{f:010}01");
    head.name = format!("Kepala {f}");
    head.nik = Nik::compose(&district, born, Sex::Male, 1)
        .unwrap()
        .as_str()
        .to_owned();
    head.kk = kk.unwrap().as_str().to_owned();
    let mut wife = head.clone();
    wife.id = format!("P3KE{f:010}02");
    wife.name = format!("Istri {f}");
    wife.sex = "Perempuan".to_owned();
    wife.relationship = "Istri".to_owned();
    wife.nik = Nik::compose(&district, born, Sex::Female, 2)
        .unwrap()
        .as_str()
        .to_owned();
    vec![head, wife]
}

/// Every family, then rows that belong with rows two chunks back.
fn rows() -> Vec<Member> {
    let mut m: Vec<Member> = (1..=FAMILIES).flat_map(family).collect();
    // A child of family 1, listed last.
    let mut child = m[0].clone();
    child.id = "P3KE000000000103".to_owned();
    child.name = "Anak 1".to_owned();
    child.relationship = "Anak".to_owned();
    child.nik = String::new();
    m.push(child);
    // Family 2's wife again, now heading a family of her own: a NIK in two families.
    let mut twin = m[3].clone();
    twin.family = format!("P3KE{:010}", FAMILIES + 1);
    twin.id = format!("P3KE{:010}01", FAMILIES + 1);
    twin.relationship = "Kepala Keluarga".to_owned();
    twin.kk = family(FAMILIES + 1)[0].kk.clone();
    m.push(twin);
    // A family key the source never used, carrying family 3's No KK: family 3.
    let mut joined = family(FAMILIES + 2).remove(0);
    joined.id = format!("P3KE{:010}03", FAMILIES + 2);
    joined.relationship = "Famili Lain".to_owned();
    joined.kk = m[4].kk.clone();
    m.push(joined);
    // Family 4's head once more, the same person.
    m.push(m[6].clone());
    // Family 5 without a No KK at first; a third member, a chunk on, brings one (an update
    // of the household), and a family key the source never used carries it at the end.
    let kk5 = m[8].kk.clone();
    m[8].kk = String::new();
    m[9].kk = String::new();
    let mut third = m[8].clone();
    third.id = "P3KE000000000503".to_owned();
    third.name = "Anak 5".to_owned();
    third.relationship = "Anak".to_owned();
    third.nik = String::new();
    third.kk = kk5.clone();
    m.insert(2 * 4_500, third);
    let mut late = family(FAMILIES + 4).remove(0);
    late.id = format!("P3KE{:010}03", FAMILIES + 4);
    late.relationship = "Famili Lain".to_owned();
    late.kk = kk5;
    m.push(late);
    m
}

fn import_logged(url: &str, file: &str) -> (serde_json::Value, bool) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sipmas"))
        .args(["import", "--json", "--format", "p3ke", file])
        .env("SIPMAS_DATABASE_URL", url)
        .env("SIPMAS_LOG_FORMAT", "json")
        .env("RUST_LOG", "sipmas_app=debug")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fresh = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|l| l["fields"]["message"] == "batch begun")
        .and_then(|l| l["fields"]["fresh"].as_bool())
        .expect("the batch logs whether the register was empty");
    (serde_json::from_slice(&out.stdout).unwrap(), fresh)
}

#[test]
fn rows_chunks_apart_meet_in_an_empty_register_as_in_a_full_one() {
    let dir = tempfile::tempdir().unwrap();
    let m = rows();
    let rows = m.len() as i64;
    let file = write_members(dir.path(), "p3ke.csv", &m);
    let file = file.to_str().unwrap();
    // A family of another village (not covered by the file, so not missing from it).
    let mut other = family(FAMILIES + 3);
    for o in &mut other {
        o.village = KELINJAU_ILIR.to_owned();
    }
    let other = write_members(dir.path(), "other.csv", &other);
    for empty in [true, false] {
        each_backend(|url, db, rt| {
            let schema = rt.block_on(db.store.schema()).unwrap();
            if !empty {
                // Fresh, and asks for no NIK or No KK: its lookup indexes are built again
                // only as it commits.
                import(url, &["--format", "p3ke", other.to_str().unwrap()]);
                assert_eq!(rt.block_on(db.store.schema()).unwrap(), schema);
            }
            let (s, fresh) = import_logged(url, file);
            assert_eq!(fresh, empty, "lookups narrowed only into an empty register");
            assert_eq!(count(&s, "rows_read"), rows);
            // The repeated head is the same person; the twin is a person of her own, flagged.
            assert_eq!(count(&s, "rows_imported"), rows, "{s}");
            assert_eq!(count(&s, "individuals_created"), rows - 1, "{s}");
            // Family 5 gained its No KK in this batch, which created it: not an update.
            assert_eq!(count(&s, "households_updated"), 0, "{s}");
            assert_eq!(count(&s, "individuals_updated"), 0, "{s}");
            // The child joins family 1, the rows of unknown family keys families 3 and 5.
            assert_eq!(
                count(&s, "households_created"),
                i64::from(FAMILIES) + 1,
                "{s}"
            );
            let rep = report(&s);
            let twin = format!("P3KE{:010}", FAMILIES + 1);
            // Line 1 is the header.
            let twin_line = (m.iter().position(|r| r.family == twin).unwrap() + 2).to_string();
            assert!(
                rep.iter()
                    .any(|(l, _, c, _)| *l == twin_line && c == "nik_in_two_households"),
                "{rep:?}"
            );
            let two = rt
                .block_on(db.store.register_flags(Some("nik_in_two_households"), 10))
                .unwrap();
            assert_eq!(two.len(), 1);
            // Into the empty register the NIK and No KK indexes were dropped, then built
            // again when the first lookup asked for those columns.
            assert_eq!(rt.block_on(db.store.schema()).unwrap(), schema);
            if url.starts_with("postgres") {
                // PostgreSQL does not let a transaction use an index it built after its
                // own HOT updates of the table (`indcheckxmin`): the rest of the batch's
                // lookups would have scanned the table.
                let mut conn = rt.block_on(sqlx::PgConnection::connect(url)).unwrap();
                let stale: Vec<String> = rt
                    .block_on(
                        sqlx::query_scalar(
                            "select indexrelid::regclass::text from pg_index \
                             where indcheckxmin and indexrelid in \
                             ('households_no_kk_idx'::regclass, 'individuals_nik_idx'::regclass)",
                        )
                        .fetch_all(&mut conn),
                    )
                    .unwrap();
                assert!(
                    stale.is_empty() || !empty,
                    "unusable in the batch: {stale:?}"
                );
            }
        });
    }
}
