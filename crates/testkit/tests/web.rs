//! The web app over real HTTP, on both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use sipmas_synth::{Generator, SynthConfig};
use sipmas_testkit::{TestApp, TestDb};

async fn seeded(db: &TestDb) {
    let g = Generator::kaltim(SynthConfig {
        seed: 5,
        households: 600,
        as_of: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
    });
    sipmas_app::demo::populate(db.store.as_ref(), g, &|_| {})
        .await
        .unwrap();
}

/// 1234567 as the pages print it: 1.234.567.
fn dotted(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

async fn journey(db: TestDb) {
    seeded(&db).await;
    let app = TestApp::spawn(db.store.clone()).await;

    let health = app.get("/health").await;
    assert_eq!(health.status(), 200);
    assert_eq!(
        health.json::<serde_json::Value>().await.unwrap()["database"],
        "ok"
    );

    let home = app.get("/").await;
    assert_eq!(home.status(), 200);
    let headers = home.headers().clone();
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'self'")
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    let html = home.text().await.unwrap();
    assert!(html.contains("lang=\"id\""));
    assert!(
        html.contains("Kabupaten Kutai Timur"),
        "opens on the province's regencies"
    );
    assert!(html.contains("<svg"), "trend chart without JavaScript");
    // The dashboard's figures (kept per village) agree with a count of the register.
    let live = db.store.register_counts(None).await.unwrap();
    assert!(
        html.contains(&format!("id=\"kk-terdata\">{}<", dotted(live.households))),
        "households on the dashboard"
    );
    assert!(html.contains(&format!(
        "id=\"kk-ekstrem\">{}<",
        dotted(live.extreme_poor_households)
    )));
    let desil = db.store.dashboard_desil(None).await.unwrap();
    assert!(html.contains("id=\"sebaran-desil\""));
    assert!(desil.iter().all(|(d, _)| (1..=10).contains(d)));
    let with_desil: u64 = desil.iter().map(|d| d.1).sum();
    assert!(with_desil > 0 && with_desil <= live.households);

    // Drill down to a regency: its kecamatan are listed, with real Kutai Timur names.
    let kutim = app.get("/?wilayah=64.08").await.text().await.unwrap();
    assert!(kutim.contains("Muara Bengkal") && kutim.contains("Sangatta Utara"));
    assert_eq!(app.get("/?wilayah=64.99").await.status(), 404);

    // The JSON API agrees with the store, within a region too.
    let stats: serde_json::Value = app.get("/api/v1/stats").await.json().await.unwrap();
    assert_eq!(stats["households"], 600);
    let counts = db
        .store
        .register_counts(Some(&sipmas_domain::RegionCode::parse("64.08").unwrap()))
        .await
        .unwrap();
    let kutim_stats: serde_json::Value = app
        .get("/api/v1/stats?wilayah=6408")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(kutim_stats["households"], counts.households);
    assert_eq!(app.get("/api/v1/stats?wilayah=64-08").await.status(), 400);
    // Small people counts are suppressed in public figures: find a village with 1–4.
    let store = db.store.as_ref();
    let mut small = None;
    'search: for district in store
        .child_regions(Some(&sipmas_domain::RegionCode::parse("64.08").unwrap()))
        .await
        .unwrap()
    {
        for village in store.child_regions(Some(&district.code)).await.unwrap() {
            let c = store.register_counts(Some(&village.code)).await.unwrap();
            if (1..5).contains(&c.extreme_poor_individuals) {
                small = Some(village.code.dotted());
                break 'search;
            }
        }
    }
    let code = small.expect("the seeded province has a village with 1-4 extremely poor people");
    let v: serde_json::Value = app
        .get(&format!("/api/v1/stats?wilayah={code}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(v["extreme_poor_individuals"].is_null(), "{v}");
    assert!(
        v["extreme_poor_households"].is_null(),
        "1–4 households too: {v}"
    );
    assert!(
        v["households"].as_u64().unwrap() > 0,
        "household counts stay visible"
    );
    assert_eq!(app.get("/tidak-ada").await.status(), 404);

    // Compressed when the client accepts it.
    let raw = reqwest::Client::builder().no_gzip().build().unwrap();
    let gz = raw
        .get(format!("{}/", app.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");

    app.stop().await;
    db.finish().await;
}

#[tokio::test]
async fn web_on_sqlite() {
    journey(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn web_on_postgres() {
    let Some(db) = TestDb::postgres().await else {
        return eprintln!("PostgreSQL not configured: skipped");
    };
    journey(db).await;
}
