//! Birth dates as registers write them: `19870312`, `1987-03-12`, `12-03-1987`,
//! `12/03/1987`. Compared as canonical `YYYYMMDD` digits so a one-digit typo stays one digit.

/// Year, month, day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ymd {
    pub y: i32,
    pub m: u32,
    pub d: u32,
}

impl Ymd {
    /// Days since 1970-01-01 (proleptic Gregorian), for "within N days".
    pub fn days(self) -> i64 {
        let (y, m) = if self.m <= 2 {
            (i64::from(self.y) - 1, i64::from(self.m) + 9)
        } else {
            (i64::from(self.y), i64::from(self.m) - 3)
        };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * m + 2) / 5 + i64::from(self.d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

fn plausible(y: i32, m: u32, d: u32) -> Option<Ymd> {
    ((1800..=2200).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)).then_some(Ymd {
        y,
        m,
        d,
    })
}

/// Canonical digits (`YYYYMMDD` when the layout is recognised, else the digits as given)
/// and the parsed date when it is a plausible one.
pub fn canonical(raw: &str) -> (String, Option<Ymd>) {
    let parts: Vec<&str> = raw
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let num = |s: &str| s.parse::<u32>().ok();
    let (y, m, d) = match parts.as_slice() {
        [one] if one.len() == 8 => (&one[..4], &one[4..6], &one[6..]),
        [a, b, c] if a.len() == 4 => (*a, *b, *c),
        [a, b, c] if c.len() == 4 => (*c, *b, *a),
        _ => return (parts.concat(), None),
    };
    let digits = format!("{y:0>4}{m:0>2}{d:0>2}");
    let ymd = match (y.parse::<i32>().ok(), num(m), num(d)) {
        (Some(y), Some(m), Some(d)) => plausible(y, m, d),
        _ => None,
    };
    (digits, ymd)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn layouts() {
        for s in [
            "19870312",
            "1987-03-12",
            "12-03-1987",
            "12/03/1987",
            "1987/3/12",
        ] {
            assert_eq!(canonical(s).0, "19870312", "{s}");
            assert_eq!(
                canonical(s).1,
                Some(Ymd {
                    y: 1987,
                    m: 3,
                    d: 12
                })
            );
        }
        assert_eq!(canonical("19871312").1, None);
        assert_eq!(canonical("").0, "");
        assert_eq!(
            Ymd {
                y: 1970,
                m: 1,
                d: 2
            }
            .days(),
            1
        );
        assert_eq!(
            Ymd {
                y: 2000,
                m: 3,
                d: 1
            }
            .days()
                - Ymd {
                    y: 2000,
                    m: 2,
                    d: 28
                }
                .days(),
            2
        );
    }

    proptest! {
        #[test]
        fn both_layouts_agree(y in 1900i32..2030, m in 1u32..=12, d in 1u32..=28) {
            let iso = format!("{y:04}-{m:02}-{d:02}");
            let dmy = format!("{d:02}-{m:02}-{y:04}");
            prop_assert_eq!(canonical(&iso), canonical(&dmy));
        }
    }
}
