//! Front-end files embedded in the binary (no CDN, no files beside it): our stylesheet
//! and small script, and the vendored htmx and Leaflet (see assets/vendor/README.md).
//! URLs carry a content hash, so browsers may cache them for a year.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

const FILES: &[(&str, &str, &[u8])] = &[
    (
        "sipmas.css",
        "text/css",
        include_bytes!("../assets/sipmas.css"),
    ),
    (
        "sipmas.js",
        "text/javascript",
        include_bytes!("../assets/sipmas.js"),
    ),
    (
        "verval.js",
        "text/javascript",
        include_bytes!("../assets/verval.js"),
    ),
    (
        "htmx.min.js",
        "text/javascript",
        include_bytes!("../assets/vendor/htmx.min.js"),
    ),
    (
        "leaflet.js",
        "text/javascript",
        include_bytes!("../assets/vendor/leaflet.js"),
    ),
    (
        "leaflet.css",
        "text/css",
        include_bytes!("../assets/vendor/leaflet.css"),
    ),
    (
        "images/marker-icon.png",
        "image/png",
        include_bytes!("../assets/vendor/images/marker-icon.png"),
    ),
    (
        "images/marker-icon-2x.png",
        "image/png",
        include_bytes!("../assets/vendor/images/marker-icon-2x.png"),
    ),
    (
        "images/marker-shadow.png",
        "image/png",
        include_bytes!("../assets/vendor/images/marker-shadow.png"),
    ),
];

static HASHES: LazyLock<HashMap<&'static str, String>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(name, _, bytes)| {
            let d = Sha256::digest(bytes);
            (
                *name,
                d.iter().take(5).map(|b| format!("{b:02x}")).collect(),
            )
        })
        .collect()
});

/// `/aset/NAME?v=HASH`.
pub fn url(name: &str) -> String {
    match HASHES.get(name) {
        Some(h) => format!("/aset/{name}?v={h}"),
        None => format!("/aset/{name}"),
    }
}

pub(crate) async fn serve(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, mime, bytes)) => (
            [
                (header::CONTENT_TYPE, *mime),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            *bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
