use std::sync::Arc;

use anyhow::Context;
use sipmas_store::{DbKind, DbSettings, Store};
use sipmas_store_postgres::PgStore;
use sipmas_store_sqlite::SqliteStore;

/// Opens the backend named by the URL and brings its schema up to date.
pub async fn open(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    let settings = DbSettings::parse(url)?;
    let store: Arc<dyn Store> = match settings.kind()? {
        DbKind::Sqlite => Arc::new(SqliteStore::connect(&settings).await?),
        DbKind::Postgres => Arc::new(PgStore::connect(&settings).await?),
    };
    store
        .migrate()
        .await
        .with_context(|| format!("migrating {settings}"))?;
    Ok(store)
}
