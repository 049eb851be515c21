//! The register as people use it: search within their region, a household's page, and
//! edits guarded by the version they saw. Every read of personal data is audited; masking
//! follows the reader's role.

mod edit;
mod household;
mod search;

pub(crate) use edit::edit_changes;
pub use edit::{EditForm, EditOutcome, edit};
pub use household::{HouseholdView, MemberView, SourceView, household};
pub use search::{HitView, PAGE_SIZE, SearchForm, SearchResult, search};

use sipmas_domain::AuditAction;
use sipmas_store::Store;

use crate::AppError;
use crate::access::Access;

/// Records that `access` read personal data: which page, which records, masked or not.
pub(crate) async fn audit_read(
    store: &dyn Store,
    access: &Access,
    subject: &str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    let mut detail = detail;
    detail["unmasked"] = serde_json::Value::Bool(access.sees_identifiers());
    let entry = access
        .audit(AuditAction::PersonalDataViewed)
        .subject(subject)
        .detail(detail.to_string());
    store.append_audit(&entry).await.map_err(Into::into)
}
