//! Desil, housing conditions correlated with it, and a status history from 2022 in which
//! extreme poverty falls over time.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sipmas_domain::{
    Desil, DesilAssessment, DesilSource, HouseholdId, HousingConditions, StatusChange,
    WelfareStatus,
};

/// Desil of a register household: the register holds mostly desil 1–4 (P3KE/DTKS).
pub(crate) fn desil(rng: &mut ChaCha8Rng) -> DesilAssessment {
    let x: f64 = rng.random();
    let n = match x {
        x if x < 0.22 => 1,
        x if x < 0.46 => 2,
        x if x < 0.68 => 3,
        x if x < 0.86 => 4,
        _ => rng.random_range(5..=10),
    };
    let (source, year) = if n <= 4 {
        (DesilSource::P3ke, 2022)
    } else {
        (DesilSource::DtsenNational, 2025)
    };
    // n is in 1..=10 by construction.
    DesilAssessment {
        desil: Desil::new(n).unwrap_or_else(|_| unreachable!()),
        source,
        year,
    }
}

fn pick(rng: &mut ChaCha8Rng, poor: bool, bad: &[&str], good: &[&str]) -> Option<String> {
    let list = if poor { bad } else { good };
    Some(list[rng.random_range(0..list.len())].to_owned())
}

/// Housing: the lower the desil, the likelier earth floors, bamboo walls, river water, firewood.
pub(crate) fn housing(rng: &mut ChaCha8Rng, desil: u8, urban: bool) -> HousingConditions {
    let p = (0.75 - 0.12 * f64::from(desil - 1)).max(0.05);
    let mut poor = || rng.random_bool(p);
    let (f, w, r, wa, l, c, t, o) = (
        poor(),
        poor(),
        poor(),
        poor(),
        poor(),
        poor(),
        poor(),
        poor(),
    );
    let mut assets = Vec::new();
    for (asset, base) in [
        ("ponsel", 0.6),
        ("sepeda_motor", 0.35),
        ("televisi", 0.4),
        ("kulkas", 0.15),
        ("tabung_gas_5_5kg", 0.1),
    ] {
        if rng.random_bool((base + 0.06 * f64::from(desil)).min(0.95)) {
            assets.push(asset.to_owned());
        }
    }
    if !urban && rng.random_bool(0.12) {
        assets.push("perahu".to_owned());
    }
    HousingConditions {
        floor: pick(
            rng,
            f,
            &["tanah", "kayu_kualitas_rendah", "bambu"],
            &["semen", "keramik", "kayu_kualitas_tinggi"],
        ),
        wall: pick(
            rng,
            w,
            &["bambu", "kayu_kualitas_rendah", "papan_bekas"],
            &["tembok", "kayu_kualitas_tinggi"],
        ),
        roof: pick(
            rng,
            r,
            &["daun_rumbia", "seng_bekas", "sirap"],
            &["seng", "genteng", "asbes"],
        ),
        water_source: pick(
            rng,
            wa,
            &["sungai", "sumur_tak_terlindung", "air_hujan"],
            &["pdam", "sumur_bor", "air_kemasan"],
        ),
        lighting: pick(
            rng,
            l,
            &["bukan_listrik", "listrik_non_pln"],
            &["listrik_pln"],
        ),
        cooking_fuel: pick(
            rng,
            c,
            &["kayu_bakar", "minyak_tanah"],
            &["lpg_3kg", "lpg_12kg"],
        ),
        toilet: pick(rng, t, &["tidak_ada", "umum", "sungai"], &["sendiri"]),
        ownership: pick(rng, o, &["menumpang", "sewa"], &["milik_sendiri"]),
        floor_area_m2: Some(
            if f {
                rng.random_range(12.0f64..36.0)
            } else {
                rng.random_range(30.0f64..120.0)
            }
            .round(),
        ),
        assets,
    }
}

fn at(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(2, 0, 0).unwrap_or_default().and_utc()
}

fn random_date(rng: &mut ChaCha8Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let days = (to - from).num_days().max(1);
    from + Duration::days(rng.random_range(0..days))
}

/// The first status comes with the 2022 P3KE handover; later entries are verval results.
pub(crate) fn history(
    rng: &mut ChaCha8Rng,
    id: HouseholdId,
    desil: u8,
    as_of: NaiveDate,
) -> Vec<StatusChange> {
    let start = NaiveDate::from_ymd_opt(2022, 7, 1).unwrap_or(as_of);
    let initial = match desil {
        1 if rng.random_bool(0.55) => WelfareStatus::ExtremePoor,
        1 | 2 if rng.random_bool(0.15) => WelfareStatus::ExtremePoor,
        1 | 2 => WelfareStatus::Poor,
        3 | 4 if rng.random_bool(0.6) => WelfareStatus::Poor,
        3 | 4 => WelfareStatus::Vulnerable,
        _ if rng.random_bool(0.5) => WelfareStatus::Vulnerable,
        _ => WelfareStatus::NotPoor,
    };
    let entry = |from, to, on: NaiveDate, reason: String, actor: &str| StatusChange {
        household_id: id,
        from,
        to,
        effective_on: on,
        reason,
        actor: actor.to_owned(),
        reference: Some(format!(
            "BA-VERVAL/{}/{:02}",
            on.format("%Y"),
            on.format("%m")
        )),
        recorded_at: at(on),
    };
    let mut out = vec![StatusChange {
        reference: Some("BAST P3KE 2022".to_owned()),
        ..entry(
            None,
            initial,
            start,
            "Data awal P3KE 2022".to_owned(),
            "sistem:p3ke",
        )
    }];
    let verval = |on: NaiveDate| format!("Hasil verval {}", on.format("%m/%Y"));
    let end = as_of.max(start + Duration::days(2));
    let mut current = initial;
    let mut since = start + Duration::days(60);
    if current == WelfareStatus::Poor && rng.random_bool(0.06) && since < end {
        // Some families fall into extreme poverty (illness, a lost job) before being reached.
        let on = random_date(rng, since, end);
        out.push(entry(
            Some(current),
            WelfareStatus::ExtremePoor,
            on,
            verval(on),
            "verval:desa",
        ));
        current = WelfareStatus::ExtremePoor;
        since = on + Duration::days(30);
    }
    // About three in four extremely poor families graduate over the years.
    if current == WelfareStatus::ExtremePoor && since < end && rng.random_bool(0.75) {
        let on = random_date(rng, since, end);
        let to = if rng.random_bool(0.8) {
            WelfareStatus::Poor
        } else {
            WelfareStatus::Vulnerable
        };
        out.push(entry(Some(current), to, on, verval(on), "verval:desa"));
    }
    out
}
