//! A small, dependency-free PDF 1.4 writer for printable lists with signature
//! blocks, such as the per-village *berita acara*.
//!
//! Text is set in the standard Helvetica fonts (not embedded) with
//! WinAnsiEncoding, so it covers Indonesian and other Latin-1 text; anything
//! outside Windows-1252 prints as `?`. Content streams are left uncompressed.
//!
//! ```
//! use sipmas_pdf::{render, Block, Signature};
//!
//! let pdf = render(
//!     &[
//!         Block::Title("BERITA ACARA".into()),
//!         Block::Paragraph("Pada hari ini telah dilaksanakan verifikasi.".into()),
//!         Block::Table {
//!             widths: vec![1.0, 4.0],
//!             header: vec!["No".into(), "Nama".into()],
//!             rows: vec![vec!["1".into(), "Siti".into()]],
//!         },
//!         Block::Signatures(vec![Signature { role: "Kepala Desa".into(), name: String::new() }]),
//!     ],
//!     "Halaman {page} dari {pages}",
//! );
//! assert!(pdf.starts_with(b"%PDF-1.4"));
//! ```

mod encode;
mod layout;
mod metrics;
mod signature;
mod table;
mod wrap;
mod write;

pub use encode::to_win_ansi;

/// One piece of the document, laid out top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Bold, larger, centred.
    Title(String),
    /// Bold, left-aligned.
    Heading(String),
    /// Regular text wrapped to the page width.
    Paragraph(String),
    /// Column widths are relative weights; the header row is bold, repeated on each page the table spans; cells wrap within their column.
    Table {
        widths: Vec<f32>,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// Signature blocks side by side (wrapping to a new row of blocks when more than 3): each has a role line above, space to sign, and the name (or a dotted line when empty) below. Never split across pages.
    Signatures(Vec<Signature>),
    /// Vertical space in points.
    Space(f32),
}

/// One signature block: who signs, and (if known) their name.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    pub role: String,
    pub name: String,
}

/// Renders A4 portrait pages with 2 cm margins; `footer` is printed at the bottom of every page with `{page}` and `{pages}` replaced (e.g. "Halaman {page} dari {pages}").
///
/// `\n` in any text forces a line break. Table columns follow `widths`; when
/// it is empty the widest row decides the column count and columns share the
/// width equally. A table row taller than a page is cut to fit. The output
/// always has at least one page, and is byte-for-byte deterministic.
pub fn render(blocks: &[Block], footer: &str) -> Vec<u8> {
    let mut layout = layout::Layout::new();
    for block in blocks {
        layout.place(block);
    }
    write::document(&layout.finish(footer))
}
