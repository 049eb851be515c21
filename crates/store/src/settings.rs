use std::fmt;

use crate::DbError;

/// The two backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

/// Where the database is. `Debug` and `Display` hide any password.
#[derive(Clone)]
pub struct DbSettings {
    url: String,
}

impl DbSettings {
    /// Default for an office laptop: a file next to where `sipmas` runs.
    pub const DEFAULT_URL: &'static str = "sqlite://sipmas.db";

    /// Checks the scheme; the backend itself reports unreachable servers on connect.
    pub fn parse(url: &str) -> Result<Self, DbError> {
        let settings = Self {
            url: url.trim().to_owned(),
        };
        settings.kind()?;
        Ok(settings)
    }

    /// The backend named by the URL scheme.
    pub fn kind(&self) -> Result<DbKind, DbError> {
        let scheme = self
            .url
            .split_once(':')
            .map(|(s, _)| s.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("sqlite") => Ok(DbKind::Sqlite),
            Some("postgres" | "postgresql") => Ok(DbKind::Postgres),
            Some(other) => Err(DbError::InvalidUrl(format!(
                "scheme '{other}' is not supported; use sqlite://FILE or postgres://USER@HOST/DB"
            ))),
            None => Err(DbError::InvalidUrl(format!(
                "'{}' has no scheme; use sqlite://FILE or postgres://USER@HOST/DB",
                self.redacted()
            ))),
        }
    }

    /// The full URL, for the driver only.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The URL with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        let Some((scheme, rest)) = self.url.split_once("://") else {
            return self.url.clone();
        };
        match rest.split_once('@') {
            Some((userinfo, host)) if userinfo.contains(':') => {
                let user = userinfo.split(':').next().unwrap_or_default();
                format!("{scheme}://{user}:***@{host}")
            }
            _ => self.url.clone(),
        }
    }
}

impl fmt::Debug for DbSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DbSettings")
            .field("url", &self.redacted())
            .finish()
    }
}

impl fmt::Display for DbSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_from_scheme_and_password_hidden() {
        assert_eq!(
            DbSettings::parse("sqlite://x.db").unwrap().kind().unwrap(),
            DbKind::Sqlite
        );
        let pg = DbSettings::parse("postgres://sipmas:rahasia@db:5432/sipmas").unwrap();
        assert_eq!(pg.kind().unwrap(), DbKind::Postgres);
        assert!(!format!("{pg:?} {pg}").contains("rahasia"));
        assert!(matches!(
            DbSettings::parse("mysql://x"),
            Err(DbError::InvalidUrl(_))
        ));
        assert!(matches!(
            DbSettings::parse("sipmas.db"),
            Err(DbError::InvalidUrl(_))
        ));
    }
}
