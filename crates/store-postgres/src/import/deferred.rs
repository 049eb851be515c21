//! Foreign keys and secondary indexes set aside during an import into a small register,
//! then restored set-based before it commits.
//!
//! PostgreSQL checks a foreign key with one query per inserted row (about 5 µs): a
//! million-row P3KE import made some four million such checks, a fifth of its time.
//! Adding the constraint back checks every row in one join instead. The drop and the
//! restore are in the import's transaction, so a killed import leaves the schema as it
//! was; but `alter table` holds an exclusive lock until the commit, so readers of the
//! register tables wait for the import. That is why this is done only into a register of
//! fewer than [`DEFER_BELOW_PEOPLE`] people (above all the first load of P3KE), only when
//! no other session is using those tables as it starts, never on a dry run, and why
//! constraints to `regions` and `import_batches` are kept: region names and the list of
//! past batches stay readable throughout.

use sipmas_store::{DEFER_BELOW_PEOPLE, DbResult, LookupIndexes};
use sqlx::{Postgres, Row, Transaction};

use crate::err;

/// The tables an import writes in bulk, locked together before anything else is read.
const TABLES: &str = "households, individuals, household_keys, individual_keys, \
                      status_history, source_blocks, source_block_households";

/// Secondary indexes an import never reads (as on SQLite).
const INDEXES: [&str; 3] = [
    "individuals_name_key_idx",
    "households_village_idx",
    "household_keys_household_idx",
];

/// Statements that restore what was set aside, in order.
pub(super) type Restore = Vec<String>;

/// Sets the foreign keys among the register tables and the deferrable indexes aside when
/// the register is small; returns how to restore them.
pub(super) async fn set_aside(tx: &mut Transaction<'static, Postgres>) -> DbResult<Restore> {
    // The locks come first and without waiting: a session that waited for them while
    // holding some (or even the shared lock a `count(*)` takes) could deadlock with
    // another import or an edit. When any table is busy, the import goes on without
    // setting anything aside; rolling back to the savepoint releases what was locked.
    exec(tx, "savepoint set_aside").await?;
    let locked = sqlx::query(sqlx::AssertSqlSafe(format!(
        "lock table {TABLES} in access exclusive mode nowait"
    )))
    .execute(&mut **tx)
    .await;
    match locked {
        Ok(_) => {}
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some(LOCK_NOT_AVAILABLE) => {
            exec(tx, "rollback to savepoint set_aside").await?;
            return Ok(Vec::new());
        }
        Err(e) => return Err(err(e)),
    }
    let people: i64 = sqlx::query_scalar("select count(*) from individuals")
        .fetch_one(&mut **tx)
        .await
        .map_err(err)?;
    if people >= DEFER_BELOW_PEOPLE {
        exec(tx, "rollback to savepoint set_aside").await?;
        return Ok(Vec::new());
    }
    let tables: Vec<&str> = TABLES.split(',').map(str::trim).collect();
    let mut restore = Vec::new();
    for name in INDEXES {
        restore.extend(drop_index(tx, name).await?);
    }
    let keys = sqlx::query(
        "select c.conrelid::regclass::text as tbl, c.conname::text as name, \
                pg_get_constraintdef(c.oid) as def \
         from pg_constraint c \
         where c.contype = 'f' and c.conrelid::regclass::text = any($1) \
           and c.confrelid::regclass::text = any($1) \
         order by c.conname",
    )
    .bind(&tables)
    .fetch_all(&mut **tx)
    .await
    .map_err(err)?;
    for k in &keys {
        let (tbl, name, def): (String, String, String) = (
            k.try_get("tbl").map_err(err)?,
            k.try_get("name").map_err(err)?,
            k.try_get("def").map_err(err)?,
        );
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "alter table {tbl} drop constraint {name}"
        )))
        .execute(&mut **tx)
        .await
        .map_err(err)?;
        restore.push(format!("alter table {tbl} add constraint {name} {def}"));
    }
    exec(tx, "release savepoint set_aside").await?;
    Ok(restore)
}

/// Drops the indexes only lookups read, in a fresh session ([`LookupIndexes`]); the
/// tables are then locked already.
pub(super) async fn defer_lookup_indexes(
    tx: &mut Transaction<'static, Postgres>,
) -> DbResult<LookupIndexes> {
    Ok(LookupIndexes {
        nik: drop_index(tx, LookupIndexes::NIK).await?,
        no_kk: drop_index(tx, LookupIndexes::NO_KK).await?,
    })
}

/// Drops index `name`; returns its definition, `None` if there is none.
async fn drop_index(
    tx: &mut Transaction<'static, Postgres>,
    name: &str,
) -> DbResult<Option<String>> {
    let def: Option<String> = sqlx::query_scalar(
        "select indexdef from pg_indexes where indexname = $1 and schemaname = current_schema()",
    )
    .bind(name)
    .fetch_optional(&mut **tx)
    .await
    .map_err(err)?;
    if def.is_some() {
        sqlx::query(sqlx::AssertSqlSafe(format!("drop index {name}")))
            .execute(&mut **tx)
            .await
            .map_err(err)?;
    }
    Ok(def)
}

/// SQLSTATE of a `nowait` lock that was not free.
const LOCK_NOT_AVAILABLE: &str = "55P03";

async fn exec(tx: &mut Transaction<'static, Postgres>, sql: &'static str) -> DbResult<()> {
    sqlx::query(sql)
        .execute(&mut **tx)
        .await
        .map(|_| ())
        .map_err(err)
}

/// Builds the indexes again and adds the foreign keys back; a row that breaks one fails
/// the import (the transaction rolls back), as it would have when it was inserted.
pub(super) async fn restore(
    tx: &mut Transaction<'static, Postgres>,
    statements: &[String],
) -> DbResult<()> {
    for sql in statements {
        sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .execute(&mut **tx)
            .await
            .map_err(err)?;
    }
    Ok(())
}
