//! Indonesian name normalisation and the phonetic key, shared by the register (its search
//! key) and the linkage engine (its comparisons and blocking): the same person is written
//! `Hj. Siti Nurhayati, S.Pd.`, `SITI NUR HAYATI` and `St. Noerhajati`.
//!
//! The phonetic key runs on names already modernised and then folds the spellings that
//! still vary: kh/h/ch (Akhmad, Ahmad), sy/s (Syaiful, Saiful), f/v/p (Fitri, Pitri), z/j
//! (Zainal, Jainal), dh/d, th/t, q/k, doubled letters, and vowels and h/w/y after the first
//! letter.

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

/// Digraphs first (longest match), then single letters.
fn fold(token: &str) -> String {
    let b = token.as_bytes();
    let mut out = String::with_capacity(b.len());
    let mut k = 0;
    while k < b.len() {
        let pair = b.get(k..k + 2);
        let folded = match pair {
            Some(b"kh" | b"ch") => Some('h'),
            Some(b"sy" | b"sh" | b"ts") => Some('s'),
            Some(b"dh") => Some('d'),
            Some(b"th") => Some('t'),
            Some(b"ph") => Some('p'),
            Some(b"dz") => Some('j'),
            Some(b"ck") => Some('k'),
            _ => None,
        };
        if let Some(c) = folded {
            out.push(c);
            k += 2;
            continue;
        }
        out.push(match b[k] {
            b'f' | b'v' => 'p',
            b'q' => 'k',
            b'z' | b'y' => 'j',
            b'x' => 's',
            c => c as char,
        });
        k += 1;
    }
    out
}

/// The key of one token: its first letter, then consonants without repeats.
fn token_key(token: &str) -> String {
    let folded = fold(token);
    let mut out = String::new();
    let mut prev = None;
    for (k, c) in folded.chars().enumerate() {
        if prev == Some(c) {
            continue;
        }
        prev = Some(c);
        let silent = matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'h' | 'w' | 'j' if k > 0 && c != 'j')
            || (k > 0 && c == 'j' && is_semivowel_y(&folded, k));
        if k == 0 || !silent {
            out.push(c);
        }
    }
    out
}

/// A folded `j` that was a `y` between vowels (Nurhayati) is silent; a real `j` (Suharja)
/// after a consonant is kept. Both were folded to `j`, so look at the neighbours.
fn is_semivowel_y(folded: &str, k: usize) -> bool {
    let b = folded.as_bytes();
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    k > 0 && vowel(b[k - 1]) && b.get(k + 1).is_some_and(|c| vowel(*c))
}

/// The Indonesian phonetic key of a whole name: one key per normalised token, joined.
pub fn indonesian_key(name: &str) -> String {
    key_of_normalised(&name_tokens(name).join(" "))
}

/// The key of a name already normalised by [`normalize_name`], so a
/// column cleaned for comparing is not normalised twice.
pub fn key_of_normalised(name: &str) -> String {
    name.split(' ')
        .filter(|t| !t.is_empty() && t.is_ascii())
        .map(token_key)
        .filter(|k| !k.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The key the register's name search runs on: the phonetic key of the normalised name
/// written without spaces, so `Nur Hayati`, `NURHAYATI`, `St. Noerhajati` and `Siti
/// Nurhajati` share it, and a prefix of a name gives a prefix of its key.
pub fn search_key(name: &str) -> String {
    let compact = name_tokens(name).concat();
    if compact.is_ascii() {
        token_key(&compact)
    } else {
        compact
    }
}

#[cfg(test)]
mod tests {
    use super::search_key;

    #[test]
    fn search_key_meets_spellings_and_prefixes() {
        let k = search_key("Hj. Siti Nurhayati, S.Pd.");
        for v in ["SITI NUR HAYATI", "St. Noerhajati", "siti nurhajati"] {
            assert_eq!(search_key(v), k, "{v}");
        }
        assert!(k.starts_with(&search_key("Siti Nur")));
        assert_ne!(search_key("Dewi Lestari"), search_key("Dedi Lestari"));
        assert_eq!(search_key("Djoko"), search_key("Joko"));
    }
}
