//! Verval campaigns: plan within the planner's region, assign a village to its operator,
//! the operator's list, and the limits of each role.

use sipmas_domain::RegionCode;
use sipmas_store::HouseholdSearch;

use super::{World, signed};

pub(crate) async fn campaigns(w: &World) -> String {
    let mut op = signed(w, "operator").await;
    let csrf = op.csrf("/verval").await;
    // A bad date is refused with the form kept.
    let r = op
        .post(
            "/verval",
            &[
                ("_csrf", &csrf),
                ("name", "Verval uji"),
                ("due_on", "31-02-2027"),
            ],
        )
        .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("value=\"Verval uji\""));
    let district = w.inside_village.parent().unwrap();
    let r = op
        .post(
            "/verval",
            &[
                ("_csrf", &csrf),
                ("name", "Verval P3KE Kutai Timur, uji"),
                ("wilayah", &district.dotted()),
                ("due_on", "2027-02-28"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = r.headers()["location"].to_str().unwrap().to_owned();
    let id = page.trim_start_matches("/verval/").to_owned();
    // The campaign lists exactly the households of the chosen kecamatan.
    let expected =
        w.db.store
            .search_households(&HouseholdSearch {
                scope: Some(RegionCode::parse("64.08").unwrap()),
                region: Some(district.clone()),
                limit: 100_000,
                ..Default::default()
            })
            .await
            .unwrap()
            .hits;
    let summary =
        w.db.store
            .campaign(uuid::Uuid::parse_str(&id).unwrap(), None)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(summary.households as usize, expected.len());
    assert!(summary.households > 0);
    let (status, html) = op.page(&page).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"kemajuan\""));
    // Assign the village of the `desa` account; an account of another role is refused.
    let village = w.inside_village.dotted();
    let in_village = expected
        .iter()
        .filter(|h| h.village == w.inside_village)
        .count();
    let csrf = op.csrf(&page).await;
    let r = op
        .post(
            &format!("{page}/tugaskan"),
            &[("_csrf", &csrf), ("desa", &village), ("petugas", "camat")],
        )
        .await;
    assert_eq!(r.status(), 400, "only the village's own operator");
    let r = op
        .post(
            &format!("{page}/tugaskan"),
            &[("_csrf", &csrf), ("desa", &village), ("petugas", "desa")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let progress =
        w.db.store
            .campaign_progress(uuid::Uuid::parse_str(&id).unwrap(), Some(&w.inside_village))
            .await
            .unwrap();
    assert!(
        in_village > 0,
        "the desa account's household is in the campaign"
    );
    assert_eq!(progress[0].assigned as usize, in_village);
    assert_eq!(progress[0].assignees.as_deref(), Some("desa"));
    // The village operator sees their households, and only theirs; cannot plan.
    let mut desa = signed(w, "desa").await;
    let (status, html) = desa.page("/tugas").await;
    assert_eq!(status, 200);
    assert_eq!(
        html.matches("<td>Verval P3KE Kutai Timur, uji</td>")
            .count(),
        in_village
    );
    let csrf = desa.csrf("/tugas").await;
    let r = desa
        .post("/verval", &[("_csrf", &csrf), ("name", "X")])
        .await;
    assert_eq!(r.status(), 403);
    // A planner limited to another regency does not see the campaign at all.
    let mut admin = signed(w, "admin").await;
    assert_eq!(admin.get(&page).await.status(), 200);
    let mut pimpinan = signed(w, "pimpinan").await;
    assert_eq!(
        pimpinan.get(&page).await.status(),
        200,
        "viewer of the province reads progress"
    );
    let audit =
        w.db.store
            .audit_events(&sipmas_store::AuditFilter {
                subject: Some(id.clone()),
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert!(
        actions.contains(&"verval.campaign_created") && actions.contains(&"verval.assigned"),
        "{actions:?}"
    );
    id
}
