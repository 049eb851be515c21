//! On PostgreSQL an import into a small register sets the foreign keys among the register
//! tables aside under exclusive locks, taken without waiting. When another session is
//! using one of those tables, the import goes on with its keys in place: it neither waits
//! for that session nor deadlocks with it. A dry run never sets anything aside.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sipmas_testkit::TestDb;
use sqlx::Connection;

use crate::support::*;

#[test]
fn an_import_beside_an_open_reader_does_not_wait_for_it() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some(db) = rt.block_on(TestDb::postgres()) else {
        return eprintln!("PostgreSQL not configured: skipped");
    };
    let url = db.url().unwrap();
    let wilayah = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/wilayah/kaltim_64.csv");
    ok(&url, &["regions", "import", wilayah.to_str().unwrap()]);
    let schema = rt.block_on(db.store.schema()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = write_members(dir.path(), "p3ke.csv", &two_families());

    // A dry run into the empty register: nothing set aside, so nothing to restore.
    let dry = import(
        &url,
        &["--format", "p3ke", "--dry-run", file.to_str().unwrap()],
    );
    assert_eq!(count(&dry, "individuals_created"), 5);
    assert_eq!(rt.block_on(db.store.schema()).unwrap(), schema);

    // A reader in an open transaction holds a shared lock on `households` until it ends.
    let mut reader = rt.block_on(sqlx::PgConnection::connect(&url)).unwrap();
    rt.block_on(sqlx::query("begin").execute(&mut reader))
        .unwrap();
    let n: i64 = rt
        .block_on(sqlx::query_scalar("select count(*) from households").fetch_one(&mut reader))
        .unwrap();
    assert_eq!(n, 0);

    let mut child = Command::new(env!("CARGO_BIN_EXE_sipmas"))
        .args([
            "import",
            "--json",
            "--format",
            "p3ke",
            file.to_str().unwrap(),
        ])
        .env("SIPMAS_DATABASE_URL", &url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("the import waited for the reader's lock");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(count(&summary, "households_created"), 2);
    assert_eq!(count(&summary, "individuals_created"), 5);
    // The import committed while the reader still held its lock.
    let n: i64 = rt
        .block_on(sqlx::query_scalar("select count(*) from households").fetch_one(&mut reader))
        .unwrap();
    assert_eq!(n, 2);
    rt.block_on(sqlx::query("commit").execute(&mut reader))
        .unwrap();
    rt.block_on(reader.close()).unwrap();
    assert_eq!(rt.block_on(db.store.schema()).unwrap(), schema);
    rt.block_on(db.finish());
}
