//! Households, members, history, counts on past dates, concurrency, provenance.

use chrono::{Duration, NaiveDate, Utc};
use sipmas_domain::{AuditAction, StatusChange, WelfareStatus};
use sipmas_store::{DbError, HouseholdBundle, ImportBatch, RegionRecord, SourceRecord, Store};
use sipmas_synth::{Generator, SynthConfig};

use super::{as_of, audit, code};

/// Saves the regions [`bundles`] live in, with their parents, as an import needs them.
pub(crate) async fn save_bundle_regions(store: &dyn Store) {
    let regions: Vec<RegionRecord> = ["64", "64.08", "64.08.04", "64.08.04.2001", "64.08.04.1010"]
        .iter()
        .map(|c| RegionRecord {
            code: code(c),
            name: (*c).into(),
        })
        .collect();
    store
        .save_regions(&regions, &audit(AuditAction::RegionsImported))
        .await
        .unwrap();
}

pub(crate) fn bundles() -> Vec<HouseholdBundle> {
    let regions = vec![
        sipmas_synth::SynthRegion {
            code: code("64"),
            name: "Kalimantan Timur".into(),
        },
        sipmas_synth::SynthRegion {
            code: code("64.08.04.2001"),
            name: "Sangatta Utara".into(),
        },
        sipmas_synth::SynthRegion {
            code: code("64.08.04.1010"),
            name: "Teluk Lingga".into(),
        },
    ];
    let mut g = Generator::from_regions(
        SynthConfig {
            seed: 11,
            households: 400,
            as_of: as_of(),
        },
        regions,
    )
    .unwrap();
    g.generate(0, 400)
        .into_iter()
        .map(|h| HouseholdBundle {
            household: h.household,
            members: h.members,
            history: h.history,
        })
        .collect()
}

