//! Provenance kept per block of source lines. Every imported row is kept verbatim with its
//! batch and line, but not as one indexed row per line: a million-row import spent a
//! third of its time and 40% of the database on such rows (445 MB of `source_records`
//! plus three indexes). Rows are grouped into blocks of up to [`BLOCK_RECORDS`] lines,
//! each block compressed once (LZ4), and indexed only by the households whose rows it
//! holds: one index row per household and block instead of one row per line.
//!
//! A block's body, before compression, is a sequence of records:
//! line (i64 LE) · flags (u8: 1 household, 2 person) · owner household (16 bytes) ·
//! household (16, if flagged) · person (16, if flagged) · payload length (u32 LE) · payload.
//! The owner is the household the row belongs to (its own, or its person's), which is
//! what `sources_of_household` filters on.

use sipmas_domain::{HouseholdId, IndividualId};

use crate::{DbError, DbResult, SourceRecord};

/// Lines per block: about 300 KB of P3KE rows, under 100 KB compressed, so showing one
/// household's sources decompresses well under a millisecond.
pub const BLOCK_RECORDS: usize = 1_024;

/// One compressed block of source rows, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceBlock {
    pub first_line: i64,
    pub last_line: i64,
    pub records: i64,
    pub body: Vec<u8>,
    /// The owners of its rows, each once, sorted.
    pub households: Vec<HouseholdId>,
}

/// Largest uncompressed block read back: 1,024 rows of up to 256 KB each.
const MAX_BLOCK_BYTES: u32 = 1 << 28;

const HAS_HOUSEHOLD: u8 = 1;
const HAS_PERSON: u8 = 2;

/// Blocks for `rows` in their order, each paired with its owner household. A nil owner
/// keeps the row in its block without showing it under any household (rows of earlier
/// versions that named neither a household nor a person).
pub fn encode<'a>(
    rows: impl IntoIterator<Item = (HouseholdId, &'a SourceRecord)>,
) -> Vec<SourceBlock> {
    let mut blocks = Vec::new();
    let mut raw = Vec::with_capacity(BLOCK_RECORDS * 400);
    let mut owners = Vec::with_capacity(BLOCK_RECORDS);
    let mut lines = (0, 0);
    let mut flush = |raw: &mut Vec<u8>, owners: &mut Vec<HouseholdId>, lines: (i64, i64)| {
        if owners.is_empty() {
            return;
        }
        let records = i64::try_from(owners.len()).unwrap_or(i64::MAX);
        owners.sort_unstable_by_key(|h| h.0);
        owners.dedup();
        owners.retain(|h| !h.0.is_nil());
        blocks.push(SourceBlock {
            first_line: lines.0,
            last_line: lines.1,
            records,
            body: lz4_flex::compress_prepend_size(raw),
            households: std::mem::take(owners),
        });
        raw.clear();
    };
    for (owner, r) in rows {
        if owners.is_empty() {
            lines = (r.line, r.line);
        }
        lines = (lines.0.min(r.line), lines.1.max(r.line));
        raw.extend_from_slice(&r.line.to_le_bytes());
        let flags = if r.household_id.is_some() {
            HAS_HOUSEHOLD
        } else {
            0
        } | if r.individual_id.is_some() {
            HAS_PERSON
        } else {
            0
        };
        raw.push(flags);
        raw.extend_from_slice(owner.0.as_bytes());
        if let Some(h) = r.household_id {
            raw.extend_from_slice(h.0.as_bytes());
        }
        if let Some(i) = r.individual_id {
            raw.extend_from_slice(i.0.as_bytes());
        }
        let len = u32::try_from(r.payload.len()).unwrap_or(u32::MAX);
        raw.extend_from_slice(&len.to_le_bytes());
        raw.extend_from_slice(&r.payload.as_bytes()[..len as usize]);
        owners.push(owner);
        if owners.len() == BLOCK_RECORDS {
            flush(&mut raw, &mut owners, lines);
        }
    }
    flush(&mut raw, &mut owners, lines);
    blocks
}

/// Blocks for `rows`, each owned by the household it names or else by the household of
/// its person (`home`); a row with neither is refused, as a foreign key would refuse it.
pub fn encode_rows(
    rows: &[SourceRecord],
    home: impl Fn(IndividualId) -> Option<HouseholdId>,
) -> DbResult<Vec<SourceBlock>> {
    let owner = |r: &SourceRecord| r.household_id.or_else(|| r.individual_id.and_then(&home));
    let mut lines: Vec<i64> = rows.iter().map(|r| r.line).collect();
    lines.sort_unstable();
    if let Some(w) = lines.windows(2).find(|w| w[0] == w[1]) {
        return Err(DbError::Conflict(format!(
            "source line {} given twice for one batch",
            w[0]
        )));
    }
    if let Some(r) = rows.iter().find(|r| owner(r).is_none()) {
        return Err(DbError::Conflict(format!(
            "referenced record missing: source line {} names no known household or person",
            r.line
        )));
    }
    Ok(encode(rows.iter().filter_map(|r| owner(r).map(|o| (o, r)))))
}

