//! The `sipmas` binary as an operator uses it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const WILAYAH: &str = "../../data/wilayah";

fn data(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(WILAYAH)
        .join(file)
}

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
        "sipmas {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn stats(url: &str) -> Value {
    serde_json::from_str(&ok(url, &["stats", "--json"])).unwrap()
}

fn levels(v: &Value) -> [u64; 4] {
    let r = &v["regions"];
    ["provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan"].map(|k| r[k].as_u64().unwrap())
}

fn temp_url(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}", dir.path().join("sipmas.db").display())
}

#[test]
fn all_kemendagri_regions_import_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = temp_url(&dir);
    let wilayah = data("wilayah.csv");
    let pop = data("penduduk_2024s2.csv");
    let report: Value = serde_json::from_str(&ok(
        &url,
        &[
            "regions",
            "import",
            wilayah.to_str().unwrap(),
            "--population",
            pop.to_str().unwrap(),
            "--json",
        ],
    ))
    .unwrap();
    assert_eq!(report["inserted"], 91_599);
    assert_eq!(report["population_updated"], 552);
    assert_eq!(levels(&stats(&url)), [38, 514, 7_285, 83_762]);
    let again: Value = serde_json::from_str(&ok(
        &url,
        &["regions", "import", wilayah.to_str().unwrap(), "--json"],
    ))
    .unwrap();
    assert_eq!(
        (again["inserted"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(91_599))
    );
    assert_eq!(levels(&stats(&url)), [38, 514, 7_285, 83_762]);
}

#[test]
fn a_malformed_region_file_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let url = temp_url(&dir);
    ok(
        &url,
        &["regions", "import", data("kaltim_64.csv").to_str().unwrap()],
    );
    let before = stats(&url);
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "kode,nama,tingkat\n64.99,Kabupaten Baru,2\n64.99.01,Salah Tingkat,4\n",
    )
    .unwrap();
    let out = sipmas(&url, &["regions", "import", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("baris 3") && err.contains("tingkat"), "{err}");
    assert_eq!(
        stats(&url),
        before,
        "the good first row was not saved either"
    );
    let not_csv = dir.path().join("x.csv");
    std::fs::write(&not_csv, [0xff_u8, 0xfe, 0x00, 0x01]).unwrap();
    assert!(
        !sipmas(&url, &["regions", "import", not_csv.to_str().unwrap()])
            .status
            .success()
    );
    assert_eq!(stats(&url), before);
}

