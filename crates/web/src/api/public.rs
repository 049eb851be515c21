use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sipmas_domain::RegionCode;
use utoipa::IntoParams;

use super::ApiError;
use crate::AppState;
use crate::pages::SUPPRESS_BELOW;

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

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct StatsQuery {
    /// Kemendagri code, dotted or plain; empty for everything.
    wilayah: Option<String>,
}

/// Aggregate figures only: safe for the public. Counts of 1–4 people or extremely poor
/// households are null (as the dashboard shows them as `< 5`).
#[utoipa::path(get, path = "/api/v1/stats", tag = "publik", params(StatsQuery),
    responses((status = 200, description = "Jumlah keluarga dan jiwa", body = serde_json::Value),
              (status = 400, description = "Kode wilayah tidak sah", body = super::ApiErrorBody)))]
pub(crate) async fn stats(
    State(state): State<AppState>,
    Query(q): Query<StatsQuery>,
) -> Result<Response, ApiError> {
    let within = q
        .wilayah
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(RegionCode::parse)
        .transpose()
        .map_err(|e| ApiError::App(sipmas_app::AppError::Invalid(e.to_string())))?;
    let stats = sipmas_app::stats::collect(state.store.as_ref(), within.as_ref()).await?;
    let mut body = serde_json::to_value(stats).unwrap_or_default();
    for key in [
        "individuals",
        "extreme_poor_individuals",
        "extreme_poor_households",
    ] {
        if body[key]
            .as_u64()
            .is_some_and(|n| n > 0 && n < SUPPRESS_BELOW)
        {
            body[key] = serde_json::Value::Null;
        }
    }
    Ok(Json(body).into_response())
}
