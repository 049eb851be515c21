//! Enumerations stored by a stable code, shown with an Indonesian and an English label,
//! and parsed from the spellings found in real exports.

/// A value that did not match any known spelling.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("nilai '{value}' tidak dikenal untuk {field}")]
pub struct ParseEnumError {
    /// Which field (Indonesian name).
    pub field: &'static str,
    /// The value as given.
    pub value: String,
}

/// Folds case, spaces, dashes, slashes and underscores so that `Laki-laki`, `LAKI LAKI`
/// and `laki_laki` compare equal.
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '/' | '.' | '\t'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Declares an enum with `code()`, `label_id()`, `label_en()`, `from_code()` and a lenient
/// `parse()` over the listed aliases (compared after [`fold`]).
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal {
        $($(#[$vmeta:meta])* $variant:ident => $code:literal, $id:literal, $en:literal, [$($alias:literal),*];)+
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable code stored in the database.
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code,)+ } }

            /// Bahasa Indonesia label.
            pub fn label_id(self) -> &'static str { match self { $($name::$variant => $id,)+ } }

            /// English label.
            pub fn label_en(self) -> &'static str { match self { $($name::$variant => $en,)+ } }

            /// From the stored code only.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// From any known spelling: the code, either label, or an alias.
            pub fn parse(input: &str) -> Result<Self, $crate::coded::ParseEnumError> {
                let f = $crate::coded::fold(input);
                $(
                    if f == $crate::coded::fold($code) || f == $crate::coded::fold($id)
                        || f == $crate::coded::fold($en) $(|| f == $crate::coded::fold($alias))* {
                        return Ok($name::$variant);
                    }
                )+
                Err($crate::coded::ParseEnumError { field: $field, value: input.trim().to_owned() })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.label_id()) }
        }
    };
}
pub(crate) use coded_enum;

/// Serialises a parsed newtype as its `Display` string and deserialises through `parse`,
/// so a JSON document can never carry a malformed NIK, No KK or region code.
macro_rules! serde_via_parse {
    ($name:ty) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                <$name>::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use serde_via_parse;
