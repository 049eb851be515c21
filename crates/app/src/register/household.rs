use chrono::{NaiveDate, Utc};
use serde::Serialize;
use sipmas_domain::{Household, HouseholdId, LifeStatus, Relationship, Sex, StatusChange};
use sipmas_store::{FieldChange, Store};

use super::audit_read;
use crate::AppError;
use crate::access::{Access, Permission};

/// A member as the reader may see them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberView {
    pub id: String,
    pub name: String,
    pub nik: Option<String>,
    pub sex: Sex,
    pub birth_date: Option<NaiveDate>,
    pub age: Option<i32>,
    pub relationship: Relationship,
    pub life_status: LifeStatus,
    pub disability: Option<String>,
    /// Merged into another record as a duplicate (shown struck through, kept for history).
    pub merged: bool,
}

/// Where a row of the household came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceView {
    pub batch_id: String,
    pub line: i64,
    /// The row as it arrived; only for readers who see identifiers (it holds the NIK).
    pub payload: Option<String>,
}

/// Everything the household page shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HouseholdView {
    pub household: Household,
    pub no_kk: Option<String>,
    /// Village, kecamatan, kabupaten/kota, province names, village first.
    pub places: Vec<(String, String)>,
    pub members: Vec<MemberView>,
    pub history: Vec<StatusChange>,
    pub changes: Vec<FieldChange>,
    pub sources: Vec<SourceView>,
    pub can_edit: bool,
}

fn age(birth: NaiveDate, today: NaiveDate) -> i32 {
    today
        .years_since(birth)
        .map_or(0, |y| i32::try_from(y).unwrap_or(0))
}

/// A field change as the reader may see it: a NIK or No KK changed by an import is
/// masked like the one on the member list.
fn mask_change(access: &Access, mut c: FieldChange) -> FieldChange {
    if access.sees_identifiers() {
        return c;
    }
    let nik = c.field.ends_with(".nik");
    if !nik && !c.field.ends_with(".no_kk") {
        return c;
    }
    let mask = |v: Option<String>| -> Option<String> {
        v.map(|v| {
            let masked = if nik {
                sipmas_domain::Nik::parse(&v).ok().map(|n| n.masked())
            } else {
                sipmas_domain::NoKk::parse(&v).ok().map(|n| n.masked())
            };
            masked.unwrap_or_else(|| "*".repeat(16))
        })
    };
    c.old_value = mask(c.old_value.take());
    c.new_value = mask(c.new_value.take());
    c
}

/// A household within the reader's region (else `NotFound`, whatever the reason).
pub async fn household(
    store: &dyn Store,
    access: &Access,
    id: &str,
) -> Result<HouseholdView, AppError> {
    access.require(Permission::ReadRegister)?;
    let id = uuid::Uuid::parse_str(id).map_err(|_| AppError::NotFound)?;
    let id = HouseholdId(id);
    let household = store
        .household_within(id, access.scope.as_ref())
        .await?
        .ok_or(AppError::NotFound)?;
    let today = Utc::now().date_naive();
    let mut members = Vec::new();
    for m in store.members(id).await? {
        let merged = store.merged_into(m.id).await?.is_some();
        members.push(MemberView {
            id: m.id.0.to_string(),
            nik: access.nik(m.nik.as_ref()),
            name: m.name,
            sex: m.sex,
            age: m.birth_date.map(|b| age(b, today)),
            birth_date: m.birth_date,
            relationship: m.relationship,
            life_status: m.life_status,
            disability: m.disability,
            merged,
        });
    }
    let places = crate::regions::place_names(store, &household.village).await?;
    let sources = store
        .sources_of_household(id)
        .await?
        .into_iter()
        .map(|s| SourceView {
            batch_id: s.batch_id.to_string(),
            line: s.line,
            payload: access.sees_identifiers().then_some(s.payload),
        })
        .collect();
    let view = HouseholdView {
        no_kk: access.no_kk(household.no_kk.as_ref()),
        can_edit: access.allows(Permission::EditHousehold),
        places,
        members,
        history: store.status_history(id).await?,
        changes: store
            .field_changes(id)
            .await?
            .into_iter()
            .map(|c| mask_change(access, c))
            .collect(),
        sources,
        household,
    };
    audit_read(
        store,
        access,
        &id.0.to_string(),
        serde_json::json!({ "page": "household", "members": view.members.len() }),
    )
    .await?;
    Ok(view)
}
