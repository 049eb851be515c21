//! The duplicate review queue on the web: scope, merge, undo, reject.

use sipmas_domain::{AuditAction, HouseholdId};
use sipmas_store::{AuditEntry, LinkPair, LinkRunWrite};

use super::{World, signed};

async fn people(w: &World, household: &str) -> Vec<sipmas_domain::IndividualId> {
    let id = HouseholdId(uuid::Uuid::parse_str(household).unwrap());
    w.db.store
        .members(id)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect()
}

fn pair(l: sipmas_domain::IndividualId, r: sipmas_domain::IndividualId, p: f64) -> LinkPair {
    LinkPair {
        id: 0,
        run_id: uuid::Uuid::nil(),
        left: l,
        right: r,
        probability: p,
        weight: 4.2,
        explanation:
            r#"{"terms":[{"comparison":"nama","level":"jaro_winkler_0.92","weight":3.1}]}"#.into(),
        status: "review".into(),
        decided_by: None,
        created_at: chrono::Utc::now(),
    }
}

pub(crate) async fn review_queue(w: &World) {
    let inside = people(w, &w.inside).await;
    let outside = people(w, &w.outside).await;
    assert!(inside.len() >= 2, "the inside household has two members");
    let run = uuid::Uuid::new_v4();
    let write = LinkRunWrite {
        run_id: run,
        pairs: vec![
            LinkPair {
                run_id: run,
                ..pair(inside[0], inside[1], 0.93)
            },
            LinkPair {
                run_id: run,
                ..pair(inside[0], outside[0], 0.91)
            },
        ],
        merges: Vec::new(),
    };
    w.db.store
        .save_link_run(&write, &AuditEntry::new("uji", AuditAction::LinkRun))
        .await
        .unwrap();
    let all = w.db.store.review_pairs(None, "review", 10).await.unwrap();
    let inner = all
        .iter()
        .find(|p| p.right.id == inside[1])
        .unwrap()
        .pair
        .id;
    let across = all
        .iter()
        .find(|p| p.right.id == outside[0])
        .unwrap()
        .pair
        .id;

    // The operator of 64.08 sees the pair within the regency, not the one across regencies.
    let mut op = signed(w, "operator").await;
    let (status, html) = op.page("/data-ganda").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("id=\"pasangan-{inner}\"")));
    assert!(!html.contains(&format!("id=\"pasangan-{across}\"")));
    assert!(
        html.contains("93.0%") && html.contains("jaro_winkler_0.92"),
        "probability and reasons"
    );
    let csrf = op.csrf("/data-ganda").await;
    let r = op
        .post(&format!("/data-ganda/{across}/gabung"), &[("_csrf", &csrf)])
        .await;
    assert_eq!(
        r.status(),
        404,
        "a pair outside the region cannot be decided"
    );
    let mut desa = signed(w, "desa").await;
    assert_eq!(desa.get("/data-ganda").await.status(), 403);

    // Merge, see it under `merged`, undo it: the person stands alone again.
    let r = op
        .post(&format!("/data-ganda/{inner}/gabung"), &[("_csrf", &csrf)])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        w.db.store.merged_into(inside[1]).await.unwrap(),
        Some(inside[0])
    );
    let r = op
        .post(&format!("/data-ganda/{inner}/gabung"), &[("_csrf", &csrf)])
        .await;
    assert_eq!(r.status(), 400, "a decided pair cannot be decided again");
    let (_, html) = op.page("/data-ganda?status=merged").await;
    assert!(html.contains(&format!("/data-ganda/{inner}/pisah")));
    let r = op
        .post(&format!("/data-ganda/{inner}/pisah"), &[("_csrf", &csrf)])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(w.db.store.merged_into(inside[1]).await.unwrap(), None);

    // The admin (no region) rejects the other pair; it leaves the queue.
    let mut admin = signed(w, "admin").await;
    let csrf = admin.csrf("/data-ganda").await;
    let r = admin
        .post(&format!("/data-ganda/{across}/tolak"), &[("_csrf", &csrf)])
        .await;
    assert_eq!(r.status(), 303);
    let (_, html) = admin.page("/data-ganda").await;
    assert!(!html.contains(&format!("id=\"pasangan-{across}\"")));
    // The same through the API with a token: the queue, a merge, an undo.
    let token = sipmas_app::auth::create_token(w.db.store.as_ref(), "operator", "uji", "uji")
        .await
        .unwrap();
    let api = w.app.browser();
    let queue: serde_json::Value = api
        .request(reqwest::Method::GET, "/api/v1/links")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        queue.as_array().unwrap().iter().all(|p| p["id"] != across),
        "not outside the region"
    );
    let undone: serde_json::Value = api
        .request(reqwest::Method::GET, "/api/v1/links?status=unmerged")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(undone.as_array().unwrap().iter().any(|p| p["id"] == inner));
    // A new run proposes the pair again the other way round: merge and undo by API.
    let run = uuid::Uuid::new_v4();
    let again = LinkRunWrite {
        run_id: run,
        pairs: vec![LinkPair {
            run_id: run,
            ..pair(inside[1], inside[0], 0.95)
        }],
        merges: Vec::new(),
    };
    w.db.store
        .save_link_run(&again, &AuditEntry::new("uji", AuditAction::LinkRun))
        .await
        .unwrap();
    let fresh = w.db.store.review_pairs(None, "review", 10).await.unwrap();
    let fresh = fresh
        .iter()
        .find(|p| p.right.id == inside[0])
        .unwrap()
        .pair
        .id;
    for (id, decision, want) in [
        (inner, "merge", 400),
        (fresh, "merge", 200),
        (fresh, "merge", 400),
        (fresh, "unmerge", 200),
        (fresh, "bogus", 404),
    ] {
        let r = api
            .request(
                reqwest::Method::POST,
                &format!("/api/v1/links/{id}/{decision}"),
            )
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), want, "{id} {decision}");
    }
    assert_eq!(w.db.store.merged_into(inside[0]).await.unwrap(), None);
    let r = api
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/links/{across}/reject"),
        )
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "outside the operator's region");

    let events =
        w.db.store
            .audit_events(&sipmas_store::AuditFilter {
                actor: Some("operator".into()),
                limit: 50,
                ..Default::default()
            })
            .await
            .unwrap();
    for action in ["link.merged", "link.unmerged", "personal_data.viewed"] {
        assert!(
            events.iter().any(|e| e.action == action),
            "{action} audited"
        );
    }
}
