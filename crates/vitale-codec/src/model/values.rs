//! Small value types shared by the structures of the data model.

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
