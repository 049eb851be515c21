//! Phonetic keys. English keys (Double Metaphone) split Indonesian variants: DJOKO/JOKO,
//! TJIPTO/CIPTO, YUSUF/JUSUF. Our key runs on names already modernised by
//! [`crate::normalize`] and then folds the spellings that still vary: kh/h/ch (Akhmad,
//! Ahmad), sy/s (Syaiful, Saiful), f/v/p (Fitri, Pitri), z/j (Zainal, Jainal), dh/d, th/t,
//! q/k, doubled letters, and vowels and h/w/y after the first letter.

use rphonetic::{DoubleMetaphone, Encoder};

use crate::normalize::name_tokens;

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

/// The key of a name already normalised by [`crate::normalize::normalize_name`], so a
/// column cleaned for comparing is not normalised twice.
pub fn key_of_normalised(name: &str) -> String {
    name.split(' ')
        .filter(|t| !t.is_empty() && t.is_ascii())
        .map(token_key)
        .filter(|k| !k.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Double Metaphone (primary code) of each token, joined: for English-language data
/// such as FEBRL.
pub fn double_metaphone(value: &str) -> String {
    let dm = DoubleMetaphone::default();
    value
        .split_whitespace()
        .map(|t| dm.encode(t))
        .filter(|k| !k.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn indonesian_variants_share_a_key() {
        let same = [
            ("Djoko", "Joko"),
            ("Tjipto", "Cipto"),
            ("Achmad", "Ahmad"),
            ("Akhmad", "Ahmad"),
            ("Rachmat", "Rahmat"),
            ("Syaiful", "Saiful"),
            ("Saeful", "Saiful"),
            ("Fitri", "Pitri"),
            ("Zainal", "Jainal"),
            ("Eko", "Ekko"),
            ("Nurhajati", "Nurhayati"),
            ("Yusuf", "Jusuf"),
            ("Fadhli", "Fadli"),
            ("Soetrisno", "Sutrisno"),
        ];
        for (a, b) in same {
            assert_eq!(indonesian_key(a), indonesian_key(b), "{a} / {b}");
        }
        for (a, b) in [("Dewi", "Dedi"), ("Budi", "Bambang"), ("Suharja", "Suhara")] {
            assert_ne!(indonesian_key(a), indonesian_key(b), "{a} / {b}");
        }
    }

    #[test]
    fn double_metaphone_codes() {
        assert_eq!(double_metaphone("thomas"), "TMS");
        assert_eq!(double_metaphone(""), "");
    }

    proptest! {
        #[test]
        fn key_ignores_case_and_titles(s in "[a-z]{3,9}") {
            prop_assert_eq!(indonesian_key(&s.to_uppercase()), indonesian_key(&format!("Hj. {s}")));
        }
    }
}
