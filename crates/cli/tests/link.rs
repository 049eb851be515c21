#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `sipmas link csv` on the FEBRL benchmarks (accuracy, never time) and on bad input.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn link(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sipmas"))
        .args(["link", "csv"])
        .args(args)
        .env("SIPMAS_LOG_FORMAT", "json")
        .output()
        .expect("run sipmas")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

type Pair = (String, String);

fn pair(a: &str, b: &str) -> Pair {
    if a <= b {
        (a.into(), b.into())
    } else {
        (b.into(), a.into())
    }
}

fn read_pairs(path: &Path) -> HashSet<Pair> {
    let mut r = csv::Reader::from_path(path).unwrap();
    assert_eq!(
        r.headers().unwrap(),
        vec!["id_l", "id_r", "match_probability", "match_weight"]
    );
    r.records()
        .map(|row| {
            let row = row.unwrap();
            let p: f64 = row[2].parse().unwrap();
            assert!((0.5..=1.0).contains(&p), "probability {p}");
            pair(&row[0], &row[1])
        })
        .collect()
}

/// Pairwise F1 of predicted against true pairs.
fn f1(predicted: &HashSet<Pair>, truth: &HashSet<Pair>) -> f64 {
    let tp = predicted.intersection(truth).count() as f64;
    let (p, r) = (tp / predicted.len() as f64, tp / truth.len() as f64);
    2.0 * p * r / (p + r)
}

fn run_febrl(config: &str, inputs: &[&str], truth: &str) -> (f64, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pairs.csv");
    let clusters = dir.path().join("clusters.csv");
    let config = repo(config);
    let mut args = vec!["--config", s(&config)];
    let inputs: Vec<PathBuf> = inputs.iter().map(|i| repo(i)).collect();
    for i in &inputs {
        args.extend(["--input", s(i)]);
    }
    args.extend([
        "--output",
        s(&out),
        "--clusters",
        s(&clusters),
        "--threads",
        "2",
    ]);
    let o = link(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let truth = read_pairs_plain(&repo(truth));
    (f1(&read_pairs(&out), &truth), dir)
}

fn read_pairs_plain(path: &Path) -> HashSet<Pair> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.records()
        .map(|row| {
            let row = row.unwrap();
            pair(&row[0], &row[1])
        })
        .collect()
}

#[test]
fn febrl3_deduplicates_with_f1_above_0_99() {
    let (f1, dir) = run_febrl(
        "config/linkage/febrl3.toml",
        &["data/linkage/febrl3.csv"],
        "data/linkage/febrl3_truth.csv",
    );
    assert!(f1 >= 0.99, "FEBRL3 pairwise F1 {f1}");
    let mut r = csv::Reader::from_path(dir.path().join("clusters.csv")).unwrap();
    assert_eq!(r.headers().unwrap(), vec!["id", "cluster_id"]);
    assert_eq!(r.records().count(), 5000);
}

#[test]
fn febrl4_links_with_f1_above_0_99() {
    let (f1, _dir) = run_febrl(
        "config/linkage/febrl4.toml",
        &["data/linkage/febrl4a.csv", "data/linkage/febrl4b.csv"],
        "data/linkage/febrl4_truth.csv",
    );
    assert!(f1 >= 0.99, "FEBRL4 pairwise F1 {f1}");
}

#[test]
fn explanations_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let (out, explain) = (dir.path().join("p.csv"), dir.path().join("e.csv"));
    let (config, input) = (
        repo("config/linkage/febrl3.toml"),
        repo("data/linkage/febrl3.csv"),
    );
    let o = link(&[
        "--config",
        s(&config),
        "--input",
        s(&input),
        "--output",
        s(&out),
        "--explain",
        s(&explain),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut r = csv::Reader::from_path(&explain).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    // 1 prior row + 10 comparisons per pair; the weights of one pair sum to its match weight.
    let first: Vec<&csv::StringRecord> = rows.iter().take(11).collect();
    assert_eq!(&first[0][4], "(prior)");
    let total: f64 = first.iter().map(|row| row[6].parse::<f64>().unwrap()).sum();
    let weight: f64 = first[0][3].parse().unwrap();
    assert!((total - weight).abs() < 0.01, "{total} vs {weight}");
}

/// Runs with a bad input and checks: failure, one message naming the problem, no output.
fn refused(config_text: &str, input_bytes: &[u8], expect: &str) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c.toml");
    std::fs::write(&config, config_text).unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, input_bytes).unwrap();
    let out = dir.path().join("pairs.csv");
    let clusters = dir.path().join("clusters.csv");
    let o = link(&[
        "--config",
        s(&config),
        "--input",
        s(&input),
        "--output",
        s(&out),
        "--clusters",
        s(&clusters),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "accepted bad input ({expect})");
    assert!(
        stderr.contains(expect),
        "message {stderr:?} lacks {expect:?}"
    );
    assert_eq!(stderr.matches("error:").count(), 1, "one message: {stderr}");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "nothing written: {left:?}");
}

const CONFIG: &str = r#"
id_column = "id"
[[comparison]]
column = "nama"
kind = "name"
jaro_winkler = [0.9]
[[blocking]]
keys = ["nama"]
"#;

#[test]
fn missing_column_is_refused() {
    refused(
        &CONFIG.replace("column = \"nama\"", "column = \"name\""),
        b"id,nama\n1,Budi\n2,Budi\n",
        "column `name`",
    );
}

#[test]
fn empty_file_is_refused() {
    refused(CONFIG, b"", "empty");
    refused(CONFIG, b"id,nama\n", "empty");
}

#[test]
fn non_csv_is_refused() {
    let png = [
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0xfe, b'\n', 1, 2,
    ];
    refused(CONFIG, &png, "not a CSV file");
}

#[test]
fn duplicate_ids_are_refused() {
    refused(
        CONFIG,
        b"id,nama\n1,Budi\n2,Siti\n1,Agus\n",
        "id `1` appears more than once",
    );
}

#[test]
fn bad_config_is_refused() {
    refused(
        "id_column = \"id\"\n",
        b"id,nama\n1,Budi\n2,Budi\n",
        "config",
    );
}
