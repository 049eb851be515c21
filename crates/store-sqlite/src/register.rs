use async_trait::async_trait;
use chrono::Utc;
use sipmas_domain::{Household, HouseholdId, Individual, Nik, NoKk, StatusChange, search_key};
use sipmas_store::columns::{HOUSEHOLD_COLUMNS, INDIVIDUAL_COLUMNS};
use sipmas_store::{AuditEntry, DbError, DbResult, HouseholdBundle, RegisterStore};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use crate::rows::{household, individual, status_change};
use crate::{SqliteStore, audit, err};

// Rows per multi-row INSERT, kept under SQLite's 32,766 bound parameters.
const HOUSEHOLD_CHUNK: usize = 1_000;
const INDIVIDUAL_CHUNK: usize = 1_500;
const HISTORY_CHUNK: usize = 3_500;

pub(crate) async fn insert_households(
    conn: &mut SqliteConnection,
    rows: &[&Household],
) -> DbResult<()> {
    let now = Utc::now();
    for chunk in rows.chunks(HOUSEHOLD_CHUNK) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
            "insert into households ({HOUSEHOLD_COLUMNS}, created_at, updated_at) "
        ));
        q.push_values(chunk, |mut b, h| {
            let hc = &h.housing;
            b.push_bind(h.id.0.to_string())
                .push_bind(h.no_kk.as_ref().map(|k| k.as_str().to_owned()))
                .push_bind(h.address.street.clone())
                .push_bind(h.address.rt.clone())
                .push_bind(h.address.rw.clone())
                .push_bind(h.address.dusun.clone())
                .push_bind(h.village.dotted())
                .push_bind(h.coordinates.map(|c| c.0))
                .push_bind(h.coordinates.map(|c| c.1))
                .push_bind(h.desil.map(|d| i64::from(d.desil.get())))
                .push_bind(h.desil.map(|d| d.source.code()))
                .push_bind(h.desil.map(|d| i64::from(d.year)))
                .push_bind(hc.floor.clone())
                .push_bind(hc.wall.clone())
                .push_bind(hc.roof.clone())
                .push_bind(hc.water_source.clone())
                .push_bind(hc.lighting.clone())
                .push_bind(hc.cooking_fuel.clone())
                .push_bind(hc.toilet.clone())
                .push_bind(hc.ownership.clone())
                .push_bind(hc.floor_area_m2)
                .push_bind(hc.assets.join(","))
                .push_bind(h.welfare.code())
                .push_bind(h.version)
                .push_bind(now)
                .push_bind(now);
        });
        q.build()
            // Only full chunks share a cached statement: a cached 1,500-row INSERT
            // is megabytes, and every file's last chunk has its own length.
            .persistent(chunk.len() == HOUSEHOLD_CHUNK)
            .execute(&mut *conn)
            .await
            .map_err(err)?;
    }
    Ok(())
}

pub(crate) async fn insert_individuals(
    conn: &mut SqliteConnection,
    rows: &[&Individual],
) -> DbResult<()> {
    let now = Utc::now();
    for chunk in rows.chunks(INDIVIDUAL_CHUNK) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
            "insert into individuals ({INDIVIDUAL_COLUMNS}, name_key, created_at, updated_at) "
        ));
        q.push_values(chunk, |mut b, p| {
            b.push_bind(p.id.0.to_string())
                .push_bind(p.household_id.0.to_string())
                .push_bind(p.nik.as_ref().map(|n| n.as_str().to_owned()))
                .push_bind(p.name.clone())
                .push_bind(p.sex.code())
                .push_bind(p.birth_place.clone())
                .push_bind(p.birth_date)
                .push_bind(p.relationship.code())
                .push_bind(p.marital_status.map(|m| m.code()))
                .push_bind(p.education.clone())
                .push_bind(p.occupation.clone())
                .push_bind(p.disability.clone())
                .push_bind(p.chronic_illness.clone())
                .push_bind(p.life_status.code())
                .push_bind(p.deceased_on)
                .push_bind(i64::from(p.moved))
                .push_bind(p.version)
                .push_bind(search_key(&p.name))
                .push_bind(now)
                .push_bind(now);
        });
        q.build()
            // Only full chunks share a cached statement: a cached 1,500-row INSERT
            // is megabytes, and every file's last chunk has its own length.
            .persistent(chunk.len() == INDIVIDUAL_CHUNK)
            .execute(&mut *conn)
            .await
            .map_err(err)?;
    }
    Ok(())
}

