//! `COPY … FROM STDIN (FORMAT binary)`: the bulk path for new rows, several times faster
//! than multi-row INSERT. Binary rather than CSV because the server is what limits an
//! import: parsing text into uuids, dates and timestamps was about a third of its work
//! (the million-row register's tables copied from files: 15.8 s as CSV, 11.4 s binary).
//! Each cell is written in the wire format of its column's type, so every method names
//! the PostgreSQL type it writes. The server checks a cell's length against its column's
//! type, so a missed column or one of another width fails the COPY; between types of one
//! width (bigint, double, timestamptz) only the contract test that reads every imported
//! value back (`testkit/tests/contract/import_writes.rs`) tells.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sipmas_domain::{Household, Individual, StatusChange, search_key};
use sipmas_store::columns::{HOUSEHOLD_COLUMNS, INDIVIDUAL_COLUMNS};
use sipmas_store::{DbError, DbResult, FieldChange};
use sqlx::PgConnection;

use crate::err;

/// Signature, flags and header extension length of the binary COPY format.
const HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";
/// PostgreSQL counts dates and timestamps from 2000-01-01: its day from the common era
/// (chrono's count) and its Unix time in microseconds.
const PG_EPOCH_FROM_CE: i32 = 730_120;
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;

/// A binary COPY buffer for one COPY: rows of cells, each cell its length and its bytes.
#[derive(Debug)]
pub(super) struct CopyBuf {
    buf: Vec<u8>,
    /// Where the current row's field count goes, and the count so far.
    row_start: usize,
    fields: i16,
    /// A cell longer than the format's 2 GiB: the COPY is refused rather than sent.
    oversized: bool,
    pub rows: usize,
}

impl CopyBuf {
    pub fn new() -> Self {
        let mut buf = Vec::with_capacity(1 << 20);
        buf.extend_from_slice(HEADER);
        Self {
            row_start: buf.len(),
            buf,
            fields: 0,
            oversized: false,
            rows: 0,
        }
    }

    fn cell(&mut self, bytes: Option<&[u8]>) -> &mut Self {
        if self.fields == 0 {
            self.row_start = self.buf.len();
            self.buf.extend_from_slice(&[0, 0]);
        }
        self.fields += 1;
        match bytes {
            Some(b) => {
                let len = i32::try_from(b.len()).unwrap_or_else(|_| {
                    self.oversized = true;
                    0
                });
                self.buf.extend_from_slice(&len.to_be_bytes());
                self.buf.extend_from_slice(b);
            }
            None => self.buf.extend_from_slice(&(-1i32).to_be_bytes()),
        }
        self
    }

    /// `text`; `None` is NULL, `Some("")` the empty string.
    pub fn text(&mut self, v: Option<&str>) -> &mut Self {
        self.cell(v.map(str::as_bytes))
    }

    pub fn uuid(&mut self, v: Option<uuid::Uuid>) -> &mut Self {
        self.cell(v.as_ref().map(|u| &u.as_bytes()[..]))
    }

    /// `integer`.
    pub fn int4(&mut self, v: Option<i32>) -> &mut Self {
        self.cell(v.map(i32::to_be_bytes).as_ref().map(|b| &b[..]))
    }

    /// `bigint`.
    pub fn int8(&mut self, v: Option<i64>) -> &mut Self {
        self.cell(v.map(i64::to_be_bytes).as_ref().map(|b| &b[..]))
    }

    /// `double precision`.
    pub fn float8(&mut self, v: Option<f64>) -> &mut Self {
        self.cell(v.map(f64::to_be_bytes).as_ref().map(|b| &b[..]))
    }

    pub fn boolean(&mut self, v: bool) -> &mut Self {
        self.cell(Some(&[u8::from(v)]))
    }

    pub fn date(&mut self, v: Option<NaiveDate>) -> &mut Self {
        let days = v.map(|d| (d.num_days_from_ce() - PG_EPOCH_FROM_CE).to_be_bytes());
        self.cell(days.as_ref().map(|b| &b[..]))
    }

    /// `timestamp with time zone`.
    pub fn timestamptz(&mut self, v: Option<DateTime<Utc>>) -> &mut Self {
        let micros = v.map(|t| (t.timestamp_micros() - PG_EPOCH_MICROS).to_be_bytes());
        self.cell(micros.as_ref().map(|b| &b[..]))
    }

    pub fn end(&mut self) {
        // Every row written here has cells; a row of none would be a bug, not a row.
        debug_assert!(self.fields > 0, "a COPY row without cells");
        if self.fields == 0 {
            return;
        }
        self.buf[self.row_start..self.row_start + 2].copy_from_slice(&self.fields.to_be_bytes());
        self.fields = 0;
        self.rows += 1;
    }

    /// Sends the rows to `table (columns)`.
    pub async fn send(mut self, conn: &mut PgConnection, target: &str) -> DbResult<()> {
        if self.rows == 0 {
            return Ok(());
        }
        if self.oversized {
            return Err(DbError::Other(format!(
                "a value for {target} is longer than 2 GiB"
            )));
        }
        self.buf.extend_from_slice(&(-1i16).to_be_bytes());
        let mut copy = conn
            .copy_in_raw(&format!("copy {target} from stdin with (format binary)"))
            .await
            .map_err(err)?;
        copy.send(self.buf).await.map_err(err)?;
        copy.finish().await.map_err(err)?;
        Ok(())
    }
}

