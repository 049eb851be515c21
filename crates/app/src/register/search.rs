use serde::{Deserialize, Serialize};
use sipmas_domain::{Nik, NoKk, RegionCode, WelfareStatus, search_key};
use sipmas_store::{HouseholdSearch, Store};

use super::audit_read;
use crate::AppError;
use crate::access::{Access, Permission};

/// Results per page.
pub const PAGE_SIZE: u32 = 20;
/// Pages further than this are refused: narrow the search instead (deep offsets are slow
/// and nobody reads page 500).
const MAX_PAGE: u32 = 200;

/// The search form as submitted (every field as typed; empty means "any").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    pub nik: String,
    #[serde(default)]
    pub kk: String,
    #[serde(default)]
    pub nama: String,
    #[serde(default)]
    pub wilayah: String,
    #[serde(default)]
    pub desil: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub sumber: String,
    #[serde(default)]
    pub hal: Option<u32>,
}

impl SearchForm {
    /// Whether anything was asked (an empty form shows the form only).
    pub fn is_empty(&self) -> bool {
        [
            &self.nik,
            &self.kk,
            &self.nama,
            &self.wilayah,
            &self.desil,
            &self.status,
            &self.sumber,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }

    /// The filters as a store query within `scope` (the verval campaign selection).
    pub fn selection(&self, scope: Option<RegionCode>) -> Result<HouseholdSearch, AppError> {
        self.parse(scope)
    }

    fn parse(&self, scope: Option<RegionCode>) -> Result<HouseholdSearch, AppError> {
        let bad = |what: &str, e: &dyn std::fmt::Display| AppError::Invalid(format!("{what}: {e}"));
        let opt = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_owned);
        let page = self.hal.unwrap_or(1).max(1);
        if page > MAX_PAGE {
            return Err(AppError::Invalid(format!(
                "halaman paling jauh {MAX_PAGE}; persempit pencarian"
            )));
        }
        let name = opt(&self.nama);
        if name.as_deref().is_some_and(|n| n.chars().count() > 100) {
            return Err(AppError::Invalid(
                "nama terlalu panjang (paling banyak 100 huruf)".into(),
            ));
        }
        let name_key = name.as_deref().map(search_key).filter(|k| !k.is_empty());
        if name.is_some() && name_key.is_none() {
            return Err(AppError::Invalid("nama harus memuat huruf".into()));
        }
        Ok(HouseholdSearch {
            scope,
            region: opt(&self.wilayah)
                .map(|s| RegionCode::parse(&s))
                .transpose()
                .map_err(|e| bad("wilayah", &e))?,
            nik: opt(&self.nik)
                .map(|s| Nik::parse(&s))
                .transpose()
                .map_err(|e| bad("NIK", &e))?,
            no_kk: opt(&self.kk)
                .map(|s| NoKk::parse(&s))
                .transpose()
                .map_err(|e| bad("No KK", &e))?,
            name_key,
            desil: opt(&self.desil)
                .map(|s| {
                    s.parse::<u8>()
                        .ok()
                        .filter(|d| (1..=10).contains(d))
                        .ok_or(())
                })
                .transpose()
                .map_err(|()| AppError::Invalid("desil harus 1–10".into()))?,
            status: opt(&self.status)
                .map(|s| WelfareStatus::from_code(&s).ok_or(()))
                .transpose()
                .map_err(|()| AppError::Invalid("status tidak dikenal".into()))?,
            source: opt(&self.sumber).filter(|s| {
                s.len() <= 40
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            }),
            not_verified_since: None,
            flagged: false,
            offset: (page - 1) * PAGE_SIZE,
            limit: PAGE_SIZE,
        })
    }
}

/// One line of results as the reader may see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HitView {
    pub id: String,
    pub no_kk: Option<String>,
    pub head_name: Option<String>,
    pub head_nik: Option<String>,
    pub matched_name: Option<String>,
    pub village: String,
    pub village_name: String,
    pub desil: Option<u8>,
    pub status: WelfareStatus,
    pub members: i64,
}

/// A page of results.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SearchResult {
    pub hits: Vec<HitView>,
    pub page: u32,
    pub more: bool,
}

/// Searches the register within the reader's region; identifiers masked by role.
pub async fn search(
    store: &dyn Store,
    access: &Access,
    form: &SearchForm,
) -> Result<SearchResult, AppError> {
    access.require(Permission::ReadRegister)?;
    let q = form.parse(access.scope.clone())?;
    let page = store.search_households(&q).await?;
    let hits: Vec<HitView> = page
        .hits
        .into_iter()
        .map(|h| HitView {
            id: h.id.0.to_string(),
            no_kk: access.no_kk(h.no_kk.as_ref()),
            head_name: h.head_name,
            head_nik: access.nik(h.head_nik.as_ref()),
            matched_name: h.matched_name,
            village: h.village.dotted(),
            village_name: h.village_name,
            desil: h.desil,
            status: h.welfare,
            members: h.members,
        })
        .collect();
    if !hits.is_empty() {
        let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
        // What was asked, without the values: a NIK typed into the search is itself personal data.
        let asked: Vec<&str> = [
            ("nik", &form.nik),
            ("kk", &form.kk),
            ("nama", &form.nama),
            ("wilayah", &form.wilayah),
            ("desil", &form.desil),
            ("status", &form.status),
            ("sumber", &form.sumber),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, _)| k)
        .collect();
        audit_read(
            store,
            access,
            "pencarian",
            serde_json::json!({ "fields": asked, "households": ids }),
        )
        .await?;
    }
    Ok(SearchResult {
        hits,
        page: q.offset / PAGE_SIZE + 1,
        more: page.more,
    })
}
