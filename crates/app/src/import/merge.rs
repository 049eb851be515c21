//! Bringing a stored household and its members up to date with an imported row.

use std::collections::HashMap;

use sipmas_domain::{Household, HouseholdId, Individual, IndividualId, StatusChange};
use sipmas_import::{ImportRow, RowError};
use sipmas_store::{ImportWrite, RegisterFlag};

use super::plan::{Planner, diff, new_person, same_person, status_for};

fn replace_update<T: Clone>(list: &mut Vec<T>, item: &T, same: impl Fn(&T) -> bool) {
    match list.iter_mut().find(|x| same(x)) {
        Some(slot) => *slot = item.clone(),
        None => list.push(item.clone()),
    }
}

impl Planner {
    /// Applies the row's household values; a change bumps the version and is recorded.
    pub(crate) fn merge_household(
        &mut self,
        h: &mut Household,
        r: &ImportRow,
        w: &mut ImportWrite,
    ) {
        let mut d = diff(self, h.id, None);
        d.set_some("households.no_kk", &mut h.no_kk, r.no_kk.as_ref(), |k| {
            k.as_str().to_owned()
        });
        if !r.address.street.is_empty() {
            d.set(
                "households.street",
                &mut h.address.street,
                r.address.street.clone(),
                |s| Some(s.clone()),
            );
        }
        d.text("households.rt", &mut h.address.rt, r.address.rt.as_ref());
        d.text("households.rw", &mut h.address.rw, r.address.rw.as_ref());
        d.text(
            "households.dusun",
            &mut h.address.dusun,
            r.address.dusun.as_ref(),
        );
        d.set(
            "households.village_code",
            &mut h.village,
            r.village.clone(),
            |v| Some(v.dotted()),
        );
        d.set_some(
            "households.coordinates",
            &mut h.coordinates,
            r.coordinates.as_ref(),
            |c| format!("{},{}", c.0, c.1),
        );
        let old_desil = h.desil.map(|a| a.desil);
        if let Some(desil) = r.desil
            && old_desil != Some(desil)
        {
            let new = Some(self.assessment(desil));
            d.set("households.desil", &mut h.desil, new, |a| {
                a.map(|a| a.desil.get().to_string())
            });
        }
        let hc = &mut h.housing;
        let rc = &r.housing;
        d.text("households.floor", &mut hc.floor, rc.floor.as_ref());
        d.text("households.wall", &mut hc.wall, rc.wall.as_ref());
        d.text("households.roof", &mut hc.roof, rc.roof.as_ref());
        d.text(
            "households.water_source",
            &mut hc.water_source,
            rc.water_source.as_ref(),
        );
        d.text(
            "households.lighting",
            &mut hc.lighting,
            rc.lighting.as_ref(),
        );
        d.text(
            "households.cooking_fuel",
            &mut hc.cooking_fuel,
            rc.cooking_fuel.as_ref(),
        );
        d.text("households.toilet", &mut hc.toilet, rc.toilet.as_ref());
        d.text(
            "households.ownership",
            &mut hc.ownership,
            rc.ownership.as_ref(),
        );
        d.set_some(
            "households.floor_area_m2",
            &mut hc.floor_area_m2,
            rc.floor_area_m2.as_ref(),
            f64::to_string,
        );
        if !d.changed() {
            return;
        }
        let changes = std::mem::take(&mut d.changes);
        drop(d);
        // A status the data set implied follows the data set; one set by verification stays.
        let implied = status_for(h.desil.map(|a| a.desil));
        if h.welfare == status_for(old_desil) && implied != h.welfare {
            w.history.push(StatusChange {
                household_id: h.id,
                from: Some(h.welfare),
                to: implied,
                effective_on: self.today,
                reason: format!("Impor {}: desil berubah", self.source.to_uppercase()),
                actor: self.actor.clone(),
                reference: Some(self.batch.to_string()),
                recorded_at: self.now,
            });
            h.welfare = implied;
        }
        w.changes.extend(changes);
        if let Some(slot) = w.new_households.iter_mut().find(|x| x.id == h.id) {
            // Created in this chunk and not yet written: the insert carries the new values.
            *slot = h.clone();
            return;
        }
        // One version step per chunk: the update's guard compares with the stored version.
        if !w.household_updates.iter().any(|x| x.id == h.id) {
            h.version += 1;
        }
        self.updated_household(h.id);
        let h2 = h.clone();
        replace_update(&mut w.household_updates, &h2, |x| x.id == h2.id);
    }

