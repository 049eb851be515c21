//! Greedy line breaking on WinAnsi bytes, measured with the font metrics.

use crate::metrics::{Font, glyph_width, text_width};

/// Slack for float rounding, so text measured exactly at the limit still fits.
const EPSILON: f32 = 1e-3;

/// Breaks `text` into lines no wider than `max_width` points.
///
/// `\n` forces a break (and an empty segment yields an empty line, so blank
/// lines survive); runs of spaces collapse. A word wider than the line is cut
/// between characters. Every line holds at least one character, so even a
/// zero or negative width terminates. Always returns at least one line.
pub(crate) fn wrap(text: &[u8], font: Font, size: f32, max_width: f32) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    let space = text_width(font, b" ", size);
    for segment in text.split(|&b| b == b'\n') {
        let mut line: Vec<u8> = Vec::new();
        let mut line_width = 0.0;
        for word in segment.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
            let word_width = text_width(font, word, size);
            if !line.is_empty() {
                if line_width + space + word_width <= max_width + EPSILON {
                    line.push(b' ');
                    line.extend_from_slice(word);
                    line_width += space + word_width;
                    continue;
                }
                lines.push(std::mem::take(&mut line));
            }
            if word_width <= max_width + EPSILON {
                line.extend_from_slice(word);
                line_width = word_width;
            } else {
                let mut pieces = split_word(word, font, size, max_width);
                // The tail may still share its line with the next word.
                let tail = pieces.pop().unwrap_or_default();
                lines.extend(pieces);
                line_width = text_width(font, &tail, size);
                line = tail;
            }
        }
        lines.push(line);
    }
    lines
}

/// Cuts a single over-long word into pieces that each fit `max_width`.
fn split_word(word: &[u8], font: Font, size: f32, max_width: f32) -> Vec<Vec<u8>> {
    let mut pieces = Vec::new();
    let mut piece = Vec::new();
    let mut width = 0.0;
    for &b in word {
        let w = f32::from(glyph_width(font, b)) * size / 1000.0;
        if !piece.is_empty() && width + w > max_width + EPSILON {
            pieces.push(std::mem::take(&mut piece));
            width = 0.0;
        }
        piece.push(b);
        width += w;
    }
    pieces.push(piece);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrap_str(text: &str, width: f32) -> Vec<String> {
        wrap(text.as_bytes(), Font::Regular, 10.0, width)
            .into_iter()
            .map(|l| String::from_utf8_lossy(&l).into_owned())
            .collect()
    }

    #[test]
    fn fits_on_one_line() {
        assert_eq!(wrap_str("Berita  acara", 500.0), vec!["Berita acara"]);
    }

    #[test]
    fn breaks_at_spaces() {
        let lines = wrap_str("satu dua tiga empat lima enam tujuh delapan", 60.0);
        assert!(lines.len() > 2, "{lines:?}");
        for line in &lines {
            assert!(text_width(Font::Regular, line.as_bytes(), 10.0) <= 60.0 + EPSILON);
        }
        assert_eq!(
            lines.join(" "),
            "satu dua tiga empat lima enam tujuh delapan"
        );
    }

    #[test]
    fn long_word_is_cut_by_characters() {
        let word = "x".repeat(52);
        let lines = wrap_str(&format!("{word} ok"), 50.0);
        assert!(lines.len() > 3, "{lines:?}");
        assert_eq!(lines.concat().replace(' ', ""), format!("{word}ok"));
        assert!(lines.last().is_some_and(|l| l.ends_with(" ok")));
    }

    #[test]
    fn hard_breaks_and_blank_lines() {
        assert_eq!(wrap_str("a\n\nb", 100.0), vec!["a", "", "b"]);
        assert_eq!(wrap_str("", 100.0), vec![""]);
    }

    #[test]
    fn zero_width_terminates() {
        assert_eq!(wrap_str("abc", 0.0), vec!["a", "b", "c"]);
        assert_eq!(wrap_str("ab", -5.0), vec!["a", "b"]);
    }
}
