//! End-to-end checks of `render` output, read back through `reader`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod reader;

use reader::{count, find, page_contents, text, xref};
use sipmas_pdf::{Block, Signature, render};

fn sample_table(rows: usize) -> Block {
    Block::Table {
        widths: vec![1.0, 3.0, 5.0, 2.0],
        header: vec![
            "No".into(),
            "NIK".into(),
            "Nama Kepala Keluarga".into(),
            "Status".into(),
        ],
        rows: (1..=rows)
            .map(|i| {
                vec![
                    i.to_string(),
                    format!("32010{i:011}"),
                    format!("Warga Nomor {i}"),
                    "Layak".into(),
                ]
            })
            .collect(),
    }
}

fn document() -> Vec<Block> {
    vec![
        Block::Title("BERITA ACARA VERIFIKASI DATA".into()),
        Block::Heading("Desa Sukamaju".into()),
        Block::Paragraph("Pada hari ini telah dilaksanakan musyawarah desa (musdes).".into()),
        Block::Space(10.0),
        sample_table(300),
        Block::Paragraph("Jumlah keluarga: 300".into()),
        Block::Signatures(vec![
            Signature {
                role: "Kepala Desa".into(),
                name: "Budi Santoso".into(),
            },
            Signature {
                role: "Petugas Verifikasi".into(),
                name: String::new(),
            },
            Signature {
                role: "Pengawas Kecamatan".into(),
                name: "Siti Aminah".into(),
            },
            Signature {
                role: "Ketua BPD".into(),
                name: "Ahmad".into(),
            },
        ]),
    ]
}

#[test]
fn header_and_trailer() {
    let pdf = render(&document(), "Halaman {page} dari {pages}");
    assert!(pdf.starts_with(b"%PDF-1.4\n%"));
    assert!(
        pdf[9..14].iter().skip(1).all(|&b| b >= 128),
        "binary comment line"
    );
    assert!(pdf.ends_with(b"%%EOF\n"));
    assert!(text(&pdf).contains("trailer\n<< /Size "));
}

#[test]
fn xref_offsets_point_at_objects() {
    let pdf = render(&document(), "Halaman {page} dari {pages}");
    let offsets = xref(&pdf);
    assert!(offsets.len() > 6);
    for (i, &offset) in offsets.iter().enumerate() {
        let expected = format!("{} 0 obj\n", i + 1);
        assert!(
            pdf[offset..].starts_with(expected.as_bytes()),
            "object {} at {offset}",
            i + 1
        );
    }
}

#[test]
fn long_table_spans_pages_with_repeated_header() {
    let pdf = render(&[sample_table(300)], "Halaman {page} dari {pages}");
    let pages = count(&pdf, b"/Type /Page ");
    assert!(pages >= 5, "only {pages} pages");
    assert!(text(&pdf).contains(&format!("/Count {pages} ")));
    let contents = page_contents(&pdf);
    assert_eq!(contents.len(), pages);
    for (i, content) in contents.iter().enumerate() {
        assert!(
            find(content, b"(Nama Kepala Keluarga) Tj", 0).is_some(),
            "header missing on page {}",
            i + 1
        );
        let footer = format!("(Halaman {} dari {pages}) Tj", i + 1);
        assert!(
            find(content, footer.as_bytes(), 0).is_some(),
            "footer missing on page {}",
            i + 1
        );
    }
    // Every row made it, each exactly once.
    let all: Vec<u8> = contents.concat();
    for i in [1, 150, 300] {
        assert_eq!(count(&all, format!("(Warga Nomor {i}) Tj").as_bytes()), 1);
    }
}

#[test]
fn footer_numbers_pages() {
    let pdf = render(&document(), "Halaman {page} dari {pages}");
    let pages = count(&pdf, b"/Type /Page ");
    assert!(text(&pdf).contains(&format!("(Halaman 2 dari {pages})")));
}

#[test]
fn escapes_string_delimiters() {
    let pdf = render(&[Block::Paragraph(r"a (b) c\d".into())], "");
    assert!(text(&pdf).contains(r"(a \(b\) c\\d) Tj"));
}

#[test]
fn encodes_win_ansi() {
    let pdf = render(&[Block::Paragraph("Café 漢".into())], "");
    assert!(find(&pdf, b"(Caf\xE9 ?) Tj", 0).is_some());
    assert!(text(&pdf).contains("/Encoding /WinAnsiEncoding"));
    assert!(text(&pdf).contains("/BaseFont /Helvetica-Bold"));
}

#[test]
fn long_paragraph_wraps() {
    let words = "Musyawarah desa menetapkan daftar keluarga penerima manfaat. ".repeat(20);
    let pdf = render(&[Block::Paragraph(words)], "");
    let contents = page_contents(&pdf);
    assert_eq!(contents.len(), 1);
    assert!(count(&contents[0], b" Tj") >= 5);
}

#[test]
fn signatures_show_roles_names_and_blanks() {
    let content = page_contents(&render(&document(), "")).concat();
    for needle in [
        "(Kepala Desa) Tj",
        "(Budi Santoso) Tj",
        "(Ketua BPD) Tj",
        "(Pengawas Kecamatan) Tj",
    ] {
        assert!(find(&content, needle.as_bytes(), 0).is_some(), "{needle}");
    }
    assert!(
        find(&content, b"(.....", 0).is_some(),
        "dotted line for the missing name"
    );
}

#[test]
fn signatures_are_not_split() {
    // Fill most of a page so the signature set would not fit below.
    let mut blocks = vec![Block::Space(650.0)];
    blocks.push(Block::Signatures(vec![
        Signature {
            role: "Kepala Desa".into(),
            name: "A".into(),
        },
        Signature {
            role: "Petugas".into(),
            name: "B".into(),
        },
    ]));
    let contents = page_contents(&render(&blocks, ""));
    assert_eq!(contents.len(), 2);
    assert!(find(&contents[0], b" Tj", 0).is_none());
    assert!(find(&contents[1], b"(Kepala Desa) Tj", 0).is_some());
    assert!(find(&contents[1], b"(B) Tj", 0).is_some());
}

#[test]
fn oversized_content_terminates() {
    let tall = "baris\n".repeat(200);
    let blocks = [
        Block::Table {
            widths: vec![1.0, 0.0, f32::NAN],
            header: vec![tall.clone()],
            rows: vec![vec![tall.clone(); 3]; 3],
        },
        Block::Table {
            widths: vec![],
            header: vec![],
            rows: vec![],
        },
        Block::Space(f32::INFINITY),
        Block::Signatures(vec![
            Signature {
                role: tall,
                name: String::new()
            };
            7
        ]),
    ];
    let pdf = render(&blocks, "{page}/{pages}");
    let pages = count(&pdf, b"/Type /Page ");
    assert!((3..20).contains(&pages), "{pages} pages");
    assert_eq!(page_contents(&pdf).len(), pages);
}

#[test]
fn empty_document_has_one_page() {
    let pdf = render(&[], "");
    assert_eq!(page_contents(&pdf).len(), 1);
}

#[test]
fn deterministic() {
    assert_eq!(
        render(&document(), "Halaman {page} dari {pages}"),
        render(&document(), "Halaman {page} dari {pages}")
    );
}
