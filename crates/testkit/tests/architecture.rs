//! The crate graph is the architecture: check its rules so they cannot rot silently.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

/// `[dependencies]` names of a workspace crate (dev-dependencies are free to differ).
fn dependencies(krate: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(krate)
        .join("Cargo.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut in_deps = false;
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
        } else if in_deps && !line.is_empty() {
            out.push(line.split(['=', '.']).next().unwrap().trim().to_owned());
        }
    }
    out
}

const CRATES: &[&str] = &[
    "domain",
    "import",
    "linkage",
    "synth",
    "store",
    "store-sqlite",
    "store-postgres",
    "app",
    "web",
    "cli",
    "testkit",
];

#[test]
fn only_backends_and_the_harness_touch_sqlx() {
    for c in CRATES {
        let uses_sqlx = dependencies(c).iter().any(|d| d == "sqlx");
        let allowed = matches!(*c, "store-sqlite" | "store-postgres" | "testkit");
        assert!(!uses_sqlx || allowed, "{c} must not depend on sqlx");
    }
}

#[test]
fn only_the_binary_and_the_harness_name_a_backend() {
    // The parser sees real dependencies (else every check below would pass vacuously).
    assert!(dependencies("cli").contains(&"sipmas-store-sqlite".to_owned()));
    assert!(dependencies("store-postgres").contains(&"sqlx".to_owned()));
    for c in CRATES {
        let deps = dependencies(c);
        let names_backend = deps
            .iter()
            .any(|d| d == "sipmas-store-sqlite" || d == "sipmas-store-postgres");
        assert!(
            !names_backend || matches!(*c, "cli" | "testkit"),
            "{c} must not name a backend"
        );
    }
}

#[test]
fn pure_crates_depend_only_on_domain() {
    for c in ["import", "linkage", "synth", "store"] {
        let ours: Vec<String> = dependencies(c)
            .into_iter()
            .filter(|d| d.starts_with("sipmas-"))
            .collect();
        assert!(
            ours.iter().all(|d| d == "sipmas-domain"),
            "{c} depends on {ours:?}"
        );
    }
    assert!(
        dependencies("domain")
            .iter()
            .all(|d| !d.starts_with("sipmas-"))
    );
}
