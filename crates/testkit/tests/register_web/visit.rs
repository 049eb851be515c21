//! The verval loop over HTTP: a village operator visits (stale form refused, photos
//! shrunk), the kecamatan sends back and then approves, Dinsos approves, the register
//! and the dashboard move, and the berita acara lists the result. Every permission
//! boundary is tried: another village's assignment, a role out of turn.

use reqwest::multipart::{Form, Part};
use sipmas_domain::{HouseholdId, LifeStatus, RegionCode, WelfareStatus};
use sipmas_store::VisitFilter;
use sipmas_testkit::Browser;

use super::{World, signed};

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(1600, 1200, |x, y| {
        image::Rgb([(x % 250) as u8, (y % 250) as u8, 120])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

async fn send(
    b: &Browser,
    path: &str,
    csrf: &str,
    fields: &[(&str, &str)],
    photo: bool,
) -> reqwest::Response {
    let mut form = Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if photo {
        form = form.part(
            "foto",
            Part::bytes(png())
                .file_name("rumah.png")
                .mime_str("image/png")
                .unwrap(),
        );
    }
    b.request(reqwest::Method::POST, &format!("{path}?_csrf={csrf}"))
        .header("sec-fetch-site", "same-origin")
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// Someone else edits the household (its RT) through the API, as an admin would.
async fn set_rt(w: &World, admin: &mut Browser, h: HouseholdId, rt: &str) {
    let mut edit =
        sipmas_app::register::EditForm::of(&w.db.store.household(h).await.unwrap().unwrap());
    edit.rt = Some(rt.into());
    let csrf = admin.csrf("/cari").await;
    let r = admin
        .request(reqwest::Method::PUT, &format!("/api/v1/households/{}", h.0))
        .header("x-csrf-token", csrf)
        .header("sec-fetch-site", "same-origin")
        .json(&edit)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

async fn state_of(w: &World, campaign: uuid::Uuid, h: HouseholdId) -> String {
    w.db.store
        .visit_target(campaign, h, None)
        .await
        .unwrap()
        .unwrap()
        .state
}

fn with<'a>(visit: &'a [(&'a str, String)], version: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut f: Vec<(&str, &str)> = visit.iter().map(|(k, v)| (*k, v.as_str())).collect();
    f.push(("versi_rumah", version));
    f
}

fn field(html: &str, name: &str) -> String {
    let at = html
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("{name} in form"));
    let rest = &html[at + name.len() + 15..];
    rest[..rest.find('"').unwrap()].to_owned()
}

pub(crate) async fn visit_and_approve(w: &World, campaign: &str) {
    let cid = uuid::Uuid::parse_str(campaign).unwrap();
    let store = w.db.store.as_ref();
    let rows = store
        .visit_rows(&VisitFilter {
            campaign_id: Some(cid),
            within: w.inside_village.parent(),
            state: None,
            limit: 1000,
        })
        .await
        .unwrap();
    let mine = rows
        .iter()
        .find(|r| r.assignee.as_deref() == Some("desa"))
        .unwrap()
        .household_id;
    let other = rows
        .iter()
        .find(|r| r.assignee.is_none())
        .expect("a village not given to `desa`")
        .household_id;
    // Make sure the household starts extremely poor, so approval moves the dashboard.
    let h = store.household(mine).await.unwrap().unwrap();
    if h.welfare != WelfareStatus::ExtremePoor {
        let change = sipmas_domain::StatusChange {
            household_id: mine,
            from: Some(h.welfare),
            to: WelfareStatus::ExtremePoor,
            effective_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            reason: "uji".into(),
            actor: "uji".into(),
            reference: None,
            recorded_at: chrono::Utc::now(),
        };
        let entry = sipmas_store::AuditEntry::new(
            "uji",
            sipmas_domain::AuditAction::HouseholdStatusChanged,
        );
        store
            .change_status(h.version, &change, &entry)
            .await
            .unwrap();
        sipmas_app::stats::refresh(store, Some(std::slice::from_ref(&w.inside_village)))
            .await
            .unwrap();
    }
    let extreme_before = store
        .dashboard_counts(Some(&w.inside_village), 0)
        .await
        .unwrap()[0]
        .1
        .extreme_poor_households;
    let page = format!("/verval/{campaign}/kunjungan/{}", mine.0);
    let elsewhere = format!("/verval/{campaign}/kunjungan/{}", other.0);

    // The village operator opens the form of their own household only.
    let mut desa = signed(w, "desa").await;
    let (status, html) = desa.page("/tugas").await;
    assert_eq!(status, 200);
    assert!(html.contains(&page), "the task links to the form");
    let (status, html) = desa.page(&page).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"kunjungan\"") && html.contains("name=\"kriteria\""));
    let version = field(&html, "versi_rumah");
    let members = store.members(mine).await.unwrap();
    let csrf = desa.csrf(&page).await;
    assert_eq!(
        desa.get(&elsewhere).await.status(),
        404,
        "another village's assignment"
    );
    let r = send(
        &desa,
        &elsewhere,
        &csrf,
        &[("hasil", "miskin_ekstrem"), ("versi_rumah", "1")],
        false,
    )
    .await;
    assert_eq!(
        r.status(),
        404,
        "cannot submit another village's assignment"
    );
    // Other roles: the kecamatan and Dinsos read it; agencies and viewers do not.
    for (name, want) in [
        ("camat", 200),
        ("operator", 200),
        ("opd", 403),
        ("pimpinan", 403),
    ] {
        assert_eq!(
            signed(w, name).await.get(&page).await.status(),
            want,
            "{name} GET visit"
        );
    }

    // Bad input: no result. 400, the typed notes kept, nothing stored.
    let r = send(
        &desa,
        &page,
        &csrf,
        &[("versi_rumah", &version), ("catatan", "rumah panggung")],
        false,
    )
    .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("rumah panggung"));
    assert_eq!(state_of(w, cid, mine).await, "listed");

    // Someone changes the household after the form was opened: a conflict, not applied.
    let dead = members[0].id.0.to_string();
    // The new member's NIK is already someone's in another family: added, and flagged.
    let known_nik = store
        .members(other)
        .await
        .unwrap()
        .into_iter()
        .find_map(|m| m.nik)
        .expect("a member with a NIK")
        .as_str()
        .to_owned();
    let mut visit = vec![
        ("baru_nik.1", known_nik.clone()),
        ("hasil", "graduasi".to_owned()),
        ("status_baru", "rentan".into()),
        ("floor", "keramik".into()),
        ("kriteria", "jamban".into()),
        ("kriteria", "air".into()),
        ("pengeluaran", "450.000".into()),
        (format!("anggota.{dead}").leak() as &str, "meninggal".into()),
        (
            format!("anggota_tgl.{dead}").leak() as &str,
            "2026-10-01".into(),
        ),
        ("baru_nama.1", "Bayi Baru Lahir".into()),
        ("baru_jk.1", "P".into()),
        ("baru_lahir.1", "2026-09-15".into()),
        ("baru_hubungan.1", "anak".into()),
        ("catatan", "sudah bekerja".into()),
    ];
    let mut admin = signed(w, "admin").await;
    set_rt(w, &mut admin, mine, "009").await;
    let r = send(&desa, &page, &csrf, &with(&visit, &version), true).await;
    assert_eq!(r.status(), 409);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("id=\"konflik\"") && html.contains("009"),
        "the register as it is now"
    );
    assert!(
        html.contains("value=\"keramik\""),
        "the typed values are kept"
    );
    assert_eq!(state_of(w, cid, mine).await, "listed");
    let fresh = field(&html, "versi_rumah");
    assert_ne!(fresh, version);

    // Sent again against what the operator has now seen: stored, photo shrunk.
    let r = send(&desa, &page, &csrf, &with(&visit, &fresh), true).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    assert_eq!(state_of(w, cid, mine).await, "submitted");
    let photos = store.photo_ids(cid, mine).await.unwrap();
    assert_eq!(photos.len(), 1);
    let stored = store.photo(photos[0]).await.unwrap().unwrap();
    let img = image::load_from_memory(&stored.bytes).unwrap();
    assert_eq!((img.width(), img.height()), (1280, 960));
    // Twice is refused: it is the kecamatan's turn.
    let r = send(&desa, &page, &csrf, &with(&visit, &fresh), false).await;
    assert_eq!(r.status(), 409);

    // Dinsos cannot approve before the kecamatan.
    let mut op = signed(w, "operator").await;
    let (_, html) = op.page(&page).await;
    assert!(!html.contains("id=\"keputusan\""));
    let ver = store
        .visit_target(cid, mine, None)
        .await
        .unwrap()
        .unwrap()
        .version
        .to_string();
    let opcsrf = op.csrf("/verval").await;
    let decision = format!("{page}/keputusan");
    let r = op
        .post(
            &decision,
            &[
                ("_csrf", &opcsrf),
                ("decision", "setujui"),
                ("version", &ver),
            ],
        )
        .await;
    assert_eq!(r.status(), 403);

    // The kecamatan sees the per-field diff and the photo, and sends it back.
    let mut camat = signed(w, "camat").await;
    let (status, html) = camat.page(&page).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("id=\"beda\"") && html.contains("<td>keramik</td>"),
        "diff shows the new floor"
    );
    assert!(html.contains("Bayi Baru Lahir") && html.contains("id=\"keputusan\""));
    let photo = format!("/verval/foto/{}", photos[0]);
    assert!(html.contains(&photo));
    let r = camat.get(&photo).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    assert_eq!(
        desa.get(&photo).await.status(),
        200,
        "the visitor sees their photo"
    );
    assert_eq!(signed(w, "opd").await.get(&photo).await.status(), 403);
    let ccsrf = camat.csrf(&page).await;
    let r = camat
        .post(
            &decision,
            &[
                ("_csrf", &ccsrf),
                ("decision", "kembalikan"),
                ("version", &ver),
            ],
        )
        .await;
    assert_eq!(r.status(), 400, "a send-back needs a comment");
    let r = camat
        .post(
            &decision,
            &[
                ("_csrf", &ccsrf),
                ("decision", "kembalikan"),
                ("comment", "Foto rumah kurang jelas, tambah kriteria"),
                ("version", &ver),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(state_of(w, cid, mine).await, "returned");
    let r = camat
        .post(
            &decision,
            &[
                ("_csrf", &ccsrf),
                ("decision", "setujui"),
                ("version", &ver),
            ],
        )
        .await;
    assert_eq!(r.status(), 403, "nothing to review once returned");

    // The operator sees the comment, corrects, sends again.
    let (status, html) = desa.page(&page).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Foto rumah kurang jelas") && html.contains("value=\"keramik\""),
        "comment and the earlier entries"
    );
    visit.push(("kriteria", "makan".into()));
    let version = field(&html, "versi_rumah");
    assert_eq!(
        version, fresh,
        "a sent-back form keeps the version it was made against"
    );
    // The register moves again while the visit is back in the village: sending the
    // reopened form must show the comparison, not overwrite.
    set_rt(w, &mut admin, mine, "010").await;
    let r = send(&desa, &page, &csrf, &with(&visit, &version), true).await;
    assert_eq!(r.status(), 409);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"konflik\"") && html.contains("010"));
    let version = field(&html, "versi_rumah");
    // Sent with a new photo: it replaces the earlier one.
    let r = send(&desa, &page, &csrf, &with(&visit, &version), true).await;
    assert_eq!(r.status(), 303);
    let replaced = store.photo_ids(cid, mine).await.unwrap();
    assert_eq!(replaced.len(), 1);
    assert_ne!(replaced[0], photos[0]);

    // Kecamatan approves, then Dinsos; a stale version is refused.
    let ver = store
        .visit_target(cid, mine, None)
        .await
        .unwrap()
        .unwrap()
        .version;
    let stale = (ver - 1).to_string();
    let r = camat
        .post(
            &decision,
            &[
                ("_csrf", &ccsrf),
                ("decision", "setujui"),
                ("version", &stale),
            ],
        )
        .await;
    assert_eq!(r.status(), 409);
    let r = camat
        .post(
            &decision,
            &[
                ("_csrf", &ccsrf),
                ("decision", "setujui"),
                ("version", &ver.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(state_of(w, cid, mine).await, "reviewed");
    assert_eq!(
        store.household(mine).await.unwrap().unwrap().welfare,
        WelfareStatus::ExtremePoor,
        "not before Dinsos"
    );
    let ver = (ver + 1).to_string();
    let r = op
        .post(
            &decision,
            &[
                ("_csrf", &opcsrf),
                ("decision", "setujui"),
                ("version", &ver),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(state_of(w, cid, mine).await, "approved");

    // The register moved, with the campaign as the reason.
    let h = store.household(mine).await.unwrap().unwrap();
    assert_eq!(h.welfare, WelfareStatus::Vulnerable);
    assert_eq!(h.housing.floor.as_deref(), Some("keramik"));
    assert_eq!(
        h.address.rt.as_deref(),
        Some("010"),
        "the other edit is kept"
    );
    let flags = store
        .register_flags(Some("nik_in_two_households"), 1000)
        .await
        .unwrap();
    assert!(
        flags.iter().any(|f| f.household_id == Some(mine)),
        "the new member's known NIK is flagged"
    );
    let history = store.status_history(mine).await.unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.to, WelfareStatus::Vulnerable);
    assert_eq!(last.reference.as_deref(), Some(campaign));
    assert!(
        last.reason.contains("Verval P3KE Kutai Timur, uji"),
        "{}",
        last.reason
    );
    let changes = store.field_changes(mine).await.unwrap();
    let floor = changes
        .iter()
        .find(|c| c.field == "households.floor" && c.campaign_id == Some(cid))
        .expect("floor change");
    assert_eq!(floor.new_value.as_deref(), Some("keramik"));
    let members = store.members(mine).await.unwrap();
    let died = members.iter().find(|m| m.id.0.to_string() == dead).unwrap();
    assert_eq!(died.life_status, LifeStatus::Deceased);
    assert_eq!(
        died.deceased_on,
        chrono::NaiveDate::from_ymd_opt(2026, 10, 1)
    );
    assert!(members.iter().any(|m| m.name == "Bayi Baru Lahir"));
    let extreme_after = store
        .dashboard_counts(Some(&w.inside_village), 0)
        .await
        .unwrap()[0]
        .1
        .extreme_poor_households;
    assert_eq!(extreme_after + 1, extreme_before, "the dashboard moved");

    // The campaign dashboard's breakdown, and the berita acara (page and PDF).
    let (_, html) = op.page(&format!("/verval/{campaign}")).await;
    assert!(html.contains("id=\"hasil\""));
    let village = w.inside_village.dotted();
    let minutes = format!("/verval/{campaign}/desa/{village}/berita-acara");
    let head = members
        .iter()
        .find(|m| m.relationship == sipmas_domain::Relationship::Head)
        .map(|m| m.name.clone());
    for who in [&mut camat, &mut desa] {
        let (status, html) = who.page(&minutes).await;
        assert_eq!(status, 200);
        assert!(html.contains("Tidak lagi miskin ekstrem") && html.contains("Kepala Desa"));
        if let Some(head) = &head {
            assert!(html.contains(head.as_str()));
        }
        let r = who.get(&format!("{minutes}.pdf")).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        let pdf = r.bytes().await.unwrap();
        assert!(pdf.starts_with(b"%PDF-1.4"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("BERITA ACARA") && text.contains("Tidak lagi miskin ekstrem"));
    }
    let other_village = rows
        .iter()
        .find(|r| r.assignee.is_none())
        .unwrap()
        .village_code
        .clone();
    let r = desa
        .get(&format!(
            "/verval/{campaign}/desa/{other_village}/berita-acara"
        ))
        .await;
    assert_eq!(r.status(), 404, "another village's minutes");

    let audit = store
        .audit_events(&sipmas_store::AuditFilter {
            subject: Some(mine.0.to_string()),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    for action in [
        "verval.visit_submitted",
        "verval.visit_returned",
        "verval.visit_reviewed",
        "verval.visit_approved",
        "personal_data.viewed",
    ] {
        assert!(audit.iter().any(|e| e.action == action), "{action} audited");
    }
    let _ = RegionCode::parse(&village).unwrap();
}
