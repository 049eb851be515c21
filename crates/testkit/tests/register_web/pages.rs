//! Search, household, edit, conflict, audit, API, language and bad input.

use reqwest::Method;
use sipmas_store::AuditFilter;

use super::{PASSWORD, World, signed};
use sipmas_testkit::csrf_of;

pub(crate) async fn search_and_household(w: &World) {
    let mut b = signed(w, "desa").await;
    // A village operator's search sees only their village.
    let (status, html) = b.page("/cari?wilayah=64.08").await;
    assert_eq!(status, 200);
    let village = w.inside_village.dotted();
    let rows: Vec<&str> = html.split("<tr><td><a href=\"/keluarga/").skip(1).collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.contains(&village)), "only {village}");
    // Name search meets spelling variants: the head of `inside` by an old spelling.
    let hid = sipmas_domain::HouseholdId(uuid::Uuid::parse_str(&w.inside).unwrap());
    let members = w.db.store.members(hid).await.unwrap();
    let head = &members[0];
    let old = head
        .name
        .to_uppercase()
        .replace('U', "OE")
        .replace('J', "DJ");
    let (_, html) = b.page(&format!("/cari?nama={}", urlencode(&old))).await;
    assert!(
        html.contains(&w.inside),
        "{old} finds {}: {}",
        head.name,
        &html[html.find("<main>").unwrap_or(0)..]
    );
    // NIK exact.
    if let Some(nik) = &head.nik {
        let (_, html) = b.page(&format!("/cari?nik={}", nik.as_str())).await;
        assert!(html.contains(&w.inside));
    }
    // Bad input: a clean 400 page in Bahasa Indonesia, the form still filled in.
    let r = b.get("/cari?nik=12345&nama=siti").await;
    assert_eq!(r.status(), 400);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"galat-cari\"") && html.contains("value=\"siti\""));
    let huge = "a".repeat(5000);
    assert_eq!(b.get(&format!("/cari?nama={huge}")).await.status(), 400);
    let r = b.get("/cari?hal=abc").await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("lang=\"id\""));
    assert_eq!(b.get("/keluarga/bukan-uuid").await.status(), 404);
    let r = b.get(&format!("/keluarga/{}", w.outside)).await;
    assert_eq!(
        r.status(),
        404,
        "another village's household is not found, not forbidden"
    );
    assert!(r.text().await.unwrap().contains("tidak ditemukan"));

    let (status, html) = b.page(&format!("/keluarga/{}", w.inside)).await;
    assert_eq!(status, 200);
    assert!(html.contains(&head.name) && html.contains("id=\"riwayat-status\""));
    let views =
        w.db.store
            .audit_events(&AuditFilter {
                actor: Some("desa".into()),
                action: Some("personal_data.viewed".into()),
                subject: Some(w.inside.clone()),
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
    assert!(!views.is_empty(), "reading a household is audited");
    assert!(
        views[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("\"unmasked\":true")
    );
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn version_of(html: &str) -> String {
    let at = html.find("name=\"version\" value=\"").unwrap() + 22;
    html[at..].split('"').next().unwrap().to_owned()
}

pub(crate) async fn edit_and_conflict(w: &World) {
    let path = format!("/keluarga/{}/ubah", w.inside);
    let mut first = signed(w, "desa").await;
    let mut second = signed(w, "operator").await;
    let (_, a) = first.page(&path).await;
    let (_, b) = second.page(&path).await;
    let (ca, va) = (csrf_of(&a).unwrap(), version_of(&a));
    let (cb, vb) = (csrf_of(&b).unwrap(), version_of(&b));
    assert_eq!(va, vb);
    let r = first
        .post(
            &path,
            &[
                ("_csrf", &ca),
                ("version", &va),
                ("street", "Jl. Poros Sangatta No. 7"),
                ("rt", "004"),
                ("floor", "semen"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    // The second editor read the same version: a conflict, both versions shown, nothing saved.
    let r = second
        .post(
            &path,
            &[
                ("_csrf", &cb),
                ("version", &vb),
                ("street", "Jl. Lain"),
                ("rt", "009"),
            ],
        )
        .await;
    assert_eq!(r.status(), 409);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"konflik\""));
    assert!(
        html.contains("Jl. Poros Sangatta No. 7") && html.contains("Jl. Lain"),
        "both versions"
    );
    let (_, page) = second.page(&format!("/keluarga/{}", w.inside)).await;
    assert!(page.contains("Jl. Poros Sangatta No. 7") && !page.contains("Jl. Lain"));
    // History: each changed field with old and new value and who.
    let hid = sipmas_domain::HouseholdId(uuid::Uuid::parse_str(&w.inside).unwrap());
    let changes = w.db.store.field_changes(hid).await.unwrap();
    let street = changes
        .iter()
        .find(|c| c.field == "households.street")
        .unwrap();
    assert_eq!(
        street.new_value.as_deref(),
        Some("Jl. Poros Sangatta No. 7")
    );
    assert_eq!(street.actor, "desa");
    assert!(
        changes
            .iter()
            .all(|c| c.field != "households.dusun" || c.new_value.is_some()),
        "fields not on the request keep their value"
    );
    // Resubmitting from the conflict page (it carries the current version) saves.
    let v2 = version_of(&html);
    let r = second
        .post(
            &path,
            &[("_csrf", &cb), ("version", &v2), ("street", "Jl. Lain")],
        )
        .await;
    assert_eq!(r.status(), 303);

    // CSRF: a forged token, a missing token, a cross-site request: 403, nothing changes.
    let before = w.db.store.household(hid).await.unwrap().unwrap().version;
    let v = before.to_string();
    assert_eq!(
        first
            .post(
                &path,
                &[("_csrf", "palsu"), ("version", &v), ("street", "X")]
            )
            .await
            .status(),
        403
    );
    assert_eq!(
        first
            .post(&path, &[("version", &v), ("street", "X")])
            .await
            .status(),
        403
    );
    let r = first
        .request(Method::POST, &path)
        .header("sec-fetch-site", "cross-site")
        .form(&[
            ("_csrf", ca.as_str()),
            ("version", v.as_str()),
            ("street", "X"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        w.db.store.household(hid).await.unwrap().unwrap().version,
        before
    );
    // Roles that may not edit cannot post either.
    let mut opd = signed(w, "opd").await;
    let c = opd.csrf("/cari").await;
    assert_eq!(
        opd.post(&path, &[("_csrf", &c), ("version", &v), ("street", "X")])
            .await
            .status(),
        403
    );

    // A session that ended mid-form: the sign-in page keeps the input, and after signing
    // in a page offers to send it again.
    let (_, form) = first.page(&path).await;
    let (c, v) = (csrf_of(&form).unwrap(), version_of(&form));
    let token = first.cookie("sipmas_sesi").unwrap().to_owned();
    w.db.store
        .delete_session(
            &sipmas_app::auth::token_hash(&token),
            &sipmas_store::AuditEntry::new("uji", sipmas_domain::AuditAction::LoggedOut),
        )
        .await
        .unwrap();
    let r = first
        .post(
            &path,
            &[
                ("_csrf", &c),
                ("version", &v),
                ("street", "Jl. Setelah Habis Sesi"),
            ],
        )
        .await;
    assert_eq!(r.status(), 401);
    let login = r.text().await.unwrap();
    assert!(login.contains("name=\"bawa.street\" value=\"Jl. Setelah Habis Sesi\""));
    let pre = first
        .cookie("sipmas_pra")
        .map(str::to_owned)
        .unwrap_or_else(|| csrf_of(&login).unwrap());
    let r = first
        .post(
            "/masuk",
            &[
                ("_csrf", &pre),
                ("username", "desa"),
                ("password", PASSWORD),
                ("lanjut", &path),
                ("bawa.version", &v),
                ("bawa.street", "Jl. Setelah Habis Sesi"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let resume = r.text().await.unwrap();
    assert!(resume.contains("id=\"kirim-ulang\"") && resume.contains("Jl. Setelah Habis Sesi"));
    let c = csrf_of(&resume).unwrap();
    let r = first
        .post(
            &path,
            &[
                ("_csrf", &c),
                ("version", &v),
                ("street", "Jl. Setelah Habis Sesi"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    // Signing out after the session ended simply clears the cookie.
    let token = first.cookie("sipmas_sesi").unwrap().to_owned();
    w.db.store
        .delete_session(
            &sipmas_app::auth::token_hash(&token),
            &sipmas_store::AuditEntry::new("uji", sipmas_domain::AuditAction::LoggedOut),
        )
        .await
        .unwrap();
    let r = first.post("/keluar", &[("_csrf", &c)]).await;
    assert_eq!(r.status(), 303);
    assert!(first.cookie("sipmas_sesi").is_none());
}

pub(crate) async fn api_and_audit(w: &World) {
    let token = sipmas_app::auth::create_token(w.db.store.as_ref(), "desa", "uji", "uji")
        .await
        .unwrap();
    let api = w.app.browser();
    let bearer = |m: Method, p: &str| api.request(m, p).bearer_auth(&token);
    let me: serde_json::Value = bearer(Method::GET, "/api/v1/me")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "desa");
    assert_eq!(me["region"], w.inside_village.dotted());
    let found: serde_json::Value = bearer(Method::GET, "/api/v1/households?wilayah=64")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        found["households"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["village"] == w.inside_village.dotted())
    );
    assert_eq!(
        bearer(Method::GET, &format!("/api/v1/households/{}", w.outside))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let doc: serde_json::Value = bearer(Method::GET, &format!("/api/v1/households/{}", w.inside))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let version = doc["version"].as_i64().unwrap();
    let r = bearer(Method::PUT, &format!("/api/v1/households/{}", w.inside))
        .json(&serde_json::json!({ "version": version, "roof": "seng" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = bearer(Method::PUT, &format!("/api/v1/households/{}", w.inside))
        .json(&serde_json::json!({ "version": version, "roof": "genteng" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["current"]["roof"], "seng");
    assert_eq!(
        api.request(Method::GET, "/api/v1/me")
            .bearer_auth("salah")
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    // A session cookie may write only with the session's token in X-CSRF-Token.
    let mut b = signed(w, "desa").await;
    let csrf = b.csrf("/cari").await;
    let put = |b: &sipmas_testkit::Browser| {
        b.request(Method::PUT, &format!("/api/v1/households/{}", w.inside))
            .json(&serde_json::json!({ "version": version + 1, "roof": "asbes" }))
    };
    assert_eq!(put(&b).send().await.unwrap().status(), 403);
    assert_eq!(
        put(&b)
            .header("x-csrf-token", csrf)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // The audit trail: the admin page lists sign-ins and edits; the tables refuse edits.
    let mut admin = signed(w, "admin").await;
    let (status, html) = admin.page("/audit?action=household.edited").await;
    assert_eq!(status, 200);
    assert!(html.contains("household.edited") && !html.contains("auth.login<"));
    let openapi: serde_json::Value = w
        .app
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(openapi["openapi"], "3.1.0");
    for p in [
        "/api/v1/households",
        "/api/v1/households/{id}",
        "/api/v1/me",
        "/api/v1/audit",
    ] {
        assert!(openapi["paths"][p].is_object(), "{p} documented");
    }
    let (status, html) = admin.page("/api/v1/docs").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("/api/v1/households/{id}")
            && !html.contains("http://")
            && !html.contains("https://")
    );
}

pub(crate) async fn language_and_users(w: &World) {
    let mut b = signed(w, "admin").await;
    let r = b.get("/bahasa/en?kembali=/cari").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/cari");
    let (_, html) = b.page("/cari").await;
    assert!(html.contains("lang=\"en\"") && html.contains("Find a household"));
    b.get("/bahasa/id?kembali=/").await;
    let (_, html) = b.page("/cari").await;
    assert!(html.contains("Cari keluarga"));
    // Admin creates an account on the page; a bad one is refused with its input kept.
    let csrf = b.csrf("/pengguna").await;
    let r = b
        .post(
            "/pengguna",
            &[
                ("_csrf", &csrf),
                ("username", "baru"),
                ("role", "desa"),
                ("region", "64.08"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), 400);
    let html = r.text().await.unwrap();
    assert!(html.contains("value=\"baru\"") && html.contains("memerlukan wilayah"));
    let village = w.inside_village.dotted();
    let r = b
        .post(
            "/pengguna",
            &[
                ("_csrf", &csrf),
                ("username", "baru"),
                ("role", "desa"),
                ("region", &village),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let mut fresh = w.app.browser();
    fresh.login("baru", PASSWORD).await;
}
