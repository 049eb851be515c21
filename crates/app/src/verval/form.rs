//! The visit form: what a village operator fills in at the door, as posted (a browser
//! form, the offline queue or the API) and as checked before anything is stored.

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sipmas_domain::verval::is_criterion;
use sipmas_domain::{Household, Individual, Nik, Relationship, Sex, VisitResult, WelfareStatus};

use crate::AppError;
use crate::register::EditForm;

/// What happens to one member: stays, died (with the date) or moved away.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberMark {
    pub id: String,
    /// `tetap`, `meninggal` or `pindah`.
    pub action: String,
    /// YYYY-MM-DD, for `meninggal`.
    pub date: String,
}

/// A member found at the visit who is not in the register yet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewMember {
    pub name: String,
    pub nik: String,
    /// `L` or `P`.
    pub sex: String,
    pub birth_date: String,
    /// A relationship code (`anak`, `istri` …).
    pub relationship: String,
}

/// The form as posted. Every field is text so that a rejected form comes back exactly as
/// typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VisitForm {
    /// The household's version when the form was opened.
    pub household_version: Option<i64>,
    /// A `VisitResult` code.
    pub result: String,
    /// For `graduasi`: `miskin`, `rentan` or `tidak_miskin`.
    pub new_status: String,
    pub moved_to: String,
    pub died_on: String,
    /// For `ganda`: the No KK or id of the household this one duplicates.
    pub duplicate_of: String,
    /// Address, housing and GPS, as on the household edit form.
    pub housing: EditForm,
    pub members: Vec<MemberMark>,
    pub new_members: Vec<NewMember>,
    /// Codes of the BPS criteria the household meets.
    pub criteria: Vec<String>,
    /// Estimated expenditure per person per month, in rupiah.
    pub expenditure: String,
    pub notes: String,
}

/// How many new-member rows the form offers.
pub const NEW_MEMBER_ROWS: usize = 2;

fn bad(m: impl Into<String>) -> AppError {
    AppError::Invalid(m.into())
}

/// A form date (YYYY-MM-DD, not in the future); empty is `None`.
pub(super) fn date(s: &str, what: &str) -> Result<Option<NaiveDate>, AppError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| bad(format!("{what}: tanggal YYYY-MM-DD")))?;
    if d > Utc::now().date_naive() {
        return Err(bad(format!("{what}: tanggal tidak boleh di masa depan")));
    }
    Ok(Some(d))
}

impl VisitForm {
    /// The form of a household not visited yet: its members all staying, its housing as
    /// the register has it.
    pub fn blank(h: &Household, members: &[Individual]) -> Self {
        Self {
            household_version: Some(h.version),
            housing: EditForm::of(h),
            members: members
                .iter()
                .map(|m| MemberMark {
                    id: m.id.0.to_string(),
                    action: "tetap".into(),
                    date: String::new(),
                })
                .collect(),
            new_members: vec![NewMember::default(); NEW_MEMBER_ROWS],
            ..Self::default()
        }
    }

