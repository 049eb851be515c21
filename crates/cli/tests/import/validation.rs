//! Every bad row is reported with its line and reason; the good rows are kept.

use sipmas_domain::{Nik, Sex};

use crate::support::*;

#[test]
fn bad_rows_are_reported_and_good_rows_kept() {
    each_backend(|url, db, rt| {
        let dir = tempfile::tempdir().unwrap();
        let mut m = two_families();
        // Line 7 onwards: one fault each.
        let mut excel = Member::new(
            3,
            1,
            "Yusuf",
            Sex::Male,
            "Kepala Keluarga",
            date(1970, 1, 1),
        );
        excel.nik = "6.40801E+15".to_owned();
        let mut zero = Member::new(
            4,
            1,
            "Wahyuni",
            Sex::Female,
            "Kepala Keluarga",
            date(1971, 2, 2),
        );
        zero.nik = format!("{}0000", &zero.nik[..12]);
        let mut region = Member::new(5, 1, "Baco", Sex::Male, "Kepala Keluarga", date(1972, 3, 3));
        region.village = "6408019999".to_owned();
        let mut birth = Member::new(
            6,
            1,
            "Daeng Sikki",
            Sex::Male,
            "Kepala Keluarga",
            date(1973, 4, 4),
        );
        birth.birth = "31-02-1973".to_owned();
        let mut noname = Member::new(7, 1, "", Sex::Male, "Kepala Keluarga", date(1974, 5, 5));
        noname.name = " ".to_owned();
        // Kept, with warnings: sex and birth date disagree with the NIK.
        let mut sex = Member::new(
            8,
            1,
            "Ahmad Fauzi",
            Sex::Male,
            "Kepala Keluarga",
            date(1976, 6, 6),
        );
        sex.sex = "P".to_owned();
        sex.birth = "07-06-1976".to_owned();
        m.extend([excel, zero, region, birth, noname, sex]);
        let file = write_members(dir.path(), "p3ke.csv", &m);
        let s = import(url, &["--format", "p3ke", file.to_str().unwrap()]);
        assert_eq!(count(&s, "rows_read"), 11);
        assert_eq!(count(&s, "rows_rejected"), 5);
        assert_eq!(count(&s, "rows_imported"), 6);
        assert_eq!(count(&s, "rows_warned"), 1);
        assert_eq!(count(&s, "households_created"), 3);
        assert_eq!(count(&s, "individuals_created"), 6);
        let rep = report(&s);
        let has = |line: &str, code: &str, status: &str| {
            rep.iter()
                .any(|(l, _, c, st)| l == line && c == code && st == status)
        };
        assert!(has("7", "nik_scientific_notation", "ditolak"), "{rep:?}");
        assert!(has("8", "nik_serial_zero", "ditolak"), "{rep:?}");
        assert!(has("9", "region_unknown", "ditolak"), "{rep:?}");
        assert!(has("10", "birth_date_invalid", "ditolak"), "{rep:?}");
        assert!(has("11", "name_missing", "ditolak"), "{rep:?}");
        assert!(has("12", "sex_nik_mismatch", "peringatan"), "{rep:?}");
        assert!(
            has("12", "birth_date_nik_mismatch", "peringatan"),
            "{rep:?}"
        );
        assert!(
            rep.iter().any(|(_, col, _, _)| col == "nik"),
            "the column is named"
        );
        // The report's message is Bahasa Indonesia and names Excel for the mangled NIK.
        let text = std::fs::read_to_string(s["report"].as_str().unwrap()).unwrap();
        assert!(text.contains("notasi ilmiah"), "{text}");
        // What was kept is in the register, with its source line.
        let kept = Nik::parse(&m[0].nik).unwrap();
        let people = rt.block_on(db.store.individuals_by_nik(&kept)).unwrap();
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].name, "Abdul Rahman");
        let sources = rt
            .block_on(db.store.sources_of_household(people[0].household_id))
            .unwrap();
        assert_eq!(
            sources.iter().map(|s| s.line).collect::<Vec<_>>(),
            vec![2, 3, 4]
        );
        assert!(sources[0].payload.contains("Abdul Rahman"));
    });
}

#[test]
fn a_file_without_the_required_columns_is_refused_whole() {
    each_backend(|url, _db, _rt| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.csv");
        std::fs::write(&path, "nama_lengkap,nik\nBudi,6408011204750011\n").unwrap();
        let out = sipmas(url, &["import", "--format", "p3ke", path.to_str().unwrap()]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("kolom wajib tidak ada"), "{err}");
        assert!(err.contains("kode_kemendagri"), "{err}");
        let list: serde_json::Value =
            serde_json::from_str(&ok(url, &["import", "list", "--json"])).unwrap();
        assert_eq!(list.as_array().unwrap().len(), 0, "no batch recorded");
    });
}

#[test]
fn generic_without_mapping_and_a_bad_mapping_fail_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let file = write_members(dir.path(), "p3ke.csv", &two_families());
    let out = sipmas(
        &url,
        &["import", "--format", "generic", file.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--mapping"));
    let mapping = dir.path().join("m.toml");
    std::fs::write(
        &mapping,
        "source = \"desa\"\n[columns]\n\"NAMA\" = \"warna\"\n",
    )
    .unwrap();
    let out = sipmas(
        &url,
        &[
            "import",
            "--format",
            "generic",
            "--mapping",
            mapping.to_str().unwrap(),
            file.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("pemetaan tidak valid") && err.contains("warna"),
        "{err}"
    );
    assert!(
        !dir.path().join("t.db").exists(),
        "nothing opened before the mapping was checked"
    );
}