pub(super) async fn households(conn: &mut PgConnection, rows: &[Household]) -> DbResult<()> {
    let now = Some(Utc::now());
    let mut b = CopyBuf::new();
    for h in rows {
        let hc = &h.housing;
        b.uuid(Some(h.id.0))
            .text(h.no_kk.as_ref().map(|k| k.as_str()))
            .text(Some(&h.address.street))
            .text(h.address.rt.as_deref())
            .text(h.address.rw.as_deref())
            .text(h.address.dusun.as_deref())
            .text(Some(&h.village.dotted()))
            .float8(h.coordinates.map(|c| c.0))
            .float8(h.coordinates.map(|c| c.1))
            .int4(h.desil.map(|d| i32::from(d.desil.get())))
            .text(h.desil.map(|d| d.source.code()))
            .int4(h.desil.map(|d| d.year))
            .text(hc.floor.as_deref())
            .text(hc.wall.as_deref())
            .text(hc.roof.as_deref())
            .text(hc.water_source.as_deref())
            .text(hc.lighting.as_deref())
            .text(hc.cooking_fuel.as_deref())
            .text(hc.toilet.as_deref())
            .text(hc.ownership.as_deref())
            .float8(hc.floor_area_m2)
            .text(Some(&hc.assets.join(",")))
            .text(Some(h.welfare.code()))
            .int8(Some(h.version))
            .timestamptz(now)
            .timestamptz(now)
            .end();
    }
    b.send(
        conn,
        &format!("households ({HOUSEHOLD_COLUMNS}, created_at, updated_at)"),
    )
    .await
}

pub(super) async fn individuals(conn: &mut PgConnection, rows: &[Individual]) -> DbResult<()> {
    let now = Some(Utc::now());
    let mut b = CopyBuf::new();
    for p in rows {
        b.uuid(Some(p.id.0))
            .uuid(Some(p.household_id.0))
            .text(p.nik.as_ref().map(|n| n.as_str()))
            .text(Some(&p.name))
            .text(Some(p.sex.code()))
            .text(p.birth_place.as_deref())
            .date(p.birth_date)
            .text(Some(p.relationship.code()))
            .text(p.marital_status.map(|m| m.code()))
            .text(p.education.as_deref())
            .text(p.occupation.as_deref())
            .text(p.disability.as_deref())
            .text(p.chronic_illness.as_deref())
            .text(Some(p.life_status.code()))
            .date(p.deceased_on)
            .boolean(p.moved)
            .int8(Some(p.version))
            .text(Some(&search_key(&p.name)))
            .timestamptz(now)
            .timestamptz(now)
            .end();
    }
    b.send(
        conn,
        &format!("individuals ({INDIVIDUAL_COLUMNS}, name_key, created_at, updated_at)"),
    )
    .await
}

pub(super) async fn history(conn: &mut PgConnection, rows: &[StatusChange]) -> DbResult<()> {
    let mut b = CopyBuf::new();
    for s in rows {
        b.uuid(Some(s.household_id.0))
            .text(s.from.map(|f| f.code()))
            .text(Some(s.to.code()))
            .date(Some(s.effective_on))
            .text(Some(&s.reason))
            .text(Some(&s.actor))
            .text(s.reference.as_deref())
            .timestamptz(Some(s.recorded_at))
            .end();
    }
    b.send(conn, "status_history (household_id, from_status, to_status, effective_on, reason, actor, reference, recorded_at)").await
}

pub(super) async fn changes(conn: &mut PgConnection, rows: &[FieldChange]) -> DbResult<()> {
    let mut b = CopyBuf::new();
    for c in rows {
        b.uuid(Some(c.household_id.0))
            .uuid(c.individual_id.map(|i| i.0))
            .text(Some(&c.field))
            .text(c.old_value.as_deref())
            .text(c.new_value.as_deref())
            .uuid(c.batch_id)
            .uuid(c.campaign_id)
            .text(Some(&c.actor))
            .timestamptz(Some(c.recorded_at))
            .end();
    }
    b.send(conn, "field_changes (household_id, individual_id, field, old_value, new_value, batch_id, campaign_id, actor, recorded_at)").await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::{Datelike, NaiveDate, TimeZone, Utc};

    use super::{CopyBuf, PG_EPOCH_FROM_CE, PG_EPOCH_MICROS};

    #[test]
    fn the_epoch_is_the_first_of_january_2000() {
        let day = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
        assert_eq!(day.num_days_from_ce(), PG_EPOCH_FROM_CE);
        let midnight = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(midnight.timestamp_micros(), PG_EPOCH_MICROS);
    }

    /// One row as the server reads it: field count, then length and bytes per cell.
    #[test]
    fn a_row_is_its_field_count_and_its_cells() {
        let mut b = CopyBuf::new();
        let header = b.buf.len();
        b.text(Some("ab"))
            .text(None)
            .date(NaiveDate::from_ymd_opt(2000, 1, 2))
            .boolean(true)
            .end();
        assert_eq!(header, 19);
        assert_eq!(
            &b.buf[header..],
            &[
                0, 4, // four fields
                0, 0, 0, 2, b'a', b'b', // text
                255, 255, 255, 255, // NULL
                0, 0, 0, 4, 0, 0, 0, 1, // the day after the epoch
                0, 0, 0, 1, 1, // true
            ]
        );
        assert_eq!(b.rows, 1);
    }
}
