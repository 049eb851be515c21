//! What only the SQLite store itself can see: the page cache of its pooled connections.

#![allow(clippy::unwrap_used)]

use sipmas_domain::{AuditAction, HouseholdId};
use sipmas_store::{AuditEntry, BatchSummary, DbSettings, ImportStore, RegisterFlag, Store};

use crate::SqliteStore;

/// A commit that fails (here: a flag naming no household) drops the transaction and its
/// connection goes back to the pool; it must not keep the import's 32 MB page cache there.
#[tokio::test]
async fn a_failed_commit_gives_the_pool_its_cache_back() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = SqliteStore::connect(&DbSettings::parse(&url).unwrap())
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let batch = BatchSummary {
        id: uuid::Uuid::now_v7(),
        source: "p3ke".to_owned(),
        ..BatchSummary::default()
    };
    let session = store.begin_import(&batch, false).await.unwrap();
    let ghost = RegisterFlag {
        household_id: Some(HouseholdId(uuid::Uuid::now_v7())),
        individual_id: None,
        kind: "no_head".to_owned(),
        batch_id: Some(batch.id),
        detail: None,
    };
    let entry = AuditEntry::new("tester", AuditAction::RegisterImported);
    assert!(
        session.commit(&batch, &[ghost], &entry).await.is_err(),
        "a flag of no household is refused"
    );
    // A dropped connection goes back to the pool on a task of its own: wait for it.
    for _ in 0..500 {
        if store.pool.num_idle() == store.pool.size() as usize {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(store.pool.num_idle(), store.pool.size() as usize);
    let mut held = Vec::new();
    while store.pool.num_idle() > 0 {
        let mut conn = store.pool.acquire().await.unwrap();
        let size: i64 = sqlx::query_scalar("pragma cache_size")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(size, -262_144, "the pool's 256 MB");
        held.push(conn);
    }
    assert!(
        !held.is_empty(),
        "the import's connection is back in the pool"
    );
    drop(held);
    let batches = store.import_batches(10).await.unwrap();
    assert!(batches.is_empty(), "nothing of the failed batch is kept");
}
