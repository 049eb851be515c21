use std::fs::File;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use chrono::{NaiveDate, Utc};
use clap::Args;
use sipmas_store::{DbKind, DbSettings};
use sipmas_synth::{Generator, SynthConfig, SynthRegion};

/// Options of `sipmas demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Number of households to generate.
    #[arg(long, default_value_t = 50_000)]
    households: u64,
    /// Seed: the same seed and --as-of give the same province.
    #[arg(long, default_value_t = 2022)]
    seed: u64,
    /// "Today" for ages and histories (default: today).
    #[arg(long, value_parser = super::parse_date)]
    as_of: Option<NaiveDate>,
    /// Use this Kemendagri region list (kode,nama,tingkat) instead of the built-in Kalimantan Timur skeleton.
    #[arg(long)]
    regions: Option<PathBuf>,
    /// Delete an existing SQLite demo database first.
    #[arg(long)]
    fresh: bool,
    /// Generate only; do not start the web server.
    #[arg(long)]
    no_serve: bool,
    /// Also write the households as a P3KE individual export (CSV) to this file.
    #[arg(long)]
    write_p3ke: Option<PathBuf>,
    /// Address to serve on.
    #[arg(long, env = "SIPMAS_BIND", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
}

fn read_regions(path: &PathBuf) -> anyhow::Result<Vec<SynthRegion>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let rows = sipmas_import::regions::read_regions(file, &Default::default())
        .with_context(|| format!("{}", path.display()))?;
    Ok(rows
        .into_iter()
        .map(|r| SynthRegion {
            code: r.code,
            name: r.name,
        })
        .collect())
}

pub async fn run(url: &str, args: DemoArgs) -> anyhow::Result<()> {
    let settings = DbSettings::parse(url)?;
    if args.fresh && settings.kind()? == DbKind::Sqlite {
        let path = url
            .trim_start_matches("sqlite://")
            .trim_start_matches("sqlite:");
        let path = path.split('?').next().unwrap_or(path);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
    let config = SynthConfig {
        seed: args.seed,
        households: args.households,
        as_of: args.as_of.unwrap_or_else(|| Utc::now().date_naive()),
    };
    let generator = match &args.regions {
        Some(path) => Generator::from_regions(config, read_regions(path)?)?,
        None => Generator::kaltim(config),
    };
    let store = crate::store::open(url).await?;
    let existing = store.register_counts(None).await?.households;
    if existing > 0 {
        println!(
            "Basis data sudah berisi {existing} keluarga; pembuatan data demo dilewati (pakai --fresh untuk membuat ulang)."
        );
    } else {
        let p3ke = args.write_p3ke.clone();
        let mut writer = p3ke
            .as_ref()
            .map(|p| {
                csv::Writer::from_path(p).with_context(|| format!("cannot write {}", p.display()))
            })
            .transpose()?;
        if let Some(w) = writer.as_mut() {
            sipmas_synth::p3ke::write_header(w)?;
        }
        let total = args.households;
        let report = if let Some(mut w) = writer {
            // The export needs the households themselves, so generate once more from the same seed.
            let mut again = match &args.regions {
                Some(path) => {
                    Generator::from_regions(generator.config().clone(), read_regions(path)?)?
                }
                None => Generator::kaltim(generator.config().clone()),
            };
            let report =
                sipmas_app::demo::populate(store.as_ref(), generator, &|n| progress(n, total))
                    .await?;
            let mut start = 0;
            while start < total {
                let chunk = again.generate(start, 10_000);
                sipmas_synth::p3ke::write_rows(&again, &chunk, &mut w)?;
                start += 10_000;
            }
            w.flush()?;
            report
        } else {
            sipmas_app::demo::populate(store.as_ref(), generator, &|n| progress(n, total)).await?
        };
        println!(
            "Data demo: {} wilayah, {} keluarga, {} jiwa, {} riwayat status dalam {:.1} detik",
            report.regions,
            report.households,
            report.individuals,
            report.history_entries,
            report.seconds
        );
        if let Some(p) = &args.write_p3ke {
            println!("Ekspor P3KE ditulis ke {}", p.display());
        }
    }
    if args.no_serve {
        store.close().await;
        return Ok(());
    }
    super::serve(store, args.bind).await
}

fn progress(done: u64, total: u64) {
    tracing::info!(done, total, "households written");
}
