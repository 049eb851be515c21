//! Secondary indexes rebuilt after a first, large import instead of updated row by row.

use sipmas_store::{DEFER_BELOW_PEOPLE, DbResult, LookupIndexes};
use sqlx::SqliteConnection;

use crate::err;

/// Secondary indexes an import never reads. Into a small register they are dropped when
/// the import begins and built again, sorted, before it commits: a first import of a
/// million rows was a third faster than with one scattered B-tree insertion per row and
/// index. The drop and the rebuild are in the import's transaction, so readers never see
/// the register without them, and a killed import leaves them as they were.
const DEFERRABLE_INDEXES: [&str; 3] = [
    "individuals_name_key_idx",
    "households_village_idx",
    "household_keys_household_idx",
];

/// Drops the deferrable indexes when the register is small; returns how to rebuild them.
pub(super) async fn defer_indexes(conn: &mut SqliteConnection) -> DbResult<Vec<String>> {
    let people: i64 = sqlx::query_scalar("select count(*) from individuals")
        .fetch_one(&mut *conn)
        .await
        .map_err(err)?;
    if people >= DEFER_BELOW_PEOPLE {
        return Ok(Vec::new());
    }
    let mut deferred = Vec::new();
    for name in DEFERRABLE_INDEXES {
        deferred.extend(drop_index(conn, name).await?);
    }
    Ok(deferred)
}

/// Drops the indexes only lookups read, in a fresh session ([`LookupIndexes`]).
pub(super) async fn defer_lookup_indexes(conn: &mut SqliteConnection) -> DbResult<LookupIndexes> {
    Ok(LookupIndexes {
        nik: drop_index(conn, LookupIndexes::NIK).await?,
        no_kk: drop_index(conn, LookupIndexes::NO_KK).await?,
    })
}

/// Drops index `name`; returns its `create index` statement, `None` if there is none.
async fn drop_index(conn: &mut SqliteConnection, name: &str) -> DbResult<Option<String>> {
    let sql: Option<String> =
        sqlx::query_scalar("select sql from sqlite_master where type = 'index' and name = ?")
            .bind(name)
            .fetch_optional(&mut *conn)
            .await
            .map_err(err)?;
    if sql.is_some() {
        sqlx::query(sqlx::AssertSqlSafe(format!("drop index {name}")))
            .execute(&mut *conn)
            .await
            .map_err(err)?;
    }
    Ok(sql)
}

/// Builds the dropped indexes again. Their sorts spill to temporary files rather than to
/// memory (the pool's `temp_store`): in memory they took the million-row import's peak
/// from about 210 MB to 292 MB. `temp_store` may change inside a transaction only while
/// SQLite's temp database is closed, which it is: the session closes it before it
/// begins, and nothing in an import opens it again.
/// The pool's setting is restored whether or not the rebuild succeeds.
pub(super) async fn rebuild(conn: &mut SqliteConnection, sqls: &[String]) -> DbResult<()> {
    if sqls.is_empty() {
        return Ok(());
    }
    sqlx::query("pragma temp_store = file")
        .execute(&mut *conn)
        .await
        .map_err(err)?;
    let mut built = Ok(());
    for sql in sqls {
        built = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .execute(&mut *conn)
            .await
            .map(|_| ())
            .map_err(err);
        if built.is_err() {
            break;
        }
    }
    let restored = sqlx::query("pragma temp_store = memory")
        .execute(&mut *conn)
        .await
        .map(|_| ())
        .map_err(err);
    built.and(restored)
}
