//! Writes a sample berita acara to stdout, for eyeballing the layout:
//! `cargo run -p sipmas-pdf --example berita_acara > berita-acara.pdf`

use std::io::Write;

use sipmas_pdf::{Block, Signature, render};

fn main() -> std::io::Result<()> {
    let rows = (1..=120)
        .map(|i| {
            vec![
                i.to_string(),
                format!("3201{:012}", i * 7919),
                format!(
                    "Keluarga Bapak/Ibu Nomor {i} (RT {:02}/RW {:02})",
                    i % 9 + 1,
                    i % 4 + 1
                ),
                if i % 5 == 0 {
                    "Tidak layak — pindah domisili".into()
                } else {
                    "Layak".into()
                },
            ]
        })
        .collect();
    let blocks = [
        Block::Title("BERITA ACARA\nMUSYAWARAH DESA VERIFIKASI DAN VALIDASI DATA".into()),
        Block::Space(6.0),
        Block::Heading("Desa Sukamaju, Kecamatan Cibeureum".into()),
        Block::Paragraph(
            "Pada hari ini, Senin tanggal 3 Maret 2025, bertempat di Balai Desa Sukamaju, \
             telah dilaksanakan musyawarah desa untuk memverifikasi dan memvalidasi data \
             keluarga penerima manfaat. Hasil verifikasi adalah sebagai berikut:"
                .into(),
        ),
        Block::Table {
            widths: vec![0.6, 2.2, 4.0, 2.2],
            header: vec![
                "No".into(),
                "NIK Kepala Keluarga".into(),
                "Nama".into(),
                "Status".into(),
            ],
            rows,
        },
        Block::Paragraph("Jumlah keluarga diverifikasi: 120\nLayak: 96\nTidak layak: 24".into()),
        Block::Paragraph(
            "Demikian berita acara ini dibuat untuk dipergunakan sebagaimana mestinya.".into(),
        ),
        Block::Space(12.0),
        Block::Signatures(vec![
            Signature {
                role: "Kepala Desa".into(),
                name: "H. Ahmad Suryadi".into(),
            },
            Signature {
                role: "Petugas Verifikasi".into(),
                name: String::new(),
            },
            Signature {
                role: "Pengawas Kecamatan".into(),
                name: "Dra. Siti Aminah".into(),
            },
            Signature {
                role: "Ketua BPD".into(),
                name: "Ujang Sutisna".into(),
            },
        ]),
    ];
    std::io::stdout().write_all(&render(&blocks, "Halaman {page} dari {pages}"))
}
