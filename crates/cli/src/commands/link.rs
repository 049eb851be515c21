//! `sipmas link csv`: deduplicate one CSV file or link two with the linkage engine. Pure
//! CPU work, so it runs synchronously on the engine's own thread pool and never touches
//! the database. Every output is written to a temporary file beside its target and
//! renamed only when the whole run succeeded: a failed run leaves nothing behind.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Subcommand};
use sipmas_linkage::{Config, Dataset, Linkage, output};

#[derive(Debug, Subcommand)]
pub enum LinkCommand {
    /// Deduplicate one CSV file or link two (probabilistic, Fellegi–Sunter).
    Csv(CsvArgs),
    /// Deduplicate the people of the register in the database.
    Run(super::link_db::RunArgs),
    /// The review queue: pairs between the lower and upper thresholds.
    Review(super::link_db::ReviewArgs),
    /// Merge a pair from the review queue.
    Accept { pair: i64 },
    /// Reject a pair from the review queue; it is not proposed again.
    Reject { pair: i64 },
    /// Undo the merge of a person (restores it and its source rows).
    Unmerge { individual: uuid::Uuid },
}

#[derive(Debug, Args)]
pub struct CsvArgs {
    /// The linkage config (TOML): id column, comparisons, blocking rules, thresholds.
    #[arg(long)]
    config: PathBuf,
    /// The input file; give it twice to link two files instead of deduplicating one.
    #[arg(long, required = true, num_args = 1)]
    input: Vec<PathBuf>,
    /// Matched pairs: id_l,id_r,match_probability,match_weight.
    #[arg(long)]
    output: PathBuf,
    /// Every record's cluster: id,cluster_id.
    #[arg(long)]
    clusters: Option<PathBuf>,
    /// Pairs in the review band (between the lower and upper thresholds).
    #[arg(long)]
    review: Option<PathBuf>,
    /// Per pair and comparison, the level reached and its weight.
    #[arg(long)]
    explain: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Also print the time of each stage and the trained model.
    #[arg(long)]
    verbose: bool,
}

pub async fn run(url: &str, command: LinkCommand) -> anyhow::Result<()> {
    match command {
        LinkCommand::Csv(args) => csv(args),
        other => super::link_db::run(url, other).await,
    }
}

fn csv(args: CsvArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    if args.input.len() > 2 {
        anyhow::bail!(
            "give --input once (deduplicate) or twice (link), not {} times",
            args.input.len()
        );
    }
    let config = Config::from_file(&args.config)?;
    let data = Dataset::read(&args.input, &config.id_column, &config.columns())?;
    let read = started.elapsed().as_secs_f64();
    let linkage = sipmas_linkage::run(&config, &data, args.threads)?;
    let mut outputs = Outputs::default();
    let written = (|| -> anyhow::Result<()> {
        outputs.write(&args.output, |w| output::write_pairs(w, &data, &linkage))?;
        if let Some(p) = &args.clusters {
            outputs.write(p, |w| output::write_clusters(w, &data, &linkage))?;
        }
        if let Some(p) = &args.review {
            outputs.write(p, |w| output::write_review(w, &data, &linkage))?;
        }
        if let Some(p) = &args.explain {
            outputs.write(p, |w| output::write_explanations(w, &data, &linkage))?;
        }
        Ok(())
    })();
    match written {
        Ok(()) => outputs.commit()?,
        Err(e) => {
            outputs.discard();
            return Err(e);
        }
    }
    let linked = started.elapsed().as_secs_f64();
    summary(&data, &linkage, started);
    if args.verbose {
        println!("  {:<14} {read:>8.3} s", "read");
        println!("  {:<14} {:>8.3} s", "link (below)", linked - read);
        details(&linkage);
    }
    Ok(())
}

fn summary(data: &Dataset, linkage: &Linkage, started: Instant) {
    let matches = linkage.matches().count();
    println!(
        "Linkage: {} records, {} candidate pairs, {} matches, {} for review, prior {:.3e}, {:.1} s",
        data.len(),
        linkage.candidates,
        matches,
        linkage.review().len(),
        linkage.model.prior,
        started.elapsed().as_secs_f64()
    );
    if linkage.skipped_blocks > 0 {
        eprintln!(
            "warning: {} blocks were larger than max_block_size and were skipped; tighten the blocking rules",
            linkage.skipped_blocks
        );
    }
}

fn details(linkage: &Linkage) {
    for (stage, secs) in &linkage.timings {
        println!("  {stage:<14} {secs:>8.3} s");
    }
    let m = &linkage.model;
    for (k, c) in m.comparisons.iter().enumerate() {
        println!("  {}:", c.name);
        for (l, level) in c.levels.iter().enumerate() {
            println!(
                "    {:<36} m {:.5}  u {:.6}  weight {:+.2}",
                level.label(),
                m.m[k][l],
                m.u[k][l],
                m.weight(k, l as u8)
            );
        }
    }
}

/// Temporary files waiting to be renamed onto their targets.
#[derive(Debug, Default)]
struct Outputs {
    pending: Vec<(PathBuf, PathBuf)>,
}

impl Outputs {
    fn write(
        &mut self,
        target: &Path,
        f: impl FnOnce(&mut BufWriter<File>) -> csv::Result<()>,
    ) -> anyhow::Result<()> {
        let name = target
            .file_name()
            .with_context(|| format!("{}: not a file name", target.display()))?;
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".{}.tmp", std::process::id()));
        let tmp = target.with_file_name(tmp_name);
        let file =
            File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
        self.pending.push((tmp.clone(), target.to_owned()));
        let mut w = BufWriter::new(file);
        f(&mut w).with_context(|| format!("cannot write {}", target.display()))?;
        w.flush()
            .with_context(|| format!("cannot write {}", target.display()))?;
        Ok(())
    }

    fn commit(self) -> anyhow::Result<()> {
        for (tmp, target) in &self.pending {
            std::fs::rename(tmp, target)
                .with_context(|| format!("cannot write {}", target.display()))?;
        }
        Ok(())
    }

    fn discard(self) {
        for (tmp, _) in &self.pending {
            let _ = std::fs::remove_file(tmp);
        }
    }
}
