use chrono::Utc;
use serde::{Deserialize, Serialize};
use sipmas_domain::{Address, AuditAction, Household, HouseholdId, HousingConditions};
use sipmas_store::{DbError, EDIT_COLUMNS, EditValue, FieldChange, HouseholdEdit, Store, edit_values};

use crate::AppError;
use crate::access::{Access, Permission};

/// The edit form as submitted: the version the editor saw and every editable field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EditForm {
    pub version: i64,
    pub street: String,
    pub rt: String,
    pub rw: String,
    pub dusun: String,
    pub latitude: String,
    pub longitude: String,
    pub floor: String,
    pub wall: String,
    pub roof: String,
    pub water_source: String,
    pub lighting: String,
    pub cooking_fuel: String,
    pub toilet: String,
    pub ownership: String,
    pub floor_area_m2: String,
}

impl EditForm {
    /// The form filled with a household's current values.
    pub fn of(h: &Household) -> Self {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        let n = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        Self {
            version: h.version,
            street: h.address.street.clone(),
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

    fn number(s: &str, what: &str, range: std::ops::RangeInclusive<f64>) -> Result<Option<f64>, AppError> {
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

    fn parse(&self, id: HouseholdId) -> Result<HouseholdEdit, AppError> {
        let text = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_owned);
        let all = [
            &self.street, &self.rt, &self.rw, &self.dusun, &self.floor, &self.wall, &self.roof,
            &self.water_source, &self.lighting, &self.cooking_fuel, &self.toilet, &self.ownership,
        ];
        if all.iter().any(|s| s.chars().count() > 200) {
            return Err(AppError::Invalid("isian terlalu panjang (paling banyak 200 huruf)".into()));
        }
        let lat = Self::number(&self.latitude, "lintang", -90.0..=90.0)?;
        let lon = Self::number(&self.longitude, "bujur", -180.0..=180.0)?;
        if lat.is_some() != lon.is_some() {
            return Err(AppError::Invalid("lintang dan bujur diisi keduanya atau dikosongkan".into()));
        }
        Ok(HouseholdEdit {
            id,
            expected_version: self.version,
            address: Address {
                street: self.street.trim().to_owned(),
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
                floor_area_m2: Self::number(&self.floor_area_m2, "luas lantai", 0.0..=10_000.0)?,
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
    Conflict { current: Box<Household>, mine: EditForm },
}

fn as_text(v: &EditValue) -> Option<String> {
    match v {
        EditValue::Text(t) => t.clone(),
        EditValue::Real(r) => r.map(|x| x.to_string()),
    }
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
    let mut edit = form.parse(id)?;
    let conflict = |current: Household| EditOutcome::Conflict {
        current: Box::new(current),
        mine: form.clone(),
    };
    if current.version != form.version {
        return Ok(conflict(current));
    }
    // Assets are not on the form: keep what the register has.
    edit.housing.assets.clone_from(&current.housing.assets);
    let now = Utc::now();
    let before = edit_values(&HouseholdEdit {
        address: current.address.clone(),
        coordinates: current.coordinates,
        housing: current.housing.clone(),
        ..edit.clone()
    });
    let after = edit_values(&edit);
    edit.changes = EDIT_COLUMNS
        .iter()
        .zip(before.iter().zip(&after))
        .filter(|(_, (b, a))| b != a)
        .map(|(col, (b, a))| FieldChange {
            household_id: id,
            individual_id: None,
            field: format!("households.{col}"),
            old_value: as_text(b),
            new_value: as_text(a),
            batch_id: None,
            actor: access.username.clone(),
            recorded_at: now,
        })
        .collect();
    if edit.changes.is_empty() {
        return Ok(EditOutcome::Saved { version: current.version, changed: 0 });
    }
    let fields: Vec<&str> = edit.changes.iter().map(|c| c.field.as_str()).collect();
    let entry = access
        .audit(AuditAction::HouseholdEdited)
        .subject(id.0.to_string())
        .detail(serde_json::json!({ "fields": fields, "version": form.version }).to_string());
    match store.edit_household(&edit, &entry).await {
        Ok(version) => Ok(EditOutcome::Saved { version, changed: edit.changes.len() }),
        // Lost the race between our read and our write: the same answer as above.
        Err(DbError::Conflict(_)) => {
            let now = store.household_within(id, access.scope.as_ref()).await?;
            now.map(conflict).ok_or(AppError::NotFound)
        }
        Err(DbError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}
