//! A kill -9 in the middle of an import leaves no trace of the batch, and importing the
//! file again afterwards gives exactly the register a clean import gives.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::*;

#[test]
fn a_killed_import_leaves_nothing_and_the_repeat_is_whole() {
    let gen_dir = tempfile::tempdir().unwrap();
    let gen_url = format!("sqlite://{}", gen_dir.path().join("gen.db").display());
    let file = gen_dir.path().join("p3ke.csv");
    let wilayah = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/wilayah/kaltim_64.csv");
    ok(
        &gen_url,
        &[
            "demo",
            "--no-serve",
            "--households",
            "20000",
            "--as-of",
            "2025-06-30",
            "--regions",
            wilayah.to_str().unwrap(),
            "--write-p3ke",
            file.to_str().unwrap(),
        ],
    );
    let mut reader = csv::Reader::from_path(&file).unwrap();
    let mut rows = 0i64;
    let mut families = HashSet::new();
    for rec in reader.records() {
        families.insert(rec.unwrap()[0].to_owned());
        rows += 1;
    }
    assert!(rows > 40_000, "several chunks: {rows}");
    each_backend(|url, db, rt| {
        // Into a small register an import drops some indexes (and, on PostgreSQL, the
        // foreign keys among the register tables) at its start and restores them at its
        // end, all in its transaction; the schema compares indexes and foreign keys.
        let schema = rt.block_on(db.store.schema()).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_sipmas"))
            .args(["import", "--format", "p3ke", file.to_str().unwrap()])
            .env("SIPMAS_DATABASE_URL", url)
            .env("SIPMAS_LOG_FORMAT", "json")
            .env("RUST_LOG", "info,sipmas_app=debug")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let mut seen = false;
        for line in stderr.lines() {
            if line.unwrap().contains("chunk written") {
                seen = true;
                break;
            }
        }
        assert!(seen, "the import wrote a chunk before it was killed");
        child.kill().unwrap(); // SIGKILL: no cleanup code runs
        let status = child.wait().unwrap();
        assert_eq!(
            status.signal(),
            Some(9),
            "killed mid-import, not finished: {status:?}"
        );
        assert_eq!(
            rt.block_on(db.store.schema()).unwrap(),
            schema,
            "the killed import's dropped indexes and foreign keys are back"
        );
        let list: serde_json::Value =
            serde_json::from_str(&ok(url, &["import", "list", "--json"])).unwrap();
        assert_eq!(
            list.as_array().unwrap().len(),
            0,
            "no batch survives: {list}"
        );
        let stats: serde_json::Value =
            serde_json::from_str(&ok(url, &["stats", "--json"])).unwrap();
        assert_eq!(
            stats["households"].as_u64(),
            Some(0),
            "no household survives: {stats}"
        );
        assert_eq!(stats["individuals"].as_u64(), Some(0));
        let s = import(url, &["--format", "p3ke", file.to_str().unwrap()]);
        assert_eq!(count(&s, "rows_read"), rows);
        assert_eq!(count(&s, "individuals_created"), rows);
        assert_eq!(count(&s, "households_created"), families.len() as i64);
        let stats: serde_json::Value =
            serde_json::from_str(&ok(url, &["stats", "--json"])).unwrap();
        assert_eq!(stats["households"].as_u64(), Some(families.len() as u64));
        assert_eq!(stats["individuals"].as_u64(), Some(rows as u64));
        assert_eq!(
            rt.block_on(db.store.schema()).unwrap(),
            schema,
            "every index and foreign key restored"
        );
    });
}
