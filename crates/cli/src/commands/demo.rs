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
    /// Also write the households as a P3KE individual export to this file (CSV, or XLSX
    /// when the name ends in .xlsx).
    #[arg(long)]
    write_p3ke: Option<PathBuf>,
    /// Also write person records with planted duplicates and a `cluster_id` truth column
    /// (CSV) to this file, for measuring record linkage.
    #[arg(long)]
    write_linkage: Option<PathBuf>,
    /// Share of people given a corrupted duplicate in --write-linkage.
    #[arg(long, default_value_t = 0.1)]
    duplicate_rate: f64,
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
    // The region list is read once; a second generator (same seed) is built only when an
    // export asks for the households again.
    let regions = args.regions.as_ref().map(read_regions).transpose()?;
    let make = |config: SynthConfig| -> anyhow::Result<Generator> {
        Ok(match &regions {
            Some(list) => Generator::from_regions(config, list.clone())?,
            None => Generator::kaltim(config),
        })
    };
    let exports_requested = args.write_p3ke.is_some() || args.write_linkage.is_some();
    let generator = make(config.clone())?;
    let store = crate::store::open(url).await?;
    let existing = store.register_counts(None).await?.households;
    if existing > 0 {
        println!(
            "Basis data sudah berisi {existing} keluarga; pembuatan data demo dilewati (pakai --fresh untuk membuat ulang)."
        );
    } else {
        let total = args.households;
        let again = exports_requested.then(|| make(config)).transpose()?;
        let report =
            sipmas_app::demo::populate(store.as_ref(), generator, &|n| progress(n, total)).await?;
        if let Some(again) = again {
            write_exports(again, &args)?;
        }
        println!(
            "Data demo: {} wilayah, {} keluarga, {} jiwa, {} riwayat status dalam {:.1} detik",
            report.regions,
            report.households,
            report.individuals,
            report.history_entries,
            report.seconds
        );
    }
    if args.no_serve {
        store.close().await;
        return Ok(());
    }
    super::serve(store, args.bind, false).await
}

/// Writes the requested exports from a second generator with the same seed, chunk by
/// chunk, so memory stays flat however many households there are.
fn write_exports(mut g: Generator, args: &DemoArgs) -> anyhow::Result<()> {
    let open = |p: &PathBuf| {
        csv::Writer::from_path(p).with_context(|| format!("cannot write {}", p.display()))
    };
    let xlsx = args.write_p3ke.as_ref().filter(|p| {
        p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    });
    let mut p3ke_xlsx = xlsx
        .map(|_| sipmas_synth::p3ke::XlsxExport::new())
        .transpose()?;
    let mut p3ke = args
        .write_p3ke
        .as_ref()
        .filter(|_| xlsx.is_none())
        .map(open)
        .transpose()?;
    let mut linkage = args.write_linkage.as_ref().map(open).transpose()?;
    if let Some(w) = p3ke.as_mut() {
        sipmas_synth::p3ke::write_header(w)?;
    }
    if let Some(w) = linkage.as_mut() {
        sipmas_synth::linkage::write_header(w)?;
    }
    let (mut rows, mut records, mut dups) = (0, 0, 0);
    let mut start = 0;
    while start < g.config().households {
        let chunk = g.generate(start, 10_000);
        if let Some(w) = p3ke.as_mut() {
            rows += sipmas_synth::p3ke::write_rows(&g, &chunk, w)?;
        }
        if let Some(x) = p3ke_xlsx.as_mut() {
            rows += x.write_rows(&g, &chunk)?;
        }
        if let Some(w) = linkage.as_mut() {
            let (r, d) = sipmas_synth::linkage::write_rows(&g, &chunk, args.duplicate_rate, w)?;
            records += r;
            dups += d;
        }
        start += 10_000;
    }
    if let (Some(mut w), Some(p)) = (p3ke, &args.write_p3ke) {
        w.flush()?;
        println!("Ekspor P3KE: {rows} baris ditulis ke {}", p.display());
    }
    if let (Some(x), Some(p)) = (p3ke_xlsx, &args.write_p3ke) {
        x.save(p)
            .with_context(|| format!("cannot write {}", p.display()))?;
        println!(
            "Ekspor P3KE (XLSX): {rows} baris ditulis ke {}",
            p.display()
        );
    }
    if let (Some(mut w), Some(p)) = (linkage, &args.write_linkage) {
        w.flush()?;
        println!(
            "Berkas linkage: {records} rekaman ({dups} duplikat tertanam) ditulis ke {}",
            p.display()
        );
    }
    Ok(())
}

fn progress(done: u64, total: u64) {
    tracing::info!(done, total, "households written");
}
