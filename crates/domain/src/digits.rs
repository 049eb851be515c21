//! Shared checks for the 16-digit civil-registry numbers (NIK and No KK), whose first six
//! digits are a kecamatan code and whose next six are a DDMMYY date.

/// What is wrong with a string that should hold exactly 16 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ShapeError {
    Empty,
    /// Excel turned the number into `6.40804E+15` or similar.
    ScientificNotation,
    /// Excel turned the number into a float (`6408041211870001.0`) or grouped it.
    Decimal,
    WrongLength(usize),
    NotDigit {
        position: usize,
        found: char,
    },
}

/// Trims surrounding whitespace and checks that 16 ASCII digits remain.
pub(crate) fn sixteen_digits(input: &str) -> Result<[u8; 16], ShapeError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(ShapeError::Empty);
    }
    let upper = s.to_ascii_uppercase();
    if upper.contains('E') && (upper.contains("E+") || upper.contains("E1")) {
        return Err(ShapeError::ScientificNotation);
    }
    if s.contains('.') || s.contains(',') {
        return Err(ShapeError::Decimal);
    }
    let chars: Vec<char> = s.chars().collect();
    if let Some((position, found)) = chars.iter().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        return Err(ShapeError::NotDigit {
            position: position + 1,
            found: *found,
        });
    }
    if chars.len() != 16 {
        return Err(ShapeError::WrongLength(chars.len()));
    }
    let mut out = [0u8; 16];
    for (slot, b) in out.iter_mut().zip(s.bytes()) {
        *slot = b - b'0';
    }
    Ok(out)
}

pub(crate) fn two(d: &[u8; 16], at: usize) -> u32 {
    u32::from(d[at]) * 10 + u32::from(d[at + 1])
}

/// Days in a month when the century is unknown: 29 February is accepted whenever some
/// century makes the year a leap year (`YY % 4 == 0`; for `00` the year 2000 is one).
pub(crate) fn days_in_month(month: u32, yy: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if yy.is_multiple_of(4) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The first six digits must form a plausible kecamatan code: no part may be `00` and the
/// province must be at least 11 (Aceh, the lowest code in use).
pub(crate) fn region_prefix_problem(d: &[u8; 16]) -> Option<&'static str> {
    if two(d, 0) < 11 {
        Some("kode provinsi (digit 1-2) tidak valid")
    } else if two(d, 2) == 0 {
        Some("kode kabupaten/kota (digit 3-4) tidak boleh 00")
    } else if two(d, 4) == 0 {
        Some("kode kecamatan (digit 5-6) tidak boleh 00")
    } else {
        None
    }
}

pub(crate) fn as_string(d: &[u8; 16]) -> String {
    d.iter().map(|x| char::from(b'0' + x)).collect()
}
