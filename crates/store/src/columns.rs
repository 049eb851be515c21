//! Column lists shared by both backends: the schemas are kept in lock-step, so the
//! selects and inserts that name their columns are written once.

/// `households` columns read into a `Household` and written by bulk inserts.
pub const HOUSEHOLD_COLUMNS: &str = "id, no_kk, street, rt, rw, dusun, village_code, latitude, longitude, \
    desil, desil_source, desil_year, floor, wall, roof, water_source, lighting, cooking_fuel, toilet, ownership, \
    floor_area_m2, assets, welfare_status, version";

/// `individuals` columns read into an `Individual` and written by bulk inserts.
pub const INDIVIDUAL_COLUMNS: &str = "id, household_id, nik, name, sex, birth_place, birth_date, relationship, \
    marital_status, education, occupation, disability, chronic_illness, life_status, deceased_on, moved, version";

/// `regions` columns read into a `Region`.
pub const REGION_COLUMNS: &str =
    "code, name, level, parent_code, population, population_male, population_female";
