//! Files as Excel on an Indonesian-locale computer writes them, and every layout.

use sipmas_domain::{Nik, Relationship, Sex};

use crate::support::*;

fn person(
    db: &sipmas_testkit::TestDb,
    rt: &tokio::runtime::Runtime,
    nik: &str,
) -> sipmas_domain::Individual {
    let found = rt
        .block_on(db.store.individuals_by_nik(&Nik::parse(nik).unwrap()))
        .unwrap();
    assert_eq!(found.len(), 1, "one person with NIK {nik}");
    found.into_iter().next().unwrap()
}

#[test]
fn dirty_csv_semicolons_bom_crlf_title_rows_quotes_and_dates() {
    each_backend(|url, db, rt| {
        let dir = tempfile::tempdir().unwrap();
        let mut m = two_families();
        for p in m.iter_mut().take(3) {
            p.address = "Jl. Poros; Gang \"Damai\",\nRT 002".to_owned();
        }
        m[1].birth = "03/08/1980".to_owned();
        m[2].birth = "2008-01-30".to_owned();
        m[3].birth = "18622".to_owned(); // Excel serial of 1950-12-25
        m[0].sex = "L".to_owned();
        m[1].sex = "P".to_owned();
        let rows: Vec<Vec<String>> = m.iter().map(Member::cells).collect();
        // Headers as people type them: capitals and spaces.
        let header: Vec<String> = P3KE
            .iter()
            .map(|h| h.replace('_', " ").to_uppercase())
            .collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let body = csv_text(&header, &rows, ';', "\r\n");
        let text = format!("\u{feff}DATA P3KE KABUPATEN KUTAI TIMUR;;\r\nTahun 2024\r\n\r\n{body}");
        let file = dir.path().join("p3ke;bom.csv");
        std::fs::write(&file, text).unwrap();
        let s = import(url, &["--format", "p3ke", file.to_str().unwrap()]);
        assert_eq!(count(&s, "rows_read"), 5, "{s}");
        assert_eq!(count(&s, "rows_rejected"), 0, "{s}");
        assert_eq!(count(&s, "individuals_created"), 5);
        let head = person(db, rt, &m[0].nik);
        let h = rt
            .block_on(db.store.household(head.household_id))
            .unwrap()
            .unwrap();
        assert_eq!(h.address.street, "Jl. Poros; Gang \"Damai\",\nRT 002");
        assert_eq!(h.village.dotted(), "64.08.01.2001");
        assert_eq!(h.desil.unwrap().desil.get(), 1);
        assert_eq!(person(db, rt, &m[1].nik).birth_date, Some(date(1980, 8, 3)));
        assert_eq!(person(db, rt, &m[1].nik).sex, Sex::Female);
        assert_eq!(
            person(db, rt, &m[2].nik).birth_date,
            Some(date(2008, 1, 30))
        );
        assert_eq!(
            person(db, rt, &m[3].nik).birth_date,
            Some(date(1950, 12, 25))
        );
        assert_eq!(person(db, rt, &m[1].nik).relationship, Relationship::Spouse);
    });
}

#[test]
fn windows_1252_and_tabs() {
    each_backend(|url, db, rt| {
        let dir = tempfile::tempdir().unwrap();
        let mut m = two_families();
        m[0].name = "Andr\u{e9} Sitompul".to_owned();
        let rows: Vec<Vec<String>> = m.iter().map(Member::cells).collect();
        let text = csv_text(&P3KE, &rows, '\t', "\r\n");
        let bytes: Vec<u8> = text
            .chars()
            .map(|c| if c == '\u{e9}' { 0xE9 } else { c as u8 })
            .collect();
        let file = dir.path().join("ansi.csv");
        std::fs::write(&file, bytes).unwrap();
        let s = import(url, &["--format", "p3ke", file.to_str().unwrap()]);
        assert_eq!(count(&s, "rows_imported"), 5, "{s}");
        assert_eq!(person(db, rt, &m[0].nik).name, "Andr\u{e9} Sitompul");
    });
}

