//! The `token` profile's text form: an opaque token that the workstation
//! forwards verbatim to an online context service (`docs/format.md` §7.1).
//!
//! The official ApCV specification is not public, so the SDK fixes only
//! what a reader needs to route a scanned text without understanding it:
//!
//! * **charset**: printable ASCII, `0x20`–`0x7E` (this covers Base45, the QR
//!   alphanumeric mode, base64 and base64url, hex, URLs), no leading or
//!   trailing space;
//! * **length**: [`TokenText::MIN_CHARS`] to [`TokenText::MAX_CHARS`]
//!   characters;
//! * **routing**: a text that starts with `VT1:` or `VT1B:` — in any letter
//!   case, since Caps Lock may have changed it — is an `open`-profile text
//!   and never a token ([`TextKind::of`]).

/// Why a text is not a token text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenTextError {
    /// Shorter than [`TokenText::MIN_CHARS`] (empty included).
    #[error("token of {0} characters, at least 16 needed")]
    TooShort(usize),
    /// Longer than [`TokenText::MAX_CHARS`].
    #[error("token of more than {max} characters")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// A character outside printable ASCII (1-based position; the
    /// character itself is not reported).
    #[error("character {position} of the token is not printable ASCII")]
    Character {
        /// 1-based position.
        position: usize,
    },
    /// A leading or trailing space.
    #[error("token starts or ends with a space")]
    Padded,
    /// The text starts with `VT1:` or `VT1B:`: an `open`-profile text.
    #[error("an open-profile text (VT1:/VT1B:) is not a token")]
    OpenProfilePrefix,
}

/// An opaque token as shown by the phone (QR) or answered over NFC, to be
/// forwarded verbatim to the context service.
///
/// It is replayable for as long as the service accepts it and may carry
/// personal data: `Debug` shows its length only, and it must not be logged.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct TokenText(String);

impl TokenText {
    /// Shortest token, in characters.
    pub const MIN_CHARS: usize = 16;
    /// Longest token, in characters (a version-40 QR code holds at most
    /// 4296 alphanumeric characters).
    pub const MAX_CHARS: usize = 4096;

    /// Validates a token text.
    pub fn parse(text: &str) -> Result<Self, TokenTextError> {
        if text.len() > Self::MAX_CHARS {
            return Err(TokenTextError::TooLong {
                max: Self::MAX_CHARS,
            });
        }
        if let Some(i) = text.bytes().position(|b| !(0x20..=0x7e).contains(&b)) {
            // Count characters, not bytes, for the position.
            let position = text.get(..i).map_or(i, |head| head.chars().count()) + 1;
            return Err(TokenTextError::Character { position });
        }
        if text.len() < Self::MIN_CHARS {
            return Err(TokenTextError::TooShort(text.len()));
        }
        if text.starts_with(' ') || text.ends_with(' ') {
            return Err(TokenTextError::Padded);
        }
        if has_open_prefix(text) {
            return Err(TokenTextError::OpenProfilePrefix);
        }
        Ok(TokenText(text.to_owned()))
    }

    /// The token, verbatim.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for TokenText {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "TokenText(<{} characters>)", self.0.len())
    }
}

/// Whether `text` starts with `VT1:` or `VT1B:`, in any letter case.
pub fn has_open_prefix(text: &str) -> bool {
    let head = |p: &str| {
        text.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
    };
    head(crate::text::PREFIX_BASE45) || head(crate::text::PREFIX_BASE64URL)
}

/// Which profile a scanned text belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextKind {
    /// `VT1:` / `VT1B:`: the `open` profile, verified offline (the text may
    /// still fail to decode).
    Open,
    /// A valid token text: the `token` profile, verified online.
    Token(TokenText),
}

impl TextKind {
    /// Routes a text: `open` by its prefix, otherwise a token if it is a
    /// valid token text, otherwise the token error.
    pub fn of(text: &str) -> Result<TextKind, TokenTextError> {
        if has_open_prefix(text) {
            Ok(TextKind::Open)
        } else {
            TokenText::parse(text).map(TextKind::Token)
        }
    }
}

#[cfg(test)]
mod tests;
