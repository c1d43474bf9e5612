//! The name traits: *nom de naissance* and *prénoms de naissance*.

use core::fmt;

use crate::error::Error;
use crate::normalize::normalize_trait;

/// Longest name trait accepted, in characters (project choice, see
/// `docs/ins.md`).
pub const MAX_NAME_CHARS: usize = 100;

/// Checks a name text: at most [`MAX_NAME_CHARS`] characters, no control
/// character, not empty once normalised.
fn check_name(text: &str) -> Result<(), Error> {
    if text.chars().count() > MAX_NAME_CHARS {
        return Err(Error::NameTooLong {
            max: MAX_NAME_CHARS,
        });
    }
    if text.chars().any(char::is_control) {
        return Err(Error::NameControl);
    }
    if normalize_trait(text).is_empty() {
        return Err(Error::NameEmpty);
    }
    Ok(())
}

macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Accepts a name as written (kept verbatim): at most
            /// [`MAX_NAME_CHARS`] characters, no control character, and
            /// not empty once normalised.
            pub fn new(text: &str) -> Result<Self, Error> {
                check_name(text)?;
                Ok(Self(text.to_owned()))
            }

            /// The name as written.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The comparison form ([`normalize_trait`]).
            pub fn normalized(&self) -> String {
                normalize_trait(&self.0)
            }

            /// Whether two names are the same once normalised.
            pub fn matches(&self, other: &Self) -> bool {
                self.normalized() == other.normalized()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }
    };
}

name_type! {
    /// The birth name (nom de naissance), an INS identity trait.
    ///
    /// Kept as written; compare with [`BirthName::matches`], which uses the
    /// normalised form. `Debug` is redacted.
    ///
    /// ```
    /// use vitale_ins::BirthName;
    ///
    /// let a = BirthName::new("Lefèvre")?;
    /// assert!(a.matches(&BirthName::new("LEFEVRE")?));
    /// assert_eq!(format!("{a:?}"), "BirthName(<redacted>)");
    /// # Ok::<(), vitale_ins::Error>(())
    /// ```
    BirthName
}

name_type! {
    /// The birth given names (prénoms de naissance, the full list as one
    /// text, names separated by spaces), an INS identity trait.
    ///
    /// Kept as written; compare with [`GivenNames::matches`]. `Debug` is
    /// redacted.
    GivenNames
}

impl GivenNames {
    /// The first given name (premier prénom de naissance) in normalised
    /// form: the normalised list up to its first space.
    pub fn first_normalized(&self) -> String {
        let all = self.normalized();
        all.split(' ').next().unwrap_or_default().to_owned()
    }
}

#[cfg(test)]
mod tests;
