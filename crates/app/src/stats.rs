//! The headline figures: regions by level and the register's counts.

use serde::Serialize;
use sipmas_domain::RegionCode;
use sipmas_store::{RegisterCounts, Store};

use crate::AppError;

/// Regions stored per level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RegionCounts {
    pub provinsi: u64,
    pub kabupaten_kota: u64,
    pub kecamatan: u64,
    pub desa_kelurahan: u64,
}

/// What `sipmas stats` prints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub regions: RegionCounts,
    pub households: u64,
    /// Living members who have not moved away.
    pub individuals: u64,
    pub extreme_poor_households: u64,
    pub extreme_poor_individuals: u64,
}

/// Collects the figures, optionally within a region.
pub async fn collect(store: &dyn Store, within: Option<&RegionCode>) -> Result<Stats, AppError> {
    let [provinsi, kabupaten_kota, kecamatan, desa_kelurahan] =
        store.count_regions_by_level().await?;
    let RegisterCounts {
        households,
        individuals,
        extreme_poor_households,
        extreme_poor_individuals,
    } = store.register_counts(within).await?;
    Ok(Stats {
        regions: RegionCounts {
            provinsi,
            kabupaten_kota,
            kecamatan,
            desa_kelurahan,
        },
        households,
        individuals,
        extreme_poor_households,
        extreme_poor_individuals,
    })
}

/// Recomputes the dashboard's per-village figures after a change (every village when
/// `None`). Called by every use-case that moves the counts: demo, import, link decisions.
pub async fn refresh(store: &dyn Store, villages: Option<&[RegionCode]>) -> Result<(), AppError> {
    store
        .refresh_village_stats(villages, chrono::Utc::now().date_naive())
        .await
        .map_err(Into::into)
}
