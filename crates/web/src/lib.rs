//! The HTTP face of SIPMAS: server-rendered pages in Bahasa Indonesia (English by a
//! switch), `/api/v1` JSON with OpenAPI, sessions and CSRF, and the middleware every
//! response passes (compression, security headers, request logs that carry paths only,
//! never query strings, so NIK and names stay out of logs).

mod api;
mod assets;
mod error;
mod i18n;
mod middleware;
mod pages;
mod session;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use sipmas_store::Store;
use tokio::net::TcpListener;

pub use error::WebError;
pub use i18n::Lang;
pub use pages::auth::IP_FAILURES as LOGIN_IP_FAILURES;

/// Shared state: the store behind its traits, and how cookies are marked.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    /// Mark cookies `Secure` (serve behind TLS).
    pub secure_cookies: bool,
    /// Imports started by upload in this process.
    pub jobs: Arc<pages::upload::Jobs>,
    /// Failed sign-ins per client address.
    pub throttle: Arc<pages::auth::LoginThrottle>,
}

impl AppState {
    /// State for a plain-HTTP server (development, tests, behind a TLS proxy set
    /// `secure_cookies`).
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            secure_cookies: false,
            jobs: pages::upload::jobs(),
            throttle: Arc::default(),
        }
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("backend", &self.store.kind())
            .field("secure_cookies", &self.secure_cookies)
            .finish()
    }
}

/// Every route with its middleware.
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .route("/", get(pages::dashboard::dashboard))
        .route(
            "/masuk",
            get(pages::auth::login_page).post(pages::auth::login),
        )
        .route("/keluar", post(pages::auth::logout))
        .route("/bahasa/{code}", get(pages::auth::switch_language))
        .route("/cari", get(pages::register::search))
        .route("/keluarga/{id}", get(pages::register::household))
        .route(
            "/keluarga/{id}/ubah",
            get(pages::register::edit_form).post(pages::register::edit_submit),
        )
        .route(
            "/pengguna",
            get(pages::admin::users).post(pages::admin::add_user),
        )
        .route("/audit", get(pages::admin::audit))
        .route("/impor", get(pages::upload::form))
        .route(
            pages::upload::UPLOAD_PATH,
            post(pages::upload::upload).layer(axum::extract::DefaultBodyLimit::max(
                pages::upload::UPLOAD_LIMIT,
            )),
        )
        .route("/impor/{id}", get(pages::upload::progress))
        .route("/impor/{id}/laporan", get(pages::upload::report))
        .route(
            "/verval",
            get(pages::verval::campaigns).post(pages::verval::create),
        )
        .route("/verval/{id}", get(pages::verval::campaign))
        .route("/verval/{id}/tugaskan", post(pages::verval::assign))
        .route("/tugas", get(pages::verval::tasks))
        .route(
            "/verval/{id}/kunjungan/{household}",
            get(pages::visit::visit)
                .post(pages::visit_submit::submit)
                .layer(axum::extract::DefaultBodyLimit::max(
                    pages::visit_submit::VISIT_LIMIT,
                )),
        )
        .route(
            "/verval/{id}/kunjungan/{household}/keputusan",
            post(pages::visit::decide),
        )
        .route("/verval/foto/{photo}", get(pages::visit::photo))
        .route("/verval/{id}/desa/{village}", get(pages::minutes::village))
        .route(
            "/verval/{id}/desa/{village}/berita-acara",
            get(pages::minutes::page),
        )
        .route(
            "/verval/{id}/desa/{village}/berita-acara.pdf",
            get(pages::minutes::pdf),
        )
        .route("/data-ganda", get(pages::links::queue))
        .route("/data-ganda/{id}/{action}", post(pages::links::decide))
        .route("/aset/{*name}", get(assets::serve))
        .route("/health", get(api::health))
        .route("/api/v1/stats", get(api::stats))
        .route("/api/v1/me", get(api::me))
        .route("/api/v1/households", get(api::search))
        .route(
            "/api/v1/households/{id}",
            get(api::household).put(api::edit_household),
        )
        .route("/api/v1/audit", get(api::audit))
        .route("/api/v1/links", get(api::link_queue))
        .route("/api/v1/links/{id}/{decision}", post(api::decide_link))
        .route(
            "/api/v1/verval/campaigns",
            get(api::verval::campaigns).post(api::verval::create),
        )
        .route("/api/v1/verval/campaigns/{id}", get(api::verval::campaign))
        .route(
            "/api/v1/verval/campaigns/{id}/assign",
            post(api::verval::assign),
        )
        .route("/api/v1/verval/tasks", get(api::verval::tasks))
        .route(
            "/api/v1/verval/campaigns/{id}/visits/{household}",
            get(api::verval::visit).put(api::verval::submit),
        )
        .route(
            "/api/v1/verval/campaigns/{id}/visits/{household}/decision",
            post(api::verval::decide),
        )
        .route(
            "/api/v1/verval/campaigns/{id}/villages/{village}/minutes",
            get(api::verval::minutes),
        )
        .route("/api/v1/openapi.json", get(api::openapi_json))
        .route("/api/v1/docs", get(api::docs_page))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::resolve,
        ))
        .with_state(state);
    middleware::wrap(routes)
}

/// Serves on an already-bound listener until `shutdown` resolves, then finishes in-flight
/// requests. Binding outside lets tests use port 0. Expired sessions are swept hourly.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "serving");
    let store = state.store.clone();
    let sweeper = tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match store.delete_expired_sessions(chrono::Utc::now()).await {
                Ok(n) if n > 0 => tracing::info!(sessions = n, "expired sessions removed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "session sweep failed"),
            }
        }
    });
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    sweeper.abort();
    result?;
    tracing::info!("server stopped");
    Ok(())
}
