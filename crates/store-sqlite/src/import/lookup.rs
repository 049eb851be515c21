//! What the register already holds for one chunk of an import, read inside its transaction.

use sipmas_domain::{HouseholdId, IndividualId};
use sipmas_store::columns::{HOUSEHOLD_COLUMNS, INDIVIDUAL_COLUMNS};
use sipmas_store::{DbResult, ImportExisting, ImportLookup};
use sqlx::SqliteConnection;

use super::rows_in;
use crate::rows::{get, household, individual, uuid};

/// Families by source key and No KK with their members, people by source key and NIK.
pub(super) async fn existing(
    conn: &mut SqliteConnection,
    q: &ImportLookup,
) -> DbResult<ImportExisting> {
    let mut out = ImportExisting::default();
    let src = Some(q.source.as_str());
    for r in rows_in(
        conn,
        "select key, household_id from household_keys where source = ? and key in ",
        src,
        &q.family_keys,
    )
    .await?
    {
        out.families
            .insert(get(&r, "key")?, HouseholdId(uuid(&r, "household_id")?));
    }
    for r in rows_in(
        conn,
        "select no_kk, id from households where no_kk in ",
        None,
        &q.no_kks,
    )
    .await?
    {
        out.by_no_kk
            .entry(get(&r, "no_kk")?)
            .or_default()
            .push(HouseholdId(uuid(&r, "id")?));
    }
    let mut ids: Vec<String> = out
        .families
        .values()
        .chain(out.by_no_kk.values().flatten())
        .map(|h| h.0.to_string())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let head = format!("select {HOUSEHOLD_COLUMNS} from households where id in ");
    for r in rows_in(conn, &head, None, &ids).await? {
        let h = household(&r)?;
        out.households.insert(h.id, (h, Vec::new()));
    }
    let head = format!("select {INDIVIDUAL_COLUMNS} from individuals where household_id in ");
    for r in rows_in(conn, &head, None, &ids).await? {
        let m = individual(&r)?;
        if let Some((_, members)) = out.households.get_mut(&m.household_id) {
            members.push(m);
        }
    }
    for r in rows_in(
        conn,
        "select key, individual_id from individual_keys where source = ? and key in ",
        src,
        &q.person_keys,
    )
    .await?
    {
        out.persons
            .insert(get(&r, "key")?, IndividualId(uuid(&r, "individual_id")?));
    }
    for r in rows_in(
        conn,
        "select nik, id, household_id from individuals where nik in ",
        None,
        &q.niks,
    )
    .await?
    {
        out.nik_owners.entry(get(&r, "nik")?).or_default().push((
            IndividualId(uuid(&r, "id")?),
            HouseholdId(uuid(&r, "household_id")?),
        ));
    }
    Ok(out)
}
