//! Cell values as Indonesian spreadsheets write them: dates four ways, YA/TIDAK, decimal commas.

use chrono::{Duration, NaiveDate};

/// Why a date cell could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not one of the accepted shapes.
    Shape,
    /// The right shape but no such day (31-02-1990).
    Calendar,
}

/// Parses DD-MM-YYYY, DD/MM/YYYY, DD.MM.YYYY, YYYY-MM-DD (optionally followed by a time)
/// and Excel serial day numbers (1900 system).
pub fn parse_date(s: &str) -> Result<NaiveDate, DateError> {
    let s = s.trim();
    let s = s.split([' ', 'T']).next().unwrap_or(s);
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && s.len() <= 6 {
        return excel_serial(s.parse().map_err(|_| DateError::Shape)?);
    }
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return Err(DateError::Shape);
    };
    let num = |p: &str| -> Result<u32, DateError> {
        if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DateError::Shape);
        }
        p.parse().map_err(|_| DateError::Shape)
    };
    let (y, m, d) = if a.len() == 4 {
        (num(a)?, num(b)?, num(c)?)
    } else if c.len() == 4 && a.len() <= 2 && b.len() <= 2 {
        (num(c)?, num(b)?, num(a)?)
    } else {
        return Err(DateError::Shape);
    };
    let year = i32::try_from(y).map_err(|_| DateError::Shape)?;
    NaiveDate::from_ymd_opt(year, m, d).ok_or(DateError::Calendar)
}

/// Excel's day 1 is 1900-01-01, and it counts a 29 February 1900 that never was.
fn excel_serial(n: i64) -> Result<NaiveDate, DateError> {
    if !(1..=2_958_465).contains(&n) || n == 60 {
        return Err(DateError::Calendar);
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 31).ok_or(DateError::Calendar)?;
    let days = if n > 60 { n - 1 } else { n };
    base.checked_add_signed(Duration::days(days))
        .ok_or(DateError::Calendar)
}

/// YA/TIDAK and their spellings; `None` when the cell says neither.
pub fn parse_yes_no(s: &str) -> Option<bool> {
    match s.trim().to_ascii_uppercase().as_str() {
        "YA" | "Y" | "IYA" | "ADA" | "1" | "TRUE" | "BENAR" | "PADAN" => Some(true),
        "TIDAK" | "T" | "TDK" | "TIDAK ADA" | "BUKAN" | "0" | "FALSE" | "SALAH" | "TIDAK PADAN" => {
            Some(false)
        }
        _ => None,
    }
}

/// A decimal number written with a comma or a point.
pub fn parse_decimal(s: &str) -> Option<f64> {
    let t = s.trim().replace(',', ".");
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn reads_the_four_date_shapes() {
        assert_eq!(parse_date("05-03-1984"), Ok(d(1984, 3, 5)));
        assert_eq!(parse_date("5/3/1984"), Ok(d(1984, 3, 5)));
        assert_eq!(parse_date("1984-03-05"), Ok(d(1984, 3, 5)));
        assert_eq!(parse_date("1984-03-05 00:00:00"), Ok(d(1984, 3, 5)));
        assert_eq!(parse_date("30746"), Ok(d(1984, 3, 5)));
        assert_eq!(parse_date("31-02-1990"), Err(DateError::Calendar));
        assert_eq!(parse_date("kemarin"), Err(DateError::Shape));
        assert_eq!(parse_date("05-03-84"), Err(DateError::Shape));
    }

    #[test]
    fn excel_serials_skip_the_phantom_leap_day() {
        assert_eq!(parse_date("59"), Ok(d(1900, 2, 28)));
        assert_eq!(parse_date("61"), Ok(d(1900, 3, 1)));
        assert_eq!(parse_date("60"), Err(DateError::Calendar));
    }

    #[test]
    fn yes_no_and_decimals() {
        assert_eq!(parse_yes_no(" ya "), Some(true));
        assert_eq!(parse_yes_no("TIDAK"), Some(false));
        assert_eq!(parse_yes_no("mungkin"), None);
        assert_eq!(parse_decimal("12,5"), Some(12.5));
        assert_eq!(parse_decimal("x"), None);
    }
}
