//! Telling the records a batch created from every other by their ids alone.

use sipmas_domain::DesilSource;

use super::Planner;

fn planner() -> Planner {
    Planner::new(uuid::Uuid::now_v7(), "p3ke", DesilSource::P3ke)
}

#[test]
fn ids_of_this_batch_are_known_by_their_end() {
    let older = uuid::Uuid::now_v7();
    let p = planner();
    let other = planner();
    let (a, b) = (p.new_id(), p.new_id());
    assert!(a < b, "still in the order they were made");
    assert_eq!(a.get_version_num(), 7);
    assert!(p.by_this_batch(a) && p.by_this_batch(b));
    // Another batch running meanwhile, a plain id made meanwhile, an older record.
    assert!(!p.by_this_batch(other.new_id()));
    assert!(!p.by_this_batch(uuid::Uuid::now_v7()));
    assert!(!p.by_this_batch(older));
    // A record of an earlier process whose clock ran ahead: later, but another end.
    let mut ahead = *p.new_id().as_bytes();
    ahead[15] ^= 1;
    assert!(!p.by_this_batch(uuid::Uuid::from_bytes(ahead)));
    assert!(!p.by_this_batch(uuid::Uuid::new_v4()));
}
