//! What only the SQLite store itself can see: its pooled connections and its files.

#![allow(clippy::unwrap_used)]

use sipmas_domain::{AuditAction, HouseholdId};
use sipmas_store::{AuditEntry, BatchSummary, DbSettings, ImportStore, RegisterFlag, Store};

use crate::SqliteStore;

/// A commit that fails (here: a flag naming no household) drops the session. Its
/// connection must be closed, which rolls the batch back, and not go back to the pool with
/// the import's 32 MB page cache and no automatic checkpoint.
#[tokio::test]
async fn a_failed_commit_closes_the_import_connection() {
    let dir = tempfile::tempdir().unwrap();
    let (store, batch) = store_and_batch(&dir).await;
    let session = store.begin_import(&batch, false).await.unwrap();
    let open = store.pool.size();
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
    wait_closed(&store, open).await;
    assert_pool_settings(&store).await;
    let batches = store.import_batches(10).await.unwrap();
    assert!(batches.is_empty(), "nothing of the failed batch is kept");
}

/// A committed import leaves its WAL to be copied into the database file by its own
/// connection, beside what runs next; the pages get there without anyone else committing.
#[tokio::test]
async fn a_commit_checkpoints_its_wal_on_its_own_connection() {
    let dir = tempfile::tempdir().unwrap();
    let (store, batch) = store_and_batch(&dir).await;
    let file = dir.path().join("t.db");
    let before = std::fs::metadata(&file).unwrap().len();
    let session = store.begin_import(&batch, false).await.unwrap();
    let open = store.pool.size();
    let entry = AuditEntry::new("tester", AuditAction::RegisterImported);
    session.commit(&batch, &[], &entry).await.unwrap();
    // The pool's own connections check only every 20,000 WAL pages, far beyond the
    // migrations and this batch: only the import's checkpoint writes the database file.
    // Its connection closes once it is done.
    wait_closed(&store, open).await;
    let after = std::fs::metadata(&file).unwrap().len();
    assert!(after > before, "the database file grew from {before} bytes");
    assert_eq!(store.import_batches(10).await.unwrap().len(), 1);
    assert_pool_settings(&store).await;
}

async fn store_and_batch(dir: &tempfile::TempDir) -> (SqliteStore, BatchSummary) {
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
    (store, batch)
}

/// Waits until the import's connection, one of `open`, is closed: not back in the pool.
async fn wait_closed(store: &SqliteStore, open: u32) {
    for _ in 0..500 {
        if store.pool.size() < open {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(
        store.pool.size(),
        open - 1,
        "the import's connection is closed"
    );
}

/// Every connection in the pool has its 256 MB cache and automatic checkpoints.
async fn assert_pool_settings(store: &SqliteStore) {
    let mut held = Vec::new();
    while held.is_empty() || store.pool.num_idle() > 0 {
        let mut conn = store.pool.acquire().await.unwrap();
        let cache: i64 = sqlx::query_scalar("pragma cache_size")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(cache, -262_144, "the pool's 256 MB");
        let every: i64 = sqlx::query_scalar("pragma wal_autocheckpoint")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(every, 20_000);
        held.push(conn);
    }
}

/// A pooled connection may have SQLite's temporary database open (a temporary table, or
/// the `alter table … rename` of migration 0009, run on a pooled connection). An import
/// on it must still commit: its index rebuild switches `temp_store` inside the
/// transaction, which SQLite refuses while that database is open.
#[tokio::test]
async fn an_import_commits_on_a_connection_that_opened_a_temporary_database() {
    let dir = tempfile::tempdir().unwrap();
    let (store, batch) = store_and_batch(&dir).await;
    let mut held = Vec::new();
    while held.is_empty() || store.pool.num_idle() > 0 {
        let mut conn = store.pool.acquire().await.unwrap();
        sqlx::query("create temp table scratch (x)")
            .execute(&mut *conn)
            .await
            .unwrap();
        held.push(conn);
    }
    drop(held);
    for _ in 0..500 {
        if store.pool.num_idle() == store.pool.size() as usize {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let session = store.begin_import(&batch, false).await.unwrap();
    let entry = AuditEntry::new("tester", AuditAction::RegisterImported);
    session.commit(&batch, &[], &entry).await.unwrap();
    assert_eq!(store.import_batches(10).await.unwrap().len(), 1);
}

/// A session dropped midway (a write task that panicked, an upload cancelled) is rolled
/// back by closing its connection: nothing of it stays, and the write lock it held is
/// free for the next import.
#[tokio::test]
async fn a_dropped_session_is_rolled_back_and_frees_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let (store, batch) = store_and_batch(&dir).await;
    let session = store.begin_import(&batch, false).await.unwrap();
    let open = store.pool.size();
    drop(session);
    wait_closed(&store, open).await;
    assert!(store.import_batches(10).await.unwrap().is_empty());
    let next = BatchSummary {
        id: uuid::Uuid::now_v7(),
        ..batch
    };
    let session = store.begin_import(&next, false).await.unwrap();
    let entry = AuditEntry::new("tester", AuditAction::RegisterImported);
    session.commit(&next, &[], &entry).await.unwrap();
    let batches = store.import_batches(10).await.unwrap();
    assert_eq!(batches.iter().map(|b| b.id).collect::<Vec<_>>(), [next.id]);
}
