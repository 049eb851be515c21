//! End-to-end tests of the engine on small in-memory data.

use crate::config::Config;
use crate::table::Dataset;

const CONFIG: &str = r#"
id_column = "id"

[[comparison]]
column = "nama"
kind = "name"
jaro_winkler = [0.92, 0.85]
phonetic = "indonesian"
tf_adjustment = true

[[comparison]]
column = "lahir"
kind = "date"

[[comparison]]
column = "nik"
kind = "id"
prefix = [6]

[[blocking]]
keys = ["phonetic(nama)"]

[[blocking]]
keys = ["lahir"]

[model]
u_sample_pairs = 20000
"#;

fn people() -> Dataset {
    let names = [
        "Budi Santoso",
        "Siti Aminah",
        "Agus Salim",
        "Dewi Lestari",
        "Joko Widodo",
        "Sri Rahayu",
        "Bambang Susilo",
        "Rina Wati",
        "Andi Baso",
        "Made Wirawan",
    ];
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (k, n) in names.iter().enumerate() {
        for copy in 0..3 {
            let day = 1 + (k * 3 + copy) % 28;
            let nik = format!("64720{k}01{day:02}0{copy}0001");
            rows.push(vec![
                format!("r{k}-{copy}"),
                format!("{n} {copy}"),
                format!("19{:02}-0{}-{day:02}", 50 + k, 1 + copy % 9),
                nik,
            ]);
        }
    }
    // Planted duplicates: old spelling, a title, a swapped day and month, a mistyped NIK.
    rows.push(vec![
        "d1".into(),
        "H. Boedi Santoso 0".into(),
        rows[0][2].clone(),
        rows[0][3].clone(),
    ]);
    rows.push(vec![
        "d2".into(),
        "SITI AMINAH 1".into(),
        "1951-04-02".into(),
        String::new(),
    ]);
    let mut nik = rows[12][3].clone();
    nik.replace_range(15.., "9");
    rows.push(vec![
        "d3".into(),
        "Joko Widodo 0".into(),
        rows[12][2].clone(),
        nik,
    ]);
    let refs: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    Dataset::from_rows(&["nama", "lahir", "nik"], &refs, None)
}

#[test]
fn finds_planted_duplicates_and_explains_them() -> Result<(), crate::LinkError> {
    let config = Config::from_toml(CONFIG)?;
    let data = people();
    let linkage = crate::run(&config, &data, Some(2))?;
    let found: Vec<(String, String)> = linkage
        .matches()
        .map(|p| {
            (
                data.ids.get(p.i as usize).to_owned(),
                data.ids.get(p.j as usize).to_owned(),
            )
        })
        .collect();
    for want in [("r0-0", "d1"), ("r4-0", "d3")] {
        let want = (want.0.to_owned(), want.1.to_owned());
        assert!(found.contains(&want), "{want:?} not in {found:?}");
    }
    let clusters = linkage.clusters();
    assert_eq!(clusters[30], clusters[0]);
    let e = linkage.explain(0, 30);
    assert_eq!(e.terms.len(), 3);
    assert_eq!(e.terms[1].level, "exact");
    let sum: f64 = e.prior_weight + e.terms.iter().map(|t| t.weight).sum::<f64>();
    assert!((sum - e.weight).abs() < 1e-9);
    Ok(())
}

#[test]
fn bad_configs_are_refused() {
    for bad in [
        "id_column = \"id\"\n[[blocking]]\nkeys=[\"a\"]\n",
        &CONFIG.replace("[0.92, 0.85]", "[0.85, 0.92]"),
        &CONFIG.replace("phonetic(nama)", "soundex(nama)"),
        &CONFIG.replace("kind = \"date\"", "kind = \"weird\""),
    ] {
        assert!(Config::from_toml(bad).is_err(), "{bad}");
    }
}
