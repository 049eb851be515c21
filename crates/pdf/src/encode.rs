//! Turning Rust text into bytes the standard fonts can show, and into PDF
//! syntax.

/// Converts text to WinAnsiEncoding (Windows-1252), the only encoding the
/// non-embedded standard fonts understand without a custom /Differences.
///
/// Characters the encoding lacks become `?` so a missing glyph is visible
/// rather than silently dropped. `\n` is kept so callers can treat it as a
/// hard line break; tabs become spaces and `\r` disappears so CRLF input
/// behaves like LF.
pub fn to_win_ansi(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' => {}
            '\n' => out.push(b'\n'),
            '\t' => out.push(b' '),
            _ => out.push(win_ansi_byte(c).unwrap_or(b'?')),
        }
    }
    out
}

fn win_ansi_byte(c: char) -> Option<u8> {
    let code = u32::from(c);
    // 0x80..=0x9F are C1 controls in Unicode but hold the CP1252 extras in
    // WinAnsi, so only the printable Latin-1 ranges map one to one.
    if (0x20..=0x7E).contains(&code) || (0xA0..=0xFF).contains(&code) {
        return u8::try_from(code).ok();
    }
    let byte = match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    };
    Some(byte)
}

/// Appends `bytes` as a PDF literal string, parentheses included.
pub(crate) fn push_literal(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'(');
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
            // A raw end-of-line inside a literal is read back as LF whatever
            // it was, so spell these out to keep the string exact.
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
    out.push(b')');
}

/// Formats a coordinate with at most two decimals: finer than any printer
/// resolves, and identical across platforms, which keeps output reproducible.
pub(crate) fn num(v: f32) -> String {
    if !v.is_finite() {
        return "0".to_owned();
    }
    let mut s = format!("{v:.2}");
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    if s == "-0" { "0".to_owned() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_and_cp1252() {
        assert_eq!(to_win_ansi("é"), vec![0xE9]);
        assert_eq!(
            to_win_ansi("Rp 5€ – “ok” •"),
            b"Rp 5\x80 \x96 \x93ok\x94 \x95"
        );
        assert_eq!(to_win_ansi("\u{00A0}ÿ"), vec![0xA0, 0xFF]);
    }

    #[test]
    fn unknown_becomes_question_mark() {
        assert_eq!(to_win_ansi("漢a\u{0085}"), b"?a?");
    }

    #[test]
    fn control_characters() {
        assert_eq!(to_win_ansi("a\tb\r\nc\u{1}"), b"a b\nc?");
    }

    #[test]
    fn literal_escaping() {
        let mut out = Vec::new();
        push_literal(&mut out, b"a(b)c\\d\ne");
        assert_eq!(out, b"(a\\(b\\)c\\\\d\\ne)");
    }

    #[test]
    fn number_format() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(56.6929), "56.69");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f32::NAN), "0");
    }
}
