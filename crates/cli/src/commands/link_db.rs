//! `sipmas link run | review | accept | reject | unmerge`: record linkage over the register.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use sipmas_domain::IndividualId;

use super::link::LinkCommand;

/// Options of `sipmas link run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Linkage config (TOML) naming register columns: nik, nama, jenis_kelamin,
    /// tanggal_lahir, no_kk, kode_desa, alamat (default: config/linkage/indonesia.toml, built in).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

/// Options of `sipmas link review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    #[arg(long, default_value_t = 50)]
    limit: u32,
    /// Pairs with this status: review (default), merged, rejected, unmerged.
    #[arg(long, default_value = "review")]
    status: String,
    #[arg(long)]
    json: bool,
}

pub async fn run(url: &str, command: LinkCommand) -> anyhow::Result<()> {
    let actor = sipmas_app::CLI_ACTOR;
    let store = crate::store::open(url).await?;
    let result = match command {
        LinkCommand::Run(args) => link_run(store.as_ref(), args, actor).await,
        LinkCommand::Review(args) => review(store.as_ref(), args).await,
        LinkCommand::Accept { pair } => sipmas_app::link::decide(store.as_ref(), pair, true, actor)
            .await
            .map(|()| println!("Pasangan {pair} digabung."))
            .map_err(Into::into),
        LinkCommand::Reject { pair } => {
            sipmas_app::link::decide(store.as_ref(), pair, false, actor)
                .await
                .map(|()| println!("Pasangan {pair} ditolak; tidak akan diusulkan lagi."))
                .map_err(Into::into)
        }
        LinkCommand::Unmerge { individual } => {
            match sipmas_app::link::unmerge(store.as_ref(), IndividualId(individual), actor).await?
            {
                Some(kept) => println!("Penggabungan {individual} ke {} dibatalkan.", kept.0),
                None => println!("{individual} tidak sedang digabung ke data lain."),
            }
            Ok(())
        }
        LinkCommand::Csv(_) => Ok(()),
    };
    store.close().await;
    result
}

async fn link_run(
    store: &dyn sipmas_store::Store,
    args: RunArgs,
    actor: &str,
) -> anyhow::Result<()> {
    let text = match &args.config {
        Some(p) => std::fs::read_to_string(p).with_context(|| format!("{}", p.display()))?,
        None => sipmas_app::link::DEFAULT_CONFIG.to_owned(),
    };
    let config = sipmas_app::link::config(&text)?;
    let s = sipmas_app::link::run(store, config, actor).await?;
    if args.json {
        println!("{}", serde_json::to_string(&s)?);
    } else {
        println!(
            "Pencocokan {}: {} jiwa, {} pasangan kandidat; digabung {}, perlu ditinjau {} ({} pernah ditolak) dalam {:.1} detik",
            s.run_id, s.records, s.candidates, s.merged, s.review, s.previously_rejected, s.seconds
        );
    }
    Ok(())
}

async fn review(store: &dyn sipmas_store::Store, args: ReviewArgs) -> anyhow::Result<()> {
    let pairs = store.link_pairs(&args.status, args.limit).await?;
    if args.json {
        println!("{}", serde_json::to_string(&pairs)?);
        return Ok(());
    }
    if pairs.is_empty() {
        println!("Tidak ada pasangan berstatus {}.", args.status);
    }
    for p in &pairs {
        println!(
            "{}  p={:.3}  bobot={:.1}  {}  {}",
            p.id, p.probability, p.weight, p.left.0, p.right.0
        );
    }
    Ok(())
}
