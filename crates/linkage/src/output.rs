//! CSV writers for a run's results. They write to any `Write`; the caller decides where
//! (the CLI writes to a temporary file and renames it only when everything succeeded).

use std::io::Write;

use crate::linker::Linkage;
use crate::score::ScoredPair;
use crate::table::Dataset;

fn pair_rows<'a, W: Write>(
    w: W,
    data: &Dataset,
    pairs: impl Iterator<Item = &'a ScoredPair>,
) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(["id_l", "id_r", "match_probability", "match_weight"])?;
    for p in pairs {
        out.write_record([
            data.ids.get(p.i as usize),
            data.ids.get(p.j as usize),
            &format!("{:.6}", p.probability),
            &format!("{:.4}", p.weight),
        ])?;
    }
    out.flush()?;
    Ok(())
}

/// `id_l,id_r,match_probability,match_weight` for every match (in link mode `id_l` is
/// from the first file).
pub fn write_pairs<W: Write>(w: W, data: &Dataset, linkage: &Linkage) -> csv::Result<()> {
    pair_rows(w, data, linkage.matches())
}

/// The review band, in the same layout as the pairs.
pub fn write_review<W: Write>(w: W, data: &Dataset, linkage: &Linkage) -> csv::Result<()> {
    pair_rows(w, data, linkage.review().iter())
}

/// `id,cluster_id` for every record; the cluster id is the id of the cluster's first
/// record. In link mode a third column, `source` (1 or 2), tells the files apart, since
/// their ids may coincide.
pub fn write_clusters<W: Write>(w: W, data: &Dataset, linkage: &Linkage) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let clusters = linkage.clusters();
    match data.split {
        None => out.write_record(["id", "cluster_id"])?,
        Some(_) => out.write_record(["id", "cluster_id", "source"])?,
    }
    for (i, c) in clusters.iter().enumerate() {
        let (id, cluster) = (data.ids.get(i), data.ids.get(*c as usize));
        match data.split {
            None => out.write_record([id, cluster])?,
            Some(s) => out.write_record([id, cluster, if i < s { "1" } else { "2" }])?,
        }
    }
    out.flush()?;
    Ok(())
}

/// One row per pair and comparison, for matches and the review band: which level each
/// comparison reached and its weight; the prior is the row named `(prior)`.
pub fn write_explanations<W: Write>(w: W, data: &Dataset, linkage: &Linkage) -> csv::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "id_l",
        "id_r",
        "match_probability",
        "match_weight",
        "comparison",
        "level",
        "weight",
        "tf_adjusted",
    ])?;
    for p in &linkage.pairs {
        let e = linkage.explain(p.i as usize, p.j as usize);
        let (l, r) = (data.ids.get(p.i as usize), data.ids.get(p.j as usize));
        let (prob, weight) = (format!("{:.6}", e.probability), format!("{:.4}", e.weight));
        out.write_record([
            l,
            r,
            &prob,
            &weight,
            "(prior)",
            "",
            &format!("{:.4}", e.prior_weight),
            "false",
        ])?;
        for t in &e.terms {
            out.write_record([
                l,
                r,
                &prob,
                &weight,
                &t.comparison,
                &t.level,
                &format!("{:.4}", t.weight),
                if t.tf_adjusted { "true" } else { "false" },
            ])?;
        }
    }
    out.flush()?;
    Ok(())
}
