//! The register on embedded SQLite: one file, WAL, foreign keys on. Bulk paths use
//! multi-row INSERTs in one transaction (row-at-a-time through sqlx is ~28× slower).

mod audit;
mod auth;
mod browse;
mod import;
mod link;
mod regions;
mod register;
mod rows;
mod sources;
mod stats;
mod users;
mod verval;
mod visit;

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sipmas_store::{DbError, DbKind, DbResult, DbSettings, Store, TableSchema};
use sqlx::Row;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub(crate) use rows::err;

/// The SQLite implementation of every store trait.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if missing) the database file named by `settings`.
    pub async fn connect(settings: &DbSettings) -> DbResult<Self> {
        let options = SqliteConnectOptions::from_str(settings.url())
            .map_err(|e| DbError::InvalidUrl(format!("{}: {e}", settings.redacted())))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Up to 256 MB page cache per connection (allocated only as used): bulk inserts
            // into the NIK and name indexes of a million-household register stay in memory.
            .pragma("cache_size", "-262144")
            .pragma("temp_store", "memory")
            // Checkpoint every ~80 MB of WAL rather than 4 MB: hot index pages are copied back
            // once per checkpoint, so bulk loads write far less.
            .pragma("wal_autocheckpoint", "20000");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(|e| DbError::Unreachable(format!("SQLite {}: {e}", settings.redacted())))?;
        Ok(Self { pool })
    }
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[async_trait]
impl Store for SqliteStore {
    fn kind(&self) -> DbKind {
        DbKind::Sqlite
    }

    async fn migrate(&self) -> DbResult<()> {
        MIGRATOR
            .run(&self.pool)
            .await
            .map_err(|e| DbError::Other(format!("migration failed: {e}")))?;
        sources::upgrade(&self.pool).await
    }

    async fn schema(&self) -> DbResult<Vec<TableSchema>> {
        let tables = sqlx::query(
            "select name from sqlite_master where type = 'table' \
             and name not like 'sqlite_%' and name not like '_sqlx_%' order by name",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut out = Vec::new();
        for t in tables {
            let table: String = t.try_get("name").map_err(err)?;
            let cols =
                sqlx::query("select name, type, \"notnull\" as nn, pk from pragma_table_info(?)")
                    .bind(&table)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(err)?;
            let mut columns = Vec::new();
            for c in cols {
                let ty: String = c.try_get("type").map_err(err)?;
                let nn: i64 = c.try_get("nn").map_err(err)?;
                let pk: i64 = c.try_get("pk").map_err(err)?;
                columns.push((
                    c.try_get("name").map_err(err)?,
                    ty.to_lowercase(),
                    nn == 0 && pk == 0,
                ));
            }
            columns.sort();
            let idx = sqlx::query(
                "select name from sqlite_master where type = 'index' and tbl_name = ? and sql is not null order by name",
            )
            .bind(&table)
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
            let indexes = idx
                .iter()
                .map(|r| r.try_get("name"))
                .collect::<Result<_, _>>()
                .map_err(err)?;
            let mut foreign_keys = Vec::new();
            for k in sqlx::query(
                "select \"from\" as col, \"table\" as tbl, \"to\" as ref from pragma_foreign_key_list(?)",
            )
            .bind(&table)
            .fetch_all(&self.pool)
            .await
            .map_err(err)?
            {
                let (col, tbl, to): (String, String, Option<String>) = (
                    k.try_get("col").map_err(err)?,
                    k.try_get("tbl").map_err(err)?,
                    k.try_get("ref").map_err(err)?,
                );
                foreign_keys.push(format!("{col} -> {tbl}({})", to.unwrap_or_default()));
            }
            foreign_keys.sort();
            out.push(TableSchema {
                table,
                foreign_keys,
                columns,
                indexes,
            });
        }
        Ok(out)
    }

    async fn ping(&self) -> DbResult<()> {
        sqlx::query("select 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(err)
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
