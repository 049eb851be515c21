//! The synthetic province: realistic Indonesian families, regions and histories, fully
//! deterministic for a seed (each household's randomness is derived from the seed and its
//! index, so parallel generation gives the same result on any number of cores).

mod conditions;
mod family;
pub mod linkage;
pub mod names;
pub mod p3ke;
mod regions;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use sipmas_domain::{
    Household, HouseholdId, Individual, Nik, NoKk, RegionCode, RegionLevel, StatusChange,
    WelfareStatus,
};

pub use regions::SynthRegion;

/// What to generate.
#[derive(Debug, Clone)]
pub struct SynthConfig {
    pub seed: u64,
    pub households: u64,
    /// "Today" for ages and histories; fixed so a seed always gives the same province.
    pub as_of: NaiveDate,
}

/// One generated family, ready to store.
#[derive(Debug, Clone)]
pub struct GeneratedHousehold {
    /// Position in the generation order, from 0; used for P3KE ids.
    pub index: u64,
    pub household: Household,
    pub members: Vec<Individual>,
    pub history: Vec<StatusChange>,
}

#[derive(Debug, Clone)]
struct Village {
    code: RegionCode,
    name: String,
    urban: bool,
    centroid: Option<(f64, f64)>,
}

/// The generator: regions plus the uniqueness sets that keep NIK and No KK collision-free.
#[derive(Debug)]
pub struct Generator {
    config: SynthConfig,
    regions: Vec<SynthRegion>,
    villages: Vec<Village>,
    cumulative: Vec<f64>,
    names: HashMap<RegionCode, String>,
    niks: HashSet<u64>,
    kks: HashSet<u64>,
}

/// A region list with no villages cannot hold households.
#[derive(Debug, thiserror::Error)]
#[error("daftar wilayah tidak memuat satu pun desa/kelurahan (tingkat 4)")]
pub struct NoVillages;

impl Generator {
    /// Kalimantan Timur with its ten real kabupaten/kota and generated villages.
    pub fn kaltim(config: SynthConfig) -> Self {
        let (regions, villages) = regions::skeleton();
        let names: HashMap<_, _> = regions
            .iter()
            .map(|r| (r.code.clone(), r.name.clone()))
            .collect();
        let weights: Vec<f64> = villages.iter().map(|v| v.1).collect();
        let villages = villages
            .into_iter()
            .map(|(code, _, centroid, urban)| Village {
                name: names.get(&code).cloned().unwrap_or_default(),
                code,
                urban,
                centroid: Some(centroid),
            })
            .collect();
        Self::build(config, regions, villages, &weights, names)
    }

    /// A real region list (e.g. Kemendagri's `wilayah.csv`); households spread evenly over its villages.
    pub fn from_regions(
        config: SynthConfig,
        regions: Vec<SynthRegion>,
    ) -> Result<Self, NoVillages> {
        let names: HashMap<_, _> = regions
            .iter()
            .map(|r| (r.code.clone(), r.name.clone()))
            .collect();
        let villages: Vec<Village> = regions
            .iter()
            .filter(|r| r.code.level() == RegionLevel::Village)
            .map(|r| Village {
                code: r.code.clone(),
                name: r.name.clone(),
                urban: r.code.plain().as_bytes().get(6) == Some(&b'1'),
                centroid: r
                    .code
                    .plain()
                    .starts_with("64")
                    .then(|| regions::centroid_of(&r.code)),
            })
            .collect();
        if villages.is_empty() {
            return Err(NoVillages);
        }
        let weights = vec![1.0; villages.len()];
        Ok(Self::build(config, regions, villages, &weights, names))
    }

    fn build(
        config: SynthConfig,
        regions: Vec<SynthRegion>,
        villages: Vec<Village>,
        weights: &[f64],
        names: HashMap<RegionCode, String>,
    ) -> Self {
        let mut acc = 0.0;
        let cumulative = weights
            .iter()
            .map(|w| {
                acc += w;
                acc
            })
            .collect();
        Self {
            config,
            regions,
            villages,
            cumulative,
            names,
            niks: HashSet::new(),
            kks: HashSet::new(),
        }
    }

