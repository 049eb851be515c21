//! Who may do what; enforced in `app`, listed here so every layer uses the same words.

use crate::coded::coded_enum;

coded_enum! {
    /// A user's role. The region scope (a Kemendagri code prefix) is separate.
    Role, "peran" {
        Admin => "admin", "Admin Dinsos", "Dinsos administrator", [];
        Operator => "operator", "Operator Dinsos", "Dinsos operator", [];
        Opd => "opd", "Petugas OPD", "Agency staff", [];
        Kecamatan => "kecamatan", "Pengawas Kecamatan", "District supervisor", [];
        Desa => "desa", "Operator Desa/Kelurahan", "Village operator", [];
        Viewer => "viewer", "Pimpinan (lihat saja)", "Viewer", [];
    }
}
