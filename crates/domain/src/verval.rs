//! Field verification words: what a visit found, where a visit is in the approval chain,
//! and the BPS checklist the village operator fills in.

use crate::WelfareStatus;
use crate::coded::coded_enum;

coded_enum! {
    /// What the village operator found at the address.
    VisitResult, "hasil kunjungan" {
        StillExtremePoor => "miskin_ekstrem", "Masih miskin ekstrem", "Still extremely poor", [];
        Graduated => "graduasi", "Tidak lagi miskin ekstrem", "No longer extremely poor", ["lulus"];
        Moved => "pindah", "Pindah", "Moved", [];
        Died => "meninggal", "Meninggal", "Died", [];
        Duplicate => "ganda", "Data ganda", "Duplicate", ["duplikat"];
        NotFound => "tidak_ditemukan", "Tidak ditemukan", "Not found", [];
    }
}

impl VisitResult {
    /// The welfare status an approved visit writes; `None` leaves it (a household not
    /// found is flagged for follow-up, not judged). Moved, died and duplicate households
    /// leave the count as `unknown`: the status history's reason says why.
    pub fn status_after(self, graduated_to: Option<WelfareStatus>) -> Option<WelfareStatus> {
        match self {
            Self::StillExtremePoor => Some(WelfareStatus::ExtremePoor),
            Self::Graduated => graduated_to,
            Self::Moved | Self::Died | Self::Duplicate => Some(WelfareStatus::Unknown),
            Self::NotFound => None,
        }
    }
}

coded_enum! {
    /// Where a household of a campaign is: listed → submitted by the village → reviewed by
    /// the kecamatan → approved by Dinsos; a reviewer may send it back (returned), and the
    /// village submits again.
    VisitState, "tahap verval" {
        Listed => "listed", "Belum dikunjungi", "Not visited", [];
        Submitted => "submitted", "Dikirim desa", "Submitted by village", [];
        Returned => "returned", "Dikembalikan", "Sent back", [];
        Reviewed => "reviewed", "Diperiksa kecamatan", "Reviewed by district", [];
        Approved => "approved", "Disetujui Dinsos", "Approved by Dinsos", [];
    }
}

impl VisitState {
    /// Whether the village operator may (re)submit a visit in this state.
    pub fn open_for_visit(self) -> bool {
        matches!(self, Self::Listed | Self::Returned)
    }
}

/// The classic BPS 14 criteria of a very poor household (domain brief §3.4): code,
/// Bahasa Indonesia, English.
pub const CRITERIA: [(&str, &str, &str); 14] = [
    (
        "luas_lantai",
        "Luas lantai kurang dari 8 m² per orang",
        "Floor area under 8 m² per person",
    ),
    (
        "lantai",
        "Lantai tanah/bambu/kayu murahan",
        "Earth, bamboo or cheap wood floor",
    ),
    (
        "dinding",
        "Dinding bambu/rumbia/kayu murahan/tembok tanpa plester",
        "Bamboo, thatch, cheap wood or unplastered wall",
    ),
    (
        "jamban",
        "Tidak punya fasilitas buang air besar sendiri",
        "No own toilet",
    ),
    (
        "penerangan",
        "Penerangan bukan listrik",
        "No electric lighting",
    ),
    (
        "air",
        "Air minum dari sumur/mata air tak terlindung, sungai, air hujan",
        "Unprotected drinking water",
    ),
    (
        "bahan_bakar",
        "Memasak dengan kayu bakar/arang/minyak tanah",
        "Cooks with firewood, charcoal or kerosene",
    ),
    (
        "daging",
        "Makan daging/susu/ayam paling banyak sekali seminggu",
        "Meat, milk or chicken at most once a week",
    ),
    (
        "pakaian",
        "Hanya sanggup membeli satu stel pakaian baru setahun",
        "One new set of clothes a year at most",
    ),
    (
        "makan",
        "Makan hanya satu atau dua kali sehari",
        "One or two meals a day",
    ),
    (
        "berobat",
        "Tidak sanggup membayar berobat ke puskesmas/poliklinik",
        "Cannot pay for the health centre",
    ),
    (
        "pekerjaan",
        "Kepala keluarga petani/nelayan/buruh berpenghasilan di bawah Rp600.000 per bulan",
        "Head is a farmer, fisher or labourer earning under Rp600,000 a month",
    ),
    (
        "pendidikan",
        "Pendidikan kepala keluarga tidak sekolah/tidak tamat SD",
        "Head did not finish primary school",
    ),
    (
        "aset",
        "Tidak punya tabungan/barang mudah dijual senilai Rp500.000",
        "No savings or saleable goods worth Rp500,000",
    ),
];

/// Whether `code` names one of the 14 criteria.
pub fn is_criterion(code: &str) -> bool {
    CRITERIA.iter().any(|(c, _, _)| *c == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_move_the_status_as_documented() {
        assert_eq!(
            VisitResult::StillExtremePoor.status_after(None),
            Some(WelfareStatus::ExtremePoor)
        );
        assert_eq!(
            VisitResult::Graduated.status_after(Some(WelfareStatus::Vulnerable)),
            Some(WelfareStatus::Vulnerable)
        );
        assert_eq!(VisitResult::NotFound.status_after(None), None);
        assert_eq!(
            VisitResult::Died.status_after(None),
            Some(WelfareStatus::Unknown)
        );
        assert!(VisitState::Returned.open_for_visit());
        assert!(!VisitState::Reviewed.open_for_visit());
    }

    #[test]
    fn criteria_codes_are_distinct() {
        let mut codes: Vec<_> = CRITERIA.iter().map(|c| c.0).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 14);
        assert!(is_criterion("jamban"));
        assert!(!is_criterion("mobil"));
    }
}
