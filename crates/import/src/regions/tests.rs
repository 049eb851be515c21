use std::collections::HashSet;

use super::*;

#[test]
fn reads_and_orders_parents_first() {
    let csv = "\u{feff}Kode,Nama,Tingkat\n64.08.04.2001,Sangatta Utara,4\n64,Kalimantan Timur,1\n64.08,\"Kabupaten Kutai Timur\",2\n64.08.04,Sangatta Utara,3\n";
    let rows = read_regions(csv.as_bytes(), &HashSet::new()).unwrap();
    let codes: Vec<String> = rows.iter().map(|r| r.code.dotted()).collect();
    assert_eq!(codes, ["64", "64.08", "64.08.04", "64.08.04.2001"]);
    assert_eq!(rows[0].line, 3);
}

#[test]
fn every_problem_is_reported_with_its_line() {
    let csv = "kode,nama,tingkat\n64,Kalimantan Timur,1\n64.08,Kutai Timur,3\n64.8,Salah,2\n64,Lagi,1\n65.01.01,Tanpa Induk,3\n64.09,,2\n";
    let Err(FileError::Rows(errors)) = read_regions(csv.as_bytes(), &HashSet::new()) else {
        panic!("must fail")
    };
    let got: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.code)).collect();
    assert_eq!(
        got,
        [
            (3, "level_mismatch"),
            (4, "region_code"),
            (5, "duplicate"),
            (6, "parent_missing"),
            (7, "name_empty")
        ]
    );
    assert!(errors[0].to_string().contains("baris 3"));
}

#[test]
fn parents_may_already_be_stored() {
    let known: HashSet<String> = ["64.08.04".to_owned()].into();
    let rows = read_regions(
        "kode,nama,tingkat\n64.08.04.2001,Sangatta Utara,4\n".as_bytes(),
        &known,
    )
    .unwrap();
    assert_eq!(rows.len(), 1);
}

#[test]
fn wrong_headers_and_empty_files_are_refused() {
    let e = read_regions("code;name\n64;Kaltim\n".as_bytes(), &HashSet::new()).unwrap_err();
    assert!(matches!(e, FileError::MissingColumns { .. }), "{e}");
    assert!(matches!(
        read_regions("kode,nama,tingkat\n".as_bytes(), &HashSet::new()),
        Err(FileError::Empty)
    ));
}

#[test]
fn population_skips_the_national_row() {
    let csv = "kode,nama,laki_laki,perempuan,total\n0,INDONESIA,1,2,3\n64,Kalimantan Timur,2138665,1984638,4123303\n";
    let rows = read_population(csv.as_bytes()).unwrap();
    assert_eq!(
        rows,
        [PopulationRow {
            code: RegionCode::parse("64").unwrap(),
            male: 2_138_665,
            female: 1_984_638,
            total: 4_123_303
        }]
    );
    assert!(matches!(
        read_population("kode,laki_laki,perempuan,total\n64,x,1,2\n".as_bytes()),
        Err(FileError::Rows(_))
    ));
}
