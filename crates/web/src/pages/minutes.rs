//! A village's households in a campaign, and its berita acara: a printable page and the
//! same content as a PDF (a small hand-written writer, see docs/design/0006-verval.md).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use sipmas_app::verval::Minutes;
use sipmas_pdf::{Block, Signature};

use super::{Chrome, html};
use crate::i18n::Lang;
use crate::session::Viewer;
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "village_visits.html")]
struct VillagePage {
    c: Chrome,
    m: Minutes,
}

#[derive(Template)]
#[template(path = "minutes.html")]
struct MinutesPage {
    lang: Lang,
    css: String,
    m: Minutes,
}

async fn load(
    state: &AppState,
    v: &Viewer,
    campaign: &str,
    village: &str,
) -> Result<Minutes, WebError> {
    let access = v.signed_in(&format!("/verval/{campaign}/desa/{village}"))?;
    Ok(sipmas_app::verval::minutes(state.store.as_ref(), access, campaign, village).await?)
}

/// `GET /verval/{campaign}/desa/{village}`: the village's households and their state.
pub(crate) async fn village(
    State(state): State<AppState>,
    v: Viewer,
    Path((campaign, village)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let m = load(&state, &v, &campaign, &village).await?;
    let path = format!("/verval/{campaign}/desa/{village}");
    html(&VillagePage {
        c: Chrome::new(&v, m.campaign.name.clone(), &path),
        m,
    })
}

/// `GET /verval/{campaign}/desa/{village}/berita-acara`: the printable page.
pub(crate) async fn page(
    State(state): State<AppState>,
    v: Viewer,
    Path((campaign, village)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let m = load(&state, &v, &campaign, &village).await?;
    html(&MinutesPage {
        lang: v.lang,
        css: crate::assets::url("sipmas.css"),
        m,
    })
}

/// `GET /verval/{campaign}/desa/{village}/berita-acara.pdf`.
pub(crate) async fn pdf(
    State(state): State<AppState>,
    v: Viewer,
    Path((campaign, village)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let m = load(&state, &v, &campaign, &village).await?;
    let bytes = render_pdf(v.lang, &m);
    let name = format!("berita-acara-{}.pdf", m.village_code.replace('.', ""));
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

fn render_pdf(lang: Lang, m: &Minutes) -> Vec<u8> {
    let village = m.places.first().cloned().unwrap_or_default();
    let mut blocks = vec![
        Block::Title(lang.t("minutes-title").to_uppercase()),
        Block::Paragraph(m.campaign.name.clone()),
        Block::Paragraph(lang.t("minutes-intro")),
        Block::Paragraph(format!(
            "{}: {village} ({}) · {}",
            lang.t("minutes-village"),
            m.village_code,
            m.places
                .iter()
                .skip(1)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Block::Paragraph(format!(
            "{}: {} · {}: {}",
            lang.t("minutes-households"),
            m.rows.len(),
            lang.t("minutes-approved"),
            m.approved
        )),
        Block::Space(6.0),
        Block::Table {
            widths: vec![3.0, 1.0],
            header: vec![lang.t("visit-result"), lang.t("dash-households")],
            rows: m
                .counts
                .iter()
                .map(|(label, n)| vec![label.clone(), n.to_string()])
                .collect(),
        },
        Block::Space(8.0),
    ];
    blocks.push(Block::Table {
        widths: vec![0.5, 3.0, 2.2, 2.0, 2.0],
        header: vec![
            "No".into(),
            lang.t("search-head"),
            "No KK".into(),
            lang.t("visit-result"),
            lang.t("review-state"),
        ],
        rows: m
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    (i + 1).to_string(),
                    r.head_name.clone(),
                    r.no_kk.clone().unwrap_or_default(),
                    r.result
                        .map(|x| lang.label(x.label_id(), x.label_en()).to_owned())
                        .unwrap_or_default(),
                    lang.label(r.state.label_id(), r.state.label_en())
                        .to_owned(),
                ]
            })
            .collect(),
    });
    blocks.push(Block::Space(10.0));
    blocks.push(Block::Paragraph(lang.t("minutes-closing")));
    blocks.push(Block::Space(10.0));
    blocks.push(Block::Signatures(vec![
        Signature {
            role: lang.t("minutes-sign-head"),
            name: String::new(),
        },
        Signature {
            role: lang.t("minutes-sign-officer"),
            name: m.officers.join(", "),
        },
        Signature {
            role: lang.t("minutes-sign-district"),
            name: String::new(),
        },
    ]));
    let footer = format!(
        "{} · {village} · {} {{page}}/{{pages}}",
        lang.t("minutes-title"),
        lang.t("minutes-page")
    );
    sipmas_pdf::render(&blocks, &footer)
}