pub(crate) async fn insert_history(
    conn: &mut SqliteConnection,
    rows: &[&StatusChange],
) -> DbResult<()> {
    for chunk in rows.chunks(HISTORY_CHUNK) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "insert into status_history (household_id, from_status, to_status, effective_on, reason, actor, reference, recorded_at) ",
        );
        q.push_values(chunk, |mut b, s| {
            b.push_bind(s.household_id.0.to_string())
                .push_bind(s.from.map(|f| f.code()))
                .push_bind(s.to.code())
                .push_bind(s.effective_on)
                .push_bind(s.reason.clone())
                .push_bind(s.actor.clone())
                .push_bind(s.reference.clone())
                .push_bind(s.recorded_at);
        });
        q.build()
            // Only full chunks share a cached statement: a cached 1,500-row INSERT
            // is megabytes, and every file's last chunk has its own length.
            .persistent(chunk.len() == HISTORY_CHUNK)
            .execute(&mut *conn)
            .await
            .map_err(err)?;
    }
    Ok(())
}

#[async_trait]
impl RegisterStore for SqliteStore {
    async fn insert_households(
        &self,
        bundles: &[HouseholdBundle],
        entry: &AuditEntry,
    ) -> DbResult<()> {
        let households: Vec<&Household> = bundles.iter().map(|b| &b.household).collect();
        let members: Vec<&Individual> = bundles.iter().flat_map(|b| &b.members).collect();
        let history: Vec<&StatusChange> = bundles.iter().flat_map(|b| &b.history).collect();
        let mut tx = self.pool.begin().await.map_err(err)?;
        insert_households(&mut tx, &households).await?;
        insert_individuals(&mut tx, &members).await?;
        insert_history(&mut tx, &history).await?;
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)
    }

    async fn household(&self, id: HouseholdId) -> DbResult<Option<Household>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {HOUSEHOLD_COLUMNS} from households where id = ?"
        )))
        .bind(id.0.to_string())
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.as_ref().map(household).transpose()
    }

    async fn members(&self, id: HouseholdId) -> DbResult<Vec<Individual>> {
        // Head first, then by birth date: the order a Kartu Keluarga lists them.
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {INDIVIDUAL_COLUMNS} from individuals where household_id = ? \
             order by case relationship when 'kepala_keluarga' then 0 when 'pasangan' then 1 else 2 end, birth_date, id"
        )))
        .bind(id.0.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(individual).collect()
    }

    async fn status_history(&self, id: HouseholdId) -> DbResult<Vec<StatusChange>> {
        let rows = sqlx::query(
            "select * from status_history where household_id = ? order by effective_on, id",
        )
        .bind(id.0.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(status_change).collect()
    }

    async fn individuals_by_nik(&self, nik: &Nik) -> DbResult<Vec<Individual>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {INDIVIDUAL_COLUMNS} from individuals where nik = ? order by id"
        )))
        .bind(nik.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(individual).collect()
    }

    async fn households_by_no_kk(&self, no_kk: &NoKk) -> DbResult<Vec<Household>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {HOUSEHOLD_COLUMNS} from households where no_kk = ? order by id"
        )))
        .bind(no_kk.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(household).collect()
    }

    async fn change_status(
        &self,
        expected_version: i64,
        change: &StatusChange,
        entry: &AuditEntry,
    ) -> DbResult<i64> {
        // BEGIN IMMEDIATE would be ideal; the guarded UPDATE below is the real check either way.
        let mut tx = self.pool.begin().await.map_err(err)?;
        let updated = sqlx::query(
            "update households set welfare_status = ?, version = version + 1, updated_at = ? \
             where id = ? and version = ?",
        )
        .bind(change.to.code())
        .bind(Utc::now())
        .bind(change.household_id.0.to_string())
        .bind(expected_version)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if updated.rows_affected() == 0 {
            let exists: Option<i64> =
                sqlx::query_scalar("select version from households where id = ?")
                    .bind(change.household_id.0.to_string())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(err)?;
            return Err(match exists {
                None => DbError::NotFound,
                Some(v) => DbError::Conflict(format!(
                    "household is at version {v}, not {expected_version}"
                )),
            });
        }
        insert_history(&mut tx, &[change]).await?;
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)?;
        Ok(expected_version + 1)
    }
}
