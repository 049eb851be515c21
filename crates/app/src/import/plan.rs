//! Turns one chunk of validated rows plus what the register already holds into the writes
//! of that chunk: new families and people, changed values with their history, source rows,
//! and flags. Pure: no I/O, so the rules are testable and the same on both backends.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sipmas_domain::{
    DesilAssessment, DesilSource, Household, HouseholdId, Individual, IndividualId, LifeStatus,
    StatusChange, WelfareStatus, name_key,
};
use sipmas_import::{ImportRow, RowError};
use sipmas_store::{ImportExisting, ImportLookup, ImportWrite, RegisterFlag, SourceRecord};

use super::diff::Diff;

/// Counts of one batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub households_created: i64,
    pub households_updated: i64,
    pub individuals_created: i64,
    pub individuals_updated: i64,
}

/// Plans chunk after chunk of one batch.
#[derive(Debug)]
pub(crate) struct Planner {
    pub batch: uuid::Uuid,
    pub source: String,
    pub desil_source: DesilSource,
    pub actor: String,
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
    pub counts: Counts,
    /// Every household and person this batch creates gets an id after this one, ending in
    /// its last four bytes. Later rows about them are not "updates"; telling them apart by
    /// id keeps no set that grows with the file (two sets of every id created had been
    /// 45 MB for a million rows).
    since: uuid::Uuid,
    /// Records updated by this batch, so a record changed in two chunks counts once.
    updated: HashSet<HouseholdId>,
    updated_people: HashSet<IndividualId>,
}

/// The welfare status a desil implies when nobody has verified the household yet.
pub fn status_for(desil: Option<sipmas_domain::Desil>) -> WelfareStatus {
    match desil.map(|d| d.get()) {
        None => WelfareStatus::Unknown,
        Some(1) => WelfareStatus::ExtremePoor,
        Some(2..=4) => WelfareStatus::Poor,
        Some(5) => WelfareStatus::Vulnerable,
        Some(_) => WelfareStatus::NotPoor,
    }
}

fn warning(line: u64, code: &'static str, value: String, message: String) -> RowError {
    RowError {
        line,
        column: String::new(),
        value,
        code,
        message,
    }
}

impl Planner {
    pub fn new(batch: uuid::Uuid, source: &str, desil_source: DesilSource) -> Self {
        let now = Utc::now();
        Self {
            batch,
            source: source.to_owned(),
            desil_source,
            actor: format!("impor:{batch}"),
            today: now.date_naive(),
            now,
            counts: Counts::default(),
            since: uuid::Uuid::now_v7(),
            updated: HashSet::new(),
            updated_people: HashSet::new(),
        }
    }

    /// What to look up for `rows`.
    pub fn lookup(&self, rows: &[ImportRow]) -> ImportLookup {
        let mut q = ImportLookup {
            source: self.source.clone(),
            ..ImportLookup::default()
        };
        for r in rows {
            q.family_keys.push(r.family_key.clone());
            q.person_keys.push(r.person_key.clone());
            if let Some(k) = &r.no_kk {
                q.no_kks.push(k.as_str().to_owned());
            }
            if let Some(n) = &r.person.nik {
                q.niks.push(n.as_str().to_owned());
            }
        }
        for v in [
            &mut q.family_keys,
            &mut q.person_keys,
            &mut q.no_kks,
            &mut q.niks,
        ] {
            v.sort_unstable();
            v.dedup();
        }
        q
    }

    /// The writes of one chunk, and the warnings its rows earned.
    pub fn plan(
        &mut self,
        rows: &[ImportRow],
        mut ex: ImportExisting,
    ) -> (ImportWrite, Vec<RowError>) {
        let mut w = ImportWrite::default();
        let mut notes = Vec::new();
        // NIK → household, for rows of this chunk not yet visible in `ex`.
        let mut nik_home: HashMap<String, HouseholdId> = HashMap::new();
        for r in rows {
            let hid = self.household_for(r, &mut ex, &mut w);
            let Some((household, members)) = ex.households.get_mut(&hid) else {
                continue;
            };
            self.merge_household(household, r, &mut w);
            let iid = self.person_for(r, hid, members, &mut ex.persons, &mut w, &mut notes);
            if let Some(n) = &r.person.nik {
                let elsewhere = ex
                    .nik_owners
                    .get(n.as_str())
                    .is_some_and(|o| o.iter().any(|(i, h)| *h != hid && Some(*i) != iid))
                    || nik_home.get(n.as_str()).is_some_and(|h| *h != hid);
                if elsewhere {
                    notes.push(warning(
                        r.line,
                        "nik_in_two_households",
                        n.masked(),
                        "NIK yang sama tercatat di keluarga lain; perlu diverifikasi".to_owned(),
                    ));
                    w.flags.push(RegisterFlag {
                        household_id: Some(hid),
                        individual_id: iid,
                        kind: "nik_in_two_households".to_owned(),
                        batch_id: Some(self.batch),
                        detail: Some(format!("baris {}", r.line)),
                    });
                }
                nik_home.insert(n.as_str().to_owned(), hid);
            }
            if let Some(iid) = iid {
                w.sources.push(SourceRecord {
                    batch_id: self.batch,
                    line: i64::try_from(r.line).unwrap_or(i64::MAX),
                    // Blocks of source rows are indexed by household
                    // (sipmas_store::provenance).
                    household_id: Some(hid),
                    individual_id: Some(iid),
                    payload: r.payload.clone(),
                });
            }
        }
        for keys in [&mut w.seen_family_keys, &mut w.seen_person_keys] {
            keys.sort_unstable();
            keys.dedup();
        }
        (w, notes)
    }