    /// From posted name/value pairs: `hasil`, `status_baru`, `pindah_ke`,
    /// `tanggal_meninggal`, `ganda_dengan`, `versi_rumah`, the edit form's housing names,
    /// `anggota.<id>` / `anggota_tgl.<id>`, `baru_<field>.<n>`, `kriteria` (repeated),
    /// `pengeluaran`, `catatan`.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut f = Self::default();
        let mut housing = serde_json::Map::new();
        f.new_members = vec![NewMember::default(); NEW_MEMBER_ROWS];
        for (k, v) in pairs {
            let v = v.clone();
            match k.as_str() {
                "versi_rumah" => f.household_version = v.trim().parse().ok(),
                "hasil" => f.result = v,
                "status_baru" => f.new_status = v,
                "pindah_ke" => f.moved_to = v,
                "tanggal_meninggal" => f.died_on = v,
                "ganda_dengan" => f.duplicate_of = v,
                "kriteria" => f.criteria.push(v),
                "pengeluaran" => f.expenditure = v,
                "catatan" => f.notes = v,
                "street" | "rt" | "rw" | "dusun" | "latitude" | "longitude" | "floor" | "wall"
                | "roof" | "water_source" | "lighting" | "cooking_fuel" | "toilet"
                | "ownership" | "floor_area_m2" => {
                    housing.insert(k.clone(), serde_json::Value::String(v));
                }
                _ => f.member_pair(k, v),
            }
        }
        f.housing = serde_json::from_value(serde_json::Value::Object(housing)).unwrap_or_default();
        f.housing.version = f.household_version;
        f
    }

    fn member_pair(&mut self, k: &str, v: String) {
        let Some((name, key)) = k.split_once('.') else {
            return;
        };
        let mark = |f: &mut Self| -> usize {
            if let Some(i) = f.members.iter().position(|m| m.id == key) {
                return i;
            }
            f.members.push(MemberMark {
                id: key.to_owned(),
                ..MemberMark::default()
            });
            f.members.len() - 1
        };
        let row = key
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=NEW_MEMBER_ROWS).contains(n))
            .map(|n| n - 1);
        match (name, row) {
            ("anggota", _) => {
                let i = mark(self);
                self.members[i].action = v;
            }
            ("anggota_tgl", _) => {
                let i = mark(self);
                self.members[i].date = v;
            }
            ("baru_nama", Some(r)) => self.new_members[r].name = v,
            ("baru_nik", Some(r)) => self.new_members[r].nik = v,
            ("baru_jk", Some(r)) => self.new_members[r].sex = v,
            ("baru_lahir", Some(r)) => self.new_members[r].birth_date = v,
            ("baru_hubungan", Some(r)) => self.new_members[r].relationship = v,
            _ => {}
        }
    }

    /// The result, with what it needs checked (the status a graduation moves to).
    pub fn checked_result(&self) -> Result<(VisitResult, Option<WelfareStatus>), AppError> {
        let result = VisitResult::from_code(self.result.trim())
            .ok_or_else(|| bad("hasil kunjungan wajib dipilih"))?;
        let mut graduated_to = None;
        match result {
            VisitResult::Graduated => {
                let s = WelfareStatus::from_code(self.new_status.trim())
                    .filter(|s| {
                        matches!(
                            s,
                            WelfareStatus::Poor
                                | WelfareStatus::Vulnerable
                                | WelfareStatus::NotPoor
                        )
                    })
                    .ok_or_else(|| bad("status baru: pilih miskin, rentan atau tidak miskin"))?;
                graduated_to = Some(s);
            }
            VisitResult::Moved if self.moved_to.trim().is_empty() => {
                return Err(bad("pindah ke mana wajib diisi"));
            }
            VisitResult::Died if date(&self.died_on, "tanggal meninggal")?.is_none() => {
                return Err(bad("tanggal meninggal wajib diisi"));
            }
            VisitResult::Duplicate if self.duplicate_of.trim().is_empty() => {
                return Err(bad("data ganda dengan keluarga mana (No KK) wajib diisi"));
            }
            _ => {}
        }
        Ok((result, graduated_to))
    }

    /// Checks everything except the duplicate's target (the caller looks it up), for a
    /// household with `members`.
    pub fn check(&self, members: &[Individual]) -> Result<(), AppError> {
        self.checked_result()?;
        let long = [&self.moved_to, &self.duplicate_of]
            .iter()
            .any(|s| s.chars().count() > 200);
        if long || self.notes.chars().count() > 2000 {
            return Err(bad("isian terlalu panjang"));
        }
        date(&self.died_on, "tanggal meninggal")?;
        for m in &self.members {
            let who = members
                .iter()
                .find(|p| p.id.0.to_string() == m.id)
                .ok_or_else(|| bad("anggota keluarga tidak dikenal"))?;
            match m.action.as_str() {
                "" | "tetap" | "pindah" => {}
                "meninggal" => {
                    if date(&m.date, &who.name)?.is_none() {
                        return Err(bad(format!("{}: tanggal meninggal wajib diisi", who.name)));
                    }
                }
                _ => return Err(bad("keadaan anggota: tetap, meninggal atau pindah")),
            }
        }
        if self.new_members.len() > NEW_MEMBER_ROWS || self.members.len() > 100 {
            return Err(bad(format!(
                "paling banyak {NEW_MEMBER_ROWS} anggota baru sekali kirim"
            )));
        }
        for n in self
            .new_members
            .iter()
            .filter(|n| !n.name.trim().is_empty())
        {
            n.person()?;
        }
        if let Some(c) = self.criteria.iter().find(|c| !is_criterion(c)) {
            return Err(bad(format!("kriteria tidak dikenal: {c}")));
        }
        self.expenditure()?;
        Ok(())
    }

    /// The expenditure estimate in rupiah per person per month.
    pub fn expenditure(&self) -> Result<Option<i64>, AppError> {
        let digits: String = self
            .expenditure
            .chars()
            .filter(|c| !matches!(c, '.' | ' ' | ','))
            .collect();
        let digits = digits.trim_start_matches("Rp");
        if digits.is_empty() {
            return Ok(None);
        }
        match digits.parse::<i64>() {
            Ok(n) if (0..=100_000_000).contains(&n) => Ok(Some(n)),
            _ => Err(bad("pengeluaran per kapita: angka rupiah per bulan")),
        }
    }
}

/// A new member's checked values: name, NIK, sex, birth date, relationship.
pub type Person = (String, Option<Nik>, Sex, Option<NaiveDate>, Relationship);

impl NewMember {
    /// The checked values: name, NIK, sex, birth date, relationship.
    pub fn person(&self) -> Result<Person, AppError> {
        let name = self.name.trim();
        if name.chars().count() > 200 {
            return Err(bad("nama anggota baru terlalu panjang"));
        }
        let nik = Some(self.nik.trim())
            .filter(|s| !s.is_empty())
            .map(Nik::parse)
            .transpose()
            .map_err(|e| bad(format!("{name}: {e}")))?;
        let sex =
            Sex::parse(&self.sex).map_err(|_| bad(format!("{name}: jenis kelamin L atau P")))?;
        let rel = Relationship::parse(&self.relationship).map_err(|_| {
            bad(format!(
                "{name}: hubungan dengan kepala keluarga wajib dipilih"
            ))
        })?;
        Ok((
            name.to_owned(),
            nik,
            sex,
            date(&self.birth_date, name)?,
            rel,
        ))
    }
}
