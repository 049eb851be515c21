//! Signature blocks: role above, room to sign, name below.

use crate::Signature;
use crate::layout::{Align, BODY, CONTENT_WIDTH, Layout, MARGIN};
use crate::metrics::Font;

/// Blocks per row; more would leave too little room for a signature.
const PER_ROW: usize = 3;
/// Room left for the handwritten signature (and stamp) between role and name.
const SIGN_SPACE: f32 = 56.0;
const ROW_GAP: f32 = 20.0;
/// Keeps text in neighbouring blocks from touching.
const INSET: f32 = 6.0;

#[derive(Debug)]
struct Cell {
    role: Vec<Vec<u8>>,
    name: Vec<Vec<u8>>,
}

#[derive(Debug)]
struct Row {
    cells: Vec<Cell>,
    role_lines: usize,
    name_lines: usize,
}

impl Row {
    fn height(&self) -> f32 {
        (self.role_lines + self.name_lines) as f32 * BODY.leading + SIGN_SPACE
    }
}

/// A blank to fill in by hand when the name is not known yet.
fn dotted(width: f32) -> Vec<u8> {
    let dot = BODY.width(b".");
    let dots = ((width * 0.7 - BODY.width(b"()")) / dot).floor().max(3.0) as usize;
    let mut line = vec![b'('];
    line.resize(dots + 1, b'.');
    line.push(b')');
    line
}

pub(crate) fn place(layout: &mut Layout, signatures: &[Signature]) {
    if signatures.is_empty() {
        return;
    }
    let block_width = CONTENT_WIDTH / signatures.len().min(PER_ROW) as f32;
    let inner = block_width - 2.0 * INSET;
    let bold = BODY.with_font(Font::Bold);
    let rows: Vec<Row> = signatures
        .chunks(PER_ROW)
        .map(|chunk| {
            let cells: Vec<Cell> = chunk
                .iter()
                .map(|s| Cell {
                    role: BODY.wrap(&s.role, inner),
                    name: if s.name.trim().is_empty() {
                        vec![dotted(inner)]
                    } else {
                        bold.wrap(&s.name, inner)
                    },
                })
                .collect();
            let role_lines = cells.iter().map(|c| c.role.len()).max().unwrap_or(1);
            let name_lines = cells.iter().map(|c| c.name.len()).max().unwrap_or(1);
            Row {
                cells,
                role_lines,
                name_lines,
            }
        })
        .collect();

    // Keep all blocks on one page; only a set taller than a whole page is
    // allowed to break, and then only between rows.
    let total: f32 = rows.iter().map(Row::height).sum::<f32>() + ROW_GAP * (rows.len() - 1) as f32;
    layout.ensure(total);
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            layout.advance(ROW_GAP);
        }
        layout.ensure(row.height());
        draw_row(layout, row, block_width);
    }
}

fn draw_row(layout: &mut Layout, row: &Row, block_width: f32) {
    let top = layout.y();
    // A short last row is centred under the full rows above it.
    let left = MARGIN + (CONTENT_WIDTH - block_width * row.cells.len() as f32) / 2.0;
    let bold = BODY.with_font(Font::Bold);
    let name_top = top - row.role_lines as f32 * BODY.leading - SIGN_SPACE;
    for (i, cell) in row.cells.iter().enumerate() {
        let x = left + i as f32 * block_width;
        for (l, line) in cell.role.iter().enumerate() {
            let line_top = top - l as f32 * BODY.leading;
            layout.line(BODY, line, x, block_width, line_top, Align::Center);
        }
        for (l, line) in cell.name.iter().enumerate() {
            let line_top = name_top - l as f32 * BODY.leading;
            layout.line(bold, line, x, block_width, line_top, Align::Center);
        }
    }
    layout.advance(row.height());
}
