//! Village names and street addresses as Indonesian registers write them: `Sei Kapih`,
//! `Sungai Kapih` and `Desa Sungai Kapih` are one village; `RT 003/RW 05`, `Rt.3 Rw.5` and
//! `RT03/05` are one neighbourhood.

use crate::normalize::basic;

/// Administrative prefixes that some sources put before a village name and others omit.
const VILLAGE_PREFIXES: &[&str] = &[
    "desa",
    "ds",
    "kel",
    "kelurahan",
    "kampung",
    "kp",
    "dusun",
    "dsn",
];

/// Abbreviations of the geographic words that open many village names.
fn expand(t: &str) -> &str {
    match t {
        "sei" | "sui" | "sng" | "sungei" => "sungai",
        "tg" | "tj" | "tanjong" => "tanjung",
        "kp" | "kamp" => "kampung",
        "ps" | "psr" => "pasar",
        "lb" => "labuhan",
        "kt" => "kota",
        "mk" => "muara",
        "bt" => "batu",
        "jl" | "jln" => "jalan",
        "gg" => "gang",
        "no" | "nomor" | "nmr" => "no",
        _ => t,
    }
}

/// A village name without `Desa`/`Kel.` prefixes and with common abbreviations expanded.
pub fn normalize_village(name: &str) -> String {
    let b = basic(name);
    let tokens: Vec<&str> = b.split(' ').filter(|t| !t.is_empty()).collect();
    let skip = tokens
        .iter()
        .take_while(|t| VILLAGE_PREFIXES.contains(t) && tokens.len() > 1)
        .count()
        .min(tokens.len().saturating_sub(1));
    tokens[skip..]
        .iter()
        .map(|t| expand(t))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where `rt` starts as a word of its own (not inside `Martapura`).
fn find_rt(lower: &str) -> Option<usize> {
    let b = lower.as_bytes();
    (0..b.len().saturating_sub(1)).find(|&k| {
        b[k] == b'r'
            && b[k + 1] == b't'
            && (k == 0 || !b[k - 1].is_ascii_alphabetic())
            && b.get(k + 2).is_none_or(|c| !c.is_ascii_alphabetic())
    })
}

/// RT and RW numbers written any of the usual ways, as numbers (leading zeros dropped).
pub fn rt_rw(address: &str) -> Option<(u32, Option<u32>)> {
    let lower = address.to_ascii_lowercase();
    let at = find_rt(&lower)?;
    let rest = &lower[at + 2..];
    let mut numbers = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<u32>().ok());
    let rt = numbers.next()??;
    // The RW is the next number if it is written as `RW n` or right after a slash.
    let rw_written = rest.contains("rw") || rest.contains('/');
    let rw = if rw_written {
        numbers.next().flatten()
    } else {
        None
    };
    Some((rt, rw))
}

/// An address with street words expanded and RT/RW in one form (`rt 3 rw 5`), so that
/// exact and fuzzy comparisons see only real differences.
pub fn normalize_address(address: &str) -> String {
    let lower = address.to_ascii_lowercase();
    let (head, neighbourhood) = match find_rt(&lower) {
        Some(at) if rt_rw(address).is_some() => (
            lower.get(..at).unwrap_or(""),
            rt_rw(address).map(|(rt, rw)| match rw {
                Some(rw) => format!("rt {rt} rw {rw}"),
                None => format!("rt {rt}"),
            }),
        ),
        _ => (lower.as_str(), None),
    };
    let mut words: Vec<String> = basic(head)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(|t| expand(t).to_owned())
        .collect();
    if let Some(n) = neighbourhood {
        words.push(n);
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn village_variants_meet() {
        assert_eq!(normalize_village("Sei Kapih"), "sungai kapih");
        assert_eq!(normalize_village("Desa Sungai Kapih"), "sungai kapih");
        assert_eq!(
            normalize_village("Tg. Redeb"),
            normalize_village("Kel. Tanjung Redeb")
        );
        assert_eq!(normalize_village("Kelurahan"), "kelurahan");
    }

    #[test]
    fn rt_rw_formats() {
        for s in [
            "RT 003/RW 005",
            "Rt.3 Rw.5",
            "RT03/05",
            "rt. 3 / rw. 05",
            "Jl. Poros RT 3 RW 5",
        ] {
            assert_eq!(rt_rw(s), Some((3, Some(5))), "{s}");
        }
        assert_eq!(rt_rw("RT 7"), Some((7, None)));
        assert_eq!(rt_rw("Jl. Merdeka"), None);
        assert_eq!(rt_rw("Martapura No. 5"), None);
        assert_eq!(
            normalize_address("Jln. Poros No.5 RT 003/RW 005"),
            normalize_address("jalan poros no 5 rt.3 rw.5")
        );
    }

    proptest! {
        #[test]
        fn rt_rw_round_trip(rt in 1u32..100, rw in 1u32..30, pad in 0usize..3) {
            let s = format!("RT {rt:0pad$}/RW {rw:0pad$}", pad = pad + 1);
            prop_assert_eq!(rt_rw(&s), Some((rt, Some(rw))));
        }

        #[test]
        fn village_is_idempotent(s in "[A-Za-z. ]{0,30}") {
            let once = normalize_village(&s);
            prop_assert_eq!(normalize_village(&once), once);
        }
    }
}