#[test]
fn xlsx_with_text_number_and_date_cells_and_a_chosen_sheet() {
    each_backend(|url, db, rt| {
        let dir = tempfile::tempdir().unwrap();
        let m = two_families();
        let path = dir.path().join("p3ke.xlsx");
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet()
            .set_name("Petunjuk")
            .unwrap()
            .write(0, 0, "Baca dulu")
            .unwrap();
        let ws = wb.add_worksheet().set_name("Data").unwrap();
        ws.write(0, 0, "DATA P3KE KUTAI TIMUR").unwrap();
        for (c, h) in P3KE.iter().enumerate() {
            ws.write(2, c as u16, *h).unwrap();
        }
        let date_format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        for (r, member) in m.iter().enumerate() {
            let row = r as u32 + 3;
            for (c, v) in member.cells().iter().enumerate() {
                ws.write(row, c as u16, v.as_str()).unwrap();
            }
            // Desil as a number cell, birth date as a date cell.
            ws.write(row, 2, 1).unwrap();
            let d = chrono::NaiveDate::parse_from_str(&member.birth, "%d-%m-%Y").unwrap();
            use chrono::Datelike;
            let d = rust_xlsxwriter::ExcelDateTime::from_ymd(
                d.year() as u16,
                d.month() as u8,
                d.day() as u8,
            )
            .unwrap();
            ws.write_with_format(row, 15, &d, &date_format).unwrap();
        }
        // A NIK that Excel stored as a number has already lost its last digit.
        let mut bad = Member::new(
            3,
            1,
            "Yusuf",
            Sex::Male,
            "Kepala Keluarga",
            date(1970, 1, 1),
        );
        bad.village = KELINJAU_ILIR.to_owned();
        for (c, v) in bad.cells().iter().enumerate() {
            ws.write(8, c as u16, v.as_str()).unwrap();
        }
        ws.write(8, 10, bad.nik.parse::<f64>().unwrap()).unwrap();
        wb.save(&path).unwrap();
        let s = import(
            url,
            &[
                "--format",
                "p3ke",
                "--sheet",
                "data",
                path.to_str().unwrap(),
            ],
        );
        assert_eq!(count(&s, "rows_read"), 6, "{s}");
        assert_eq!(count(&s, "rows_imported"), 5, "{s}");
        let rep = report(&s);
        assert!(
            rep.iter()
                .any(|(l, _, c, _)| l == "9" && c == "nik_excel_number"),
            "{rep:?}"
        );
        assert_eq!(
            person(db, rt, &m[3].nik).birth_date,
            Some(date(1950, 12, 25))
        );
        let out = sipmas(
            url,
            &[
                "import",
                "--dry-run",
                "--sheet",
                "Tidak Ada",
                path.to_str().unwrap(),
            ],
        );
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("Petunjuk, Data"));
    });
}

#[test]
fn a_village_spreadsheet_through_a_suggested_mapping() {
    each_backend(|url, db, rt| {
        let dir = tempfile::tempdir().unwrap();
        let m = two_families();
        let header = [
            "NO",
            "NAMA",
            "NIK",
            "NO KK",
            "JK",
            "TGL LAHIR",
            "HUBUNGAN",
            "KODE DESA",
            "HOBI",
        ];
        let rows: Vec<Vec<String>> = m
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let jk = if p.sex == "Laki-laki" { "1" } else { "2" };
                let rel = match p.relationship.as_str() {
                    "Kepala Keluarga" => "KK",
                    "Istri" => "ISTRI",
                    "Anak" => "ANAK",
                    _ => "CUCU",
                };
                [
                    &(i + 1).to_string(),
                    &p.name,
                    &p.nik,
                    &p.kk,
                    jk,
                    &p.birth,
                    rel,
                    &p.village,
                    "memancing",
                ]
                .iter()
                .map(|s| s.to_string())
                .collect()
            })
            .collect();
        let file = dir.path().join("desa senyiur.csv");
        std::fs::write(&file, csv_text(&header, &rows, ',', "\n")).unwrap();
        let suggested = ok(
            url,
            &["import", "--suggest-mapping", file.to_str().unwrap()],
        );
        assert!(suggested.contains("\"NAMA\" = \"name\""), "{suggested}");
        assert!(suggested.contains("\"NO KK\" = \"no_kk\""), "{suggested}");
        assert!(suggested.contains("# \"HOBI\""), "{suggested}");
        // The operator adds what only they know: the sex codes of this spreadsheet.
        let mapping = dir.path().join("desa.toml");
        std::fs::write(
            &mapping,
            format!("{suggested}\n[values.sex]\n\"1\" = \"L\"\n\"2\" = \"P\"\n"),
        )
        .unwrap();
        let s = import(
            url,
            &[
                "--format",
                "generic",
                "--mapping",
                mapping.to_str().unwrap(),
                file.to_str().unwrap(),
            ],
        );
        assert_eq!(count(&s, "rows_imported"), 5, "{s}");
        // Families come from the No KK when there is no family id.
        assert_eq!(count(&s, "households_created"), 2, "{s}");
        let p = person(db, rt, &m[1].nik);
        assert_eq!((p.sex, p.relationship), (Sex::Female, Relationship::Spouse));
        let list: serde_json::Value =
            serde_json::from_str(&ok(url, &["import", "list", "--json"])).unwrap();
        assert_eq!(list[0]["source"], "desa-senyiur");
    });
}

