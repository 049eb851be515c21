//! The register on PostgreSQL and Postgres-compatible engines. Keys are app-made UUIDs
//! (no sequence hot spots on distributed engines); no TEMP tables.

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
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

pub(crate) use rows::err;

/// The PostgreSQL implementation of every store trait.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to the server named by `settings`; fails fast when it cannot be reached.
    pub async fn connect(settings: &DbSettings) -> DbResult<Self> {
        let options = PgConnectOptions::from_str(settings.url())
            .map_err(|e| DbError::InvalidUrl(format!("{}: {e}", settings.redacted())))?
            .application_name("sipmas");
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|e| {
                DbError::Unreachable(format!("PostgreSQL {}: {e}", settings.redacted()))
            })?;
        Ok(Self { pool })
    }

    /// The pool, for test harnesses that create and drop databases.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[async_trait]
impl Store for PgStore {
    fn kind(&self) -> DbKind {
        DbKind::Postgres
    }

    async fn migrate(&self) -> DbResult<()> {
        MIGRATOR
            .run(&self.pool)
            .await
            .map_err(|e| DbError::Other(format!("migration failed: {e}")))?;
        sources::upgrade(&self.pool).await
    }

    async fn schema(&self) -> DbResult<Vec<TableSchema>> {
        let tables: Vec<String> = sqlx::query_scalar(
            "select table_name::text from information_schema.tables where table_schema = current_schema() \
             and table_type = 'BASE TABLE' and table_name not like '\\_sqlx%' order by table_name",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut out = Vec::new();
        for table in tables {
            let cols = sqlx::query(
                "select column_name::text as name, data_type::text as ty, is_nullable::text as nullable \
                 from information_schema.columns where table_schema = current_schema() and table_name = $1",
            )
            .bind(&table)
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
            let mut columns = Vec::new();
            for c in cols {
                let ty: String = c.try_get("ty").map_err(err)?;
                let nullable: String = c.try_get("nullable").map_err(err)?;
                columns.push((
                    c.try_get("name").map_err(err)?,
                    family(&ty).to_owned(),
                    nullable == "YES",
                ));
            }
            columns.sort();
            // Indexes that back a constraint (primary keys, uniques) are compared as constraints elsewhere.
            let indexes: Vec<String> = sqlx::query_scalar(
                "select indexname::text from pg_indexes i where schemaname = current_schema() and tablename = $1 \
                 and not exists (select 1 from pg_constraint c where c.conname = i.indexname) order by indexname",
            )
            .bind(&table)
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
            let mut foreign_keys: Vec<String> = sqlx::query_scalar(
                "select a.attname::text || ' -> ' || c.confrelid::regclass::text || '(' || af.attname::text || ')' \
                 from pg_constraint c cross join lateral unnest(c.conkey, c.confkey) as k (col, ref) \
                 join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.col \
                 join pg_attribute af on af.attrelid = c.confrelid and af.attnum = k.ref \
                 where c.contype = 'f' and c.conrelid = $1::regclass",
            )
            .bind(&table)
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
            // Sorted here, as on SQLite, not in the database's collation.
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

/// Folds PostgreSQL types into the families SQLite stores them as.
fn family(pg_type: &str) -> &'static str {
    match pg_type {
        "bigint" | "integer" | "smallint" | "boolean" => "integer",
        "double precision" | "real" | "numeric" => "real",
        "bytea" => "blob",
        _ => "text",
    }
}
