use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sipmas_domain::RegionCode;

use crate::{AppState, WebError};

/// Liveness and database reachability, for load balancers and `sipmas demo` users.
pub(crate) async fn health(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(serde_json::json!({ "status": "ok", "database": "ok" })).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "degraded", "database": "unreachable" })),
            )
                .into_response()
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct StatsQuery {
    wilayah: Option<String>,
}

/// Aggregate figures only: safe for the public.
pub(crate) async fn stats(
    State(state): State<AppState>,
    Query(q): Query<StatsQuery>,
) -> Result<Response, WebError> {
    let within = match q.wilayah.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => match RegionCode::parse(s) {
            Ok(c) => Some(c),
            Err(e) => {
                return Ok((
                    StatusCode::BAD_REQUEST,
                    Json(serde_json::json!({ "error": e.to_string() })),
                )
                    .into_response());
            }
        },
        None => None,
    };
    let stats = sipmas_app::stats::collect(state.store.as_ref(), within.as_ref()).await?;
    let mut body = serde_json::to_value(stats).unwrap_or_default();
    // Public figures: people counts of 1–4 could identify a family, so they become null.
    for key in ["individuals", "extreme_poor_individuals"] {
        if body[key]
            .as_u64()
            .is_some_and(|n| n > 0 && n < crate::pages::SUPPRESS_BELOW)
        {
            body[key] = serde_json::Value::Null;
        }
    }
    Ok(Json(body).into_response())
}
