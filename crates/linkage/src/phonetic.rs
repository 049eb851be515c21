//! Phonetic keys. English keys (Double Metaphone) split Indonesian variants: DJOKO/JOKO,
//! TJIPTO/CIPTO, YUSUF/JUSUF. Our Indonesian key lives in `sipmas-domain` (the register's
//! name search uses it too) and is re-exported here.

use rphonetic::{DoubleMetaphone, Encoder};

pub use sipmas_domain::names::{indonesian_key, key_of_normalised};

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
