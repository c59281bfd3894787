//! Enums that people and files write as short codes (`red`, `case_officer`, `mpf_unpaid`).
//!
//! [`coded!`] writes, once for every such enum, the list of its values, the code of each and
//! the parse back from the code, so that a code read from a file or the store becomes the
//! enum or a [`DomainError::Code`] naming what was expected.

/// Declares a fieldless enum with one code per value, `ALL`, `as_str`, `parse`, `Display`
/// and `FromStr`. `parse` trims the text and ignores ASCII case.
macro_rules! coded {
    (
        $(#[$meta:meta])*
        pub enum $name:ident: $what:literal {
            $( $(#[$variant_meta:meta])* $variant:ident = $code:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code, as files, the store and the command line write it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// The value whose code is `text` (surrounding spaces and ASCII case ignored).
            pub fn parse(text: &str) -> Result<$name, $crate::DomainError> {
                let trimmed = text.trim();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|value| value.as_str().eq_ignore_ascii_case(trimmed))
                    .ok_or_else(|| $crate::DomainError::Code {
                        what: $what,
                        text: text.to_owned(),
                        expected: $name::ALL
                            .iter()
                            .map(|value| value.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::DomainError;

            fn from_str(text: &str) -> Result<$name, $crate::DomainError> {
                $name::parse(text)
            }
        }
    };
}

pub(crate) use coded;
