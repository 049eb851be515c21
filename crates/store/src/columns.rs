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

/// `import_batches` columns read into a `BatchSummary`.
pub const BATCH_COLUMNS: &str = "id, source, format, file_name, file_sha256, actor, started_at, finished_at, \
    rows_read, rows_imported, rows_rejected, rows_warned, households_created, households_updated, \
    individuals_created, individuals_updated, individuals_missing, report";

/// `household` columns an import update rewrites (all but id, created_at).
pub const HOUSEHOLD_UPDATE_COLUMNS: [&str; 23] = [
    "no_kk",
    "street",
    "rt",
    "rw",
    "dusun",
    "village_code",
    "latitude",
    "longitude",
    "desil",
    "desil_source",
    "desil_year",
    "floor",
    "wall",
    "roof",
    "water_source",
    "lighting",
    "cooking_fuel",
    "toilet",
    "ownership",
    "floor_area_m2",
    "assets",
    "welfare_status",
    "version",
];

/// `individuals` columns an import update rewrites (all but id, household_id, created_at).
pub const INDIVIDUAL_UPDATE_COLUMNS: [&str; 16] = [
    "nik",
    "name",
    "name_key",
    "sex",
    "birth_place",
    "birth_date",
    "relationship",
    "marital_status",
    "education",
    "occupation",
    "disability",
    "chronic_illness",
    "life_status",
    "deceased_on",
    "moved",
    "version",
];

/// `update T set a = ?, b = ? …` for a column list, with `placeholder(n)` for the n-th bind
/// (1-based), then binds for `updated_at`, the id, and the version the row must still
/// have (optimistic concurrency: someone else's change makes the update miss).
pub fn update_sql(table: &str, columns: &[&str], placeholder: impl Fn(usize) -> String) -> String {
    let mut sql = format!("update {table} set ");
    for (i, c) in columns.iter().enumerate() {
        sql.push_str(&format!("{c} = {}, ", placeholder(i + 1)));
    }
    let n = columns.len();
    sql.push_str(&format!(
        "updated_at = {} where id = {} and version = {}",
        placeholder(n + 1),
        placeholder(n + 2),
        placeholder(n + 3)
    ));
    sql
}

/// Condition on a household aliased `h`: it is not a duplicate whose every member has been
/// merged into people of other households (such a household must not be counted twice).
pub const NOT_A_MERGED_DUPLICATE: &str = "(not exists (select 1 from individuals d where d.household_id = h.id and d.merged_into is not null) \
    or exists (select 1 from individuals k where k.household_id = h.id and k.merged_into is null))";
