//! The access gate: a signed-in user's role and region scope, turned into what they may
//! do and see. Handlers get an `Access` from the session and pass it to every use-case,
//! so no register read can forget the scope, and masking happens here, not in templates.

use sipmas_domain::{AuditAction, Nik, NoKk, RegionCode, Role};
use sipmas_store::{AuditEntry, User};

use crate::AppError;

/// Things a role may do. Region scope is applied separately, in the queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Lists and households by name by address (masked for some roles).
    ReadRegister,
    /// Edit a household's address and housing.
    EditHousehold,
    /// Accept, reject and undo duplicate merges.
    ReviewLinks,
    /// Load data sets.
    Import,
    /// Create and list accounts.
    ManageUsers,
    /// Read the audit trail.
    ReadAudit,
    /// Plan verval campaigns and assign villages.
    PlanVerval,
    /// Open verval visits and their photos (a village operator: only their own).
    ReadVisits,
    /// Fill in and submit the visit form of one's own assignments.
    VisitHouseholds,
    /// Review a village's submitted visits (approve or send back).
    ReviewVisits,
    /// Approve reviewed visits into the register (or send them back).
    ApproveVisits,
}

impl Permission {
    /// Every permission, for the role matrix.
    pub const ALL: [Permission; 11] = [
        Permission::ReadRegister,
        Permission::EditHousehold,
        Permission::ReviewLinks,
        Permission::Import,
        Permission::ManageUsers,
        Permission::ReadAudit,
        Permission::PlanVerval,
        Permission::ReadVisits,
        Permission::VisitHouseholds,
        Permission::ReviewVisits,
        Permission::ApproveVisits,
    ];
}

/// Whether `role` carries `permission` (the matrix the README documents).
pub fn role_allows(role: Role, permission: Permission) -> bool {
    use Permission as P;
    use Role as R;
    match permission {
        P::ReadRegister => true,
        P::EditHousehold => matches!(role, R::Admin | R::Operator | R::Desa),
        P::ReviewLinks | P::Import | P::PlanVerval | P::ApproveVisits => {
            matches!(role, R::Admin | R::Operator)
        }
        P::ManageUsers | P::ReadAudit => role == R::Admin,
        P::ReadVisits => matches!(role, R::Admin | R::Operator | R::Kecamatan | R::Desa),
        P::VisitHouseholds => role == R::Desa,
        P::ReviewVisits => role == R::Kecamatan,
    }
}

/// A signed-in user as the use-cases see them.
#[derive(Debug, Clone, PartialEq)]
pub struct Access {
    pub user_id: uuid::Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Kemendagri prefix; `None` is the whole register.
    pub scope: Option<RegionCode>,
    full_view: bool,
    /// Where the request came from, for the audit trail.
    pub ip: Option<String>,
}

impl Access {
    /// The access of an active account.
    pub fn of(user: &User, ip: Option<String>) -> Self {
        Self {
            user_id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            scope: user.region_scope.clone(),
            full_view: user.full_view,
            ip,
        }
    }

    pub fn allows(&self, p: Permission) -> bool {
        role_allows(self.role, p)
    }

    /// `Forbidden` unless the role carries `p`.
    pub fn require(&self, p: Permission) -> Result<(), AppError> {
        if self.allows(p) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Whether NIK and No KK are shown in full. Agency staff see them masked unless their
    /// account grants full view; leadership viewers always masked.
    pub fn sees_identifiers(&self) -> bool {
        match self.role {
            Role::Admin | Role::Operator | Role::Kecamatan | Role::Desa => true,
            Role::Opd => self.full_view,
            Role::Viewer => false,
        }
    }

    /// Whether `region` lies within this user's scope.
    pub fn covers(&self, region: &RegionCode) -> bool {
        self.scope.as_ref().is_none_or(|s| s.contains(region))
    }

    /// A NIK as this user may see it.
    pub fn nik(&self, nik: Option<&Nik>) -> Option<String> {
        nik.map(|n| {
            if self.sees_identifiers() {
                n.as_str().to_owned()
            } else {
                n.masked()
            }
        })
    }

    /// A No KK as this user may see it.
    pub fn no_kk(&self, kk: Option<&NoKk>) -> Option<String> {
        kk.map(|n| {
            if self.sees_identifiers() {
                n.as_str().to_owned()
            } else {
                n.masked()
            }
        })
    }

    /// An audit event by this user, from where they are.
    pub fn audit(&self, action: AuditAction) -> AuditEntry {
        let mut e = AuditEntry::new(self.username.clone(), action);
        e.ip.clone_from(&self.ip);
        e
    }
}
