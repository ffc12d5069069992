//! `section!`: declares a configuration section once, so that its fields' doc
//! comments also exist at run time (for the commented TOML that
//! `lauberhorn config` prints).

/// Each field's TOML key and its doc lines, in declaration order.
pub type Fields = &'static [(&'static str, &'static [&'static str])];

/// Declares a section struct (serde, unknown keys rejected) with `DOC` (the
/// section's doc lines joined) and `FIELDS` (see [`Fields`]).
macro_rules! section {
    ($(#[doc = $sd:literal])+ $name:ident { $( $(#[doc = $d:literal])+ $f:ident : $t:ty, )* }) => {
        $(#[doc = $sd])+
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $( $(#[doc = $d])+ pub $f: $t, )*
        }

        impl $name {
            /// The section's documentation.
            pub const DOC: &'static str = concat!($($sd),+);
            /// Each field's TOML key and doc lines, in declaration order.
            pub const FIELDS: $crate::config::section::Fields = &[ $( (stringify!($f), &[$($d),+]) ),* ];
        }
    };
}
