//! `sipmas bench verval` lives in bench_verval.rs.
//!
//! `sipmas bench web`: a load generator for a running server. It signs in through the
//! form like a browser, samples real NIKs, names, households and regions through the
//! API, then sends mixed read traffic from many concurrent clients and reports
//! latency percentiles per kind of request and requests per second.

use std::io::BufRead;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::Value;

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Mixed read traffic against a running `sipmas serve`.
    Web(WebArgs),
    /// A verval campaign over the register: create, assign, summarise, visit, approve.
    Verval(super::bench_verval::VervalArgs),
}

#[derive(Debug, Args)]
pub struct WebArgs {
    /// Base URL of the server.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// Account to sign in with (an admin sees unmasked NIKs to look up).
    #[arg(long)]
    username: String,
    /// Read the password from the first line of stdin.
    #[arg(long)]
    password_stdin: bool,
    /// How long to send traffic.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Concurrent clients.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

const KINDS: [&str; 4] = ["dashboard", "nik", "name", "household"];
/// Share of each kind in the mix (per 100 requests).
const MIX: [u32; 4] = [20, 30, 25, 25];
const NAMES: [&str; 12] = [
    "siti", "muhammad", "nur", "ahmad", "sri", "budi", "dewi", "eko", "rahmat", "andi", "yusuf",
    "fitri",
];

struct Sample {
    niks: Vec<String>,
    names: Vec<String>,
    households: Vec<String>,
    regions: Vec<String>,
}

async fn login(
    client: &reqwest::Client,
    base: &str,
    user: &str,
    password: &str,
) -> anyhow::Result<String> {
    let r = client.get(format!("{base}/masuk")).send().await?;
    let pre = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("sipmas_pra="))
        .and_then(|v| v.split(';').next())
        .context("no sign-in cookie")?
        .to_owned();
    let r = client
        .post(format!("{base}/masuk"))
        .header("cookie", format!("sipmas_pra={pre}"))
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("_csrf", pre.as_str()),
            ("username", user),
            ("password", password),
        ])
        .send()
        .await?;
    let session = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("sipmas_sesi="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned);
    match session {
        Some(s) => Ok(format!("sipmas_sesi={s}")),
        None => bail!("sign-in failed ({})", r.status()),
    }
}

async fn sample(client: &reqwest::Client, base: &str, cookie: &str) -> anyhow::Result<Sample> {
    let mut s = Sample {
        niks: Vec::new(),
        names: Vec::new(),
        households: Vec::new(),
        regions: Vec::new(),
    };
    for name in NAMES {
        let v: Value = client
            .get(format!("{base}/api/v1/households?nama={name}"))
            .header("cookie", cookie)
            .send()
            .await?
            .json()
            .await?;
        for h in v["households"].as_array().into_iter().flatten() {
            let text = |k: &str| h[k].as_str().map(str::to_owned);
            s.niks.extend(text("head_nik").filter(|n| !n.contains('*')));
            s.households.extend(text("id"));
            if let Some(head) = text("head_name") {
                // A first name and the start of the second: a prefix search, as people type.
                let mut words = head.split_whitespace();
                let typed = match (words.next(), words.next()) {
                    (Some(a), Some(b)) => format!("{a} {}", &b[..b.len().min(3)]),
                    (Some(a), None) => a.to_owned(),
                    _ => continue,
                };
                s.names.push(typed);
            }
            if let Some(v) = text("village") {
                for len in [5, 8, 13] {
                    s.regions.push(v[..len.min(v.len())].to_owned());
                }
            }
        }
    }
    s.regions.push(String::new());
    if s.niks.is_empty() || s.households.is_empty() {
        bail!("the register returned nothing to sample (is it empty, or is the account masked?)");
    }
    Ok(s)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let k = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[k].as_secs_f64() * 1000.0
}

pub async fn run(database_url: &str, command: BenchCommand) -> anyhow::Result<()> {
    let args = match command {
        BenchCommand::Web(args) => args,
        BenchCommand::Verval(args) => return super::bench_verval::run(database_url, args).await,
    };
    let password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    } else {
        std::env::var("SIPMAS_BENCH_PASSWORD")
            .context("--password-stdin or SIPMAS_BENCH_PASSWORD")?
    };
    let base = args.url.trim_end_matches('/').to_owned();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(args.concurrency)
        .build()?;
    let cookie = login(&client, &base, &args.username, &password).await?;
    let sample = std::sync::Arc::new(sample(&client, &base, &cookie).await?);
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..args.concurrency {
        let (client, cookie, base, sample) =
            (client.clone(), cookie.clone(), base.clone(), sample.clone());
        tasks.push(tokio::spawn(async move {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(worker as u64);
            let mut lat: [Vec<Duration>; 4] = Default::default();
            let mut errors = 0u64;
            while Instant::now() < deadline {
                let roll = rng.random_range(0..100);
                let kind = (0..4)
                    .find(|k| roll < MIX[..=*k].iter().sum::<u32>())
                    .unwrap_or(3);
                let pick = |v: &Vec<String>, rng: &mut rand_chacha::ChaCha8Rng| {
                    v.choose(rng).cloned().unwrap_or_default()
                };
                let path = match kind {
                    0 => format!("/?wilayah={}", pick(&sample.regions, &mut rng)),
                    1 => format!("/cari?nik={}", pick(&sample.niks, &mut rng)),
                    2 => format!(
                        "/cari?nama={}",
                        pick(&sample.names, &mut rng).replace(' ', "+")
                    ),
                    _ => format!("/keluarga/{}", pick(&sample.households, &mut rng)),
                };
                let t = Instant::now();
                match client
                    .get(format!("{base}{path}"))
                    .header("cookie", &cookie)
                    .send()
                    .await
                {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        lat[kind].push(t.elapsed());
                    }
                    _ => errors += 1,
                }
            }
            (lat, errors)
        }));
    }
    let mut all: [Vec<Duration>; 4] = Default::default();
    let mut errors = 0;
    for t in tasks {
        let (lat, e) = t.await?;
        for (a, l) in all.iter_mut().zip(lat) {
            a.extend(l);
        }
        errors += e;
    }
    let secs = started.elapsed().as_secs_f64();
    let total: usize = all.iter().map(Vec::len).sum();
    let mut report = serde_json::json!({
        "seconds": secs, "concurrency": args.concurrency, "requests": total,
        "requests_per_second": total as f64 / secs, "errors": errors,
    });
    for (kind, mut l) in KINDS.iter().zip(all) {
        l.sort_unstable();
        report[*kind] = serde_json::json!({
            "count": l.len(), "p50_ms": percentile(&l, 0.5), "p95_ms": percentile(&l, 0.95), "p99_ms": percentile(&l, 0.99),
        });
    }
    if args.json {
        println!("{report}");
    } else {
        println!(
            "{total} permintaan dalam {secs:.1} s: {:.0}/s, galat {errors}",
            total as f64 / secs
        );
        for kind in KINDS {
            let k = &report[kind];
            println!(
                "{kind:>10}: {:>6} × p50 {:>7.1} ms  p95 {:>7.1} ms  p99 {:>7.1} ms",
                k["count"],
                k["p50_ms"].as_f64().unwrap_or(0.0),
                k["p95_ms"].as_f64().unwrap_or(0.0),
                k["p99_ms"].as_f64().unwrap_or(0.0)
            );
        }
    }
    if errors > 0 {
        bail!("{errors} requests failed");
    }
    Ok(())
}