#[test]
fn bad_database_urls_fail_clearly() {
    let out = sipmas("mysql://root@localhost/sipmas", &["stats"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("scheme 'mysql' is not supported"));

    let started = Instant::now();
    let out = sipmas("postgres://sipmas:rahasia@127.0.0.1:1/sipmas", &["migrate"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot open database") && err.contains("PostgreSQL"),
        "{err}"
    );
    assert!(!err.contains("rahasia"), "password leaked: {err}");
    assert_eq!(err.lines().filter(|l| l.starts_with("error:")).count(), 1);
    assert!(started.elapsed() < Duration::from_secs(30));

    let out = sipmas("sqlite:///nonexistent-dir/sub/sipmas.db", &["migrate"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open database"));
}

#[test]
fn demo_generates_a_deterministic_province_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = temp_url(&dir);
    let p3ke = dir.path().join("p3ke.csv");
    let linkage = dir.path().join("linkage.csv");
    ok(
        &url,
        &[
            "demo",
            "--households",
            "500",
            "--seed",
            "3",
            "--as-of",
            "2026-11-01",
            "--no-serve",
            "--write-p3ke",
            p3ke.to_str().unwrap(),
            "--write-linkage",
            linkage.to_str().unwrap(),
        ],
    );
    let first = stats(&url);
    assert_eq!(levels(&first), [1, 10, 105, 1_038]);
    assert_eq!(first["households"], 500);
    assert!(first["extreme_poor_households"].as_u64().unwrap() > 0);
    // Running again does not duplicate the register.
    ok(&url, &["demo", "--households", "500", "--no-serve"]);
    assert_eq!(stats(&url), first);
    // --fresh regenerates the same province from the same seed; the export can be XLSX.
    let xlsx = dir.path().join("p3ke.xlsx");
    let out = ok(
        &url,
        &[
            "demo",
            "--households",
            "500",
            "--seed",
            "3",
            "--as-of",
            "2026-11-01",
            "--no-serve",
            "--fresh",
            "--write-p3ke",
            xlsx.to_str().unwrap(),
        ],
    );
    assert_eq!(stats(&url), first);
    assert!(out.contains("XLSX"), "{out}");
    assert_eq!(
        &std::fs::read(&xlsx).unwrap()[..2],
        b"PK",
        "an XLSX (zip) file"
    );
    let mut rdr = csv::Reader::from_path(&p3ke).unwrap();
    assert_eq!(&rdr.headers().unwrap()[0], "id_keluarga_p3ke");
    assert!(rdr.records().count() > 1_000);
    let mut rdr = csv::Reader::from_path(&linkage).unwrap();
    assert_eq!(&rdr.headers().unwrap()[1], "cluster_id");
    let sources: Vec<String> = rdr.records().map(|r| r.unwrap()[9].to_owned()).collect();
    assert!(
        sources.iter().any(|s| s == "dtks"),
        "planted duplicates present"
    );
}

#[test]
fn regions_import_and_demo_on_postgres() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some(db) = rt.block_on(sipmas_testkit::TestDb::postgres()) else {
        return eprintln!("PostgreSQL not configured: skipped");
    };
    let url = db.url().unwrap();
    ok(
        &url,
        &["regions", "import", data("kaltim_64.csv").to_str().unwrap()],
    );
    ok(
        &url,
        &["regions", "import", data("kaltim_64.csv").to_str().unwrap()],
    );
    assert_eq!(levels(&stats(&url)), [1, 10, 105, 1_038]);
    ok(
        &url,
        &[
            "demo",
            "--households",
            "300",
            "--regions",
            data("kaltim_64.csv").to_str().unwrap(),
            "--no-serve",
        ],
    );
    assert_eq!(stats(&url)["households"], 300);
    rt.block_on(db.finish());
}

fn http_get(addr: &str, path: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut body = String::new();
    s.read_to_string(&mut body).unwrap();
    body
}

#[test]
fn serve_answers_health_keeps_personal_data_out_of_logs_and_stops_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let url = temp_url(&dir);
    ok(&url, &["demo", "--households", "200", "--no-serve"]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_sipmas"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("SIPMAS_DATABASE_URL", &url)
        .env("SIPMAS_LOG_FORMAT", "json")
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line.trim().rsplit("http://").next().unwrap().to_owned();
    let health = http_get(&addr, "/health");
    assert!(
        health.starts_with("HTTP/1.0 200") || health.starts_with("HTTP/1.1 200"),
        "{health}"
    );
    assert!(health.contains("\"database\":\"ok\""));
    let page = http_get(&addr, "/?nik=6408041211870001&nama=Siti%20Aisyah");
    assert!(
        page.contains("200 OK") && page.contains("miskin ekstrem"),
        "{page}"
    );
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "graceful exit");
    let logs = String::from_utf8_lossy(&out.stderr);
    assert!(
        logs.contains("\"path\":\"/health\""),
        "request logs carry the path: {logs}"
    );
    assert!(logs.contains("server stopped"));
    for secret in ["6408041211870001", "Siti", "Aisyah"] {
        assert!(!logs.contains(secret), "{secret} leaked into logs");
    }
}

#[test]
fn demo_builds_and_serves_in_one_command() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sipmas"))
        .args(["demo", "--households", "300", "--bind", "127.0.0.1:0"])
        .env("SIPMAS_DATABASE_URL", temp_url(&dir))
        .env("SIPMAS_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut addr = None;
    let mut line = String::new();
    while stdout.read_line(&mut line).unwrap() > 0 {
        if let Some(rest) = line.trim().split("http://").nth(1) {
            addr = Some(rest.to_owned());
            break;
        }
        line.clear();
    }
    let addr = addr.expect("demo announces its address");
    let health = http_get(&addr, "/health");
    assert!(health.contains("\"status\":\"ok\""), "{health}");
    let stats = http_get(&addr, "/api/v1/stats");
    assert!(stats.contains("\"households\":300"), "{stats}");
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(child.wait().unwrap().success());
}
