//! The comparison ladders, level by level, and their symmetry.

use proptest::prelude::*;

use crate::compare::{Comparison, NULL};
use crate::config::Config;
use crate::table::Dataset;

fn comparison(toml: &str) -> Comparison {
    let text = format!(
        "id_column = \"id\"\n[[comparison]]\ncolumn = \"v\"\n{toml}\n[[blocking]]\nkeys = [\"v\"]\n"
    );
    let config = Config::from_toml(&text).unwrap_or_else(|e| panic!("{e}"));
    Comparison::from_config(&config.comparisons[0]).unwrap_or_else(|e| panic!("{e}"))
}

/// The label of the level two values reach.
fn level(c: &Comparison, a: &str, b: &str) -> String {
    let data = Dataset::from_rows(&["v"], &[vec!["1", a], vec!["2", b]], None);
    let p = c.prepare(&data).unwrap_or_else(|e| panic!("{e}"));
    let l = c.level(&p, 0, 1);
    if l == NULL {
        "null".into()
    } else {
        c.levels[usize::from(l)].label()
    }
}

#[test]
fn name_ladder() {
    let c = comparison("kind = \"name\"\njaro_winkler = [0.92, 0.85]\nphonetic = \"indonesian\"");
    assert_eq!(level(&c, "Hj. Siti Nurhayati", "SITI NURHAYATI"), "exact");
    assert_eq!(level(&c, "M. Rusdi", "Muhammad Rusdi"), "exact");
    assert_eq!(
        level(&c, "Siti Nur Hayati", "Siti Nurhayati"),
        "same tokens, other order or spacing"
    );
    assert_eq!(
        level(&c, "Rusdi Muhammad", "Muhammad Rusdi"),
        "same tokens, other order or spacing"
    );
    assert_eq!(level(&c, "Sutrisno", "Sutrsino"), "jaro-winkler >= 0.92");
    assert_eq!(level(&c, "Fitri", "Pitri"), "jaro-winkler >= 0.85");
    assert_eq!(level(&c, "Zulkifli", "Julkipli"), "sounds alike");
    assert_eq!(level(&c, "Budi", "Agus"), "else");
    assert_eq!(level(&c, "", "Agus"), "null");
}

#[test]
fn date_ladder() {
    let c = comparison("kind = \"date\"\nwithin = [31]");
    assert_eq!(level(&c, "1987-03-12", "12-03-1987"), "exact");
    assert_eq!(
        level(&c, "1987-03-12", "1987-12-03"),
        "day and month swapped"
    );
    assert_eq!(level(&c, "1987-03-12", "1987-03-13"), "one digit differs");
    assert_eq!(level(&c, "1987-03-12", "1988-03-12"), "one digit differs");
    assert_eq!(level(&c, "1987-03-12", "1986-03-12"), "one digit differs");
    assert_eq!(level(&c, "1990-03-12", "1989-03-12"), "one year apart");
    assert_eq!(level(&c, "1987-03-12", "1987-03-31"), "within 31");
    assert_eq!(level(&c, "1987-03-12", "1950-07-01"), "else");
    assert_eq!(level(&c, "1987-03-12", ""), "null");
}

#[test]
fn id_ladder() {
    let c = comparison("kind = \"id\"\nprefix = [12, 6]");
    assert_eq!(
        level(&c, "6472011203870001", "6472 0112 0387 0001"),
        "exact"
    );
    assert_eq!(
        level(&c, "6472011203870001", "6472011203870009"),
        "one wrong digit or a swap"
    );
    assert_eq!(
        level(&c, "6472011203870001", "6472011203870010"),
        "one wrong digit or a swap"
    );
    assert_eq!(
        level(&c, "6472011203870001", "6472011203875551"),
        "first 12 characters"
    );
    assert_eq!(
        level(&c, "6472011203870001", "6472015508990002"),
        "first 6 characters"
    );
    assert_eq!(level(&c, "6472011203870001", "3171015508990002"), "else");
}

/// The level of records 0 and 1 of a column that also holds `rest`.
fn level_among(c: &Comparison, values: &[&str]) -> u8 {
    let rows: Vec<Vec<&str>> = values.iter().map(|v| vec!["x", *v]).collect();
    let data = Dataset::from_rows(&["v"], &rows, None);
    let p = c.prepare(&data).unwrap_or_else(|e| panic!("{e}"));
    c.level(&p, 0, 1)
}

#[test]
fn prefix_of_zero_is_refused() {
    let text = "id_column = \"id\"\n[[comparison]]\ncolumn = \"v\"\nkind = \"id\"\nprefix = [0]\n[[blocking]]\nkeys = [\"v\"]\n";
    let err = Config::from_toml(text).err();
    assert!(err.is_some_and(|e| e.to_string().contains("at least 1")));
}

#[test]
fn string_and_numeric_ladders() {
    let c = comparison("kind = \"string\"\ndamerau = [1, 2]\nprefix = [3]");
    assert_eq!(level(&c, "3172", "3127"), "damerau-levenshtein <= 1");
    assert_eq!(level(&c, "3172", "3100"), "damerau-levenshtein <= 2");
    assert_eq!(level(&c, "317299", "317000"), "first 3 characters");
    let v = comparison("kind = \"string\"\nnormalize = \"village\"");
    assert_eq!(level(&v, "Sei Kapih", "Desa Sungai Kapih"), "exact");
    let n = comparison("kind = \"numeric\"\nwithin = [1, 5]");
    assert_eq!(level(&n, "10", "10.0"), "exact");
    assert_eq!(level(&n, "10", "11"), "within 1");
    assert_eq!(level(&n, "10", "14"), "within 5");
    assert_eq!(level(&n, "10", "20"), "else");
}

proptest! {
    #[test]
    fn levels_are_symmetric_and_self_is_exact(a in "[A-Za-z .]{0,16}", b in "[A-Za-z .]{0,16}") {
        let c = comparison("kind = \"name\"\njaro_winkler = [0.9]\nphonetic = \"indonesian\"");
        prop_assert_eq!(level(&c, &a, &b), level(&c, &b, &a));
        let own = level(&c, &a, &a);
        prop_assert!(own == "exact" || own == "null", "{own}");
    }

    /// Identifiers keyed as packed digits give the levels the text does: the same pair in
    /// a column that also holds a 17-digit value (which keeps the whole column as text).
    #[test]
    fn digit_keys_give_the_text_levels(a in "[0-9]{1,16}", swap in 0usize..15, edit in 0usize..16,
                                       d in 0u8..10, other in "[0-9]{1,16}", pick in 0u8..3) {
        let c = comparison("kind = \"id\"\nprefix = [12, 6, 1]");
        let mut t = a.clone().into_bytes();
        if swap + 1 < t.len() { t.swap(swap, swap + 1); }
        if edit < t.len() && pick > 0 { t[edit] = b'0' + d; }
        let b = if pick == 2 { other } else { String::from_utf8(t).unwrap_or_default() };
        let digits = level_among(&c, &[&a, &b]);
        let text = level_among(&c, &[&a, &b, "12345678901234567"]);
        prop_assert_eq!(digits, text);
    }

    #[test]
    fn date_levels_are_symmetric(y in 1900i32..2030, m in 1u32..=12, d in 1u32..=28, y2 in 1900i32..2030, m2 in 1u32..=12, d2 in 1u32..=28) {
        let c = comparison("kind = \"date\"");
        let (a, b) = (format!("{y}-{m:02}-{d:02}"), format!("{d2:02}-{m2:02}-{y2}"));
        prop_assert_eq!(level(&c, &a, &b), level(&c, &b, &a));
    }
}
