//! Import by upload: the same pipeline as `sipmas import`, its progress page, its report.

use chrono::NaiveDate;
use sipmas_domain::{Nik, NoKk, Sex};

use super::{World, signed};

/// A P3KE individual export of one family of two in the village of `w.inside`, plus a row
/// whose NIK Excel turned into scientific notation.
fn p3ke_csv(w: &World) -> String {
    let village = w.inside_village.plain().to_owned();
    let district = w.inside_village.parent().unwrap();
    let birth = NaiveDate::from_ymd_opt(1979, 3, 14).unwrap();
    let nik = |serial| {
        Nik::compose(&district, birth, Sex::Male, serial)
            .unwrap()
            .as_str()
            .to_owned()
    };
    let kk = NoKk::compose(&district, NaiveDate::from_ymd_opt(2019, 7, 2).unwrap(), 77).unwrap();
    let row = |id: &str, name: &str, nik: &str, rel: &str| {
        let mut cells: Vec<String> = vec![
            "UNGGAH0001",
            &village,
            "1",
            "Jl. Unggah No. 1",
            "KALIMANTAN TIMUR",
            "KUTAI TIMUR",
            "X",
            "Y",
            id,
            name,
            nik,
            kk.as_str(),
            "YA",
            "Laki-laki",
            rel,
            "14-03-1979",
            "Kawin",
            "Petani",
            "Tamat SD/Sederajat",
            "YA",
            "TIDAK",
            "TIDAK",
            "YA",
            "TIDAK",
            "TIDAK",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        cells.truncate(sipmas_synth::p3ke::COLUMNS.len());
        cells.join(",")
    };
    let mut out = sipmas_synth::p3ke::COLUMNS.join(",");
    out.push('\n');
    out.push_str(&row(
        "UNGGAH000101",
        "Bahrun Unggah",
        &nik(901),
        "Kepala Keluarga",
    ));
    out.push('\n');
    out.push_str(&row("UNGGAH000102", "Bahri Unggah", "6.40801E+15", "Anak"));
    out.push('\n');
    out
}

pub(crate) async fn upload(w: &World) {
    let mut admin = signed(w, "admin").await;
    let (status, html) = admin.page("/impor").await;
    assert_eq!(status, 200);
    let action = html
        .split("action=\"/impor/unggah?_csrf=")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let form = || {
        reqwest::multipart::Form::new().text("format", "p3ke").part(
            "file",
            reqwest::multipart::Part::text(p3ke_csv(w)).file_name("desa unggah.csv"),
        )
    };
    // Without the token in the action URL: refused, nothing imported.
    let r = admin
        .request(reqwest::Method::POST, "/impor/unggah")
        .header("sec-fetch-site", "same-origin")
        .multipart(form())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = admin
        .request(
            reqwest::Method::POST,
            &format!("/impor/unggah?_csrf={action}"),
        )
        .header("sec-fetch-site", "same-origin")
        .multipart(form())
        .send()
        .await
        .unwrap();
    let status = r.status();
    if status != 303 {
        panic!("{status}: {}", r.text().await.unwrap_or_default());
    }
    let job = r.headers()["location"].to_str().unwrap().to_owned();
    let mut page = String::new();
    for _ in 0..100 {
        let (status, html) = admin.page(&job).await;
        assert_eq!(status, 200);
        page = html;
        if page.contains("id=\"impor-selesai\"") || page.contains("id=\"galat-impor\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(page.contains("id=\"impor-selesai\""), "{page}");
    assert!(
        page.contains("<dt>rows_imported</dt><dd>1</dd>")
            && page.contains("<dt>rows_rejected</dt><dd>1</dd>")
    );
    let report = admin.get(&format!("{job}/laporan")).await;
    assert_eq!(report.status(), 200);
    let text = report.text().await.unwrap();
    assert!(
        text.contains("baris,kolom,nilai,kode_alasan,pesan,status") && text.contains("6.40801E+15")
    );
    // The person is in the register, and the dashboard counts moved with the import.
    let found =
        w.db.store
            .individuals_by_nik(
                &Nik::parse(&{
                    let d = w.inside_village.parent().unwrap();
                    Nik::compose(
                        &d,
                        NaiveDate::from_ymd_opt(1979, 3, 14).unwrap(),
                        Sex::Male,
                        901,
                    )
                    .unwrap()
                    .as_str()
                    .to_owned()
                })
                .unwrap(),
            )
            .await
            .unwrap();
    assert_eq!(found.len(), 1);
    let live =
        w.db.store
            .register_counts(Some(&w.inside_village))
            .await
            .unwrap();
    let shown =
        w.db.store
            .dashboard_counts(Some(&w.inside_village), 0)
            .await
            .unwrap();
    assert_eq!(
        shown[0].1, live,
        "dashboard figures refreshed by the import"
    );
    // Scoped operators and other roles cannot upload; other users cannot see the job.
    let mut op = signed(w, "operator").await;
    assert_eq!(op.get("/impor").await.status(), 403);
    assert_eq!(op.get(&job).await.status(), 403);
}
