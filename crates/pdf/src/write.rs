//! Serialises laid-out pages as a PDF 1.4 file.
//!
//! Object numbers are fixed: 1 catalog, 2 page tree, 3 and 4 the fonts,
//! 5 the info dictionary, then a page object and its content stream for each
//! page in turn. Nothing depends on time or addresses, so equal input gives
//! equal bytes.

use std::fmt::Write as _;

use crate::encode::{num, push_literal};
use crate::layout::{Op, PAGE_HEIGHT, PAGE_WIDTH};
use crate::metrics::Font;

const FIRST_PAGE_OBJECT: usize = 6;
/// Fill for table header rows: light enough to photocopy cleanly.
const SHADE: &str = "0.88";

/// The whole file for the given pages, in order.
pub(crate) fn document(pages: &[Vec<Op>]) -> Vec<u8> {
    let mut w = Writer::default();
    // The comment's high bytes tell transfer tools the file is binary.
    w.out.extend_from_slice(b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");

    w.object(1, b"<< /Type /Catalog /Pages 2 0 R >>");
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", page_object(i)))
        .collect();
    let tree = format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        pages.len()
    );
    w.object(2, tree.as_bytes());
    for (number, font) in [(3, Font::Regular), (4, Font::Bold)] {
        let dict = format!(
            "<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding >>",
            font.base_name()
        );
        w.object(number, dict.as_bytes());
    }
    w.object(5, b"<< /Producer (sipmas-pdf) >>");

    let media_box = format!("[0 0 {} {}]", num(PAGE_WIDTH), num(PAGE_HEIGHT));
    for (i, ops) in pages.iter().enumerate() {
        let page = format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox {media_box} \
             /Resources << /Font << /F1 3 0 R /F2 4 0 R >> /ProcSet [/PDF /Text] >> \
             /Contents {} 0 R >>",
            page_object(i) + 1
        );
        w.object(page_object(i), page.as_bytes());
        w.stream(page_object(i) + 1, &content(ops));
    }
    w.finish()
}

fn page_object(index: usize) -> usize {
    FIRST_PAGE_OBJECT + 2 * index
}

/// Byte offsets of objects as they are written, for the cross-reference table.
#[derive(Debug, Default)]
struct Writer {
    out: Vec<u8>,
    offsets: Vec<usize>,
}

impl Writer {
    fn begin(&mut self, number: usize) {
        // Objects are written in number order, so the index is the number.
        debug_assert_eq!(self.offsets.len() + 1, number);
        self.offsets.push(self.out.len());
        self.out
            .extend_from_slice(format!("{number} 0 obj\n").as_bytes());
    }

    fn object(&mut self, number: usize, body: &[u8]) {
        self.begin(number);
        self.out.extend_from_slice(body);
        self.out.extend_from_slice(b"\nendobj\n");
    }

    fn stream(&mut self, number: usize, data: &[u8]) {
        self.begin(number);
        self.out
            .extend_from_slice(format!("<< /Length {} >>\nstream\n", data.len()).as_bytes());
        self.out.extend_from_slice(data);
        self.out.extend_from_slice(b"\nendstream\nendobj\n");
    }

    fn finish(mut self) -> Vec<u8> {
        let xref = self.out.len();
        let size = self.offsets.len() + 1;
        let mut table = format!("xref\n0 {size}\n0000000000 65535 f \n");
        for offset in &self.offsets {
            // Each entry must be exactly 20 bytes, hence the space before \n.
            let _ = writeln!(table, "{offset:010} 00000 n ");
        }
        let _ = write!(
            table,
            "trailer\n<< /Size {size} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n"
        );
        self.out.extend_from_slice(table.as_bytes());
        self.out
    }
}

/// The content stream for one page: line width and colours first, then each
/// operation in order.
fn content(ops: &[Op]) -> Vec<u8> {
    let mut out = b"0.5 w\n0 G\n0 g\n".to_vec();
    for op in ops {
        match op {
            Op::Text {
                font,
                size,
                x,
                y,
                text,
            } => {
                let head = format!(
                    "BT /{} {} Tf {} {} Td ",
                    font.resource(),
                    num(*size),
                    num(*x),
                    num(*y)
                );
                out.extend_from_slice(head.as_bytes());
                push_literal(&mut out, text);
                out.extend_from_slice(b" Tj ET\n");
            }
            Op::Line { x1, y1, x2, y2 } => {
                let line = format!(
                    "{} {} m {} {} l S\n",
                    num(*x1),
                    num(*y1),
                    num(*x2),
                    num(*y2)
                );
                out.extend_from_slice(line.as_bytes());
            }
            Op::Rect { x, y, w, h, fill } => {
                let rect = format!("{} {} {} {} re", num(*x), num(*y), num(*w), num(*h));
                let rect = if *fill {
                    format!("{SHADE} g {rect} f 0 g\n")
                } else {
                    format!("{rect} S\n")
                };
                out.extend_from_slice(rect.as_bytes());
            }
        }
    }
    out
}
