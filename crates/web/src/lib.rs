//! The HTTP face of SIPMAS: server-rendered pages in Bahasa Indonesia, `/api/v1` JSON,
//! and the middleware every response passes (compression, security headers, request logs
//! that carry paths only, never query strings, so NIK and names stay out of logs).

mod api;
mod error;
mod middleware;
mod pages;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use sipmas_store::Store;
use tokio::net::TcpListener;

pub use error::WebError;

/// Shared state: the store behind its traits.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("backend", &self.store.kind())
            .finish()
    }
}

/// Every route with its middleware.
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .route("/", get(pages::dashboard))
        .route("/health", get(api::health))
        .route("/api/v1/stats", get(api::stats))
        .fallback(pages::not_found)
        .with_state(state);
    middleware::wrap(routes)
}

/// Serves on an already-bound listener until `shutdown` resolves, then finishes in-flight
/// requests. Binding outside lets tests use port 0.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "serving");
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await?;
    tracing::info!("server stopped");
    Ok(())
}