/// The rows of one stored block that belong to `owner`.
pub fn rows_of(
    batch_id: uuid::Uuid,
    body: &[u8],
    owner: HouseholdId,
) -> DbResult<Vec<SourceRecord>> {
    // The size prefix is trusted for the allocation: refuse one no block could have.
    let size = body
        .get(..4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    if size.is_none_or(|n| n > MAX_BLOCK_BYTES) {
        return Err(corrupt("size"));
    }
    let raw = lz4_flex::decompress_size_prepended(body).map_err(|e| corrupt(&e.to_string()))?;
    let mut r = Reader { raw: &raw, at: 0 };
    let mut out = Vec::new();
    while r.at < raw.len() {
        let line = i64::from_le_bytes(r.take()?);
        let [flags] = r.take::<1>()?;
        let of = uuid::Uuid::from_bytes(r.take()?);
        let household_id = if flags & HAS_HOUSEHOLD != 0 {
            Some(HouseholdId(uuid::Uuid::from_bytes(r.take()?)))
        } else {
            None
        };
        let individual_id = if flags & HAS_PERSON != 0 {
            Some(IndividualId(uuid::Uuid::from_bytes(r.take()?)))
        } else {
            None
        };
        let len = u32::from_le_bytes(r.take()?) as usize;
        let payload = r.bytes(len)?;
        if of == owner.0 {
            out.push(SourceRecord {
                batch_id,
                line,
                household_id,
                individual_id,
                payload: String::from_utf8(payload.to_vec())
                    .map_err(|e| corrupt(&e.to_string()))?,
            });
        }
    }
    Ok(out)
}

struct Reader<'a> {
    raw: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn bytes(&mut self, n: usize) -> DbResult<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|e| *e <= self.raw.len());
        let end = end.ok_or_else(|| corrupt("truncated"))?;
        let out = &self.raw[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn take<const N: usize>(&mut self) -> DbResult<[u8; N]> {
        let mut out = [0; N];
        out.copy_from_slice(self.bytes(N)?);
        Ok(out)
    }
}

fn corrupt(why: &str) -> DbError {
    DbError::Other(format!("source block unreadable: {why}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn record(line: i64, h: Option<HouseholdId>, i: Option<IndividualId>, p: &str) -> SourceRecord {
        SourceRecord {
            batch_id: uuid::Uuid::nil(),
            line,
            household_id: h,
            individual_id: i,
            payload: p.to_owned(),
        }
    }

    #[test]
    fn blocks_round_trip_and_filter_by_owner() {
        let a = HouseholdId(uuid::Uuid::new_v4());
        let b = HouseholdId(uuid::Uuid::new_v4());
        let rows: Vec<(HouseholdId, SourceRecord)> = (0..2_500)
            .map(|n| {
                let owner = if n % 3 == 0 { a } else { b };
                let person = (n % 2 == 0).then(|| IndividualId(uuid::Uuid::new_v4()));
                let own = person.is_none().then_some(owner);
                (
                    owner,
                    record(n + 2, own, person, &format!("baris {n}; \"Ñ\"")),
                )
            })
            .collect();
        let blocks = encode(rows.iter().map(|(o, r)| (*o, r)));
        assert_eq!(blocks.len(), 3);
        assert_eq!(
            (blocks[0].first_line, blocks[0].last_line, blocks[0].records),
            (2, 1_025, 1_024)
        );
        assert_eq!(blocks[2].records, 2_500 - 2_048);
        let mut both = vec![a, b];
        both.sort_unstable_by_key(|h| h.0);
        assert_eq!(blocks[1].households, both);
        let got: Vec<SourceRecord> = blocks
            .iter()
            .flat_map(|bl| rows_of(uuid::Uuid::nil(), &bl.body, a).unwrap())
            .collect();
        let want: Vec<SourceRecord> = rows
            .iter()
            .filter(|(o, _)| *o == a)
            .map(|(_, r)| r.clone())
            .collect();
        assert_eq!(got, want);
        assert!(rows_of(uuid::Uuid::nil(), &blocks[0].body[..20], a).is_err());
        let mut huge = blocks[0].body.clone();
        huge[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(rows_of(uuid::Uuid::nil(), &huge, a).is_err());
    }
}
