use chrono::Utc;
use serde::{Deserialize, Serialize};
use sipmas_domain::{Address, AuditAction, Household, HouseholdId, HousingConditions};
use sipmas_store::{
    DbError, EDIT_COLUMNS, EditValue, FieldChange, HouseholdEdit, Store, edit_values,
};

use crate::AppError;
use crate::access::{Access, Permission};

/// The edit form as submitted: the version the editor saw and the editable fields. A
/// field left out keeps its value (an API client may send only what it changes); a field
/// sent empty is cleared.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EditForm {
    pub version: Option<i64>,
    pub street: Option<String>,
    pub rt: Option<String>,
    pub rw: Option<String>,
    pub dusun: Option<String>,
    pub latitude: Option<String>,
    pub longitude: Option<String>,
    pub floor: Option<String>,
    pub wall: Option<String>,
    pub roof: Option<String>,
    pub water_source: Option<String>,
    pub lighting: Option<String>,
    pub cooking_fuel: Option<String>,
    pub toilet: Option<String>,
    pub ownership: Option<String>,
    pub floor_area_m2: Option<String>,
}

impl EditForm {
    /// The form filled with a household's current values.
    pub fn of(h: &Household) -> Self {
        let s = |v: &Option<String>| Some(v.clone().unwrap_or_default());
        let n = |v: Option<f64>| Some(v.map(|x| x.to_string()).unwrap_or_default());
        Self {
            version: Some(h.version),
            street: Some(h.address.street.clone()),
            rt: s(&h.address.rt),
            rw: s(&h.address.rw),
            dusun: s(&h.address.dusun),
            latitude: n(h.coordinates.map(|c| c.0)),
            longitude: n(h.coordinates.map(|c| c.1)),
            floor: s(&h.housing.floor),
            wall: s(&h.housing.wall),
            roof: s(&h.housing.roof),
            water_source: s(&h.housing.water_source),
            lighting: s(&h.housing.lighting),
            cooking_fuel: s(&h.housing.cooking_fuel),
            toilet: s(&h.housing.toilet),
            ownership: s(&h.housing.ownership),
            floor_area_m2: n(h.housing.floor_area_m2),
        }
    }

    fn number(
        s: &str,
        what: &str,
        range: std::ops::RangeInclusive<f64>,
    ) -> Result<Option<f64>, AppError> {
        let s = s.trim().replace(',', ".");
        if s.is_empty() {
            return Ok(None);
        }
        match s.parse::<f64>() {
            Ok(x) if x.is_finite() && range.contains(&x) => Ok(Some(x)),
            _ => Err(AppError::Invalid(format!(
                "{what}: harus angka antara {} dan {}",
                range.start(),
                range.end()
            ))),
        }
    }

    /// This form over `current`: fields left out take the current value.
    pub fn over(&self, current: &Household) -> Self {
        let now = Self::of(current);
        let pick = |mine: &Option<String>, theirs: &Option<String>| {
            mine.clone().or_else(|| theirs.clone())
        };
        Self {
            version: self.version,
            street: pick(&self.street, &now.street),
            rt: pick(&self.rt, &now.rt),
            rw: pick(&self.rw, &now.rw),
            dusun: pick(&self.dusun, &now.dusun),
            latitude: pick(&self.latitude, &now.latitude),
            longitude: pick(&self.longitude, &now.longitude),
            floor: pick(&self.floor, &now.floor),
            wall: pick(&self.wall, &now.wall),
            roof: pick(&self.roof, &now.roof),
            water_source: pick(&self.water_source, &now.water_source),
            lighting: pick(&self.lighting, &now.lighting),
            cooking_fuel: pick(&self.cooking_fuel, &now.cooking_fuel),
            toilet: pick(&self.toilet, &now.toilet),
            ownership: pick(&self.ownership, &now.ownership),
            floor_area_m2: pick(&self.floor_area_m2, &now.floor_area_m2),
        }
    }