    /// Every region, parents before children.
    pub fn regions(&self) -> &[SynthRegion] {
        &self.regions
    }

    /// The name of a region, for exports.
    pub fn region_name(&self, code: &RegionCode) -> &str {
        self.names.get(code).map_or("", String::as_str)
    }

    /// The configuration.
    pub fn config(&self) -> &SynthConfig {
        &self.config
    }

    /// Households `start..start+len` (clamped to the configured total), generated in
    /// parallel; call with consecutive ranges so that NIK and No KK stay unique.
    pub fn generate(&mut self, start: u64, len: u64) -> Vec<GeneratedHousehold> {
        let end = (start + len).min(self.config.households);
        let mut out: Vec<GeneratedHousehold> =
            (start..end).into_par_iter().map(|i| self.one(i)).collect();
        for g in &mut out {
            if let Some(kk) = g.household.no_kk.take() {
                g.household.no_kk = unique(&mut self.kks, kk.as_str(), |s| NoKk::parse(s).ok());
            }
            for m in &mut g.members {
                if let Some(nik) = m.nik.take() {
                    m.nik = unique(&mut self.niks, nik.as_str(), |s| Nik::parse(s).ok());
                }
            }
        }
        out
    }

    fn village(&self, rng: &mut ChaCha8Rng) -> &Village {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let x = rng.random_range(0.0..total);
        let i = self
            .cumulative
            .partition_point(|c| *c <= x)
            .min(self.villages.len() - 1);
        &self.villages[i]
    }

    fn one(&self, index: u64) -> GeneratedHousehold {
        let mut rng =
            ChaCha8Rng::seed_from_u64(self.config.seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let village = self.village(&mut rng).clone();
        let id = HouseholdId(family::ordered_uuid(&mut rng, index, 0));
        let desil = conditions::desil(&mut rng);
        let regency = village
            .code
            .ancestor(RegionLevel::Regency)
            .map(|c| c.dotted())
            .unwrap_or_default();
        let ethnicity = names::Ethnicity::pick(&mut rng, &regency);
        let ctx = family::FamilyCtx {
            index,
            household_id: id,
            village: &village.code,
            village_name: &village.name,
            urban: village.urban,
            as_of: self.config.as_of,
            desil: desil.desil.get(),
        };
        let members = family::members(&mut rng, &ctx, ethnicity);
        let history = conditions::history(&mut rng, id, desil.desil.get(), self.config.as_of);
        let welfare = history.last().map_or(WelfareStatus::Unknown, |h| h.to);
        let coordinates = village
            .centroid
            .filter(|_| rng.random_bool(0.75))
            .map(|(lat, lon)| {
                (
                    lat + rng.random_range(-0.25..0.25),
                    lon + rng.random_range(-0.25..0.25),
                )
            });
        let household = Household {
            id,
            no_kk: family::no_kk(&mut rng, &village.code),
            address: family::address(&mut rng, village.urban),
            village: village.code.clone(),
            coordinates,
            desil: Some(desil),
            housing: conditions::housing(&mut rng, desil.desil.get(), village.urban),
            welfare,
            version: 1,
        };
        GeneratedHousehold {
            index,
            household,
            members,
            history,
        }
    }
}

/// Bumps the 4-digit serial of a 16-digit number until it is unused, as Dukcapil does.
fn unique<T>(
    seen: &mut HashSet<u64>,
    digits: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let prefix = &digits[..12];
    let mut serial: u32 = digits[12..].parse().ok()?;
    for _ in 0..9999 {
        let candidate = format!("{prefix}{serial:04}");
        let key: u64 = candidate.parse().ok()?;
        if seen.insert(key) {
            return parse(&candidate);
        }
        serial = serial % 9999 + 1;
    }
    None
}

#[cfg(test)]
mod tests;
