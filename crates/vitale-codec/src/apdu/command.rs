//! Command APDUs (ISO/IEC 7816-4 §5.1), short and extended length.

use super::ApduError;
use crate::Error;

/// Largest command data in short form (Lc on one byte).
const SHORT_MAX_DATA: usize = 255;
/// Largest expected length in short form (Le `00` means 256).
const SHORT_MAX_LE: u32 = 256;
/// Largest command data in extended form (Lc on two bytes).
const EXTENDED_MAX_DATA: usize = 65_535;
/// Largest expected length in extended form (Le `00 00` means 65 536).
const EXTENDED_MAX_LE: u32 = 65_536;

/// Which length fields a command APDU was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LengthForm {
    /// One-byte Lc and Le (case 1, which has neither, counts as short).
    Short,
    /// A leading `00`, then two-byte Lc and Le.
    Extended,
}

/// A command APDU: header `CLA INS P1 P2`, optional data, optional
/// expected response length.
///
/// The length fields are derived: `Lc` is `data.len()` (absent when the
/// data is empty) and `le` is the number of response bytes expected
/// (*Ne*), absent when no data is expected. The four ISO cases follow:
/// case 1 (no data, no `le`), case 2 (`le` only), case 3 (data only),
/// case 4 (both).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CommandApdu {
    /// Class byte (`00` interindustry, `80` proprietary).
    pub cla: u8,
    /// Instruction byte.
    pub ins: u8,
    /// First parameter.
    pub p1: u8,
    /// Second parameter.
    pub p2: u8,
    /// Command data (encoded behind `Lc`); empty for cases 1 and 2.
    pub data: Vec<u8>,
    /// Expected response length *Ne*: 1..=256 in short form (256 written
    /// `00`), 1..=65 536 in extended form (65 536 written `00 00`).
    pub le: Option<u32>,
}

impl CommandApdu {
    /// A command with no data and no expected response (case 1).
    #[must_use]
    pub const fn new(cla: u8, ins: u8, p1: u8, p2: u8) -> Self {
        Self {
            cla,
            ins,
            p1,
            p2,
            data: Vec::new(),
            le: None,
        }
    }

    /// The same command with `data`.
    #[must_use]
    pub fn with_data(mut self, data: Vec<u8>) -> Self {
        self.data = data;
        self
    }

    /// The same command expecting up to `le` response bytes.
    #[must_use]
    pub const fn with_le(mut self, le: u32) -> Self {
        self.le = Some(le);
        self
    }

    /// Encodes in short form: one-byte Lc (1..=255) and Le (1..=256, 256
    /// written `00`).
    ///
    /// # Errors
    ///
    /// [`ApduError::DataTooLong`] above 255 data bytes,
    /// [`ApduError::LeOutOfRange`] for `le` 0 or above 256.
    pub fn encode_short(&self) -> Result<Vec<u8>, Error> {
        let lc = short_lc(self.data.len())?;
        let le = self.le.map(short_le).transpose()?;
        let mut out = Vec::with_capacity(4 + 1 + self.data.len() + 1);
        out.extend_from_slice(&self.header());
        if let Some(lc) = lc {
            out.push(lc);
            out.extend_from_slice(&self.data);
        }
        out.extend(le);
        Ok(out)
    }

    /// Encodes in extended form: a `00` marker, two-byte Lc (1..=65 535)
    /// and two-byte Le (1..=65 536, 65 536 written `00 00`). Case 1 has no
    /// length field and is written as its header alone.
    ///
    /// # Errors
    ///
    /// [`ApduError::DataTooLong`] above 65 535 data bytes,
    /// [`ApduError::LeOutOfRange`] for `le` 0 or above 65 536.
    pub fn encode_extended(&self) -> Result<Vec<u8>, Error> {
        let lc = extended_lc(self.data.len())?;
        let le = self.le.map(extended_le).transpose()?;
        let mut out = Vec::with_capacity(4 + 3 + self.data.len() + 2);
        out.extend_from_slice(&self.header());
        if lc.is_some() || le.is_some() {
            out.push(0x00);
        }
        if let Some(lc) = lc {
            out.extend_from_slice(&lc);
            out.extend_from_slice(&self.data);
        }
        if let Some(le) = le {
            out.extend_from_slice(&le);
        }
        Ok(out)
    }

    /// Encodes in short form when the command fits, in extended form
    /// otherwise.
    ///
    /// # Errors
    ///
    /// As [`CommandApdu::encode_extended`], when the command fits neither.
    pub fn encode(&self) -> Result<Vec<u8>, Error> {
        self.encode_short().or_else(|_| self.encode_extended())
    }

    /// The length form [`CommandApdu::encode`] uses for this command.
    #[must_use]
    pub fn natural_form(&self) -> LengthForm {
        let short_data = self.data.len() <= SHORT_MAX_DATA;
        let short_le = self.le.is_none_or(|le| le <= SHORT_MAX_LE);
        if short_data && short_le {
            LengthForm::Short
        } else {
            LengthForm::Extended
        }
    }

