//! Reading and editing the register through the web: search within a region scope, a
//! household's field history, an edit guarded by its version, and the audit log.
//!
//! The search SQL is built here once, for both backends, with the backend's placeholder
//! style; values are always bound, never spliced.

use async_trait::async_trait;
use serde::Serialize;
use sipmas_domain::{
    Address, Household, HouseholdId, HousingConditions, Nik, NoKk, RegionCode, WelfareStatus,
};

use crate::{AuditEntry, AuditRecord, DbResult, FieldChange};

/// What the register search asks for. `scope` is the user's region and is always applied;
/// `region` is the filter they chose.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HouseholdSearch {
    pub scope: Option<RegionCode>,
    pub region: Option<RegionCode>,
    pub nik: Option<Nik>,
    pub no_kk: Option<NoKk>,
    /// A prefix of a `sipmas_domain::search_key`.
    pub name_key: Option<String>,
    pub desil: Option<u8>,
    pub status: Option<WelfareStatus>,
    /// A data set the household came from (`p3ke`, `dtsen` …).
    pub source: Option<String>,
    /// Households without a verval visit approved on or after this date (never visited
    /// included).
    pub not_verified_since: Option<chrono::NaiveDate>,
    /// Only households an import or the linkage flagged: an open register flag (no head,
    /// a NIK in two families, missing from a newer export) or a member in a duplicate pair
    /// waiting for review.
    pub flagged: bool,
    pub offset: u32,
    pub limit: u32,
}

/// One line of search results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HouseholdHit {
    pub id: HouseholdId,
    pub no_kk: Option<NoKk>,
    pub head_name: Option<String>,
    pub head_nik: Option<Nik>,
    /// The member whose NIK or name matched, when the search was by person.
    pub matched_name: Option<String>,
    pub village: RegionCode,
    pub village_name: String,
    pub desil: Option<u8>,
    pub welfare: WelfareStatus,
    pub members: i64,
}

/// A page of hits; `more` when another page follows (no count over millions of rows).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SearchPage {
    pub hits: Vec<HouseholdHit>,
    pub more: bool,
}

/// The fields a person may edit on the household page, with the version they saw.
#[derive(Debug, Clone, PartialEq)]
pub struct HouseholdEdit {
    pub id: HouseholdId,
    pub expected_version: i64,
    pub address: Address,
    pub coordinates: Option<(f64, f64)>,
    pub housing: HousingConditions,
    /// What changed, field by field, for the history (computed against the stored values).
    pub changes: Vec<FieldChange>,
}

/// Which audit events to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub subject: Option<String>,
    /// Events with an id below this (paging backwards in time).
    pub before_id: Option<i64>,
    pub limit: u32,
}

#[async_trait]
pub trait BrowseStore: Send + Sync {
    /// Households matching `q` within `q.scope`.
    async fn search_households(&self, q: &HouseholdSearch) -> DbResult<SearchPage>;
    /// One household if it lies within `scope` (`None` scope: anywhere).
    async fn household_within(
        &self,
        id: HouseholdId,
        scope: Option<&RegionCode>,
    ) -> DbResult<Option<Household>>;
    /// Applies an edit if the household is still at `expected_version`: the new values,
    /// its field changes and `audit` in one transaction. Returns the new version;
    /// `DbError::Conflict` when someone changed it first, `NotFound` when it is gone.
    async fn edit_household(&self, edit: &HouseholdEdit, audit: &AuditEntry) -> DbResult<i64>;
    /// Data sets imported so far (`p3ke`, `dtsen` …), for the search filter.
    async fn data_sources(&self) -> DbResult<Vec<String>>;
    /// Writes an audit event on its own (a view of personal data changes nothing else).
    async fn append_audit(&self, entry: &AuditEntry) -> DbResult<()>;
    /// Audit events, newest first.
    async fn audit_events(&self, filter: &AuditFilter) -> DbResult<Vec<AuditRecord>>;
}

/// A value bound into built SQL.
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    Text(String),
    Int(i64),
    Date(chrono::NaiveDate),
}

const HIT_COLUMNS: &str = "h.id, h.no_kk, h.village_code, r.name as village_name, h.desil, h.welfare_status, \
    (select k.name from individuals k where k.household_id = h.id and k.relationship = 'kepala_keluarga' \
       and k.merged_into is null order by k.id limit 1) as head_name, \
    (select k.nik from individuals k where k.household_id = h.id and k.relationship = 'kepala_keluarga' \
       and k.merged_into is null order by k.id limit 1) as head_nik, \
    (select count(*) from individuals k where k.household_id = h.id and k.merged_into is null) as members";

/// The household filters of `q` (scope, region, No KK, desil, status, source) on a
/// household aliased `h`, binding into `binds`; shared by the search and the verval
/// campaign selection.
pub fn household_conditions(
    q: &HouseholdSearch,
    binds: &mut Vec<Bind>,
    placeholder: &impl Fn(usize) -> String,
) -> Vec<String> {
    let mut conds: Vec<String> = Vec::new();
    let bind = |b: Bind, binds: &mut Vec<Bind>| {
        binds.push(b);
        placeholder(binds.len())
    };
    for region in [&q.scope, &q.region].into_iter().flatten() {
        let (low, high) = region.code_range();
        let a = bind(Bind::Text(low), binds);
        let b = bind(Bind::Text(high), binds);
        conds.push(format!("h.village_code >= {a} and h.village_code < {b}"));
    }
    if let Some(kk) = &q.no_kk {
        let p = bind(Bind::Text(kk.as_str().to_owned()), binds);
        conds.push(format!("h.no_kk = {p}"));
    }
    if let Some(d) = q.desil {
        let p = bind(Bind::Int(i64::from(d)), binds);
        conds.push(format!("h.desil = {p}"));
    }
    if let Some(s) = q.status {
        let p = bind(Bind::Text(s.code().to_owned()), binds);
        conds.push(format!("h.welfare_status = {p}"));
    }
    if let Some(src) = &q.source {
        let p = bind(Bind::Text(src.clone()), binds);
        conds.push(format!(
            "exists (select 1 from household_keys s where s.household_id = h.id and s.source = {p})"
        ));
    }
    if let Some(since) = q.not_verified_since {
        let p = bind(Bind::Date(since), binds);
        conds.push(format!(
            "not exists (select 1 from verval_visits v where v.household_id = h.id \
               and v.approved_at >= {p})"
        ));
    }
    if q.flagged {
        conds.push(
            "(exists (select 1 from register_flags f where f.household_id = h.id and f.resolved_at is null) \
              or exists (select 1 from link_pairs lp join individuals k on k.id = lp.left_id or k.id = lp.right_id \
                 where lp.status = 'review' and k.household_id = h.id))"
                .to_owned(),
        );
    }
    conds
}

