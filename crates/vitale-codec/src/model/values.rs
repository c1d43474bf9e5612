//! Small value types shared by the structures of the data model.

use time::OffsetDateTime;

use crate::limits::MAX_NAME_CHARS;

/// An instant with one-second precision, as carried on the wire (seconds
/// since 1970-01-01T00:00:00Z, unsigned, at most 9999-12-31T23:59:59Z).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Timestamp(u64);

impl Timestamp {
    /// Largest representable instant: 9999-12-31T23:59:59Z.
    pub const MAX_UNIX: u64 = 253_402_300_799;

    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: Timestamp = Timestamp(0);

    /// From seconds since the Unix epoch; `None` past [`Self::MAX_UNIX`].
    pub fn from_unix(secs: u64) -> Option<Self> {
        (secs <= Self::MAX_UNIX).then_some(Timestamp(secs))
    }

    /// From a date-time, dropping sub-second precision; `None` before 1970
    /// or after 9999.
    pub fn from_datetime(at: OffsetDateTime) -> Option<Self> {
        u64::try_from(at.unix_timestamp())
            .ok()
            .and_then(Self::from_unix)
    }

    /// Seconds since the Unix epoch.
    pub fn unix(self) -> u64 {
        self.0
    }

    /// As a UTC date-time.
    pub fn to_datetime(self) -> OffsetDateTime {
        // Invariant: self.0 <= MAX_UNIX, which `time` represents; the
        // fallback is never taken.
        i64::try_from(self.0)
            .ok()
            .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    /// This instant plus `secs` seconds, if representable.
    pub fn checked_add_secs(self, secs: u64) -> Option<Self> {
        self.0.checked_add(secs).and_then(Self::from_unix)
    }
}

/// A validity window: valid from `not_before` (inclusive) until
/// `expires_at` (exclusive), with `not_before < expires_at`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct ValidityWindow {
    not_before: Timestamp,
    expires_at: Timestamp,
}

impl ValidityWindow {
    /// A window; `None` unless `not_before < expires_at`.
    pub fn new(not_before: Timestamp, expires_at: Timestamp) -> Option<Self> {
        (not_before < expires_at).then_some(ValidityWindow {
            not_before,
            expires_at,
        })
    }

    /// Start of validity (inclusive).
    pub fn not_before(&self) -> Timestamp {
        self.not_before
    }

    /// End of validity (exclusive).
    pub fn expires_at(&self) -> Timestamp {
        self.expires_at
    }

    /// Whether `at` falls inside the window.
    pub fn contains(&self, at: Timestamp) -> bool {
        self.not_before <= at && at < self.expires_at
    }
}

macro_rules! id16 {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name([u8; 16]);

        impl $name {
            /// From its 16 bytes.
            pub const fn from_bytes(bytes: [u8; 16]) -> Self {
                $name(bytes)
            }

            /// Its 16 bytes.
            pub const fn as_bytes(&self) -> &[u8; 16] {
                &self.0
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "{}(", stringify!($name))?;
                for b in self.0 {
                    write!(f, "{b:02x}")?;
                }
                write!(f, ")")
            }
        }
    };
}

id16! {
    /// The identifier of a credential, chosen at random by the issuer.
    CredentialId
}

id16! {
    /// The identifier of a delegation, chosen at random by the issuer.
    DelegationId
}

id16! {
    /// A presentation's nonce, chosen at random by the phone; the replay
    /// cache remembers it until the presentation expires.
    Nonce
}

/// A person's name as registered by the insurer: nom de naissance, nom
/// usuel, prénoms, or a delegate's name.
///
/// Free text of 1 to [`MAX_NAME_CHARS`] characters, without control
/// characters and without leading or trailing white space. Compare names
/// with `vitale_ins::normalize_trait`, not with `==`. `Debug` is redacted.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PersonName(String);

impl PersonName {
    /// Validates a name; `None` if empty, too long, padded or containing a
    /// control character.
    pub fn new(text: impl Into<String>) -> Option<Self> {
        let text = text.into();
        let count = text.chars().count();
        let ok = (1..=MAX_NAME_CHARS).contains(&count)
            && !text.chars().any(char::is_control)
            && text.trim() == text;
        ok.then_some(PersonName(text))
    }

    /// The name as registered.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for PersonName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("PersonName(<redacted>)")
    }
}

impl core::fmt::Display for PersonName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The NFC reader's challenge (*défi*): 16 to 32 random bytes sent in GET
/// PRESENTATION. The phone signs it twice over — as the COSE external AAD
/// and as field 8 of the presentation — so a recorded answer replayed to
/// another reader, whose challenge differs, is refused.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ReaderChallenge(Vec<u8>);

impl ReaderChallenge {
    /// Shortest challenge, in bytes.
    pub const MIN_LEN: usize = crate::apdu::open::MIN_CHALLENGE_LEN;
    /// Longest challenge, in bytes.
    pub const MAX_LEN: usize = crate::apdu::open::MAX_CHALLENGE_LEN;

    /// A challenge; `None` unless 16 to 32 bytes long.
    pub fn new(bytes: &[u8]) -> Option<Self> {
        (Self::MIN_LEN..=Self::MAX_LEN)
            .contains(&bytes.len())
            .then(|| ReaderChallenge(bytes.to_vec()))
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl core::fmt::Debug for ReaderChallenge {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "ReaderChallenge(")?;
        for b in &self.0 {
            write!(f, "{b:02x}")?;
        }
        write!(f, ")")
    }
}