    /// Parses a command APDU in short or extended form.
    ///
    /// # Errors
    ///
    /// As [`CommandApdu::parse_with_form`].
    pub fn parse(bytes: &[u8]) -> Result<Self, Error> {
        Self::parse_with_form(bytes).map(|(command, _)| command)
    }

    /// Parses a command APDU and says which length form it used.
    ///
    /// Strict: the body must be exactly one of the cases 2S, 3S, 4S, 2E,
    /// 3E, 4E (ISO/IEC 7816-3 §12.1.3), with Lc ≠ 0; nothing may follow.
    /// An extended command whose values would fit the short form is
    /// accepted (the form is reported).
    ///
    /// # Errors
    ///
    /// [`ApduError::CommandTooShort`] below 4 bytes,
    /// [`ApduError::MalformedCommand`] when the body matches no case.
    pub fn parse_with_form(bytes: &[u8]) -> Result<(Self, LengthForm), Error> {
        let len = bytes.len();
        let (header, body) = split_header(bytes)?;
        let [cla, ins, p1, p2] = *header;
        let malformed = || Error::from(ApduError::MalformedCommand { len });
        let mut command = Self::new(cla, ins, p1, p2);
        let form = match *body {
            // Case 1.
            [] => LengthForm::Short,
            // Case 2S.
            [le] => {
                command.le = Some(short_ne(le));
                LengthForm::Short
            }
            // Case 2E.
            [0x00, le1, le2] => {
                command.le = Some(extended_ne(le1, le2));
                LengthForm::Extended
            }
            // Cases 3E and 4E.
            [0x00, lc1, lc2, ref rest @ ..] => {
                let lc = usize::from(u16::from_be_bytes([lc1, lc2]));
                if lc == 0 {
                    return Err(malformed());
                }
                match (rest.get(..lc), rest.get(lc..)) {
                    (Some(data), Some([])) => command.data = data.to_vec(),
                    (Some(data), Some(&[le1, le2])) => {
                        command.data = data.to_vec();
                        command.le = Some(extended_ne(le1, le2));
                    }
                    _ => return Err(malformed()),
                }
                LengthForm::Extended
            }
            // Cases 3S and 4S.
            [lc, ref rest @ ..] => {
                let lc = usize::from(lc);
                if lc == 0 {
                    return Err(malformed());
                }
                match (rest.get(..lc), rest.get(lc..)) {
                    (Some(data), Some([])) => command.data = data.to_vec(),
                    (Some(data), Some(&[le])) => {
                        command.data = data.to_vec();
                        command.le = Some(short_ne(le));
                    }
                    _ => return Err(malformed()),
                }
                LengthForm::Short
            }
        };
        Ok((command, form))
    }

    fn header(&self) -> [u8; 4] {
        [self.cla, self.ins, self.p1, self.p2]
    }
}

/// Splits the 4-byte header from the body.
fn split_header(bytes: &[u8]) -> Result<(&[u8; 4], &[u8]), Error> {
    bytes
        .split_first_chunk::<4>()
        .ok_or_else(|| ApduError::CommandTooShort { len: bytes.len() }.into())
}

fn short_lc(len: usize) -> Result<Option<u8>, ApduError> {
    if len == 0 {
        return Ok(None);
    }
    u8::try_from(len)
        .map(Some)
        .map_err(|_| ApduError::DataTooLong {
            len,
            max: SHORT_MAX_DATA,
        })
}

fn extended_lc(len: usize) -> Result<Option<[u8; 2]>, ApduError> {
    if len == 0 {
        return Ok(None);
    }
    u16::try_from(len)
        .map(|lc| Some(lc.to_be_bytes()))
        .map_err(|_| ApduError::DataTooLong {
            len,
            max: EXTENDED_MAX_DATA,
        })
}

fn short_le(le: u32) -> Result<u8, ApduError> {
    match le {
        SHORT_MAX_LE => Ok(0x00),
        _ => u8::try_from(le)
            .ok()
            .filter(|&byte| byte != 0)
            .ok_or(ApduError::LeOutOfRange {
                le,
                max: SHORT_MAX_LE,
            }),
    }
}

fn extended_le(le: u32) -> Result<[u8; 2], ApduError> {
    match le {
        EXTENDED_MAX_LE => Ok([0x00, 0x00]),
        _ => u16::try_from(le)
            .ok()
            .filter(|&value| value != 0)
            .map(u16::to_be_bytes)
            .ok_or(ApduError::LeOutOfRange {
                le,
                max: EXTENDED_MAX_LE,
            }),
    }
}

/// *Ne* of a one-byte Le field (`00` means 256).
fn short_ne(le: u8) -> u32 {
    match le {
        0 => SHORT_MAX_LE,
        _ => u32::from(le),
    }
}

/// *Ne* of a two-byte Le field (`00 00` means 65 536).
fn extended_ne(le1: u8, le2: u8) -> u32 {
    match u16::from_be_bytes([le1, le2]) {
        0 => EXTENDED_MAX_LE,
        le => u32::from(le),
    }
}
