//! The writes of one import chunk, as multi-row statements inside the batch's transaction.

use chrono::Utc;
use sipmas_domain::{Household, Individual, StatusChange, search_key};
use sipmas_store::columns::{HOUSEHOLD_UPDATE_COLUMNS, INDIVIDUAL_UPDATE_COLUMNS, update_sql};
use sipmas_store::{DbError, DbResult, ImportWrite, RegisterFlag};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use crate::err;
use crate::register::{insert_history, insert_households, insert_individuals};

// Rows per multi-row INSERT: binds per row × rows stays under 32,766.
const KEY_CHUNK: usize = 6_000;
const CHANGE_CHUNK: usize = 3_500;

pub(crate) async fn chunk(
    conn: &mut SqliteConnection,
    batch: &str,
    source: &str,
    w: &ImportWrite,
) -> DbResult<()> {
    insert_households(conn, &w.new_households.iter().collect::<Vec<_>>()).await?;
    insert_individuals(conn, &w.new_members.iter().collect::<Vec<_>>()).await?;
    insert_history(conn, &w.history.iter().collect::<Vec<&StatusChange>>()).await?;
    for h in &w.household_updates {
        update_household(conn, h).await?;
    }
    for p in &w.member_updates {
        update_individual(conn, p).await?;
    }
    for chunk in w.new_family_keys.chunks(KEY_CHUNK) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "insert into household_keys (source, key, household_id, last_batch_id) ",
        );
        q.push_values(chunk, |mut b, (key, h)| {
            b.push_bind(source)
                .push_bind(key.as_str())
                .push_bind(h.0.to_string())
                .push_bind(batch);
        });
        q.build()
            // Only full chunks share a cached statement: a cached 1,500-row INSERT
            // is megabytes, and every file's last chunk has its own length.
            .persistent(chunk.len() == KEY_CHUNK)
            .execute(&mut *conn)
            .await
            .map_err(err)?;
    }
    for chunk in w.new_person_keys.chunks(KEY_CHUNK / 5 * 4) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "insert into individual_keys (source, key, individual_id, last_batch_id) ",
        );
        q.push_values(chunk, |mut b, (key, i)| {
            b.push_bind(source)
                .push_bind(key.as_str())
                .push_bind(i.0.to_string())
                .push_bind(batch);
        });
        q.build()
            // Only full chunks share a cached statement: a cached 1,500-row INSERT
            // is megabytes, and every file's last chunk has its own length.
            .persistent(chunk.len() == KEY_CHUNK / 5 * 4)
            .execute(&mut *conn)
            .await
            .map_err(err)?;
    }
    touch(conn, "household_keys", batch, source, &w.seen_family_keys).await?;
    touch(conn, "individual_keys", batch, source, &w.seen_person_keys).await?;
    let blocks = sipmas_store::provenance::encode_rows(&w.sources, |_| None)?;
    crate::sources::write_blocks(conn, batch, &blocks).await?;
    for chunk in w.changes.chunks(CHANGE_CHUNK) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "insert into field_changes (household_id, individual_id, field, old_value, new_value, batch_id, campaign_id, actor, recorded_at) ",
        );
        q.push_values(chunk, |mut b, c| {
            b.push_bind(c.household_id.0.to_string())
                .push_bind(c.individual_id.map(|i| i.0.to_string()))
                .push_bind(c.field.as_str())
                .push_bind(c.old_value.as_deref())
                .push_bind(c.new_value.as_deref())
                .push_bind(c.batch_id.map(|b| b.to_string()))
                .push_bind(c.campaign_id.map(|b| b.to_string()))
                .push_bind(c.actor.as_str())
                .push_bind(c.recorded_at);
        });
        q.build()
            // Only full chunks share a cached statement: a cached 1,500-row INSERT
            // is megabytes, and every file's last chunk has its own length.
            .persistent(chunk.len() == CHANGE_CHUNK)
            .execute(&mut *conn)
            .await
            .map_err(err)?;
    }
    flags(conn, &w.flags).await
}

