//! Field-by-field comparison of a stored record with an imported row: only values the row
//! actually carries are compared (a blank cell never erases what the register knows), and
//! every change is kept with its old value.

use chrono::{DateTime, Utc};
use sipmas_domain::{HouseholdId, IndividualId};
use sipmas_store::FieldChange;

/// Collects the changes of one record.
#[derive(Debug)]
pub(crate) struct Diff<'a> {
    pub household: HouseholdId,
    pub individual: Option<IndividualId>,
    pub batch: uuid::Uuid,
    pub actor: &'a str,
    pub now: DateTime<Utc>,
    pub changes: Vec<FieldChange>,
}

impl Diff<'_> {
    /// Sets `slot` to `new` when they differ, recording `field`'s old and new value.
    pub fn set<T: PartialEq>(
        &mut self,
        field: &str,
        slot: &mut T,
        new: T,
        show: impl Fn(&T) -> Option<String>,
    ) {
        if *slot != new {
            self.changes.push(FieldChange {
                household_id: self.household,
                individual_id: self.individual,
                field: field.to_owned(),
                old_value: show(slot),
                new_value: show(&new),
                batch_id: Some(self.batch),
                campaign_id: None,
                actor: self.actor.to_owned(),
                recorded_at: self.now,
            });
            *slot = new;
        }
    }

    /// `set` for an optional value the row may leave blank.
    pub fn set_some<T: PartialEq + Clone>(
        &mut self,
        field: &str,
        slot: &mut Option<T>,
        new: Option<&T>,
        show: impl Fn(&T) -> String,
    ) {
        if let Some(v) = new {
            self.set(field, slot, Some(v.clone()), |o| o.as_ref().map(&show));
        }
    }

    /// `set_some` for text.
    pub fn text(&mut self, field: &str, slot: &mut Option<String>, new: Option<&String>) {
        self.set_some(field, slot, new, Clone::clone);
    }

    pub fn changed(&self) -> bool {
        !self.changes.is_empty()
    }
}
