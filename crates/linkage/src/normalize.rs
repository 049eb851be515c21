//! Indonesian name normalisation: the same person is written `Hj. Siti Nurhayati, S.Pd.`,
//! `SITI NUR HAYATI` and `St. Noerhajati`. Comparisons run on the normalised form.

/// Titles and honorifics dropped before comparing (lowercase, without dots).
const TITLES: &[&str] = &[
    "h", "hj", "haji", "hajjah", "drs", "dra", "dr", "ir", "prof", "spd", "sag", "se", "sh", "skm",
    "st", "sst", "skom", "sip", "ssos", "mm", "mpd", "msi", "amd", "apt", "bin", "binti", "bapak",
    "ibu", "almarhum", "alm",
];

/// Old (pre-1972) spellings and their modern forms, applied in this order.
const OLD_SPELLINGS: &[(&str, &str)] = &[
    ("oe", "u"),
    ("dj", "j"),
    ("tj", "c"),
    ("nj", "ny"),
    ("sj", "sy"),
    ("ch", "kh"),
];

/// In a token written in the old spelling (it has oe, dj, tj, nj, sj or ch), a lone `j`
/// is the sound now written `y`: Noerhajati is Nurhayati, Tjahjono is Cahyono.
fn old_j_to_y(t: &str) -> String {
    if !OLD_SPELLINGS.iter().any(|(old, _)| t.contains(old)) {
        return t.to_owned();
    }
    let chars: Vec<char> = t.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let joined = i > 0 && matches!(chars[i - 1], 'd' | 't' | 'n' | 's');
            if *c == 'j' && !joined { 'y' } else { *c }
        })
        .collect()
}

fn canonical_token(t: &str) -> &str {
    match t {
        "muhammad" | "muhamad" | "mohammad" | "mohamad" | "muhammed" | "moh" | "muh" | "mhd"
        | "m" => "muhammad",
        // `St.` before a woman's name is Siti far more often than a title.
        "siti" | "sitti" => "siti",
        _ => t,
    }
}

/// Lowercase tokens without titles, with Muhammad and Siti in one spelling and old
/// spellings modernised. `St.` counts as Siti when another name follows it.
pub fn name_tokens(name: &str) -> Vec<String> {
    let lower = name.to_lowercase();
    let raw: Vec<String> = lower
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|t| {
            t.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
        })
        .filter(|t| !t.is_empty())
        .collect();
    let mut out = Vec::new();
    for (i, t) in raw.iter().enumerate() {
        let t = t.as_str();
        if t == "st" && i + 1 < raw.len() && i == 0 {
            out.push("siti".to_owned());
            continue;
        }
        if TITLES.contains(&t) {
            continue;
        }
        let mut modern = old_j_to_y(canonical_token(t));
        // To a fixed point, so normalising twice changes nothing: `ddj` → `dj` → `j`.
        // Most tokens have no old spelling: skip the replacing (and its allocations).
        while OLD_SPELLINGS.iter().any(|(old, _)| modern.contains(old)) {
            let before = modern.clone();
            for (old, new) in OLD_SPELLINGS {
                modern = modern.replace(old, new);
            }
            if modern == before {
                break;
            }
        }
        // Modernised, a token may turn out to be a title or a Muhammad form (`Hdj` → `hj`).
        let modern = canonical_token(&modern).to_owned();
        if TITLES.contains(&modern.as_str()) {
            continue;
        }
        out.push(modern);
    }
    out
}

/// The normalised name as one string, tokens joined by spaces.
pub fn normalize_name(name: &str) -> String {
    name_tokens(name).join(" ")
}

/// Normalised and without spaces, so that `Nur Hayati` and `Nurhayati` meet.
pub fn compact_name(name: &str) -> String {
    name_tokens(name).concat()
}

/// Normalised tokens in alphabetical order, so that `Rusdi Muhammad` meets
/// `Muhammad Rusdi`: registers disagree on which name comes first.
pub fn sorted_name(name: &str) -> String {
    let mut t = name_tokens(name);
    t.sort_unstable();
    t.join(" ")
}

/// Lowercase, every run of non-alphanumerics one space, trimmed: for values that are not
/// names (streets, suburbs, codes) where only case and punctuation should not count.
pub fn basic(s: &str) -> String {
    // Codes and numbers (NIK, No KK, village codes) are usually clean already.
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
    {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Only the digits: NIK, No KK and postcodes arrive with spaces, dots or an apostrophe
/// that Excel needed to keep the leading zero.
pub fn digits(s: &str) -> String {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s.to_owned();
    }
    s.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn variants_meet() {
        assert_eq!(
            normalize_name("Hj. Siti Nurhayati, S.Pd."),
            "siti nurhayati"
        );
        assert_eq!(
            compact_name("SITI NUR HAYATI"),
            compact_name("Hj. Siti Nurhayati, S.Pd.")
        );
        assert_eq!(normalize_name("St. Noerhajati"), "siti nurhayati");
        assert_eq!(normalize_name("M. Rusdi"), normalize_name("Muhammad Rusdi"));
        assert_eq!(normalize_name("Moh. Rusdi"), "muhammad rusdi");
        assert_eq!(normalize_name("Djoko Tjahjono"), "joko cahyono");
        assert_eq!(normalize_name("Andi Baso bin Hamzah"), "andi baso hamzah");
        assert_eq!(normalize_name("Sutrisno"), "sutrisno");
        assert_eq!(
            normalize_name("Dra. Hj. Sri Rahayu, S.Pd., M.M."),
            "sri rahayu"
        );
        assert_eq!(normalize_name("Ir. H. Soekarno"), "sukarno");
        assert_eq!(
            normalize_name("Sitti Aminah binti Ahmad"),
            "siti aminah ahmad"
        );
        assert_eq!(
            normalize_name("Nyoman Sujana"),
            normalize_name("Njoman Sudjana")
        );
        assert_eq!(normalize_name("Syamsul"), normalize_name("Sjamsul"));
        assert_eq!(normalize_name("Akhmad"), normalize_name("Achmad"));
        assert_eq!(sorted_name("Rusdi Muh."), sorted_name("Muhammad Rusdi"));
        assert_eq!(compact_name("Nur Hayati"), compact_name("NURHAYATI"));
    }

    #[test]
    fn basic_and_digits() {
        assert_eq!(
            basic("  Jl. Poros--Sangatta  No.5 "),
            "jl poros sangatta no 5"
        );
        assert_eq!(digits("'6472 0112.0387-0001"), "6472011203870001");
    }

    proptest! {
        #[test]
        fn idempotent(s in "[A-Za-z .,']{0,40}") {
            let once = normalize_name(&s);
            prop_assert_eq!(normalize_name(&once), once);
        }

        #[test]
        fn case_and_titles_do_not_count(s in "[a-z]{3,8}( [a-z]{3,8}){0,2}") {
            let upper = s.to_uppercase();
            prop_assert_eq!(normalize_name(&upper), normalize_name(&s));
            let titled = format!("H. {s}, S.Pd.");
            prop_assert_eq!(normalize_name(&titled), normalize_name(&s));
        }

        #[test]
        fn sorted_ignores_order(a in "[a-z]{3,8}", b in "[a-z]{3,8}") {
            prop_assert_eq!(sorted_name(&format!("{a} {b}")), sorted_name(&format!("{b} {a}")));
        }

        #[test]
        fn basic_is_idempotent(s in "\\PC{0,30}") {
            let once = basic(&s);
            prop_assert_eq!(basic(&once), once);
        }
    }
}
