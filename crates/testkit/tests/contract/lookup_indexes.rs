//! The lookup indexes a fresh import sets aside (`sipmas_store::LookupIndexes`) must be
//! usable by the batch itself once built again. PostgreSQL does not let a transaction use
//! an index it built after its own HOT updates of the table (`pg_index.indcheckxmin`): the
//! rest of the batch's lookups would then scan the table.

use sipmas_domain::{AuditAction, NoKk, RegionCode};
use sipmas_store::{BatchSummary, ImportLookup, ImportWrite};
use sipmas_testkit::TestDb;
use sqlx::Connection;

use super::audit;

#[tokio::test]
async fn an_index_built_after_the_batch_updated_its_table_serves_the_batch() {
    let Some(db) = TestDb::postgres().await else {
        return eprintln!("PostgreSQL not configured: skipped");
    };
    let store = db.store.as_ref();
    super::register::save_bundle_regions(store).await;
    let mut household = super::register::bundles().remove(0).household;
    household.no_kk = None;
    let batch = BatchSummary {
        id: uuid::Uuid::now_v7(),
        source: "p3ke".to_owned(),
        ..BatchSummary::default()
    };
    let mut session = store.begin_import(&batch, false).await.unwrap();
    assert!(session.fresh(), "an empty register, locked for the batch");
    session
        .write(&ImportWrite {
            new_households: vec![household.clone()],
            new_family_keys: vec![("K1".to_owned(), household.id)],
            ..ImportWrite::default()
        })
        .await
        .unwrap();
    // The household gains a No KK: with its index set aside, a HOT update.
    let district = RegionCode::parse("64.08.04").unwrap();
    let kk = NoKk::compose(
        &district,
        chrono::NaiveDate::from_ymd_opt(2019, 7, 2).unwrap(),
        7,
    )
    .unwrap();
    household.no_kk = Some(kk.clone());
    household.version += 1;
    session
        .write(&ImportWrite {
            household_updates: vec![household.clone()],
            ..ImportWrite::default()
        })
        .await
        .unwrap();
    let found = session
        .lookup(&ImportLookup {
            source: "p3ke".to_owned(),
            no_kks: vec![kk.as_str().to_owned()],
            ..ImportLookup::default()
        })
        .await
        .unwrap();
    assert_eq!(found.by_no_kk[kk.as_str()], [household.id]);
    session
        .commit(&batch, &[], &audit(AuditAction::RegisterImported))
        .await
        .unwrap();
    let mut conn = sqlx::PgConnection::connect(&db.url().unwrap())
        .await
        .unwrap();
    let stale: Vec<String> = sqlx::query_scalar(
        "select indexrelid::regclass::text from pg_index where indcheckxmin \
         and indexrelid in ('households_no_kk_idx'::regclass, 'individuals_nik_idx'::regclass)",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert!(
        stale.is_empty(),
        "unusable by the batch that built them: {stale:?}"
    );
    db.finish().await;
}
