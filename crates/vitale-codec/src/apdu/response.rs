//! Response APDUs and status words (ISO/IEC 7816-4 §5.1.3, §5.6).

use core::fmt;

use super::ApduError;
use crate::Error;

/// Largest response APDU accepted: 65 536 data bytes (extended Le
/// `00 00`) plus the status word.
const MAX_RESPONSE_BYTES: usize = 65_536 + 2;

/// A status word `SW1 SW2`, with the words of the `open` profile named.
///
/// Convert with [`StatusWord::from_u16`] / `From<u16>` (which always pick
/// the named variant, never [`StatusWord::Other`] for a named word) and
/// [`StatusWord::to_u16`] / `From<StatusWord> for u16`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatusWord {
    /// `90 00`: success.
    Ok,
    /// `61 xx`: success, more data waiting; send GET RESPONSE with
    /// Le = `xx` (`00`: 256 or more).
    MoreData(u8),
    /// `6C xx`: wrong Le; resend the same command with Le = `xx`.
    WrongLe(u8),
    /// `69 82`: security status not satisfied — the patient must unlock
    /// the app (secret code); keep polling until the timeout.
    AppLocked,
    /// `69 85`: conditions of use not satisfied — the patient declined.
    Declined,
    /// `6A 82`: file or application not found — no carte Vitale app on
    /// this phone.
    FileNotFound,
    /// `67 00`: wrong length (Lc or Le).
    WrongLength,
    /// `6D 00`: instruction not supported.
    InsNotSupported,
    /// `6E 00`: class not supported.
    ClaNotSupported,
    /// `6A 86`: incorrect parameters P1-P2.
    WrongP1P2,
    /// `6A 80`: incorrect data field.
    WrongData,
    /// Any other status word.
    Other(u16),
}

impl StatusWord {
    /// The status word of a 16-bit value `SW1 << 8 | SW2`.
    #[must_use]
    pub const fn from_u16(sw: u16) -> Self {
        let [sw1, sw2] = sw.to_be_bytes();
        Self::from_bytes(sw1, sw2)
    }

    /// The status word of the two bytes `SW1`, `SW2`.
    #[must_use]
    pub const fn from_bytes(sw1: u8, sw2: u8) -> Self {
        match (sw1, sw2) {
            (0x90, 0x00) => Self::Ok,
            (0x61, xx) => Self::MoreData(xx),
            (0x6C, xx) => Self::WrongLe(xx),
            (0x69, 0x82) => Self::AppLocked,
            (0x69, 0x85) => Self::Declined,
            (0x6A, 0x82) => Self::FileNotFound,
            (0x67, 0x00) => Self::WrongLength,
            (0x6D, 0x00) => Self::InsNotSupported,
            (0x6E, 0x00) => Self::ClaNotSupported,
            (0x6A, 0x86) => Self::WrongP1P2,
            (0x6A, 0x80) => Self::WrongData,
            _ => Self::Other(u16::from_be_bytes([sw1, sw2])),
        }
    }

    /// The 16-bit value `SW1 << 8 | SW2`.
    #[must_use]
    pub const fn to_u16(self) -> u16 {
        match self {
            Self::Ok => 0x9000,
            Self::MoreData(xx) => u16::from_be_bytes([0x61, xx]),
            Self::WrongLe(xx) => u16::from_be_bytes([0x6C, xx]),
            Self::AppLocked => 0x6982,
            Self::Declined => 0x6985,
            Self::FileNotFound => 0x6A82,
            Self::WrongLength => 0x6700,
            Self::InsNotSupported => 0x6D00,
            Self::ClaNotSupported => 0x6E00,
            Self::WrongP1P2 => 0x6A86,
            Self::WrongData => 0x6A80,
            Self::Other(sw) => sw,
        }
    }

    /// The two bytes `[SW1, SW2]`.
    #[must_use]
    pub const fn to_bytes(self) -> [u8; 2] {
        self.to_u16().to_be_bytes()
    }

