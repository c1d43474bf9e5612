//! The QR text forms of a presentation: `VT1:` (Base45) and `VT1B:`
//! (unpadded base64url).
//!
//! A presentation shown as a QR code is the text `VT1:` followed by the
//! Base45 form ([`crate::base45`], RFC 9285) of the tagged COSE_Sign1 bytes;
//! this keeps the QR code in alphanumeric mode. Transports that are not QR
//! (copy and paste, deep links) may carry the same bytes as `VT1B:` followed
//! by unpadded base64url (RFC 4648 §5).
//!
//! Decoding is strict:
//!
//! * the prefix is matched exactly and case-sensitively (`vt1:` is not a
//!   prefix);
//! * no whitespace is trimmed — a space is even a Base45 symbol — with one
//!   exception: a **single** trailing line ending (`\n`, `\r` or `\r\n`),
//!   which keyboard-wedge scanners append, is removed;
//! * base64url must use the URL-safe alphabet, no padding and no non-zero
//!   trailing bits, so each byte string has exactly one text form;
//! * sizes are checked before decoding: the text against
//!   [`limits::MAX_TEXT_CHARS`], the bytes it would decode to against
//!   [`limits::MAX_PRESENTATION_BYTES`].
//!
//! The result is the still-undecoded presentation (COSE_Sign1 bytes), to be
//! handed to [`crate::cose`].
//!
//! ```
//! use vitale_codec::text::{self, TextForm};
//!
//! let bytes = [0xD2, 0x84, 0x43, 0xA1, 0x01, 0x26];
//! let qr = text::encode_qr(&bytes);
//! assert!(qr.starts_with("VT1:"));
//! assert_eq!(text::decode_text(&qr)?, bytes);
//!
//! let link = text::encode_base64url(&bytes);
//! assert_eq!(link, "VT1B:0oRDoQEm");
//! assert_eq!(text::decode_text_form(&link)?, (TextForm::Base64Url, bytes.to_vec()));
//! # Ok::<(), vitale_codec::Error>(())
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::base45::{self, Base45Error};
use crate::{Error, limits};

/// Prefix of the Base45 (QR) text form.
pub const PREFIX_BASE45: &str = "VT1:";

/// Prefix of the base64url text form.
pub const PREFIX_BASE64URL: &str = "VT1B:";

/// Longest prefix-like head reported in [`TextError::UnknownPrefix`].
const MAX_PREFIX_CHARS: usize = 8;

/// Which text form a presentation was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextForm {
    /// `VT1:` + Base45 (RFC 9285): the QR code form.
    Base45,
    /// `VT1B:` + unpadded base64url (RFC 4648 §5): for other transports.
    Base64Url,
}

impl TextForm {
    /// The prefix of this form, colon included.
    #[must_use]
    pub const fn prefix(self) -> &'static str {
        match self {
            TextForm::Base45 => PREFIX_BASE45,
            TextForm::Base64Url => PREFIX_BASE64URL,
        }
    }
}

/// Why a text is not a valid presentation text form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TextError {
    /// The text does not start with a prefix at all (no `XXX:` head).
    #[error("no text form prefix (expected `VT1:` or `VT1B:`)")]
    MissingPrefix,
    /// The text starts with a prefix that is not ours, for instance `HC1:`
    /// (an EU COVID certificate), `vt1:` (wrong case) or a future `VT2:`.
    #[error("unknown text form prefix `{0}:` (expected `VT1:` or `VT1B:`)")]
    UnknownPrefix(String),
    /// Nothing follows the prefix.
    #[error("empty body after the prefix")]
    EmptyBody,
    /// The text is longer than [`limits::MAX_TEXT_CHARS`].
    #[error("text of {len} bytes exceeds the limit of {max}")]
    TextTooLong {
        /// Length of the text (line ending removed), in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The body would decode to more than [`limits::MAX_PRESENTATION_BYTES`].
    #[error("body decodes to {len} bytes, above the limit of {max}")]
    PresentationTooLarge {
        /// Number of bytes the body would decode to.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The body of a `VT1:` text is not strict Base45.
    #[error("invalid Base45: {0}")]
    Base45(Base45Error),
    /// The body of a `VT1B:` text is not strict unpadded base64url.
    #[error("invalid base64url: {0}")]
    Base64(Base64Error),
}

/// Why the body of a `VT1B:` text is not strict unpadded base64url.
///
/// Positions are byte offsets in the body (after the prefix).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Base64Error {
    /// A byte outside the URL-safe alphabet (`A`–`Z a`–`z 0`–`9 - _`),
    /// `+`, `/` and `=` included.
    #[error("byte 0x{byte:02X} at offset {position} is not a base64url symbol")]
    InvalidByte {
        /// Offset of the byte.
        position: usize,
        /// The offending byte.
        byte: u8,
    },
    /// The length is ≡ 1 (mod 4), which no encoder produces.
    #[error("invalid base64url length {len}")]
    InvalidLength {
        /// Length of the body.
        len: usize,
    },
    /// The last symbol carries non-zero bits beyond the data: the text is
    /// not the canonical form of any byte string.
    #[error("last base64url symbol at offset {position} has non-zero trailing bits")]
    TrailingBits {
        /// Offset of the last symbol.
        position: usize,
    },
    /// Padding (`=`) is present, or misplaced.
    #[error("base64url padding is not allowed")]
    Padding,
}

/// Decodes a `VT1:` or `VT1B:` text into the presentation bytes.
///
/// See the module documentation for the strictness rules.
///
/// # Errors
///
/// [`Error::Text`] with the [`TextError`] saying why.
pub fn decode_text(text: &str) -> Result<Vec<u8>, Error> {
    decode_text_form(text).map(|(_, bytes)| bytes)
}

