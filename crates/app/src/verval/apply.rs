//! What an approved visit writes into the register, as the rows of one import chunk
//! (`ImportWrite`), so approval goes through the import's guarded writer.

use chrono::Utc;
use sipmas_domain::{Individual, IndividualId, LifeStatus, StatusChange, VisitResult};
use sipmas_store::{DbError, FieldChange, ImportWrite, RegisterFlag, Store};

use super::form::date;
use super::review::stored_form;
use super::visit::Opened;
use crate::AppError;
use crate::register::edit_changes;

/// The register rows an approved visit writes: the household (housing, GPS, status),
/// its members (died, moved, new), the status history, the field changes, and a flag for
/// what a person must follow up (a duplicate, a household not found).
pub fn register_write(opened: &Opened, approver: &str) -> Result<ImportWrite, AppError> {
    let visit = opened
        .visit
        .as_ref()
        .ok_or_else(|| AppError::Invalid("belum ada hasil kunjungan".into()))?;
    let form =
        stored_form(opened).ok_or_else(|| AppError::Db(DbError::Corrupt("visit record".into())))?;
    let current = &opened.household;
    if current.version != visit.household_version {
        return Err(AppError::Conflict(
            "data keluarga di register berubah sejak kunjungan; kembalikan ke desa untuk diperiksa ulang"
                .into(),
        ));
    }
    let campaign = Some(opened.target.campaign_id);
    let (result, graduated_to) = form.checked_result()?;
    let now = Utc::now();
    let change =
        |field: &str, member: Option<IndividualId>, old: Option<String>, new: Option<String>| {
            FieldChange {
                household_id: current.id,
                individual_id: member,
                field: field.to_owned(),
                old_value: old,
                new_value: new,
                batch_id: None,
                campaign_id: campaign,
                actor: approver.to_owned(),
                recorded_at: now,
            }
        };
    let mut w = ImportWrite::default();
    let mut next = current.clone();
    next.version += 1;
    let found = matches!(
        result,
        VisitResult::StillExtremePoor | VisitResult::Graduated
    );
    if found {
        let mut edit = form
            .housing
            .over(current)
            .parse(current.id, current.version)?;
        edit.housing.assets.clone_from(&current.housing.assets);
        w.changes = edit_changes(current, &edit, approver, campaign);
        next.address = edit.address;
        next.coordinates = edit.coordinates;
        next.housing = edit.housing;
    }
    let reason = format!("Verval {}: {}", opened.target.campaign, result.label_id());
    if let Some(to) = result.status_after(graduated_to) {
        next.welfare = to;
        if to != current.welfare {
            w.changes.push(change(
                "households.welfare_status",
                None,
                Some(current.welfare.code().into()),
                Some(to.code().into()),
            ));
        }
        w.history.push(StatusChange {
            household_id: current.id,
            from: Some(current.welfare),
            to,
            effective_on: visit.submitted_at.date_naive(),
            reason: reason.clone(),
            actor: approver.to_owned(),
            reference: Some(opened.target.campaign_id.to_string()),
            recorded_at: now,
        });
    }
    // Dates were checked when the visit was submitted (and cannot have moved into the
    // future since): what does not parse now is simply absent.
    let died_on = if result == VisitResult::Died {
        date(&form.died_on, "").ok().flatten()
    } else {
        None
    };
    for m in &opened.members {
        let mark = form.members.iter().find(|k| k.id == m.id.0.to_string());
        let action = mark.map_or("tetap", |k| k.action.as_str());
        let mut p = m.clone();
        match (result, action) {
            (VisitResult::Died, _) if m.life_status == LifeStatus::Alive => {
                p.life_status = LifeStatus::Deceased;
                p.deceased_on = died_on;
            }
            (VisitResult::Moved, _) => p.moved = true,
            (_, "meninggal") if m.life_status == LifeStatus::Alive => {
                p.life_status = LifeStatus::Deceased;
                p.deceased_on = mark.and_then(|k| date(&k.date, "").ok().flatten());
            }
            (_, "pindah") => p.moved = true,
            _ => {}
        }
        if p.life_status != m.life_status {
            w.changes.push(change(
                "individuals.life_status",
                Some(m.id),
                Some(m.life_status.code().into()),
                Some(p.life_status.code().into()),
            ));
        }
        if p.moved != m.moved {
            w.changes.push(change(
                "individuals.moved",
                Some(m.id),
                Some(m.moved.to_string()),
                Some(p.moved.to_string()),
            ));
        }
        if p != *m {
            p.version += 1;
            w.member_updates.push(p);
        }
    }
    if found {
        for n in form
            .new_members
            .iter()
            .filter(|n| !n.name.trim().is_empty())
        {
            let (name, nik, sex, birth_date, relationship) = n.person()?;
            let id = IndividualId(uuid::Uuid::new_v4());
            w.changes.push(change(
                "individuals.name",
                Some(id),
                None,
                Some(name.clone()),
            ));
            w.new_members.push(Individual {
                id,
                household_id: current.id,
                nik,
                name,
                sex,
                birth_place: None,
                birth_date,
                relationship,
                marital_status: None,
                education: None,
                occupation: None,
                disability: None,
                chronic_illness: None,
                life_status: LifeStatus::Alive,
                deceased_on: None,
                moved: false,
                version: 1,
            });
        }
    }
    let flag = match result {
        VisitResult::Duplicate => Some(("verval_ganda", form.duplicate_of.trim().to_owned())),
        VisitResult::NotFound => Some(("verval_tidak_ditemukan", form.notes.trim().to_owned())),
        VisitResult::Moved => Some(("verval_pindah", form.moved_to.trim().to_owned())),
        _ => None,
    };
    if let Some((kind, detail)) = flag {
        w.flags.push(RegisterFlag {
            household_id: Some(current.id),
            individual_id: None,
            kind: kind.to_owned(),
            batch_id: None,
            detail: Some(format!("{reason}: {detail}")),
        });
    }
    if next != *current {
        w.household_updates.push(next);
    }
    Ok(w)
}

/// A new member whose NIK the register already holds (in another family, usually: someone
/// who moved in) is added and flagged, as an import flags a NIK in two families.
pub(crate) async fn flag_known_niks(
    store: &dyn Store,
    w: &mut ImportWrite,
) -> Result<(), AppError> {
    for p in &w.new_members {
        let Some(nik) = &p.nik else { continue };
        if !store.individuals_by_nik(nik).await?.is_empty() {
            w.flags.push(RegisterFlag {
                household_id: Some(p.household_id),
                individual_id: Some(p.id),
                kind: "nik_in_two_households".into(),
                batch_id: None,
                detail: Some(format!("anggota baru dari verval, NIK {}", nik.masked())),
            });
        }
    }
    Ok(())
}
