//! Users and the audit trail left by everything before.

use sipmas_domain::{AuditAction, Role};
use sipmas_store::{DbError, Store, User};

use super::{audit, code};

pub(crate) async fn users_and_audit_story(store: &dyn Store) {
    let user = User {
        id: uuid::Uuid::new_v4(),
        username: "desa.sangatta".into(),
        display_name: "Operator Desa Sangatta Utara".into(),
        role: Role::Desa,
        region_scope: Some(code("64.08.04.2001")),
        password_hash: Some("$argon2id$v=19$x".into()),
        full_view: false,
        active: true,
        version: 1,
    };
    store
        .create_user(&user, &audit(AuditAction::UserCreated))
        .await
        .unwrap();
    assert_eq!(
        store.user_by_username("desa.sangatta").await.unwrap(),
        Some(user.clone())
    );
    assert!(store.user_by_username("tidak.ada").await.unwrap().is_none());
    let dup = User {
        id: uuid::Uuid::new_v4(),
        ..user
    };
    assert!(matches!(
        store
            .create_user(&dup, &audit(AuditAction::UserCreated))
            .await,
        Err(DbError::Conflict(_))
    ));

    let events = store.recent_audit(100).await.unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions.first(), Some(&"user.created"));
    for a in [
        "regions.imported",
        "demo.generated",
        "household.status_changed",
        "source.recorded",
    ] {
        assert!(actions.contains(&a), "{a} audited");
    }
    // Failed (rolled-back) writes leave no audit event behind: 3 region saves + 1 population,
    // 2 household inserts, 1 status change, 1 source batch, 1 user.
    assert_eq!(events.len(), 9, "{actions:?}");
    assert!(events.windows(2).all(|w| w[0].id > w[1].id));
}
