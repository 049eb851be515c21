//! Clustering: records joined by a match at or above the threshold form one entity
//! (connected components, by union-find); pairs between the lower and upper threshold
//! go to a reviewer instead of being merged.

use crate::score::ScoredPair;

/// Disjoint sets with path halving and union by size.
#[derive(Debug, Clone)]
pub struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    pub fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        let (big, small) = if self.size[ra as usize] >= self.size[rb as usize] {
            (ra, rb)
        } else {
            (rb, ra)
        };
        self.parent[small as usize] = big;
        self.size[big as usize] += self.size[small as usize];
    }
}

/// The cluster of every record: the smallest record index in its component, so labels
/// do not depend on the order pairs arrive in.
pub fn clusters(n: usize, pairs: &[ScoredPair], threshold: f64) -> Vec<u32> {
    let mut uf = UnionFind::new(n);
    for p in pairs.iter().filter(|p| p.probability >= threshold) {
        uf.union(p.i, p.j);
    }
    let mut smallest = vec![u32::MAX; n];
    for x in 0..n as u32 {
        let r = uf.find(x) as usize;
        smallest[r] = smallest[r].min(x);
    }
    (0..n as u32)
        .map(|x| smallest[uf.find(x) as usize])
        .collect()
}

/// Pairs for a reviewer: at or above `lower`, below `upper`.
pub fn review_band(pairs: &[ScoredPair], lower: f64, upper: f64) -> Vec<ScoredPair> {
    pairs
        .iter()
        .filter(|p| p.probability >= lower && p.probability < upper)
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn pair(i: u32, j: u32, probability: f64) -> ScoredPair {
        ScoredPair {
            i,
            j,
            weight: 0.0,
            probability,
        }
    }

    #[test]
    fn components_and_band() {
        let pairs = [
            pair(0, 1, 0.99),
            pair(1, 2, 0.9),
            pair(3, 4, 0.3),
            pair(5, 6, 0.05),
        ];
        assert_eq!(clusters(7, &pairs, 0.5), vec![0, 0, 0, 3, 4, 5, 6]);
        assert_eq!(review_band(&pairs, 0.1, 0.5), vec![pair(3, 4, 0.3)]);
    }

    proptest! {
        /// Every pair at or above the threshold ends in one cluster; and the labels form
        /// a partition whose label is a member.
        #[test]
        fn matched_pairs_share_a_cluster(edges in proptest::collection::vec((0u32..30, 0u32..30, 0.0f64..1.0), 0..60)) {
            let pairs: Vec<ScoredPair> = edges.iter().map(|&(a, b, p)| pair(a, b, p)).collect();
            let c = clusters(30, &pairs, 0.5);
            for p in pairs.iter().filter(|p| p.probability >= 0.5) {
                prop_assert_eq!(c[p.i as usize], c[p.j as usize]);
            }
            for (x, &label) in c.iter().enumerate() {
                prop_assert!(label as usize <= x);
                prop_assert_eq!(c[label as usize], label);
            }
        }
    }
}
