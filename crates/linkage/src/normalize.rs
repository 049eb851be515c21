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
        for (old, new) in OLD_SPELLINGS {
            modern = modern.replace(old, new);
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
    }

    proptest! {
        #[test]
        fn idempotent(s in "[A-Za-z .,']{0,40}") {
            let once = normalize_name(&s);
            prop_assert_eq!(normalize_name(&once), once);
        }
    }
}
