//! Typed audit actions with stable codes. Events are written in the same transaction as
//! the change they describe, and never updated or deleted.

use crate::coded::coded_enum;

coded_enum! {
    /// What happened.
    AuditAction, "aksi audit" {
        RegionsImported => "regions.imported", "Impor wilayah", "Regions imported", [];
        HouseholdCreated => "household.created", "Keluarga dibuat", "Household created", [];
        HouseholdStatusChanged => "household.status_changed", "Status keluarga diubah", "Household status changed", [];
        PersonalDataViewed => "personal_data.viewed", "Data pribadi dilihat", "Personal data viewed", [];
        DemoGenerated => "demo.generated", "Data demo dibuat", "Demo data generated", [];
        UserCreated => "user.created", "Pengguna dibuat", "User created", [];
        SourceRecorded => "source.recorded", "Baris sumber dicatat", "Source rows recorded", [];
        RegisterImported => "register.imported", "Impor data keluarga", "Register data imported", [];
        LinkRun => "link.run", "Pencocokan data dijalankan", "Record linkage run", [];
        LinkMerged => "link.merged", "Data ganda digabung", "Duplicate merged", [];
        LinkRejected => "link.rejected", "Pasangan ditolak", "Pair rejected", [];
        LinkUnmerged => "link.unmerged", "Penggabungan dibatalkan", "Merge undone", [];
        LoggedIn => "auth.login", "Masuk", "Signed in", [];
        LoginFailed => "auth.login_failed", "Gagal masuk", "Sign-in failed", [];
        LoggedOut => "auth.logout", "Keluar", "Signed out", [];
        ApiTokenCreated => "auth.token_created", "Token API dibuat", "API token created", [];
        HouseholdEdited => "household.edited", "Data keluarga diubah", "Household edited", [];
        ReportExported => "report.exported", "Laporan diunduh", "Report downloaded", [];
        CampaignCreated => "verval.campaign_created", "Kampanye verval dibuat", "Verification campaign created", [];
        VillageAssigned => "verval.assigned", "Desa ditugaskan", "Village assigned", [];
        VisitSubmitted => "verval.visit_submitted", "Hasil kunjungan dikirim", "Visit submitted", [];
        VisitReturned => "verval.visit_returned", "Kunjungan dikembalikan", "Visit sent back", [];
        VisitReviewed => "verval.visit_reviewed", "Kunjungan diperiksa kecamatan", "Visit reviewed", [];
        VisitApproved => "verval.visit_approved", "Kunjungan disetujui Dinsos", "Visit approved", [];
    }
}
