//! The writes of one import chunk on PostgreSQL: COPY for new rows, `= any($n)` for keys
//! seen again, one guarded UPDATE per changed row.

use chrono::Utc;
use sipmas_domain::{Household, Individual, search_key};
use sipmas_store::columns::{HOUSEHOLD_UPDATE_COLUMNS, INDIVIDUAL_UPDATE_COLUMNS, update_sql};
use sipmas_store::{DbError, DbResult, ImportWrite, RegisterFlag};
use sqlx::PgConnection;

use super::copy::{self, CopyBuf};
use crate::err;

pub(crate) async fn chunk(
    conn: &mut PgConnection,
    batch: uuid::Uuid,
    source: &str,
    w: &ImportWrite,
) -> DbResult<()> {
    copy::households(conn, &w.new_households).await?;
    copy::individuals(conn, &w.new_members).await?;
    copy::history(conn, &w.history).await?;
    for h in &w.household_updates {
        update_household(conn, h).await?;
    }
    for p in &w.member_updates {
        update_individual(conn, p).await?;
    }
    let mut b = CopyBuf::new();
    for (key, h) in &w.new_family_keys {
        b.text(Some(source))
            .text(Some(key))
            .uuid(Some(h.0))
            .uuid(Some(batch))
            .end();
    }
    b.send(
        conn,
        "household_keys (source, key, household_id, last_batch_id)",
    )
    .await?;
    let mut b = CopyBuf::new();
    for (key, i) in &w.new_person_keys {
        b.text(Some(source))
            .text(Some(key))
            .uuid(Some(i.0))
            .uuid(Some(batch))
            .end();
    }
    b.send(
        conn,
        "individual_keys (source, key, individual_id, last_batch_id)",
    )
    .await?;
    for (table, keys) in [
        ("household_keys", &w.seen_family_keys),
        ("individual_keys", &w.seen_person_keys),
    ] {
        if keys.is_empty() {
            continue;
        }
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "update {table} set last_batch_id = $1 where source = $2 and key = any($3)"
        )))
        .bind(batch)
        .bind(source)
        .bind(keys)
        .execute(&mut *conn)
        .await
        .map_err(err)?;
    }
    let blocks = sipmas_store::provenance::encode_rows(&w.sources, |_| None)?;
    crate::sources::write_blocks(conn, batch, &blocks).await?;
    copy::changes(conn, &w.changes).await?;
    flags(conn, &w.flags).await
}

pub(super) async fn flags(conn: &mut PgConnection, flags: &[RegisterFlag]) -> DbResult<()> {
    let now = Some(Utc::now());
    let mut b = CopyBuf::new();
    for f in flags {
        b.uuid(f.household_id.map(|h| h.0))
            .uuid(f.individual_id.map(|i| i.0))
            .text(Some(&f.kind))
            .uuid(f.batch_id)
            .text(f.detail.as_deref())
            .timestamptz(now)
            .end();
    }
    b.send(
        conn,
        "register_flags (household_id, individual_id, kind, batch_id, detail, created_at)",
    )
    .await
}

fn missed(what: &str) -> DbError {
    DbError::Conflict(format!("{what} changed by someone else during the import"))
}

fn dollar(n: usize) -> String {
    format!("${n}")
}

async fn update_household(conn: &mut PgConnection, h: &Household) -> DbResult<()> {
    let sql = update_sql("households", &HOUSEHOLD_UPDATE_COLUMNS, dollar);
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
        .bind(h.desil.map(|d| i32::from(d.desil.get())))
        .bind(h.desil.map(|d| d.source.code()))
        .bind(h.desil.map(|d| d.year))
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
        .bind(h.id.0)
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

async fn update_individual(conn: &mut PgConnection, p: &Individual) -> DbResult<()> {
    let sql = update_sql("individuals", &INDIVIDUAL_UPDATE_COLUMNS, dollar);
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
        .bind(p.moved)
        .bind(p.version)
        .bind(Utc::now())
        .bind(p.id.0)
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
