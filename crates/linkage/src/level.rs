//! The rungs a comparison's ladder is built from.

/// One rung of a comparison's ladder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Level {
    Exact,
    Reordered,
    JaroWinkler(f64),
    Damerau(u32),
    Levenshtein(u32),
    Prefix(usize),
    Phonetic,
    DateSwap,
    DateTypo,
    YearApart,
    OneDigit,
    Within(f64),
    Else,
}

impl Level {
    /// The label shown in explanations.
    pub fn label(&self) -> String {
        match self {
            Level::Exact => "exact".into(),
            Level::Reordered => "same tokens, other order or spacing".into(),
            Level::JaroWinkler(t) => format!("jaro-winkler >= {t}"),
            Level::Damerau(k) => format!("damerau-levenshtein <= {k}"),
            Level::Levenshtein(k) => format!("levenshtein <= {k}"),
            Level::Prefix(n) => format!("first {n} characters"),
            Level::Phonetic => "sounds alike".into(),
            Level::DateSwap => "day and month swapped".into(),
            Level::DateTypo => "one digit differs".into(),
            Level::YearApart => "one year apart".into(),
            Level::OneDigit => "one wrong digit or a swap".into(),
            Level::Within(d) => format!("within {d}"),
            Level::Else => "else".into(),
        }
    }
}