pub(crate) async fn register_story(store: &dyn Store) {
    let all = bundles();
    store
        .insert_households(&all[..250], &audit(AuditAction::DemoGenerated))
        .await
        .unwrap();
    store
        .insert_households(&all[250..], &audit(AuditAction::DemoGenerated))
        .await
        .unwrap();
    // Inserting the same household twice is a conflict, and the whole batch rolls back.
    let again = [all[0].clone()];
    assert!(matches!(
        store
            .insert_households(&again, &audit(AuditAction::DemoGenerated))
            .await,
        Err(DbError::Conflict(_))
    ));

    let b = &all[7];
    let h = store.household(b.household.id).await.unwrap().unwrap();
    assert_eq!(h, b.household, "household round-trips exactly");
    let members = store.members(b.household.id).await.unwrap();
    assert_eq!(members.len(), b.members.len());
    assert_eq!(members[0].relationship, sipmas_domain::Relationship::Head);
    for m in &b.members {
        assert!(members.contains(m), "member round-trips exactly");
    }
    assert_eq!(
        store.status_history(b.household.id).await.unwrap(),
        b.history
    );
    let nik = b.members[0].nik.clone().unwrap();
    assert_eq!(
        store.individuals_by_nik(&nik).await.unwrap(),
        vec![
            members
                .iter()
                .find(|m| m.nik.as_ref() == Some(&nik))
                .unwrap()
                .clone()
        ]
    );
    assert_eq!(
        store
            .households_by_no_kk(b.household.no_kk.as_ref().unwrap())
            .await
            .unwrap(),
        vec![h.clone()]
    );
    assert!(
        store
            .household(sipmas_domain::HouseholdId(uuid::Uuid::new_v4()))
            .await
            .unwrap()
            .is_none()
    );

    // Counts agree with what was generated, now and on past dates.
    let living = |b: &HouseholdBundle, on: NaiveDate| {
        b.members
            .iter()
            .filter(|m| {
                !m.moved
                    && m.deceased_on.is_none_or(|d| d > on)
                    && (m.life_status == sipmas_domain::LifeStatus::Alive
                        || m.deceased_on.is_some())
            })
            .count() as u64
    };
    let counts = store.register_counts(None).await.unwrap();
    assert_eq!(counts.households, 400);
    let extreme: Vec<&HouseholdBundle> = all
        .iter()
        .filter(|b| b.household.welfare == WelfareStatus::ExtremePoor)
        .collect();
    assert_eq!(counts.extreme_poor_households, extreme.len() as u64);
    let alive_now = |b: &HouseholdBundle| {
        b.members
            .iter()
            .filter(|m| !m.moved && m.life_status == sipmas_domain::LifeStatus::Alive)
            .count() as u64
    };
    assert_eq!(
        counts.extreme_poor_individuals,
        extreme.iter().map(|b| alive_now(b)).sum::<u64>()
    );
    assert_eq!(counts.individuals, all.iter().map(alive_now).sum::<u64>());
    let village = store
        .register_counts(Some(&code("64.08.04.1010")))
        .await
        .unwrap();
    assert_eq!(
        village.households,
        all.iter()
            .filter(|b| b.household.village.dotted() == "64.08.04.1010")
            .count() as u64
    );
    for on in [
        NaiveDate::from_ymd_opt(2022, 6, 30).unwrap(),
        NaiveDate::from_ymd_opt(2022, 7, 1).unwrap(),
        NaiveDate::from_ymd_opt(2024, 4, 1).unwrap(),
        as_of(),
    ] {
        let expected: Vec<&HouseholdBundle> = all
            .iter()
            .filter(|b| {
                b.history
                    .iter()
                    .rev()
                    .find(|s| s.effective_on <= on)
                    .is_some_and(|s| s.to == WelfareStatus::ExtremePoor)
            })
            .collect();
        let got = store.extreme_poor_on(None, on).await.unwrap();
        assert_eq!(got.households, expected.len() as u64, "households on {on}");
        assert_eq!(
            got.individuals,
            expected.iter().map(|b| living(b, on)).sum::<u64>(),
            "people on {on}"
        );
    }
    assert!(
        store
            .extreme_poor_on(None, NaiveDate::from_ymd_opt(2022, 7, 1).unwrap())
            .await
            .unwrap()
            .households
            > store
                .extreme_poor_on(None, as_of())
                .await
                .unwrap()
                .households
    );

    // Optimistic concurrency: the first writer wins, the second gets a conflict.
    let change = StatusChange {
        household_id: h.id,
        from: Some(h.welfare),
        to: WelfareStatus::NotPoor,
        effective_on: as_of() + Duration::days(1),
        reason: "Hasil verval uji".into(),
        actor: "operator.kutim".into(),
        reference: Some("BA-001".into()),
        recorded_at: Utc::now(),
    };
    let entry = audit(AuditAction::HouseholdStatusChanged).subject(h.id.0.to_string());
    assert_eq!(
        store
            .change_status(h.version, &change, &entry)
            .await
            .unwrap(),
        h.version + 1
    );
    assert!(matches!(
        store.change_status(h.version, &change, &entry).await,
        Err(DbError::Conflict(_))
    ));
    let unknown = StatusChange {
        household_id: sipmas_domain::HouseholdId(uuid::Uuid::new_v4()),
        ..change.clone()
    };
    assert!(matches!(
        store.change_status(1, &unknown, &entry).await,
        Err(DbError::NotFound)
    ));
    let after = store.household(h.id).await.unwrap().unwrap();
    assert_eq!(
        (after.welfare, after.version),
        (WelfareStatus::NotPoor, h.version + 1)
    );
    let history = store.status_history(h.id).await.unwrap();
    assert_eq!(history.len(), b.history.len() + 1);
    assert_eq!(history.last().unwrap().reference.as_deref(), Some("BA-001"));

    // Source rows keep batch, line and what they became.
    let batch = ImportBatch {
        id: uuid::Uuid::new_v4(),
        source: "p3ke".into(),
        file_name: "p3ke.csv".into(),
        rows_read: 2,
        actor: "test".into(),
        started_at: Utc::now(),
    };
    let rows = vec![
        SourceRecord {
            batch_id: batch.id,
            line: 2,
            household_id: Some(h.id),
            individual_id: None,
            payload: "{\"alamat\":\"x\"}".into(),
        },
        SourceRecord {
            batch_id: batch.id,
            line: 3,
            household_id: None,
            individual_id: Some(members[0].id),
            payload: "{}".into(),
        },
    ];
    store
        .record_sources(&batch, &rows, &audit(AuditAction::SourceRecorded))
        .await
        .unwrap();
    assert_eq!(store.sources_of_household(h.id).await.unwrap(), rows);
    assert!(matches!(
        store
            .record_sources(&batch, &rows, &audit(AuditAction::SourceRecorded))
            .await,
        Err(DbError::Conflict(_))
    ));
}
