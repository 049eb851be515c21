//! `sipmas import`: register files into the database, `import list`, `--suggest-mapping`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Args, Subcommand};
use sipmas_app::import::{ImportOptions, ImportSummary};
use sipmas_import::Format;

/// Options of `sipmas import`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ImportArgs {
    #[command(subcommand)]
    command: Option<ImportCommand>,
    /// Layout: p3ke (individual export), p3ke-keluarga (family export), dtsen, generic (needs --mapping).
    #[arg(long, default_value = "p3ke", value_parser = parse_format)]
    format: Format,
    /// TOML mapping of columns and values (for --format generic, or to override a layout).
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// Validate and count everything, write the row report, change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Import even a file that was imported before (unchanged rows still change nothing).
    #[arg(long)]
    force: bool,
    /// Sheet of an XLSX file (default: the first).
    #[arg(long)]
    sheet: Option<String>,
    /// Print one JSON summary object.
    #[arg(long)]
    json: bool,
    /// Print a starting mapping file for FILE (from its header row) and exit.
    #[arg(long, value_name = "FILE")]
    suggest_mapping: Option<PathBuf>,
    /// CSV (`,` `;` or tab; UTF-8 or Windows-1252) or XLSX files.
    files: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Past import batches with their counts, newest first.
    List {
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s).ok_or_else(|| "pilih p3ke, p3ke-keluarga, dtsen atau generic".to_owned())
}

pub async fn run(url: &str, args: ImportArgs) -> anyhow::Result<()> {
    if let Some(ImportCommand::List { limit, json }) = args.command {
        return list(url, limit, json).await;
    }
    if let Some(path) = &args.suggest_mapping {
        print!(
            "{}",
            sipmas_app::import::suggest_mapping(path, args.sheet.as_deref())?
        );
        return Ok(());
    }
    anyhow::ensure!(
        !args.files.is_empty(),
        "sebutkan berkas yang diimpor: sipmas import --format p3ke FILE"
    );
    let opts = ImportOptions {
        format: args.format,
        mapping: args.mapping.clone(),
        dry_run: args.dry_run,
        force: args.force,
        sheet: args.sheet.clone(),
        actor: sipmas_app::CLI_ACTOR.to_owned(),
    };
    // Fail on a bad mapping before opening the database.
    sipmas_app::import::mapping_for(&opts)?;
    let store = crate::store::open(url).await?;
    let mut summaries = Vec::new();
    for file in &args.files {
        let bar = Progress::new(file.display().to_string());
        let result =
            sipmas_app::import::run(store.as_ref(), file, &opts, &|d, t| bar.tick(d, t)).await;
        bar.done();
        match result {
            Ok(s) => {
                if !args.json {
                    print_human(&s);
                }
                summaries.push(s);
            }
            Err(e) => {
                store.close().await;
                return Err(e.into());
            }
        }
    }
    store.close().await;
    if args.json {
        let out = match summaries.as_slice() {
            [one] => serde_json::to_value(one)?,
            many => serde_json::json!({ "files": many }),
        };
        println!("{out}");
    }
    Ok(())
}

fn print_human(s: &ImportSummary) {
    if s.already_imported {
        println!(
            "{}: berkas ini sudah diimpor (batch {}); tidak ada yang diubah. Gunakan --force untuk mengimpor ulang.",
            s.file,
            s.batch_id.map(|b| b.to_string()).unwrap_or_default()
        );
        return;
    }
    let mode = if s.dry_run {
        " (uji coba, tidak disimpan)"
    } else {
        ""
    };
    println!(
        "{}{mode}: baris dibaca {}, diimpor {}, ditolak {}, dengan peringatan {}",
        s.file, s.rows_read, s.rows_imported, s.rows_rejected, s.rows_warned
    );
    println!(
        "  keluarga baru {}, diperbarui {}; jiwa baru {}, diperbarui {}; tidak ada lagi di sumber {}",
        s.households_created,
        s.households_updated,
        s.individuals_created,
        s.individuals_updated,
        s.individuals_missing
    );
    if let Some(b) = s.batch_id {
        println!("  batch {b}");
    }
    if let Some(r) = &s.report {
        println!("  laporan baris: {r}");
    }
}

async fn list(url: &str, limit: u32, json: bool) -> anyhow::Result<()> {
    let store = crate::store::open(url).await?;
    let batches = store.import_batches(limit).await;
    store.close().await;
    let batches = batches.context("cannot read import batches")?;
    if json {
        println!("{}", serde_json::to_string(&batches)?);
        return Ok(());
    }
    if batches.is_empty() {
        println!("Belum ada impor.");
    }
    for b in &batches {
        println!(
            "{}  {}  {:<8} {}  dibaca {} diimpor {} ditolak {}  keluarga +{} ~{}  jiwa +{} ~{}  hilang {}",
            b.started_at.format("%Y-%m-%d %H:%M"),
            b.id,
            b.source,
            b.file_name,
            b.rows_read,
            b.rows_imported,
            b.rows_rejected,
            b.households_created,
            b.households_updated,
            b.individuals_created,
            b.individuals_updated,
            b.individuals_missing
        );
    }
    Ok(())
}

/// A progress bar on a terminal; otherwise a log line at most every five seconds.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    file: String,
    last: Mutex<Instant>,
}

impl Progress {
    fn new(file: String) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = indicatif::ProgressBar::new(0);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{msg} [{bar:30}] {percent}% {elapsed_precise} (sisa {eta})",
            ) {
                b.set_style(style.progress_chars("=> "));
            }
            b.set_message(file.clone());
            b
        });
        Self {
            bar,
            file,
            last: Mutex::new(Instant::now()),
        }
    }

    fn tick(&self, done: u64, total: u64) {
        if let Some(b) = &self.bar {
            b.set_length(total);
            b.set_position(done);
            return;
        }
        let Ok(mut last) = self.last.lock() else {
            return;
        };
        if last.elapsed() >= Duration::from_secs(5) {
            *last = Instant::now();
            tracing::info!(file = %self.file, done, total, "import progress");
        }
    }

    fn done(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