    /// The household of a row: by this source's family key, else by a No KK carried by
    /// exactly one household, else a new one.
    fn household_for(
        &mut self,
        r: &ImportRow,
        ex: &mut ImportExisting,
        w: &mut ImportWrite,
    ) -> HouseholdId {
        if let Some(h) = ex.families.get(&r.family_key) {
            if !self.by_this_batch(h.0) {
                w.seen_family_keys.push(r.family_key.clone());
            }
            return *h;
        }
        let by_kk = r
            .no_kk
            .as_ref()
            .and_then(|k| ex.by_no_kk.get(k.as_str()))
            .filter(|hs| hs.len() == 1 && ex.households.contains_key(&hs[0]))
            .map(|hs| hs[0]);
        let hid = by_kk.unwrap_or_else(|| {
            let hid = HouseholdId(self.new_id());
            let welfare = status_for(r.desil);
            let household = Household {
                id: hid,
                no_kk: r.no_kk.clone(),
                address: r.address.clone(),
                village: r.village.clone(),
                coordinates: r.coordinates,
                desil: r.desil.map(|desil| self.assessment(desil)),
                housing: r.housing.clone(),
                welfare,
                version: 1,
            };
            w.history.push(StatusChange {
                household_id: hid,
                from: None,
                to: welfare,
                effective_on: self.today,
                reason: format!("Impor {} (desil)", self.source.to_uppercase()),
                actor: self.actor.clone(),
                reference: Some(self.batch.to_string()),
                recorded_at: self.now,
            });
            w.new_households.push(household.clone());
            ex.households.insert(hid, (household, Vec::new()));
            // A later family of this chunk with the same No KK joins it, as it would in the
            // next chunk's lookup.
            if let Some(k) = &r.no_kk {
                ex.by_no_kk
                    .entry(k.as_str().to_owned())
                    .or_default()
                    .push(hid);
            }
            self.counts.households_created += 1;
            hid
        });
        ex.families.insert(r.family_key.clone(), hid);
        w.new_family_keys.push((r.family_key.clone(), hid));
        hid
    }

    /// The id of a record this batch creates: a version-7 id (`Uuid::now_v7` orders every
    /// id of one process by its creation, in its timestamp and the 42-bit counter below it)
    /// whose last four bytes, random in a v7 id, are replaced by those of `since`.
    pub(crate) fn new_id(&self) -> uuid::Uuid {
        let mut id = *uuid::Uuid::now_v7().as_bytes();
        id[12..].copy_from_slice(&self.since.as_bytes()[12..]);
        uuid::Uuid::from_bytes(id)
    }

    /// Whether this batch created the record of `id`: a version-7 id after `since` that
    /// ends like it. Another batch's records end otherwise (but for one chance in 2^32),
    /// also those another import creates meanwhile and those of an earlier process whose
    /// clock ran ahead of this one's.
    pub(crate) fn by_this_batch(&self, id: uuid::Uuid) -> bool {
        id.get_version_num() == 7
            && id > self.since
            && id.as_bytes()[12..] == self.since.as_bytes()[12..]
    }

    pub(crate) fn is_new_person(&self, id: IndividualId) -> bool {
        self.by_this_batch(id.0)
    }

    /// Counts an update of a household this batch did not create, once per batch.
    pub(crate) fn updated_household(&mut self, id: HouseholdId) {
        if !self.by_this_batch(id.0) && self.updated.insert(id) {
            self.counts.households_updated += 1;
        }
    }

    /// Counts an update of a person this batch did not create, once per batch.
    pub(crate) fn updated_person(&mut self, id: IndividualId) {
        if !self.by_this_batch(id.0) && self.updated_people.insert(id) {
            self.counts.individuals_updated += 1;
        }
    }

    pub(crate) fn created_person(&mut self) {
        self.counts.individuals_created += 1;
    }

    pub(crate) fn assessment(&self, desil: sipmas_domain::Desil) -> DesilAssessment {
        DesilAssessment {
            desil,
            source: self.desil_source,
            year: self.today.year(),
        }
    }
}

pub(crate) fn same_person(m: &Individual, r: &ImportRow) -> bool {
    match (&m.nik, &r.person.nik) {
        (Some(a), Some(b)) => a == b,
        _ => {
            m.life_status == LifeStatus::Alive
                && name_key(&m.name) == name_key(&r.person.name)
                && m.birth_date == r.person.birth_date
        }
    }
}

pub(crate) fn new_person(id: IndividualId, hid: HouseholdId, r: &ImportRow) -> Individual {
    let p = &r.person;
    Individual {
        id,
        household_id: hid,
        nik: p.nik.clone(),
        name: p.name.clone(),
        sex: p.sex,
        birth_place: p.birth_place.clone(),
        birth_date: p.birth_date,
        relationship: p.relationship,
        marital_status: p.marital_status,
        education: p.education.clone(),
        occupation: p.occupation.clone(),
        disability: p.disability.clone(),
        chronic_illness: p.chronic_illness.clone(),
        life_status: LifeStatus::Alive,
        deceased_on: None,
        moved: false,
        version: 1,
    }
}

pub(crate) fn diff<'a>(
    p: &'a Planner,
    household: HouseholdId,
    individual: Option<IndividualId>,
) -> Diff<'a> {
    Diff {
        household,
        individual,
        batch: p.batch,
        actor: &p.actor,
        now: p.now,
        changes: Vec::new(),
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
