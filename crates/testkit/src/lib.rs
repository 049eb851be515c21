//! Test harness: a fresh database on either backend, and the app served on port 0.
//!
//! PostgreSQL tests run when `SIPMAS_TEST_POSTGRES_URL` names a server whose account may
//! create databases; with `SIPMAS_REQUIRE_POSTGRES=1` (set by the test command) a missing
//! server fails the test instead of skipping it.

// A harness that cannot set up must fail the test loudly; panicking is its error path.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser;

use std::sync::Arc;

use sipmas_store::{DbSettings, Store};
use sipmas_store_postgres::PgStore;
use sipmas_store_sqlite::SqliteStore;
use sqlx::Connection;

pub use browser::{Browser, csrf_of};

/// A throw-away database.
pub struct TestDb {
    pub store: Arc<dyn Store>,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
    sqlite_url: Option<String>,
}

impl std::fmt::Debug for TestDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDb")
            .field("backend", &self.store.kind())
            .finish()
    }
}

impl TestDb {
    /// A migrated SQLite file in a temporary directory.
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let store = SqliteStore::connect(&DbSettings::parse(&url).unwrap())
            .await
            .expect("open sqlite");
        store.migrate().await.expect("migrate sqlite");
        Self {
            store: Arc::new(store),
            _dir: Some(dir),
            pg: None,
            sqlite_url: Some(url),
        }
    }

    /// The PostgreSQL admin URL, or `None` to skip (panics when PostgreSQL is required).
    pub fn postgres_url() -> Option<String> {
        match std::env::var("SIPMAS_TEST_POSTGRES_URL") {
            Ok(url) if !url.is_empty() => Some(url),
            _ if std::env::var("SIPMAS_REQUIRE_POSTGRES").as_deref() == Ok("1") => {
                panic!(
                    "SIPMAS_REQUIRE_POSTGRES=1 but SIPMAS_TEST_POSTGRES_URL is not set: the PostgreSQL half must run"
                )
            }
            _ => None,
        }
    }

    /// A fresh, migrated PostgreSQL database, or `None` when no server is configured.
    pub async fn postgres() -> Option<Self> {
        let admin = Self::postgres_url()?;
        let name = format!("sipmas_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .expect("connect to test PostgreSQL");
        sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}")))
            .execute(&mut conn)
            .await
            .expect("create database");
        conn.close().await.ok();
        let url = match admin.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{name}"),
            None => panic!("SIPMAS_TEST_POSTGRES_URL needs a database path"),
        };
        let store = PgStore::connect(&DbSettings::parse(&url).unwrap())
            .await
            .expect("open test database");
        store.migrate().await.expect("migrate postgres");
        Some(Self {
            store: Arc::new(store),
            _dir: None,
            pg: Some((admin, name)),
            sqlite_url: None,
        })
    }

    /// The URL of this database, for running the CLI against it.
    pub fn url(&self) -> Option<String> {
        self.pg
            .as_ref()
            .and_then(|(admin, name)| admin.rsplit_once('/').map(|(b, _)| format!("{b}/{name}")))
            .or_else(|| self.sqlite_url.clone())
    }

    /// A fresh database of each configured backend: SQLite always, PostgreSQL when set up.
    pub async fn each() -> Vec<Self> {
        let mut dbs = vec![Self::sqlite().await];
        dbs.extend(Self::postgres().await);
        dbs
    }

    /// Closes the store and drops a PostgreSQL database.
    pub async fn finish(self) {
        self.store.close().await;
        if let Some((admin, name)) = self.pg
            && let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await
        {
            let sql = format!("drop database if exists {name} with (force)");
            let _ = sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut conn)
                .await;
        }
    }
}

/// The web app on 127.0.0.1:0.
#[derive(Debug)]
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestApp {
    /// Serves `store` on a random port.
    pub async fn spawn(store: Arc<dyn Store>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let state = sipmas_web::AppState::new(store);
        let handle = tokio::spawn(sipmas_web::serve(listener, state, async {
            let _ = rx.await;
        }));
        Self {
            base,
            client: reqwest::Client::new(),
            shutdown: Some(tx),
            handle: Some(handle),
        }
    }

    /// A browser with no cookies on this app.
    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    /// GET a path.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request")
    }

    /// Graceful shutdown; returns once the server has stopped.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            h.await.expect("join").expect("serve");
        }
    }
}