#[test]
fn dtsen_and_p3ke_family_exports() {
    each_backend(|url, db, rt| {
        let dir = tempfile::tempdir().unwrap();
        let m = two_families();
        // P3KE family export: one row per family, describing its head, with housing.
        let header = [
            "id_keluarga",
            "kode_kemdagri",
            "desil_kesejahteraan",
            "alamat",
            "kepala_keluarga",
            "nik",
            "jenis_kelamin",
            "tanggal_lahir",
            "jenis_lantai",
            "jenis_dinding",
            "sumber_air_minum",
        ];
        let rows: Vec<Vec<String>> = [&m[0], &m[3]]
            .iter()
            .map(|p| {
                [
                    &p.family, &p.village, "1", &p.address, &p.name, &p.nik, &p.sex, &p.birth,
                    "Tanah", "Bambu", "Sungai",
                ]
                .iter()
                .map(|s| s.to_string())
                .collect()
            })
            .collect();
        let fam = dir.path().join("keluarga.csv");
        std::fs::write(&fam, csv_text(&header, &rows, ',', "\n")).unwrap();
        let s = import(url, &["--format", "p3ke-keluarga", fam.to_str().unwrap()]);
        assert_eq!(
            (
                count(&s, "households_created"),
                count(&s, "individuals_created")
            ),
            (2, 2),
            "{s}"
        );
        let head = person(db, rt, &m[0].nik);
        assert_eq!(head.relationship, Relationship::Head);
        let h = rt
            .block_on(db.store.household(head.household_id))
            .unwrap()
            .unwrap();
        assert_eq!(h.housing.floor.as_deref(), Some("Tanah"));
        // The individual export of the same source then fills in the members of the same
        // families: the heads are recognised by NIK, not created twice.
        let file = write_members(dir.path(), "p3ke.csv", &m);
        let s = import(url, &["--format", "p3ke", file.to_str().unwrap()]);
        assert_eq!(
            (
                count(&s, "households_created"),
                count(&s, "individuals_created")
            ),
            (0, 3),
            "{s}"
        );
        // DTSEN: Regsosek block codes, families by No KK; the same people, another source.
        let header = [
            "b1_r102",
            "b1_r101",
            "nama",
            "jenis_kelamin",
            "hubungan_dengan_krt",
            "tanggal_lahir",
            "kode_wilayah",
            "b1_r104",
            "b1_r105",
        ];
        let rows: Vec<Vec<String>> = m
            .iter()
            .map(|p| {
                [
                    &p.kk,
                    &p.nik,
                    &p.name,
                    &p.sex,
                    &p.relationship,
                    &p.birth,
                    &p.village,
                    "2",
                    &p.address,
                ]
                .iter()
                .map(|s| s.to_string())
                .collect()
            })
            .collect();
        let dtsen = dir.path().join("dtsen.csv");
        std::fs::write(&dtsen, csv_text(&header, &rows, ',', "\n")).unwrap();
        let s = import(url, &["--format", "dtsen", dtsen.to_str().unwrap()]);
        // Same No KK, same NIK: the register has these families already.
        assert_eq!(
            (
                count(&s, "households_created"),
                count(&s, "individuals_created")
            ),
            (0, 0),
            "{s}"
        );
        assert_eq!(
            count(&s, "households_updated"),
            2,
            "desil 1 → 2 from DTSEN: {s}"
        );
        let h = rt
            .block_on(db.store.household(head.household_id))
            .unwrap()
            .unwrap();
        let d = h.desil.unwrap();
        assert_eq!((d.desil.get(), d.source.code()), (2, "dtsen_nasional"));
    });
}