/// Decodes a `VT1:` or `VT1B:` text, and says which form it was.
///
/// # Errors
///
/// As [`decode_text`].
pub fn decode_text_form(text: &str) -> Result<(TextForm, Vec<u8>), Error> {
    let text = strip_line_ending(text);
    if text.len() > limits::MAX_TEXT_CHARS {
        return Err(TextError::TextTooLong {
            len: text.len(),
            max: limits::MAX_TEXT_CHARS,
        }
        .into());
    }
    let (form, body) = split_prefix(text)?;
    if body.is_empty() {
        return Err(TextError::EmptyBody.into());
    }
    let bytes = match form {
        TextForm::Base45 => decode_base45_body(body)?,
        TextForm::Base64Url => decode_base64url_body(body)?,
    };
    Ok((form, bytes))
}

/// Writes presentation bytes in the QR form: `VT1:` + Base45.
///
/// Bytes above [`limits::MAX_PRESENTATION_BYTES`] are encoded too, but
/// [`decode_text`] rejects the result.
#[must_use]
pub fn encode_qr(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(PREFIX_BASE45.len() + base45::encoded_len(bytes.len()));
    out.push_str(PREFIX_BASE45);
    out.push_str(&base45::encode(bytes));
    out
}

/// Writes presentation bytes in the `VT1B:` form: unpadded base64url.
///
/// Bytes above [`limits::MAX_PRESENTATION_BYTES`] are encoded too, but
/// [`decode_text`] rejects the result.
#[must_use]
pub fn encode_base64url(bytes: &[u8]) -> String {
    let mut out = String::from(PREFIX_BASE64URL);
    URL_SAFE_NO_PAD.encode_string(bytes, &mut out);
    out
}

/// Writes presentation bytes in the given text form.
#[must_use]
pub fn encode_text(form: TextForm, bytes: &[u8]) -> String {
    match form {
        TextForm::Base45 => encode_qr(bytes),
        TextForm::Base64Url => encode_base64url(bytes),
    }
}

/// Removes one trailing `\r\n`, `\n` or `\r`, and nothing else.
fn strip_line_ending(text: &str) -> &str {
    text.strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .or_else(|| text.strip_suffix('\r'))
        .unwrap_or(text)
}

/// Splits the exact, case-sensitive prefix from the body.
fn split_prefix(text: &str) -> Result<(TextForm, &str), TextError> {
    if let Some(body) = text.strip_prefix(PREFIX_BASE45) {
        return Ok((TextForm::Base45, body));
    }
    if let Some(body) = text.strip_prefix(PREFIX_BASE64URL) {
        return Ok((TextForm::Base64Url, body));
    }
    // A short alphanumeric head followed by ':' looks like some other
    // scheme's prefix; report it (it is never personal data).
    let head: String = text
        .chars()
        .take(MAX_PREFIX_CHARS)
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let looks_like_prefix = !head.is_empty()
        && head.len() < MAX_PREFIX_CHARS
        && text
            .get(head.len()..)
            .is_some_and(|rest| rest.starts_with(':'));
    if looks_like_prefix {
        Err(TextError::UnknownPrefix(head))
    } else {
        Err(TextError::MissingPrefix)
    }
}

fn decode_base45_body(body: &str) -> Result<Vec<u8>, Error> {
    // `decode_with_limit` checks the size first; reword its size error.
    let max = limits::MAX_PRESENTATION_BYTES;
    if let Some(len) = base45::decoded_len(body.len())
        && len > max
    {
        return Err(TextError::PresentationTooLarge { len, max }.into());
    }
    base45::decode_with_limit(body, max)
}

fn decode_base64url_body(body: &str) -> Result<Vec<u8>, Error> {
    let len = body.len();
    let out_len = match len % 4 {
        0 => len / 4 * 3,
        2 => len / 4 * 3 + 1,
        3 => len / 4 * 3 + 2,
        _ => return Err(TextError::Base64(Base64Error::InvalidLength { len }).into()),
    };
    let max = limits::MAX_PRESENTATION_BYTES;
    if out_len > max {
        return Err(TextError::PresentationTooLarge { len: out_len, max }.into());
    }
    let mut out = vec![0; out_len];
    let written = URL_SAFE_NO_PAD
        .decode_slice(body, &mut out)
        .map_err(|err| TextError::Base64(base64_error(err, len)))?;
    // The length arithmetic above is exact for valid input; keep the
    // written prefix in any case.
    out.truncate(written);
    Ok(out)
}

fn base64_error(err: base64::DecodeSliceError, len: usize) -> Base64Error {
    match err {
        base64::DecodeSliceError::DecodeError(err) => match err {
            base64::DecodeError::InvalidByte(position, byte) => {
                if byte == b'=' {
                    Base64Error::Padding
                } else {
                    Base64Error::InvalidByte { position, byte }
                }
            }
            base64::DecodeError::InvalidLength(len) => Base64Error::InvalidLength { len },
            base64::DecodeError::InvalidLastSymbol { offset, .. } => {
                Base64Error::TrailingBits { position: offset }
            }
            base64::DecodeError::InvalidPadding => Base64Error::Padding,
        },
        // Cannot happen for a valid body: the buffer has its exact decoded
        // size, so only a malformed body can overflow it.
        base64::DecodeSliceError::OutputSliceTooSmall => Base64Error::InvalidLength { len },
    }
}

#[cfg(test)]
mod tests;
