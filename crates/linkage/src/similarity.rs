//! String similarity through rapidfuzz, behind our own functions: rapidfuzz is pre-1.0 and
//! unreleased since 2023, so the rest of the crate never names it, and the tests below hold
//! it to strsim as an oracle. ASCII strings go through the byte path, which is faster.

use rapidfuzz::distance::{damerau_levenshtein, jaro_winkler, levenshtein};

/// Jaro-Winkler similarity in [0, 1] (prefix weight 0.1, as in strsim and Splink).
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    if a.is_ascii() && b.is_ascii() {
        jaro_winkler::similarity(a.bytes(), b.bytes())
    } else {
        jaro_winkler::similarity(a.chars(), b.chars())
    }
}

/// Jaro-Winkler similarity when it is at least `cutoff`, else `None`; faster than
/// [`jaro_winkler`] because rapidfuzz can stop early on hopeless pairs, which most scored
/// pairs are.
pub fn jaro_winkler_at_least(a: &str, b: &str, cutoff: f64) -> Option<f64> {
    let args = jaro_winkler::Args::default().score_cutoff(cutoff);
    if a.is_ascii() && b.is_ascii() {
        if jaro_winkler_bound(a.as_bytes(), b.as_bytes()) < cutoff - 1e-12 {
            return None;
        }
        jaro_winkler::similarity_with_args(a.bytes(), b.bytes(), &args)
    } else {
        jaro_winkler::similarity_with_args(a.chars(), b.chars(), &args)
    }
}

/// An upper bound of Jaro-Winkler from letter counts alone: matching characters cannot
/// outnumber the characters the two strings share, transpositions only lower the score,
/// and the Winkler bonus is at most that of the common prefix (up to 4). Household
/// members' names fail it in a few nanoseconds instead of a full comparison.
fn jaro_winkler_bound(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return if a == b { 1.0 } else { 0.0 };
    }
    let mut counts = [0i16; 128];
    for &c in a {
        counts[usize::from(c & 0x7f)] += 1;
    }
    let mut common = 0usize;
    for &c in b {
        let slot = &mut counts[usize::from(c & 0x7f)];
        if *slot > 0 {
            *slot -= 1;
            common += 1;
        }
    }
    if common == 0 {
        return 0.0;
    }
    let m = common as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + 1.0) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// Damerau-Levenshtein distance when it is at most `max`, else `None`.
pub fn damerau_at_most(a: &str, b: &str, max: usize) -> Option<usize> {
    let args = damerau_levenshtein::Args::default().score_cutoff(max);
    if a.is_ascii() && b.is_ascii() {
        damerau_levenshtein::distance_with_args(a.bytes(), b.bytes(), &args)
    } else {
        damerau_levenshtein::distance_with_args(a.chars(), b.chars(), &args)
    }
}

/// Levenshtein edit distance (insert, delete, substitute).
pub fn levenshtein(a: &str, b: &str) -> usize {
    if a.is_ascii() && b.is_ascii() {
        levenshtein::distance(a.bytes(), b.bytes())
    } else {
        levenshtein::distance(a.chars(), b.chars())
    }
}

/// Unrestricted Damerau-Levenshtein distance (adjacent transpositions count one).
pub fn damerau(a: &str, b: &str) -> usize {
    if a.is_ascii() && b.is_ascii() {
        damerau_levenshtein::distance(a.bytes(), b.bytes())
    } else {
        damerau_levenshtein::distance(a.chars(), b.chars())
    }
}

/// True when two equally long strings differ in exactly one position, or by one swap of
/// neighbours: the two ways a clerk mistypes a 16-digit NIK.
pub fn one_digit_apart(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    // Called for every scored pair, so no allocation: find the first two differences.
    let mut diff = (0..a.len()).filter(|&k| a[k] != b[k]);
    match (diff.next(), diff.next(), diff.next()) {
        (Some(_), None, _) => true,
        (Some(x), Some(y), None) => y == x + 1 && a[x] == b[y] && a[y] == b[x],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn known_values() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(damerau("ca", "ac"), 1);
        assert!((jaro_winkler("martha", "marhta") - 0.9611).abs() < 1e-3);
        assert!(one_digit_apart("6472011203870001", "6472011203870002"));
        assert!(one_digit_apart("6472011203870001", "6472011203870010"));
        assert!(!one_digit_apart("6472011203870001", "6472011203870022"));
        assert!(!one_digit_apart("6472011203870001", "6472011203870001"));
    }

    proptest! {
        #[test]
        fn jaro_winkler_matches_strsim(a in "[a-zé ]{0,20}", b in "[a-zé ]{0,20}") {
            let ours = jaro_winkler(&a, &b);
            let oracle = strsim::jaro_winkler(&a, &b);
            prop_assert!((ours - oracle).abs() < 1e-9, "{a:?} {b:?}: {ours} vs {oracle}");
        }

        #[test]
        fn cutoffs_agree_with_full_scores(a in "[a-d ]{0,12}", b in "[a-d ]{0,12}", t in 0.5f64..1.0, k in 0usize..4) {
            let full = jaro_winkler(&a, &b);
            prop_assert!(jaro_winkler_bound(a.as_bytes(), b.as_bytes()) >= full - 1e-9);
            match jaro_winkler_at_least(&a, &b, t) {
                Some(x) => prop_assert!((x - full).abs() < 1e-9 && x >= t),
                None => prop_assert!(full < t + 1e-9),
            }
            let d = damerau(&a, &b);
            prop_assert_eq!(damerau_at_most(&a, &b, k), (d <= k).then_some(d));
        }

        #[test]
        fn levenshtein_matches_strsim(a in "[a-cé]{0,12}", b in "[a-cé]{0,12}") {
            prop_assert_eq!(levenshtein(&a, &b), strsim::levenshtein(&a, &b));
        }

        #[test]
        fn damerau_matches_strsim(a in "[a-c]{0,12}", b in "[a-c]{0,12}") {
            prop_assert_eq!(damerau(&a, &b), strsim::damerau_levenshtein(&a, &b));
        }

        #[test]
        fn one_digit_is_damerau_one_at_equal_length(a in "[0-3]{6}", b in "[0-3]{6}") {
            let hamming_or_swap = one_digit_apart(&a, &b);
            if hamming_or_swap {
                prop_assert_eq!(strsim::damerau_levenshtein(&a, &b), 1);
            }
        }
    }
}
