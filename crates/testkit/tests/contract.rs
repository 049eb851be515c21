//! One story over every store method, run on SQLite and on PostgreSQL, plus a comparison
//! of the two migrated schemas.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, NaiveDate, Utc};
use sipmas_domain::{AuditAction, RegionCode, RegionLevel, Role, StatusChange, WelfareStatus};
use sipmas_store::{
    AuditEntry, DbError, HouseholdBundle, ImportBatch, PopulationRecord, RegionRecord,
    SourceRecord, Store, User,
};
use sipmas_synth::{Generator, SynthConfig};
use sipmas_testkit::TestDb;

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

fn audit(action: AuditAction) -> AuditEntry {
    AuditEntry::new("test", action)
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
}

async fn regions_story(store: &dyn Store) {
    assert_eq!(store.count_regions_by_level().await.unwrap(), [0, 0, 0, 0]);
    // A child whose parent does not exist is refused and nothing is saved.
    let orphan = [RegionRecord {
        code: code("99.01"),
        name: "Yatim".into(),
    }];
    assert!(matches!(
        store
            .save_regions(&orphan, &audit(AuditAction::RegionsImported))
            .await,
        Err(DbError::Conflict(_))
    ));
    assert_eq!(store.count_regions_by_level().await.unwrap(), [0, 0, 0, 0]);

    let regions: Vec<RegionRecord> = [
        ("64", "Kalimantan Timur"),
        ("64.08", "Kabupaten Kutai Timur"),
        ("64.08.04", "Sangatta Utara"),
        ("64.08.04.2001", "Sangatta Utara"),
        ("64.08.04.1010", "Teluk Lingga"),
    ]
    .iter()
    .map(|(c, n)| RegionRecord {
        code: code(c),
        name: (*n).into(),
    })
    .collect();
    store
        .save_regions(&regions, &audit(AuditAction::RegionsImported))
        .await
        .unwrap();
    store
        .save_regions(&regions[3..4], &audit(AuditAction::RegionsImported))
        .await
        .unwrap();
    assert_eq!(store.count_regions_by_level().await.unwrap(), [1, 1, 1, 2]);
    let renamed = [RegionRecord {
        code: code("64.08.04.2001"),
        name: "Desa Sangatta Utara".into(),
    }];
    store
        .save_regions(&renamed, &audit(AuditAction::RegionsImported))
        .await
        .unwrap();
    let r = store.region(&code("6408042001")).await.unwrap().unwrap();
    assert_eq!(
        (r.name.as_str(), r.level, r.parent),
        (
            "Desa Sangatta Utara",
            RegionLevel::Village,
            Some(code("64.08.04"))
        )
    );
    let kids: Vec<String> = store
        .child_regions(Some(&code("64.08.04")))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.code.dotted())
        .collect();
    assert_eq!(kids, ["64.08.04.1010", "64.08.04.2001"]);
    assert_eq!(store.child_regions(None).await.unwrap().len(), 1);
    assert_eq!(store.region_index().await.unwrap().len(), 5);
    let pop = [
        PopulationRecord {
            code: code("64.08"),
            male: 240_268,
            female: 208_582,
            total: 448_850,
        },
        PopulationRecord {
            code: code("64.09"),
            male: 1,
            female: 1,
            total: 2,
        },
    ];
    assert_eq!(
        store
            .save_population(&pop, &audit(AuditAction::RegionsImported))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .region(&code("64.08"))
            .await
            .unwrap()
            .unwrap()
            .population,
        Some(448_850)
    );
    assert!(store.region(&code("64.09")).await.unwrap().is_none());
}

fn bundles() -> Vec<HouseholdBundle> {
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

async fn register_story(store: &dyn Store) {
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

async fn users_and_audit_story(store: &dyn Store) {
    let user = User {
        id: uuid::Uuid::new_v4(),
        username: "desa.sangatta".into(),
        display_name: "Operator Desa Sangatta Utara".into(),
        role: Role::Desa,
        region_scope: Some(code("64.08.04.2001")),
        password_hash: Some("$argon2id$v=19$x".into()),
        full_view: false,
        active: true,
        version: 1,
    };
    store
        .create_user(&user, &audit(AuditAction::UserCreated))
        .await
        .unwrap();
    assert_eq!(
        store.user_by_username("desa.sangatta").await.unwrap(),
        Some(user.clone())
    );
    assert!(store.user_by_username("tidak.ada").await.unwrap().is_none());
    let dup = User {
        id: uuid::Uuid::new_v4(),
        ..user
    };
    assert!(matches!(
        store
            .create_user(&dup, &audit(AuditAction::UserCreated))
            .await,
        Err(DbError::Conflict(_))
    ));

    let events = store.recent_audit(100).await.unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions.first(), Some(&"user.created"));
    for a in [
        "regions.imported",
        "demo.generated",
        "household.status_changed",
        "source.recorded",
    ] {
        assert!(actions.contains(&a), "{a} audited");
    }
    // Failed (rolled-back) writes leave no audit event behind: 3 region saves + 1 population,
    // 2 household inserts, 1 status change, 1 source batch, 1 user.
    assert_eq!(events.len(), 9, "{actions:?}");
    assert!(events.windows(2).all(|w| w[0].id > w[1].id));
}

async fn story(db: TestDb) {
    let store = db.store.as_ref();
    store.migrate().await.expect("migrating twice is harmless");
    store.ping().await.unwrap();
    regions_story(store).await;
    register_story(store).await;
    users_and_audit_story(store).await;
    db.finish().await;
}

#[tokio::test]
async fn contract_on_sqlite() {
    story(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn contract_on_postgres() {
    let Some(db) = TestDb::postgres().await else {
        return eprintln!("PostgreSQL not configured: skipped");
    };
    story(db).await;
}

#[tokio::test]
async fn both_backends_migrate_to_the_same_schema() {
    let Some(pg) = TestDb::postgres().await else {
        return eprintln!("PostgreSQL not configured: skipped");
    };
    let lite = TestDb::sqlite().await;
    let a = lite.store.schema().await.unwrap();
    let b = pg.store.schema().await.unwrap();
    assert!(a.len() >= 8, "{a:?}");
    assert_eq!(a, b);
    lite.finish().await;
    pg.finish().await;
}
