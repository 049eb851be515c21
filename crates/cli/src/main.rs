//! `sipmas`: the one binary and the composition root. It reads the command line, picks
//! the backend from the database URL, and hands a `dyn Store` to the use-cases.

mod commands;
mod logging;
mod store;

use std::process::ExitCode;

use clap::Parser;

// Bulk imports and demo generation allocate and free millions of small buffers across
// threads (rows built on tokio, freed on sqlx's SQLite worker); glibc's allocator spent a
// third of an import in malloc/free there. jemalloc rather than mimalloc: mimalloc returned
// freed buffers to the kernel within the run (1.6 GB of MADV_DONTNEED in a two-second
// million-record linkage), and faulting them in again cost up to a second of kernel time;
// jemalloc keeps freed pages for seconds before returning them. See
// docs/design/0003-linkage.md.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = commands::Cli::parse();
    logging::init(cli.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
