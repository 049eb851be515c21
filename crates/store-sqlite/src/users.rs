use async_trait::async_trait;
use chrono::Utc;
use sipmas_domain::{RegionCode, Role};
use sipmas_store::{AuditEntry, DbResult, User, UserStore};

use sqlx::sqlite::SqliteRow;

use crate::rows::{code, get, opt_code, uuid};
use crate::{SqliteStore, audit, err};

#[async_trait]
impl UserStore for SqliteStore {
    async fn create_user(&self, user: &User, entry: &AuditEntry) -> DbResult<()> {
        let mut tx = self.pool.begin().await.map_err(err)?;
        let now = Utc::now();
        sqlx::query(
            "insert into users (id, username, display_name, role, region_scope, password_hash, full_view, active, \
             version, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(user.id.to_string())
        .bind(&user.username)
        .bind(&user.display_name)
        .bind(user.role.code())
        .bind(user.region_scope.as_ref().map(RegionCode::dotted))
        .bind(&user.password_hash)
        .bind(i64::from(user.full_view))
        .bind(i64::from(user.active))
        .bind(user.version)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        audit::write(&mut tx, entry).await?;
        tx.commit().await.map_err(err)
    }

    async fn user_by_username(&self, username: &str) -> DbResult<Option<User>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {USER_COLUMNS} from users where username = ?"
        )))
        .bind(username)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.as_ref().map(user).transpose()
    }
}

/// The columns every user query selects.
pub(crate) const USER_COLUMNS: &str =
    "id, username, display_name, role, region_scope, password_hash, full_view, active, version";

pub(crate) fn user(r: &SqliteRow) -> DbResult<User> {
    Ok(User {
        id: uuid(r, "id")?,
        username: get(r, "username")?,
        display_name: get(r, "display_name")?,
        role: code(r, "role", Role::from_code)?,
        region_scope: opt_code(r, "region_scope", |s| RegionCode::parse(s).ok())?,
        password_hash: get(r, "password_hash")?,
        full_view: get::<i64>(r, "full_view")? != 0,
        active: get::<i64>(r, "active")? != 0,
        version: get(r, "version")?,
    })
}
