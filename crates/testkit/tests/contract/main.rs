//! One story over every store method, run on SQLite and on PostgreSQL, plus a comparison
//! of the two migrated schemas.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use sipmas_domain::{AuditAction, RegionCode};
use sipmas_store::AuditEntry;
use sipmas_testkit::TestDb;

mod import_writes;
mod lookup_indexes;
mod regions;
mod register;
mod sources;
mod users;

pub(crate) fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

pub(crate) fn audit(action: AuditAction) -> AuditEntry {
    AuditEntry::new("test", action)
}

pub(crate) fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
}

async fn story(db: TestDb) {
    let store = db.store.as_ref();
    store.migrate().await.expect("migrating twice is harmless");
    store.ping().await.unwrap();
    regions::regions_story(store).await;
    register::register_story(store).await;
    users::users_and_audit_story(store).await;
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