/// Marks keys as seen by this batch, so `missing_persons` can tell who was left out.
async fn touch(
    conn: &mut SqliteConnection,
    table: &str,
    batch: &str,
    source: &str,
    keys: &[String],
) -> DbResult<()> {
    for chunk in keys.chunks(super::IN_CHUNK) {
        let sql = format!(
            "update {table} set last_batch_id = ? where source = ? and key in ({})",
            vec!["?"; chunk.len()].join(",")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .persistent(false)
            .bind(batch)
            .bind(source);
        for k in chunk {
            q = q.bind(k.as_str());
        }
        q.execute(&mut *conn).await.map_err(err)?;
    }
    Ok(())
}

pub(super) async fn flags(conn: &mut SqliteConnection, flags: &[RegisterFlag]) -> DbResult<()> {
    let now = Utc::now();
    for chunk in flags.chunks(CHANGE_CHUNK) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "insert into register_flags (household_id, individual_id, kind, batch_id, detail, created_at) ",
        );
        q.push_values(chunk, |mut b, f| {
            b.push_bind(f.household_id.map(|h| h.0.to_string()))
                .push_bind(f.individual_id.map(|i| i.0.to_string()))
                .push_bind(f.kind.as_str())
                .push_bind(f.batch_id.map(|b| b.to_string()))
                .push_bind(f.detail.as_deref())
                .push_bind(now);
        });
        q.build()
            // Only full chunks share a cached statement: a cached 1,500-row INSERT
            // is megabytes, and every file's last chunk has its own length.
            .persistent(chunk.len() == CHANGE_CHUNK)
            .execute(&mut *conn)
            .await
            .map_err(err)?;
    }
    Ok(())
}

fn missed(what: &str) -> DbError {
    DbError::Conflict(format!("{what} changed by someone else during the import"))
}

async fn update_household(conn: &mut SqliteConnection, h: &Household) -> DbResult<()> {
    let sql = update_sql("households", &HOUSEHOLD_UPDATE_COLUMNS, |_| "?".to_owned());
    let hc = &h.housing;
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(h.no_kk.as_ref().map(|k| k.as_str().to_owned()))
        .bind(&h.address.street)
        .bind(&h.address.rt)
        .bind(&h.address.rw)
        .bind(&h.address.dusun)
        .bind(h.village.dotted())
        .bind(h.coordinates.map(|c| c.0))
        .bind(h.coordinates.map(|c| c.1))
        .bind(h.desil.map(|d| i64::from(d.desil.get())))
        .bind(h.desil.map(|d| d.source.code()))
        .bind(h.desil.map(|d| i64::from(d.year)))
        .bind(&hc.floor)
        .bind(&hc.wall)
        .bind(&hc.roof)
        .bind(&hc.water_source)
        .bind(&hc.lighting)
        .bind(&hc.cooking_fuel)
        .bind(&hc.toilet)
        .bind(&hc.ownership)
        .bind(hc.floor_area_m2)
        .bind(hc.assets.join(","))
        .bind(h.welfare.code())
        .bind(h.version)
        .bind(Utc::now())
        .bind(h.id.0.to_string())
        .bind(h.version - 1)
        .execute(&mut *conn)
        .await
        .map_err(err)?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(missed("household"))
    }
}

async fn update_individual(conn: &mut SqliteConnection, p: &Individual) -> DbResult<()> {
    let sql = update_sql("individuals", &INDIVIDUAL_UPDATE_COLUMNS, |_| {
        "?".to_owned()
    });
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(p.nik.as_ref().map(|n| n.as_str().to_owned()))
        .bind(&p.name)
        .bind(search_key(&p.name))
        .bind(p.sex.code())
        .bind(&p.birth_place)
        .bind(p.birth_date)
        .bind(p.relationship.code())
        .bind(p.marital_status.map(|m| m.code()))
        .bind(&p.education)
        .bind(&p.occupation)
        .bind(&p.disability)
        .bind(&p.chronic_illness)
        .bind(p.life_status.code())
        .bind(p.deceased_on)
        .bind(i64::from(p.moved))
        .bind(p.version)
        .bind(Utc::now())
        .bind(p.id.0.to_string())
        .bind(p.version - 1)
        .execute(&mut *conn)
        .await
        .map_err(err)?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(missed("individual"))
    }
}
