//! What a batch into an empty register has written so far, so that a chunk asks the store
//! only about values it may find there.
//!
//! Into an empty register (the first load of P3KE), a lookup can only find rows this
//! batch wrote itself, and most values of a clean export are new: asking the store about
//! every key, No KK and NIK of every chunk was a ninth of a million-row import's time and
//! found nothing. Each value written is kept as a 64-bit fingerprint in a sorted vector
//! (8 bytes a value: about 21 MB for a million people); a value whose fingerprint was never
//! written cannot be in the register and is left out of the lookup. A fingerprint shared
//! by chance (about once in 10^13 values for a million written) only costs a lookup that
//! finds nothing. When nothing is left to look up, the chunk is planned while the one
//! before it is still being written (`writer`).

use std::hash::{DefaultHasher, Hash, Hasher};

use sipmas_store::{ImportLookup, ImportWrite};

/// Fingerprints kept at most (32 MB, about a million and a half rows of P3KE): past it, a
/// batch stops narrowing its lookups, so memory stays flat whatever the file's size.
pub(super) const MAX_FINGERPRINTS: usize = 4 << 20;

/// Fingerprints of the values each kind of lookup searches, written by this batch.
#[derive(Debug, Default)]
pub(super) struct Written {
    family_keys: Fingerprints,
    no_kks: Fingerprints,
    person_keys: Fingerprints,
    niks: Fingerprints,
}

fn fingerprint(value: &str) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// A sorted set of fingerprints: half a hash set's memory or less, and each chunk's new
/// ones are merged in one linear pass.
#[derive(Debug, Default)]
struct Fingerprints(Vec<u64>);

impl Fingerprints {
    fn add<'a>(&mut self, values: impl Iterator<Item = &'a str>) {
        let mut new: Vec<u64> = values.map(fingerprint).collect();
        if new.is_empty() {
            return;
        }
        new.sort_unstable();
        let old = std::mem::take(&mut self.0);
        let mut merged = Vec::with_capacity(old.len() + new.len());
        let (mut a, mut b) = (old.as_slice(), new.as_slice());
        while let (Some(&x), Some(&y)) = (a.first(), b.first()) {
            if x <= y {
                merged.push(x);
                a = &a[1..];
            } else {
                merged.push(y);
                b = &b[1..];
            }
        }
        merged.extend_from_slice(a);
        merged.extend_from_slice(b);
        self.0 = merged;
    }

    /// One sorted walk over the set for all of `values`: a binary search each missed the
    /// cache at almost every step once the set outgrew it (3 s over a million rows).
    fn keep_written(&self, values: &mut Vec<String>) {
        let mut probes: Vec<(u64, usize)> = values
            .iter()
            .enumerate()
            .map(|(i, v)| (fingerprint(v), i))
            .collect();
        probes.sort_unstable();
        let mut keep = vec![false; values.len()];
        let mut rest = self.0.as_slice();
        for (f, i) in probes {
            while rest.first().is_some_and(|&x| x < f) {
                rest = &rest[1..];
            }
            keep[i] = rest.first() == Some(&f);
        }
        let mut kept = keep.into_iter();
        values.retain(|_| kept.next().unwrap_or(false));
    }
}

impl Written {
    /// Everything `w` stores that a later lookup could search for.
    pub(super) fn record(&mut self, w: &ImportWrite) {
        self.family_keys
            .add(w.new_family_keys.iter().map(|(k, _)| k.as_str()));
        self.person_keys
            .add(w.new_person_keys.iter().map(|(k, _)| k.as_str()));
        // An update may give a household a No KK, or a person a NIK, it did not have.
        let households = w.new_households.iter().chain(&w.household_updates);
        self.no_kks
            .add(households.filter_map(|h| h.no_kk.as_ref().map(|k| k.as_str())));
        let people = w.new_members.iter().chain(&w.member_updates);
        self.niks
            .add(people.filter_map(|p| p.nik.as_ref().map(|n| n.as_str())));
    }

    /// Fingerprints held.
    pub(super) fn len(&self) -> usize {
        self.family_keys.0.len()
            + self.no_kks.0.len()
            + self.person_keys.0.len()
            + self.niks.0.len()
    }

    /// Drops from `q` every value this batch has not written.
    pub(super) fn narrow(&self, q: &mut ImportLookup) {
        self.family_keys.keep_written(&mut q.family_keys);
        self.no_kks.keep_written(&mut q.no_kks);
        self.person_keys.keep_written(&mut q.person_keys);
        self.niks.keep_written(&mut q.niks);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sipmas_domain::HouseholdId;

    #[test]
    fn keeps_only_values_written() {
        let mut written = Written::default();
        written.record(&ImportWrite {
            new_family_keys: vec![("K1".to_owned(), HouseholdId(uuid::Uuid::nil()))],
            ..ImportWrite::default()
        });
        let mut q = ImportLookup {
            family_keys: vec!["K1".to_owned(), "K2".to_owned()],
            person_keys: vec!["K1".to_owned()],
            ..ImportLookup::default()
        };
        written.narrow(&mut q);
        assert_eq!(q.family_keys, ["K1"]);
        // A family key is not a person key.
        assert!(q.person_keys.is_empty());
        assert!(!q.is_empty());
    }

    #[test]
    fn merges_chunk_after_chunk() {
        let mut f = Fingerprints::default();
        f.add(["c", "a"].into_iter());
        f.add(["b", "a", "d"].into_iter());
        assert!(f.0.is_sorted());
        let mut q: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).into();
        f.keep_written(&mut q);
        assert_eq!(q, ["a", "b", "c", "d"]);
    }
}