    /// `true` for `90 00`.
    #[must_use]
    pub const fn is_ok(self) -> bool {
        matches!(self, Self::Ok)
    }

    /// A short English description, for logs and messages.
    #[must_use]
    pub const fn description(self) -> &'static str {
        match self {
            Self::Ok => "success",
            Self::MoreData(_) => "more data available",
            Self::WrongLe(_) => "wrong expected length",
            Self::AppLocked => "security status not satisfied: the patient must unlock the app",
            Self::Declined => "conditions of use not satisfied: the patient declined",
            Self::FileNotFound => "application not found",
            Self::WrongLength => "wrong length",
            Self::InsNotSupported => "instruction not supported",
            Self::ClaNotSupported => "class not supported",
            Self::WrongP1P2 => "incorrect parameters P1-P2",
            Self::WrongData => "incorrect data",
            Self::Other(_) => "other status",
        }
    }
}

impl From<u16> for StatusWord {
    fn from(sw: u16) -> Self {
        Self::from_u16(sw)
    }
}

impl From<StatusWord> for u16 {
    fn from(sw: StatusWord) -> Self {
        sw.to_u16()
    }
}

impl From<[u8; 2]> for StatusWord {
    fn from([sw1, sw2]: [u8; 2]) -> Self {
        Self::from_bytes(sw1, sw2)
    }
}

impl From<StatusWord> for [u8; 2] {
    fn from(sw: StatusWord) -> Self {
        sw.to_bytes()
    }
}

impl fmt::Display for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [sw1, sw2] = self.to_bytes();
        write!(f, "{sw1:02X} {sw2:02X} ({})", self.description())
    }
}

/// A response APDU: data, then the status word.
///
/// `Debug` shows the data's length, not its content: a GET PRESENTATION
/// answer carries personal data (names, NIR).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ResponseApdu {
    /// Response data (possibly empty).
    pub data: Vec<u8>,
    /// The trailing status word.
    pub status: StatusWord,
}

impl fmt::Debug for ResponseApdu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseApdu")
            .field("data_len", &self.data.len())
            .field("status", &self.status)
            .finish()
    }
}

impl ResponseApdu {
    /// A response of `data` with status `status`.
    #[must_use]
    pub const fn new(data: Vec<u8>, status: StatusWord) -> Self {
        Self { data, status }
    }

    /// A response with no data.
    #[must_use]
    pub const fn status_only(status: StatusWord) -> Self {
        Self::new(Vec::new(), status)
    }

    /// Parses `data || SW1 SW2`.
    ///
    /// # Errors
    ///
    /// [`ApduError::ResponseTooShort`] below 2 bytes,
    /// [`ApduError::ResponseTooLong`] above 65 536 data bytes.
    pub fn parse(bytes: &[u8]) -> Result<Self, Error> {
        let len = bytes.len();
        if len > MAX_RESPONSE_BYTES {
            return Err(ApduError::ResponseTooLong {
                len,
                max: MAX_RESPONSE_BYTES,
            }
            .into());
        }
        let Some((data, &[sw1, sw2])) = bytes.split_last_chunk::<2>() else {
            return Err(ApduError::ResponseTooShort { len }.into());
        };
        Ok(Self::new(data.to_vec(), StatusWord::from_bytes(sw1, sw2)))
    }

    /// Encodes as `data || SW1 SW2`.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.data.len() + 2);
        out.extend_from_slice(&self.data);
        out.extend_from_slice(&self.status.to_bytes());
        out
    }

    /// The data of a `90 00` response.
    ///
    /// # Errors
    ///
    /// [`ApduError::CardStatus`] with the status word otherwise.
    pub fn into_ok_data(self) -> Result<Vec<u8>, Error> {
        match self.status {
            StatusWord::Ok => Ok(self.data),
            other => Err(ApduError::CardStatus(other).into()),
        }
    }
}