    /// Finds or creates the row's person in household `hid`; `None` when the person's key
    /// belongs to someone in another household (flagged, not moved silently).
    pub(crate) fn person_for(
        &mut self,
        r: &ImportRow,
        hid: HouseholdId,
        members: &mut Vec<Individual>,
        persons: &mut HashMap<String, IndividualId>,
        w: &mut ImportWrite,
        notes: &mut Vec<RowError>,
    ) -> Option<IndividualId> {
        let by_key = persons.get(&r.person_key).copied();
        let idx = match by_key {
            Some(id) => match members.iter().position(|m| m.id == id) {
                Some(i) => Some(i),
                None => {
                    notes.push(RowError {
                        line: r.line,
                        column: String::new(),
                        value: r.person_key.clone(),
                        code: "person_in_other_household",
                        message: "orang ini sudah tercatat di keluarga lain dari sumber yang sama; tidak dipindahkan, perlu diverifikasi".to_owned(),
                    });
                    // Still listed by this source: not to be reported missing.
                    w.seen_person_keys.push(r.person_key.clone());
                    w.flags.push(RegisterFlag {
                        household_id: Some(hid),
                        individual_id: Some(id),
                        kind: "person_in_other_household".to_owned(),
                        batch_id: Some(self.batch),
                        detail: Some(format!("baris {}", r.line)),
                    });
                    return None;
                }
            },
            None => members.iter().position(|m| same_person(m, r)),
        };
        let Some(i) = idx else {
            let id = IndividualId(self.new_id());
            let p = new_person(id, hid, r);
            w.new_members.push(p.clone());
            members.push(p);
            w.new_person_keys.push((r.person_key.clone(), id));
            persons.insert(r.person_key.clone(), id);
            self.created_person();
            return Some(id);
        };
        let m = &mut members[i];
        if by_key.is_none() {
            w.new_person_keys.push((r.person_key.clone(), m.id));
            persons.insert(r.person_key.clone(), m.id);
        } else if !self.is_new_person(m.id) {
            w.seen_person_keys.push(r.person_key.clone());
        }
        self.merge_person(m, r, w);
        Some(m.id)
    }

    fn merge_person(&mut self, m: &mut Individual, r: &ImportRow, w: &mut ImportWrite) {
        let p = &r.person;
        let mut d = diff(self, m.household_id, Some(m.id));
        d.set_some("individuals.nik", &mut m.nik, p.nik.as_ref(), |n| {
            n.as_str().to_owned()
        });
        d.set("individuals.name", &mut m.name, p.name.clone(), |s| {
            Some(s.clone())
        });
        d.set("individuals.sex", &mut m.sex, p.sex, |s| {
            Some(s.code().to_owned())
        });
        d.text(
            "individuals.birth_place",
            &mut m.birth_place,
            p.birth_place.as_ref(),
        );
        d.set_some(
            "individuals.birth_date",
            &mut m.birth_date,
            p.birth_date.as_ref(),
            ToString::to_string,
        );
        d.set(
            "individuals.relationship",
            &mut m.relationship,
            p.relationship,
            |x| Some(x.code().to_owned()),
        );
        d.set_some(
            "individuals.marital_status",
            &mut m.marital_status,
            p.marital_status.as_ref(),
            |x| x.code().to_owned(),
        );
        d.text(
            "individuals.education",
            &mut m.education,
            p.education.as_ref(),
        );
        d.text(
            "individuals.occupation",
            &mut m.occupation,
            p.occupation.as_ref(),
        );
        d.text(
            "individuals.disability",
            &mut m.disability,
            p.disability.as_ref(),
        );
        d.text(
            "individuals.chronic_illness",
            &mut m.chronic_illness,
            p.chronic_illness.as_ref(),
        );
        if !d.changed() {
            return;
        }
        let changes = std::mem::take(&mut d.changes);
        drop(d);
        w.changes.extend(changes);
        if let Some(slot) = w.new_members.iter_mut().find(|x| x.id == m.id) {
            *slot = m.clone();
            return;
        }
        if !w.member_updates.iter().any(|x| x.id == m.id) {
            m.version += 1;
        }
        self.updated_person(m.id);
        let m2 = m.clone();
        replace_update(&mut w.member_updates, &m2, |x| x.id == m2.id);
    }
}
