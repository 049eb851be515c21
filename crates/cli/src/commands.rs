use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use sipmas_domain::RegionCode;
use sipmas_store::{DbSettings, Store};

use crate::logging::LogFormat;

mod bench;
mod bench_verval;
mod demo;
mod import;
mod link;
mod link_db;
mod users;

/// SIPMAS: the register of extremely poor households, by name by address.
#[derive(Debug, Parser)]
#[command(name = "sipmas", version, about)]
pub struct Cli {
    /// Database: sqlite://FILE (default, embedded) or postgres://USER:PASS@HOST/DB.
    #[arg(long, global = true, env = "SIPMAS_DATABASE_URL", default_value = DbSettings::DEFAULT_URL, hide_env_values = true)]
    pub database_url: String,
    /// Log format on stderr.
    #[arg(
        long,
        global = true,
        env = "SIPMAS_LOG_FORMAT",
        value_enum,
        default_value = "auto"
    )]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create or update the database schema.
    Migrate,
    /// Kemendagri region codes.
    Regions {
        #[command(subcommand)]
        command: RegionsCommand,
    },
    /// Counts of regions by level and of the register.
    Stats {
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
        /// Only within this region (Kemendagri code, dotted or plain).
        #[arg(long)]
        region: Option<String>,
        /// First recompute the dashboard's per-village figures (within --region, or all).
        #[arg(long)]
        refresh: bool,
    },
    /// Build a synthetic province into the database and serve it.
    Demo(demo::DemoArgs),
    /// Import P3KE, DTSEN or any mapped CSV/XLSX register file; `import list` shows past batches.
    Import(import::ImportArgs),
    /// Record linkage: deduplicate or link files.
    Link {
        #[command(subcommand)]
        command: link::LinkCommand,
    },
    /// Run the web server.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "SIPMAS_BIND", default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        /// Mark cookies Secure: set when users reach SIPMAS over HTTPS (a TLS proxy).
        #[arg(long, env = "SIPMAS_SECURE_COOKIES")]
        secure_cookies: bool,
    },
    /// Benchmarks: `bench web` sends mixed read traffic to a running server; `bench verval`
    /// times a campaign over the register.
    Bench {
        #[command(subcommand)]
        command: bench::BenchCommand,
    },
    /// User accounts: `users add`, `users token`, `users list`.
    Users {
        #[command(subcommand)]
        command: users::UsersCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum RegionsCommand {
    /// Import a Kemendagri CSV (kode,nama,tingkat); importing again updates, never duplicates.
    Import {
        /// The region list, e.g. wilayah.csv.
        file: PathBuf,
        /// Population per region (kode,nama,laki_laki,perempuan,total), e.g. penduduk_2024s2.csv.
        #[arg(long)]
        population: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Migrate => {
            let store = crate::store::open(&cli.database_url).await?;
            store.close().await;
            println!("Skema basis data mutakhir.");
            Ok(())
        }
        Command::Regions {
            command:
                RegionsCommand::Import {
                    file,
                    population,
                    json,
                },
        } => {
            let store = crate::store::open(&cli.database_url).await?;
            let result = sipmas_app::regions::import(
                store.as_ref(),
                &file,
                population.as_deref(),
                sipmas_app::CLI_ACTOR,
            )
            .await;
            store.close().await;
            let r = result?;
            if json {
                println!("{}", serde_json::to_string(&r)?);
            } else {
                println!(
                    "Wilayah dibaca {}: baru {}, diperbarui {}, tetap {}; penduduk diperbarui {}, kode penduduk tak dikenal {}",
                    r.rows_read,
                    r.inserted,
                    r.updated,
                    r.unchanged,
                    r.population_updated,
                    r.population_unknown
                );
            }
            Ok(())
        }
        Command::Stats {
            json,
            region,
            refresh,
        } => {
            let within = region
                .as_deref()
                .map(RegionCode::parse)
                .transpose()
                .context("--region")?;
            let store = crate::store::open(&cli.database_url).await?;
            if refresh {
                let started = std::time::Instant::now();
                let villages = within.clone().map(|w| vec![w]);
                sipmas_app::stats::refresh(store.as_ref(), villages.as_deref()).await?;
                eprintln!(
                    "Angka dasbor dihitung ulang dalam {:.1} detik.",
                    started.elapsed().as_secs_f64()
                );
            }
            let result = sipmas_app::stats::collect(store.as_ref(), within.as_ref()).await;
            store.close().await;
            print_stats(&result?, json)
        }
        Command::Demo(args) => demo::run(&cli.database_url, args).await,
        Command::Import(args) => import::run(&cli.database_url, args).await,
        Command::Link { command } => link::run(&cli.database_url, command).await,
        Command::Serve {
            bind,
            secure_cookies,
        } => {
            let store = crate::store::open(&cli.database_url).await?;
            serve(store, bind, secure_cookies).await
        }
        Command::Users { command } => users::run(&cli.database_url, command).await,
        Command::Bench { command } => bench::run(&cli.database_url, command).await,
    }
}

fn print_stats(s: &sipmas_app::stats::Stats, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string(s)?);
    } else {
        println!(
            "Wilayah: {} provinsi, {} kabupaten/kota, {} kecamatan, {} desa/kelurahan",
            s.regions.provinsi,
            s.regions.kabupaten_kota,
            s.regions.kecamatan,
            s.regions.desa_kelurahan
        );
        println!(
            "Keluarga: {} (miskin ekstrem {})",
            s.households, s.extreme_poor_households
        );
        println!(
            "Jiwa: {} (miskin ekstrem {})",
            s.individuals, s.extreme_poor_individuals
        );
    }
    Ok(())
}

/// Serves until Ctrl-C or SIGTERM, then drains requests and closes the database.
pub async fn serve(
    store: Arc<dyn Store>,
    bind: SocketAddr,
    secure_cookies: bool,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    println!("SIPMAS berjalan di http://{}", listener.local_addr()?);
    let mut state = sipmas_web::AppState::new(store.clone());
    state.secure_cookies = secure_cookies;
    sipmas_web::serve(listener, state, shutdown_signal()).await?;
    store.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutdown requested");
}

/// Parses `YYYY-MM-DD` for `--as-of`.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| format!("expected YYYY-MM-DD: {e}"))
}
