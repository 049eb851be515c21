//! PostgreSQL rows to domain types, and sqlx errors to `DbError`.

use sipmas_domain::{
    Address, Desil, DesilAssessment, DesilSource, Household, HouseholdId, HousingConditions,
    Individual, IndividualId, LifeStatus, MaritalStatus, Nik, NoKk, RegionCode, Relationship, Sex,
    StatusChange, WelfareStatus,
};
use sipmas_store::DbError;
use sqlx::Row;
use sqlx::postgres::PgRow;

/// Maps a driver error; unique and foreign-key violations become conflicts.
pub(crate) fn err(e: sqlx::Error) -> DbError {
    match &e {
        sqlx::Error::RowNotFound => DbError::NotFound,
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            DbError::Conflict(d.message().to_owned())
        }
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
            DbError::Conflict(format!("referenced record missing: {}", d.message()))
        }
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed => DbError::Unreachable(e.to_string()),
        _ => DbError::Other(e.to_string()),
    }
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> DbError {
    DbError::Corrupt(format!("{what}: {e}"))
}

pub(crate) fn uuid(row: &PgRow, col: &str) -> Result<uuid::Uuid, DbError> {
    row.try_get(col).map_err(err)
}

pub(crate) fn opt_uuid(row: &PgRow, col: &str) -> Result<Option<uuid::Uuid>, DbError> {
    row.try_get(col).map_err(err)
}

pub(crate) fn code<T>(
    row: &PgRow,
    col: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, DbError> {
    let s: String = row.try_get(col).map_err(err)?;
    parse(&s).ok_or_else(|| corrupt(col, &s))
}

pub(crate) fn opt_code<T>(
    row: &PgRow,
    col: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, DbError> {
    let s: Option<String> = row.try_get(col).map_err(err)?;
    s.map(|s| parse(&s).ok_or_else(|| corrupt(col, &s)))
        .transpose()
}

pub(crate) fn get<'r, T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>>(
    row: &'r PgRow,
    col: &str,
) -> Result<T, DbError> {
    row.try_get(col).map_err(err)
}

pub(crate) fn household(row: &PgRow) -> Result<Household, DbError> {
    let desil: Option<i32> = get(row, "desil")?;
    let desil = match (
        desil,
        opt_code(row, "desil_source", DesilSource::from_code)?,
        get::<Option<i32>>(row, "desil_year")?,
    ) {
        (Some(d), Some(source), Some(year)) => Some(DesilAssessment {
            desil: Desil::new(u8::try_from(d).unwrap_or(0)).map_err(|e| corrupt("desil", e))?,
            source,
            year,
        }),
        _ => None,
    };
    let lat: Option<f64> = get(row, "latitude")?;
    let lon: Option<f64> = get(row, "longitude")?;
    let assets: String = get(row, "assets")?;
    Ok(Household {
        id: HouseholdId(uuid(row, "id")?),
        no_kk: opt_code(row, "no_kk", |s| NoKk::parse(s).ok())?,
        address: Address {
            street: get(row, "street")?,
            rt: get(row, "rt")?,
            rw: get(row, "rw")?,
            dusun: get(row, "dusun")?,
        },
        village: code(row, "village_code", |s| RegionCode::parse(s).ok())?,
        coordinates: lat.zip(lon),
        desil,
        housing: HousingConditions {
            floor: get(row, "floor")?,
            wall: get(row, "wall")?,
            roof: get(row, "roof")?,
            water_source: get(row, "water_source")?,
            lighting: get(row, "lighting")?,
            cooking_fuel: get(row, "cooking_fuel")?,
            toilet: get(row, "toilet")?,
            ownership: get(row, "ownership")?,
            floor_area_m2: get(row, "floor_area_m2")?,
            assets: assets
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        },
        welfare: code(row, "welfare_status", WelfareStatus::from_code)?,
        version: get(row, "version")?,
    })
}

pub(crate) fn individual(row: &PgRow) -> Result<Individual, DbError> {
    Ok(Individual {
        id: IndividualId(uuid(row, "id")?),
        household_id: HouseholdId(uuid(row, "household_id")?),
        nik: opt_code(row, "nik", |s| Nik::parse(s).ok())?,
        name: get(row, "name")?,
        sex: code(row, "sex", Sex::from_code)?,
        birth_place: get(row, "birth_place")?,
        birth_date: get(row, "birth_date")?,
        relationship: code(row, "relationship", Relationship::from_code)?,
        marital_status: opt_code(row, "marital_status", MaritalStatus::from_code)?,
        education: get(row, "education")?,
        occupation: get(row, "occupation")?,
        disability: get(row, "disability")?,
        chronic_illness: get(row, "chronic_illness")?,
        life_status: code(row, "life_status", LifeStatus::from_code)?,
        deceased_on: get(row, "deceased_on")?,
        moved: get(row, "moved")?,
        version: get(row, "version")?,
    })
}

pub(crate) fn status_change(row: &PgRow) -> Result<StatusChange, DbError> {
    Ok(StatusChange {
        household_id: HouseholdId(uuid(row, "household_id")?),
        from: opt_code(row, "from_status", WelfareStatus::from_code)?,
        to: code(row, "to_status", WelfareStatus::from_code)?,
        effective_on: get(row, "effective_on")?,
        reason: get(row, "reason")?,
        actor: get(row, "actor")?,
        reference: get(row, "reference")?,
        recorded_at: get(row, "recorded_at")?,
    })
}
