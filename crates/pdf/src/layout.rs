//! Flows blocks down A4 pages, producing drawing operations per page.

use crate::Block;
use crate::encode::to_win_ansi;
use crate::metrics::{Font, text_width};
use crate::wrap::wrap;
use crate::{signature, table};

pub(crate) const PAGE_WIDTH: f32 = 595.28;
pub(crate) const PAGE_HEIGHT: f32 = 841.89;
/// 2 cm.
pub(crate) const MARGIN: f32 = 56.69;
pub(crate) const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const TOP: f32 = PAGE_HEIGHT - MARGIN;
const BOTTOM: f32 = MARGIN;
/// Vertical room a page offers between the margins.
pub(crate) const USABLE_HEIGHT: f32 = TOP - BOTTOM;

/// Sits in the lower margin so it never competes with body text for space.
const FOOTER_BASELINE: f32 = MARGIN / 2.0;
const FOOTER: Style = Style::new(Font::Regular, 8.0, 10.0);
const TITLE: Style = Style::new(Font::Bold, 14.0, 18.0);
const HEADING: Style = Style::new(Font::Bold, 11.0, 15.0);
pub(crate) const BODY: Style = Style::new(Font::Regular, 10.0, 13.0);

/// Float slack when deciding whether something still fits.
const EPSILON: f32 = 0.01;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Style {
    pub(crate) font: Font,
    pub(crate) size: f32,
    pub(crate) leading: f32,
}

impl Style {
    pub(crate) const fn new(font: Font, size: f32, leading: f32) -> Self {
        Style {
            font,
            size,
            leading,
        }
    }

    pub(crate) const fn with_font(self, font: Font) -> Self {
        Style { font, ..self }
    }

    pub(crate) fn wrap(&self, text: &str, width: f32) -> Vec<Vec<u8>> {
        wrap(&to_win_ansi(text), self.font, self.size, width)
    }

    pub(crate) fn width(&self, text: &[u8]) -> f32 {
        text_width(self.font, text, self.size)
    }

    /// Baseline for a line whose box starts at `top`: centres the span from
    /// descender (-0.207 em) to cap height (0.718 em) in the leading.
    pub(crate) fn baseline(&self, top: f32) -> f32 {
        top - self.leading / 2.0 - self.size * (0.718 - 0.207) / 2.0
    }
}

/// One drawing instruction, in PDF user space (origin bottom left, points).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    Text {
        font: Font,
        size: f32,
        x: f32,
        y: f32,
        text: Vec<u8>,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
    },
    /// Stroked outline, or a light grey fill when `fill` is set.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
}

/// The pages produced so far and the cursor on the last one.
#[derive(Debug)]
pub(crate) struct Layout {
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Layout {
    pub(crate) fn new() -> Self {
        Layout {
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    /// Top of the free space on the current page.
    pub(crate) fn y(&self) -> f32 {
        self.y
    }

    pub(crate) fn remaining(&self) -> f32 {
        self.y - BOTTOM
    }

    /// True on a fresh page, where breaking again would gain nothing; this is
    /// what stops oversized content from producing endless blank pages.
    pub(crate) fn at_top(&self) -> bool {
        self.y >= TOP - EPSILON
    }

    pub(crate) fn fits(&self, height: f32) -> bool {
        height <= self.remaining() + EPSILON
    }

    pub(crate) fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` fits here or we are already at a top.
    pub(crate) fn ensure(&mut self, height: f32) {
        if !self.fits(height) && !self.at_top() {
            self.new_page();
        }
    }

    pub(crate) fn advance(&mut self, height: f32) {
        self.y -= height;
    }

    /// Vertical gap that is swallowed by a page break instead of carrying over.
    fn gap(&mut self, height: f32) {
        if height.is_finite() && height > 0.0 {
            self.y = (self.y - height).max(BOTTOM);
        }
    }

    pub(crate) fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    /// Draws one already-wrapped line in the box `x..x+width` starting at `top`.
    pub(crate) fn line(
        &mut self,
        style: Style,
        line: &[u8],
        x: f32,
        width: f32,
        top: f32,
        align: Align,
    ) {
        if line.is_empty() {
            return;
        }
        let x = match align {
            Align::Left => x,
            Align::Center => x + (width - style.width(line)).max(0.0) / 2.0,
        };
        self.push(Op::Text {
            font: style.font,
            size: style.size,
            x,
            y: style.baseline(top),
            text: line.to_vec(),
        });
    }

    /// Flows wrapped text across the full content width, breaking pages
    /// between lines. `keep` is extra height that must fit with the first
    /// line, so a heading does not end up alone at the bottom of a page.
    fn flow(&mut self, style: Style, text: &str, align: Align, keep: f32) {
        for (i, line) in style.wrap(text, CONTENT_WIDTH).iter().enumerate() {
            self.ensure(style.leading + if i == 0 { keep } else { 0.0 });
            self.line(style, line, MARGIN, CONTENT_WIDTH, self.y, align);
            self.advance(style.leading);
        }
    }

    pub(crate) fn place(&mut self, block: &Block) {
        match block {
            Block::Title(text) => {
                self.flow(TITLE, text, Align::Center, 0.0);
                self.gap(8.0);
            }
            Block::Heading(text) => {
                self.flow(HEADING, text, Align::Left, 2.0 * BODY.leading);
                self.gap(3.0);
            }
            Block::Paragraph(text) => {
                self.flow(BODY, text, Align::Left, 0.0);
                self.gap(6.0);
            }
            Block::Table {
                widths,
                header,
                rows,
            } => {
                table::place(self, widths, header, rows);
                self.gap(8.0);
            }
            Block::Signatures(signatures) => {
                signature::place(self, signatures);
                self.gap(6.0);
            }
            Block::Space(points) => self.gap(*points),
        }
    }

    /// Adds the footer, now that the page count is known, and hands back the
    /// pages.
    pub(crate) fn finish(mut self, footer: &str) -> Vec<Vec<Op>> {
        let total = self.pages.len().to_string();
        if !footer.trim().is_empty() {
            for (i, page) in self.pages.iter_mut().enumerate() {
                let text = footer
                    .replace("{page}", &(i + 1).to_string())
                    .replace("{pages}", &total);
                let mut bytes = to_win_ansi(&text);
                bytes
                    .iter_mut()
                    .filter(|b| **b == b'\n')
                    .for_each(|b| *b = b' ');
                let x = MARGIN + (CONTENT_WIDTH - FOOTER.width(&bytes)).max(0.0) / 2.0;
                let (font, size) = (FOOTER.font, FOOTER.size);
                page.push(Op::Text {
                    font,
                    size,
                    x,
                    y: FOOTER_BASELINE,
                    text: bytes,
                });
            }
        }
        self.pages
    }
}
