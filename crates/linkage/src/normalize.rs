//! Indonesian name normalisation (in `sipmas-domain`, where the register's search key
//! uses it too) and the plain normalisation of values that are not names.

pub use sipmas_domain::names::{compact_name, name_tokens, normalize_name, sorted_name};

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