/// The search as SQL with `placeholder(n)` for the n-th bind (1-based), and its binds.
/// Placeholders must be numbered (`$n`, `?n`): they do not appear in bind order.
/// A search by NIK or name starts from people (one line per matching person); otherwise
/// from households, in region order. One row more than the page is asked for, to tell
/// whether another page follows.
pub fn search_sql(
    q: &HouseholdSearch,
    placeholder: impl Fn(usize) -> String,
) -> (String, Vec<Bind>) {
    let mut binds = Vec::new();
    let mut conds = household_conditions(q, &mut binds, &placeholder);
    let bind = |b: Bind, binds: &mut Vec<Bind>| {
        binds.push(b);
        placeholder(binds.len())
    };
    let by_person = q.nik.is_some() || q.name_key.as_deref().is_some_and(|k| !k.is_empty());
    let sql = if by_person {
        let mut person = vec!["i.merged_into is null".to_owned()];
        if let Some(nik) = &q.nik {
            let p = bind(Bind::Text(nik.as_str().to_owned()), &mut binds);
            person.push(format!("i.nik = {p}"));
        }
        if let Some(key) = q.name_key.as_deref().filter(|k| !k.is_empty()) {
            let a = bind(Bind::Text(key.to_owned()), &mut binds);
            let b = bind(Bind::Text(format!("{key}~")), &mut binds);
            person.push(format!("i.name_key >= {a} and i.name_key < {b}"));
        }
        person.extend(conds);
        format!(
            "select {HIT_COLUMNS}, i.name as matched_name from individuals i \
             join households h on h.id = i.household_id join regions r on r.code = h.village_code \
             where {} order by i.name_key, i.id",
            person.join(" and ")
        )
    } else {
        conds.push(
            "exists (select 1 from individuals k where k.household_id = h.id and k.merged_into is null)"
                .to_owned(),
        );
        format!(
            "select {HIT_COLUMNS}, null as matched_name from households h \
             join regions r on r.code = h.village_code where {} order by h.village_code, h.id",
            conds.join(" and ")
        )
    };
    let limit = bind(Bind::Int(i64::from(q.limit) + 1), &mut binds);
    let offset = bind(Bind::Int(i64::from(q.offset)), &mut binds);
    (format!("{sql} limit {limit} offset {offset}"), binds)
}

/// `households` columns the edit form rewrites, in the order `edit_values` gives them.
pub const EDIT_COLUMNS: [&str; 15] = [
    "street",
    "rt",
    "rw",
    "dusun",
    "latitude",
    "longitude",
    "floor",
    "wall",
    "roof",
    "water_source",
    "lighting",
    "cooking_fuel",
    "toilet",
    "ownership",
    "floor_area_m2",
];

/// A value of an editable column.
#[derive(Debug, Clone, PartialEq)]
pub enum EditValue {
    Text(Option<String>),
    Real(Option<f64>),
}

/// The edit's values in `EDIT_COLUMNS` order.
pub fn edit_values(e: &HouseholdEdit) -> Vec<EditValue> {
    let t = |v: &Option<String>| EditValue::Text(v.clone());
    let h = &e.housing;
    vec![
        EditValue::Text(Some(e.address.street.clone())),
        t(&e.address.rt),
        t(&e.address.rw),
        t(&e.address.dusun),
        EditValue::Real(e.coordinates.map(|c| c.0)),
        EditValue::Real(e.coordinates.map(|c| c.1)),
        t(&h.floor),
        t(&h.wall),
        t(&h.roof),
        t(&h.water_source),
        t(&h.lighting),
        t(&h.cooking_fuel),
        t(&h.toilet),
        t(&h.ownership),
        EditValue::Real(h.floor_area_m2),
    ]
}

/// The audit-log query for `f`, newest first, with its binds.
pub fn audit_sql(f: &AuditFilter, placeholder: impl Fn(usize) -> String) -> (String, Vec<Bind>) {
    let mut binds = Vec::new();
    let mut conds = Vec::new();
    for (col, value) in [
        ("actor", &f.actor),
        ("action", &f.action),
        ("subject", &f.subject),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            binds.push(Bind::Text(v.to_owned()));
            conds.push(format!("{col} = {}", placeholder(binds.len())));
        }
    }
    if let Some(id) = f.before_id {
        binds.push(Bind::Int(id));
        conds.push(format!("id < {}", placeholder(binds.len())));
    }
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!("where {}", conds.join(" and "))
    };
    binds.push(Bind::Int(i64::from(f.limit)));
    (
        format!(
            "select id, occurred_at, actor, action, subject, detail, ip from audit_events {filter} \
             order by id desc limit {}",
            placeholder(binds.len())
        ),
        binds,
    )
}
