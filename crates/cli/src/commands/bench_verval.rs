//! `sipmas bench verval`: a campaign over a large selection of the register, timed step
//! by step through the same use-cases the pages call: create (one insert-select), assign
//! every village to its own operator, summarise progress by village, then visit, review
//! and approve a sample of households and print one village's berita acara.

use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;
use sipmas_app::access::Access;
use sipmas_app::verval::{CampaignForm, Decision, Submitted, VisitForm};
use sipmas_domain::{AuditAction, RegionCode, Role};
use sipmas_store::{AuditEntry, Store, User, VisitFilter};

#[derive(Debug, Args)]
pub struct VervalArgs {
    /// Region the campaign covers (a Kemendagri prefix); the whole register when absent.
    #[arg(long)]
    wilayah: Option<String>,
    /// Households to carry through visit, review and approval.
    #[arg(long, default_value_t = 200)]
    visits: usize,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

/// An account made for the benchmark (no password: it never signs in).
async fn account(
    store: &dyn Store,
    username: &str,
    role: Role,
    scope: Option<RegionCode>,
) -> anyhow::Result<Access> {
    let user = match store.user_by_username(username).await? {
        Some(u) => u,
        None => {
            let u = User {
                id: uuid::Uuid::new_v4(),
                username: username.to_owned(),
                display_name: username.to_owned(),
                role,
                region_scope: scope,
                password_hash: None,
                full_view: false,
                active: true,
                version: 1,
            };
            store
                .create_user(&u, &AuditEntry::new("bench", AuditAction::UserCreated))
                .await?;
            u
        }
    };
    Ok(Access::of(&user, None))
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

pub async fn run(database_url: &str, args: VervalArgs) -> anyhow::Result<()> {
    let store = crate::store::open(database_url).await?;
    let store = store.as_ref();
    let admin = account(store, "bench-admin", Role::Admin, None).await?;
    let started = Instant::now();
    let form = CampaignForm {
        name: format!(
            "Bench verval {}",
            chrono::Utc::now().format("%Y-%m-%d %H:%M:%S")
        ),
        wilayah: args.wilayah.clone().unwrap_or_default(),
        ..CampaignForm::default()
    };
    let (id, households) = sipmas_app::verval::create(store, &admin, &form).await?;
    let create_ms = ms(started);
    if households == 0 {
        bail!(
            "the selection is empty: load data first (sipmas demo --households 50000 --no-serve)"
        );
    }
    let campaign = id.to_string();
    let (_, villages) = sipmas_app::verval::progress(store, &admin, &campaign).await?;
    // One operator per village, made before the clock starts (accounts are not verval).
    let mut operators = Vec::with_capacity(villages.len());
    for v in &villages {
        let code = RegionCode::parse(&v.village_code)?;
        let name = format!("bench-desa-{}", v.village_code.replace('.', ""));
        account(store, &name, Role::Desa, Some(code.clone())).await?;
        operators.push((code, name));
    }
    let t = Instant::now();
    for (code, name) in &operators {
        sipmas_app::verval::assign(store, &admin, &campaign, &code.dotted(), name).await?;
    }
    let assign_ms = ms(t);
    let t = Instant::now();
    let (_, progress) = sipmas_app::verval::progress(store, &admin, &campaign).await?;
    let summary_ms = ms(t);
    let assigned: i64 = progress.iter().map(|p| p.assigned).sum();

    // Visit, review, approve a sample: each a full trip through the use-cases.
    let rows = store
        .visit_rows(&VisitFilter {
            campaign_id: Some(id),
            within: None,
            state: None,
            limit: u32::try_from(args.visits).unwrap_or(u32::MAX),
        })
        .await?;
    let mut reviewers = std::collections::HashMap::new();
    let (mut visit_ms, mut review_ms, mut approve_ms) = (0.0, 0.0, 0.0);
    for r in &rows {
        let village = RegionCode::parse(&r.village_code)?;
        let district = village.parent().context("village without a district")?;
        let desa = account(
            store,
            r.assignee.as_deref().context("unassigned")?,
            Role::Desa,
            Some(village.clone()),
        )
        .await?;
        let camat = match reviewers.get(&district) {
            Some(a) => a,
            None => {
                let name = format!("bench-camat-{}", district.dotted().replace('.', ""));
                let a = account(store, &name, Role::Kecamatan, Some(district.clone())).await?;
                reviewers.entry(district.clone()).or_insert(a)
            }
        };
        let hid = r.household_id.0.to_string();
        let t = Instant::now();
        let opened = sipmas_app::verval::open(store, &desa, &campaign, &hid).await?;
        let mut visit = VisitForm::blank(&opened.household, &opened.members);
        visit.result = "miskin_ekstrem".into();
        visit.criteria = vec!["jamban".into(), "air".into(), "makan".into()];
        visit.housing.floor = Some("tanah".into());
        match sipmas_app::verval::submit(store, &desa, &campaign, &hid, &visit, &[]).await? {
            Submitted::Done => {}
            Submitted::Stale { .. } => bail!("household {hid} changed during the benchmark"),
        }
        visit_ms += ms(t);
        let t = Instant::now();
        let version = store
            .visit_target(id, r.household_id, None)
            .await?
            .context("target")?
            .version;
        let approve = |v: i64| Decision {
            decision: "setujui".into(),
            comment: String::new(),
            version: Some(v),
        };
        sipmas_app::verval::decide(store, camat, &campaign, &hid, &approve(version)).await?;
        review_ms += ms(t);
        let t = Instant::now();
        sipmas_app::verval::decide(store, &admin, &campaign, &hid, &approve(version + 1)).await?;
        approve_ms += ms(t);
    }
    let t = Instant::now();
    let first = rows
        .first()
        .map(|r| r.village_code.clone())
        .unwrap_or_default();
    let minutes = sipmas_app::verval::minutes(store, &admin, &campaign, &first).await?;
    let minutes_ms = ms(t);
    let n = rows.len().max(1) as f64;
    let report = serde_json::json!({
        "backend": format!("{:?}", store.kind()),
        "households": households, "villages": villages.len(), "assigned": assigned,
        "create_ms": create_ms, "assign_all_villages_ms": assign_ms, "summary_ms": summary_ms,
        "visits": rows.len(), "visit_submit_ms_each": visit_ms / n, "review_ms_each": review_ms / n,
        "approve_ms_each": approve_ms / n,
        "minutes_households": minutes.rows.len(), "minutes_ms": minutes_ms,
    });
    if args.json {
        println!("{report}");
    } else {
        println!(
            "Kampanye {households} keluarga di {} desa: dibuat {create_ms:.0} ms, semua desa ditugaskan {assign_ms:.0} ms, ringkasan {summary_ms:.0} ms",
            villages.len()
        );
        println!(
            "{} kunjungan: kirim {:.1} ms, periksa {:.1} ms, setujui {:.1} ms per keluarga; berita acara {} keluarga {minutes_ms:.0} ms",
            rows.len(),
            visit_ms / n,
            review_ms / n,
            approve_ms / n,
            minutes.rows.len()
        );
    }
    store.close().await;
    Ok(())
}
