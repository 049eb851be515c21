//! The verval loop through `/api/v1/verval`, and the campaign filters that depend on
//! approved visits ("flagged", "not verified since").

use sipmas_testkit::Browser;

use super::{World, signed};

/// A GET of the API as JSON (reads need no CSRF token).
async fn get_json(b: &Browser, path: &str) -> serde_json::Value {
    let r = b.request(reqwest::Method::GET, path).send().await.unwrap();
    assert_eq!(r.status(), 200, "GET {path}");
    r.json().await.unwrap()
}

/// A write to the API with a JSON body, as the page's script sends it (CSRF header).
async fn send_json(
    b: &Browser,
    m: reqwest::Method,
    path: &str,
    csrf: &str,
    body: &serde_json::Value,
) -> reqwest::Response {
    b.request(m, path)
        .header("x-csrf-token", csrf.to_owned())
        .header("sec-fetch-site", "same-origin")
        .json(body)
        .send()
        .await
        .unwrap()
}

/// The same loop through `/api/v1/verval`.
pub(crate) async fn api(w: &World, campaign: &str) {
    let mut desa = signed(w, "desa").await;
    let csrf = desa.csrf("/tugas").await;
    let tasks: serde_json::Value = get_json(&desa, "/api/v1/verval/tasks").await;
    let next = tasks
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["state"] == "listed")
        .expect("another household to visit");
    let hid = next["household_id"].as_str().unwrap();
    let path = format!("/api/v1/verval/campaigns/{campaign}/visits/{hid}");
    let got: serde_json::Value = get_json(&desa, &path).await;
    assert_eq!(got["state"], "listed");
    let hv = got["household_version"].as_i64().unwrap();
    let body = |v: i64| serde_json::json!({ "household_version": v, "result": "tidak_ditemukan", "notes": "rumah kosong" });
    let r = send_json(&desa, reqwest::Method::PUT, &path, &csrf, &body(hv - 1)).await;
    assert_eq!(r.status(), 409);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"],
        "stale"
    );
    let r = send_json(&desa, reqwest::Method::PUT, &path, &csrf, &body(hv)).await;
    assert_eq!(r.status(), 200);
    // The kecamatan approves over the API; the operator role may not review.
    let mut camat = signed(w, "camat").await;
    let ccsrf = camat.csrf("/verval").await;
    let got: serde_json::Value = get_json(&camat, &path).await;
    assert_eq!(got["state"], "submitted");
    assert_eq!(got["form"]["notes"], "rumah kosong");
    let d = serde_json::json!({ "decision": "setujui", "version": got["version"] });
    let r = send_json(
        &desa,
        reqwest::Method::POST,
        &format!("{path}/decision"),
        &csrf,
        &d,
    )
    .await;
    assert_eq!(r.status(), 403, "a village operator does not review");
    let r = send_json(
        &camat,
        reqwest::Method::POST,
        &format!("{path}/decision"),
        &ccsrf,
        &d,
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["state"],
        "reviewed"
    );
    let progress: serde_json::Value =
        get_json(&camat, &format!("/api/v1/verval/campaigns/{campaign}")).await;
    let v = progress["villages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["village_code"] == w.inside_village.dotted())
        .unwrap();
    assert_eq!(v["not_found"], 1);
    assert_eq!(v["graduated"], 1);
    let minutes: serde_json::Value = get_json(
        &camat,
        &format!(
            "/api/v1/verval/campaigns/{campaign}/villages/{}/minutes",
            w.inside_village.dotted()
        ),
    )
    .await;
    assert_eq!(minutes["approved"], 1);

    // Dinsos approves the household not found: it is flagged for follow-up, and the
    // next campaign can select by "flagged" and by "not verified since".
    let mut op = signed(w, "operator").await;
    let ocsrf = op.csrf("/verval").await;
    let d = serde_json::json!({ "decision": "setujui", "version": got["version"].as_i64().unwrap() + 1 });
    let r = send_json(
        &op,
        reqwest::Method::POST,
        &format!("{path}/decision"),
        &ocsrf,
        &d,
    )
    .await;
    assert_eq!(r.status(), 200);
    let village = w.inside_village.dotted();
    let (op, ocsrf) = (&op, &ocsrf);
    let create = |extra: serde_json::Value| {
        let mut body = serde_json::json!({ "name": "Verval lanjutan", "wilayah": village });
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        async move {
            send_json(
                op,
                reqwest::Method::POST,
                "/api/v1/verval/campaigns",
                ocsrf,
                &body,
            )
            .await
        }
    };
    let all: serde_json::Value = create(serde_json::json!({})).await.json().await.unwrap();
    let flagged: serde_json::Value = create(serde_json::json!({ "ditandai": "1" }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        flagged["households"], 2,
        "the household not found, and the one with a new member whose NIK was known"
    );
    let today = chrono::Utc::now().date_naive().to_string();
    let r = create(serde_json::json!({ "belum_verval_sejak": today })).await;
    assert_eq!(r.status(), 201);
    let fresh: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        fresh["households"].as_i64().unwrap(),
        all["households"].as_i64().unwrap() - 2,
        "the two households approved today are left out"
    );
    let r = create(serde_json::json!({ "belum_verval_sejak": "kemarin" })).await;
    assert_eq!(r.status(), 400);
}
