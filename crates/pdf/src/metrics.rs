//! Advance widths of the two standard fonts, so text can be measured without
//! embedding them. Values are the Adobe core-font AFM widths (1/1000 em) of
//! the glyphs WinAnsiEncoding assigns to codes 32..=255.

/// The two faces every page uses; both are standard Type1 fonts, which every
/// conforming reader supplies itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Font {
    Regular,
    Bold,
}

impl Font {
    /// Name under which the page resources expose the font.
    pub(crate) fn resource(self) -> &'static str {
        match self {
            Font::Regular => "F1",
            Font::Bold => "F2",
        }
    }

    pub(crate) fn base_name(self) -> &'static str {
        match self {
            Font::Regular => "Helvetica",
            Font::Bold => "Helvetica-Bold",
        }
    }

    fn table(self) -> &'static [u16; 224] {
        match self {
            Font::Regular => &HELVETICA,
            Font::Bold => &HELVETICA_BOLD,
        }
    }
}

/// Width of one WinAnsi code in 1/1000 em. Control codes never reach a
/// content stream, so they measure as nothing.
pub(crate) fn glyph_width(font: Font, code: u8) -> u16 {
    match code.checked_sub(32) {
        Some(i) => font.table()[usize::from(i)],
        None => 0,
    }
}

/// Width in points of WinAnsi-encoded text set at `size` points.
pub(crate) fn text_width(font: Font, text: &[u8], size: f32) -> f32 {
    let units: u32 = text.iter().map(|&b| u32::from(glyph_width(font, b))).sum();
    units as f32 * size / 1000.0
}

// Codes WinAnsi leaves undefined (127, 129, 141, 143, 144, 157) carry the
// bullet width because readers draw a bullet for them; the encoder never
// emits them anyway.
static HELVETICA: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
    350, 556, 350, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350, 350,
    222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 350, 500, 667, 278, 333, 556,
    556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584, 333, 333, 333, 556,
    537, 278, 333, 333, 365, 556, 834, 834, 834, 611, 667, 667, 667, 667, 667, 667, 1000, 722, 667,
    667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722,
    722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278,
    278, 556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];
static HELVETICA_BOLD: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
    350, 556, 350, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350, 350,
    278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 350, 500, 667, 278, 333, 556,
    556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584, 333, 333, 333, 611,
    556, 278, 333, 333, 365, 556, 834, 834, 834, 611, 722, 722, 722, 722, 722, 722, 1000, 722, 667,
    667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722,
    722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278,
    278, 611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_widths() {
        assert_eq!(glyph_width(Font::Regular, b' '), 278);
        assert_eq!(glyph_width(Font::Regular, b'@'), 1015);
        assert_eq!(glyph_width(Font::Bold, b'@'), 975);
        assert_eq!(glyph_width(Font::Regular, 0x80), 556); // Euro
        assert_eq!(glyph_width(Font::Regular, 0x97), 1000); // emdash
        assert_eq!(glyph_width(Font::Bold, 0xE9), 556); // eacute
        assert_eq!(glyph_width(Font::Regular, 0xFF), 500); // ydieresis
        assert_eq!(glyph_width(Font::Regular, b'\n'), 0);
    }

    #[test]
    fn measures_text() {
        // H e l v e t i c a = 722+556+222+500+556+278+222+500+556
        let w = text_width(Font::Regular, b"Helvetica", 10.0);
        assert!((w - 41.12).abs() < 1e-3, "{w}");
    }
}