    /// A complete form (see `over`) as an edit.
    pub(crate) fn parse(&self, id: HouseholdId, version: i64) -> Result<HouseholdEdit, AppError> {
        let v = |f: &Option<String>| f.clone().unwrap_or_default();
        let text = |f: &Option<String>| Some(v(f).trim().to_owned()).filter(|s| !s.is_empty());
        let all = [
            &self.street,
            &self.rt,
            &self.rw,
            &self.dusun,
            &self.floor,
            &self.wall,
            &self.roof,
            &self.water_source,
            &self.lighting,
            &self.cooking_fuel,
            &self.toilet,
            &self.ownership,
        ];
        if all.iter().any(|s| v(s).chars().count() > 200) {
            return Err(AppError::Invalid(
                "isian terlalu panjang (paling banyak 200 huruf)".into(),
            ));
        }
        let lat = Self::number(&v(&self.latitude), "lintang", -90.0..=90.0)?;
        let lon = Self::number(&v(&self.longitude), "bujur", -180.0..=180.0)?;
        if lat.is_some() != lon.is_some() {
            return Err(AppError::Invalid(
                "lintang dan bujur diisi keduanya atau dikosongkan".into(),
            ));
        }
        Ok(HouseholdEdit {
            id,
            expected_version: version,
            address: Address {
                street: v(&self.street).trim().to_owned(),
                rt: text(&self.rt),
                rw: text(&self.rw),
                dusun: text(&self.dusun),
            },
            coordinates: lat.zip(lon),
            housing: HousingConditions {
                floor: text(&self.floor),
                wall: text(&self.wall),
                roof: text(&self.roof),
                water_source: text(&self.water_source),
                lighting: text(&self.lighting),
                cooking_fuel: text(&self.cooking_fuel),
                toilet: text(&self.toilet),
                ownership: text(&self.ownership),
                floor_area_m2: Self::number(
                    &v(&self.floor_area_m2),
                    "luas lantai",
                    0.0..=10_000.0,
                )?,
                assets: Vec::new(),
            },
            changes: Vec::new(),
        })
    }
}

/// How an edit ended.
#[derive(Debug, Clone, PartialEq)]
pub enum EditOutcome {
    /// Saved (or nothing to save); the household's version now.
    Saved { version: i64, changed: usize },
    /// Someone changed the household after the editor opened it: nothing was written.
    /// The page shows `current` beside the editor's `mine` so nothing typed is lost.
    Conflict {
        current: Box<Household>,
        mine: Box<EditForm>,
    },
}

fn as_text(v: &EditValue) -> Option<String> {
    match v {
        EditValue::Text(t) => t.clone(),
        EditValue::Real(r) => r.map(|x| x.to_string()),
    }
}

/// The fields `edit` changes on `current`, for the history (`campaign` when an approved
/// verval visit makes them).
pub(crate) fn edit_changes(
    current: &Household,
    edit: &HouseholdEdit,
    actor: &str,
    campaign: Option<uuid::Uuid>,
) -> Vec<FieldChange> {
    let now = Utc::now();
    let before = edit_values(&HouseholdEdit {
        address: current.address.clone(),
        coordinates: current.coordinates,
        housing: current.housing.clone(),
        ..edit.clone()
    });
    let after = edit_values(edit);
    EDIT_COLUMNS
        .iter()
        .zip(before.iter().zip(&after))
        .filter(|(_, (b, a))| b != a)
        .map(|(col, (b, a))| FieldChange {
            household_id: current.id,
            individual_id: None,
            field: format!("households.{col}"),
            old_value: as_text(b),
            new_value: as_text(a),
            batch_id: None,
            campaign_id: campaign,
            actor: actor.to_owned(),
            recorded_at: now,
        })
        .collect()
}

/// Applies an edit if the household is still as the editor saw it.
pub async fn edit(
    store: &dyn Store,
    access: &Access,
    id: &str,
    form: &EditForm,
) -> Result<EditOutcome, AppError> {
    access.require(Permission::EditHousehold)?;
    let id = HouseholdId(uuid::Uuid::parse_str(id).map_err(|_| AppError::NotFound)?);
    let current = store
        .household_within(id, access.scope.as_ref())
        .await?
        .ok_or(AppError::NotFound)?;
    let version = form
        .version
        .ok_or_else(|| AppError::Invalid("version (versi yang dibaca) wajib diisi".into()))?;
    let full = form.over(&current);
    let mut edit = full.parse(id, version)?;
    let conflict = |current: Household| EditOutcome::Conflict {
        current: Box::new(current),
        mine: Box::new(full.clone()),
    };
    if current.version != version {
        return Ok(conflict(current));
    }
    // Assets are not on the form: keep what the register has.
    edit.housing.assets.clone_from(&current.housing.assets);
    edit.changes = edit_changes(&current, &edit, &access.username, None);
    if edit.changes.is_empty() {
        return Ok(EditOutcome::Saved {
            version: current.version,
            changed: 0,
        });
    }
    let fields: Vec<&str> = edit.changes.iter().map(|c| c.field.as_str()).collect();
    let entry = access
        .audit(AuditAction::HouseholdEdited)
        .subject(id.0.to_string())
        .detail(serde_json::json!({ "fields": fields, "version": version }).to_string());
    match store.edit_household(&edit, &entry).await {
        Ok(version) => Ok(EditOutcome::Saved {
            version,
            changed: edit.changes.len(),
        }),
        // Lost the race between our read and our write: the same answer as above.
        Err(DbError::Conflict(_)) => {
            let now = store.household_within(id, access.scope.as_ref()).await?;
            now.map(conflict).ok_or(AppError::NotFound)
        }
        Err(DbError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}
