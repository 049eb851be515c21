//! Bahasa Indonesia first, English second (Project Fluent files in `locales/`). A missing
//! English message falls back to the Indonesian one.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "id",
        // Bidi isolation marks would end up inside HTML attributes and test assertions.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static ID: LanguageIdentifier = langid!("id");
static EN: LanguageIdentifier = langid!("en");

/// The language of a response.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    /// From the `bahasa` cookie value or a path segment; anything else is Indonesian.
    pub fn from_code(code: &str) -> Self {
        if code.eq_ignore_ascii_case("en") {
            Self::En
        } else {
            Self::Id
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::En => "en",
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Self {
        match self {
            Self::Id => Self::En,
            Self::En => Self::Id,
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Self::Id => &ID,
            Self::En => &EN,
        }
    }

    /// A message.
    pub fn t(self, key: &str) -> String {
        LOCALES.lookup(self.id(), key)
    }

    /// A message with one argument.
    pub fn t1(self, key: &str, name: &'static str, value: impl ToString) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        args.insert(Cow::Borrowed(name), FluentValue::from(value.to_string()));
        LOCALES.lookup_with_args(self.id(), key, &args)
    }

    /// The label of a coded value (role, status, relationship …) in this language.
    pub fn label(self, id: &'static str, en: &'static str) -> &'static str {
        match self {
            Self::Id => id,
            Self::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn both_languages_have_every_message() {
        let id = include_str!("../locales/id/main.ftl");
        let en = include_str!("../locales/en/main.ftl");
        // (key, the variable it takes, if any)
        let keys = |s: &str| -> Vec<(String, Option<String>)> {
            s.lines()
                .filter_map(|l| l.split_once(" = "))
                .map(|(k, v)| {
                    let var = v
                        .split_once("{ $")
                        .map(|(_, r)| r.split(' ').next().unwrap_or_default().to_owned());
                    (k.trim().to_owned(), var)
                })
                .collect()
        };
        assert_eq!(keys(id), keys(en), "same keys and variables, same order");
        for (k, var) in keys(id) {
            for lang in [Lang::Id, Lang::En] {
                let text = match &var {
                    Some(v) => lang.t1(&k, Box::leak(v.clone().into_boxed_str()), "x"),
                    None => lang.t(&k),
                };
                assert!(
                    !text.starts_with("Unknown localization key") && !text.is_empty(),
                    "{k}"
                );
            }
        }
        assert_eq!(Lang::Id.t("nav-logout"), "Keluar");
        assert_eq!(Lang::En.t("nav-logout"), "Sign out");
        assert_eq!(Lang::En.t1("search-page", "page", 3), "Page 3");
    }
}
