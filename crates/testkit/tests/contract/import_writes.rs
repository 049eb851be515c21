//! What an import session writes reads back exactly, on both backends. On PostgreSQL the
//! rows arrive as binary COPY, each cell in its column's wire format: a value written as
//! the wrong type of the same width (bigint, double, timestamptz) would not fail the COPY,
//! only be stored wrong.

use chrono::{Duration, TimeZone, Utc};
use sipmas_domain::AuditAction;
use sipmas_store::{BatchSummary, FieldChange, ImportWrite};
use sipmas_testkit::TestDb;

use super::audit;

#[tokio::test]
async fn an_import_session_stores_every_value_as_given() {
    for db in TestDb::each().await {
        let store = db.store.as_ref();
        super::register::save_bundle_regions(store).await;
        let all = super::register::bundles();
        // The sample must hold what could go wrong: doubles, dates, true booleans.
        let households: Vec<_> = all.iter().map(|b| b.household.clone()).collect();
        let members: Vec<_> = all.iter().flat_map(|b| b.members.clone()).collect();
        assert!(households.iter().any(|h| h.coordinates.is_some()));
        assert!(households.iter().any(|h| h.housing.floor_area_m2.is_some()));
        assert!(households.iter().any(|h| h.desil.is_some()));
        assert!(members.iter().any(|m| m.moved));
        assert!(members.iter().any(|m| m.deceased_on.is_some()));
        assert!(members.iter().any(|m| m.birth_date.is_some()));
        let batch = BatchSummary {
            id: uuid::Uuid::now_v7(),
            source: "p3ke".to_owned(),
            ..BatchSummary::default()
        };
        let (h, p) = (&all[3].household, &all[3].members[0]);
        // Microseconds, which both backends keep; an empty old value is not a missing one.
        let change = FieldChange {
            household_id: h.id,
            individual_id: Some(p.id),
            field: "individuals.name".to_owned(),
            old_value: Some(String::new()),
            new_value: None,
            batch_id: Some(batch.id),
            campaign_id: None,
            actor: "tester".to_owned(),
            recorded_at: Utc.with_ymd_and_hms(2026, 11, 2, 3, 4, 5).unwrap()
                + Duration::microseconds(123_456),
        };
        let mut session = store.begin_import(&batch, false).await.unwrap();
        session
            .write(&ImportWrite {
                new_households: households,
                new_members: members,
                history: all.iter().flat_map(|b| b.history.clone()).collect(),
                changes: vec![change.clone()],
                ..ImportWrite::default()
            })
            .await
            .unwrap();
        session
            .commit(&batch, &[], &audit(AuditAction::RegisterImported))
            .await
            .unwrap();
        for b in &all {
            let id = b.household.id;
            assert_eq!(
                store.household(id).await.unwrap().as_ref(),
                Some(&b.household)
            );
            let stored = store.members(id).await.unwrap();
            assert_eq!(stored.len(), b.members.len());
            for m in &b.members {
                assert!(stored.contains(m), "{m:?} stored as given");
            }
            assert_eq!(store.status_history(id).await.unwrap(), b.history);
        }
        assert_eq!(store.field_changes(h.id).await.unwrap(), vec![change]);
        db.finish().await;
    }
}
