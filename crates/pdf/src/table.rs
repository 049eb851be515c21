//! Tables with wrapped cells, thin borders and a header row repeated on every
//! page the table spans.

use crate::layout::{Align, CONTENT_WIDTH, Layout, MARGIN, Op, Style, USABLE_HEIGHT};
use crate::metrics::Font;

const CELL: Style = Style::new(Font::Regular, 9.0, 11.0);
const PADDING: f32 = 3.0;

/// Cells of one row, each already wrapped into lines.
type Row = Vec<Vec<Vec<u8>>>;

/// Column left edges and widths, in points.
#[derive(Debug)]
struct Columns {
    x: Vec<f32>,
    width: Vec<f32>,
}

impl Columns {
    fn new(weights: &[f32], count: usize) -> Self {
        // Bad weights (negative, NaN) count as zero; if nothing usable is
        // left, share the width evenly rather than divide by zero.
        let mut weights: Vec<f32> = (0..count)
            .map(|i| {
                weights
                    .get(i)
                    .copied()
                    .filter(|w| w.is_finite() && *w > 0.0)
                    .unwrap_or(0.0)
            })
            .collect();
        let mut total: f32 = weights.iter().sum();
        if total <= 0.0 {
            weights = vec![1.0; count];
            total = count as f32;
        }
        let width: Vec<f32> = weights.iter().map(|w| w / total * CONTENT_WIDTH).collect();
        let x = width
            .iter()
            .scan(MARGIN, |edge, w| {
                let left = *edge;
                *edge += w;
                Some(left)
            })
            .collect();
        Columns { x, width }
    }

    /// Wraps each cell to its column; missing cells are empty, extra ones are
    /// dropped because there is no column to put them in.
    fn wrap(&self, cells: &[String], style: Style) -> Row {
        (0..self.width.len())
            .map(|i| {
                let text = cells.get(i).map_or("", String::as_str);
                style.wrap(text, self.width[i] - 2.0 * PADDING)
            })
            .collect()
    }
}

fn height(row: &Row) -> f32 {
    let lines = row.iter().map(Vec::len).max().unwrap_or(1).max(1);
    lines as f32 * CELL.leading + 2.0 * PADDING
}

/// Drops lines so the row is at most `max` tall (keeping at least one line,
/// so something always gets drawn and the layout always advances).
fn clip(row: &mut Row, max: f32) {
    let lines = (((max - 2.0 * PADDING) / CELL.leading).floor() as usize).max(1);
    for cell in row.iter_mut() {
        cell.truncate(lines);
    }
}

pub(crate) fn place(layout: &mut Layout, widths: &[f32], header: &[String], rows: &[Vec<String>]) {
    let count = if widths.is_empty() {
        rows.iter()
            .map(Vec::len)
            .chain([header.len()])
            .max()
            .unwrap_or(0)
    } else {
        widths.len()
    };
    if count == 0 {
        return;
    }
    let columns = Columns::new(widths, count);
    let bold = CELL.with_font(Font::Bold);
    let mut head = (!header.is_empty()).then(|| columns.wrap(header, bold));
    if let Some(head) = head.as_mut() {
        // A header may take at most half a page, leaving room for body rows.
        clip(head, USABLE_HEIGHT / 2.0);
    }
    let head_height = head.as_ref().map_or(0.0, height);

    let mut need_header = true;
    for cells in rows {
        let mut row = columns.wrap(cells, CELL);
        let row_height = height(&row);
        if need_header || !layout.fits(row_height) {
            if !layout.fits(head_height + row_height) && !layout.at_top() {
                layout.new_page();
            }
            if let Some(head) = &head {
                draw_row(layout, &columns, head, bold, true);
            }
            need_header = false;
        }
        if !layout.fits(row_height) {
            clip(&mut row, layout.remaining());
        }
        draw_row(layout, &columns, &row, CELL, false);
    }
    if need_header && let Some(head) = &head {
        // A table without rows still shows its header.
        layout.ensure(head_height);
        draw_row(layout, &columns, head, bold, true);
    }
}

fn draw_row(layout: &mut Layout, columns: &Columns, row: &Row, style: Style, shaded: bool) {
    let top = layout.y();
    let h = height(row);
    let bottom = top - h;
    if shaded {
        layout.push(Op::Rect {
            x: MARGIN,
            y: bottom,
            w: CONTENT_WIDTH,
            h,
            fill: true,
        });
    }
    for (c, cell) in row.iter().enumerate() {
        let x = columns.x[c] + PADDING;
        let width = columns.width[c] - 2.0 * PADDING;
        for (l, line) in cell.iter().enumerate() {
            let line_top = top - PADDING - l as f32 * style.leading;
            layout.line(style, line, x, width, line_top, Align::Left);
        }
    }
    layout.push(Op::Rect {
        x: MARGIN,
        y: bottom,
        w: CONTENT_WIDTH,
        h,
        fill: false,
    });
    for &x in columns.x.iter().skip(1) {
        layout.push(Op::Line {
            x1: x,
            y1: bottom,
            x2: x,
            y2: top,
        });
    }
    layout.advance(h);
}
