//! A column as its distinct values plus, per record, which one it holds: anything derived
//! from a value is then computed once per distinct value. A column's distinct values are
//! found once ([`Column::distinct`]) and shared by the comparison and the blocking keys
//! that read it.

use rayon::prelude::*;

use crate::hashing::FastMap;
use crate::table::Column;

/// Per record the slot of its value, and per slot one record holding it.
#[derive(Debug, Default, Clone)]
pub struct DistinctIndex {
    pub slots: Vec<u32>,
    pub first: Vec<u32>,
}

impl DistinctIndex {
    pub fn of(c: &Column) -> DistinctIndex {
        let mut index: FastMap<&str, u32> = FastMap::default();
        let mut first = Vec::new();
        let slots = (0..c.len())
            .map(|i| {
                *index.entry(c.get(i)).or_insert_with(|| {
                    first.push(i as u32);
                    (first.len() - 1) as u32
                })
            })
            .collect();
        DistinctIndex { slots, first }
    }
}

/// A column's distinct values, borrowed.
#[derive(Debug)]
pub struct Distinct<'a> {
    pub slots: std::borrow::Cow<'a, [u32]>,
    pub values: Vec<&'a str>,
}

impl<'a> Distinct<'a> {
    /// With `dedupe` false every record is its own value (for near-unique columns such as
    /// NIK, where hashing every value would cost more than it saves).
    pub fn of(c: &'a Column, dedupe: bool) -> Distinct<'a> {
        if !dedupe {
            return Distinct {
                slots: (0..c.len() as u32).collect::<Vec<_>>().into(),
                values: (0..c.len()).map(|i| c.get(i)).collect(),
            };
        }
        let d = c.distinct();
        Distinct {
            slots: d.slots.as_slice().into(),
            values: d.first.iter().map(|&r| c.get(r as usize)).collect(),
        }
    }

    /// `f` of every distinct value, in parallel.
    pub fn each<T: Send>(&self, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
        (0..self.values.len()).into_par_iter().map(&f).collect()
    }
}
