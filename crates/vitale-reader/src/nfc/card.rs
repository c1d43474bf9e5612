//! [`PcscCard`]: a connected phone, the PC/SC [`CardTransport`].

use core::fmt;
use std::ffi::CStr;

use super::pcsc_error;
use crate::nfc_session::{CardTransport, NfcError, TransportError};

/// Largest short APDU a reader must carry (`CLA INS P1 P2 Lc` + 255 + Le).
const SHORT_APDU_MAX: u32 = 261;

/// A connection to the phone on a reader (an `SCARDHANDLE`), the
/// [`CardTransport`] of the PC/SC driver.
pub struct PcscCard {
    card: pcsc::Card,
    reader: String,
    extended: bool,
    buffer: Vec<u8>,
}

impl fmt::Debug for PcscCard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PcscCard")
            .field("reader", &self.reader)
            .field("extended", &self.extended)
            .finish_non_exhaustive()
    }
}

/// Wraps `SCardConnect` (shared, T=1 or T=0), then `SCardGetAttrib`
/// (`SCARD_ATTR_MAXINPUT`) to learn whether the reader carries extended
/// APDUs.
pub(super) fn connect(
    ctx: &pcsc::Context,
    name: &CStr,
    reader: &str,
) -> Result<PcscCard, NfcError> {
    let card = ctx
        .connect(
            name,
            pcsc::ShareMode::Shared,
            pcsc::Protocols::T1 | pcsc::Protocols::T0,
        )
        .map_err(|e| match e {
            pcsc::Error::UnknownReader | pcsc::Error::ReaderUnavailable => {
                NfcError::ReaderNotFound(reader.to_owned())
            }
            other => pcsc_error("SCardConnect", other),
        })?;
    let extended = reader_carries_extended(&card);
    Ok(PcscCard {
        card,
        reader: reader.to_owned(),
        extended,
        buffer: vec![0; pcsc::MAX_BUFFER_SIZE_EXTENDED],
    })
}

/// `SCARD_ATTR_MAXINPUT` above a short APDU; when the driver does not
/// report it, assume yes: the session falls back to short APDUs if the
/// extended command is refused (`67 00`).
fn reader_carries_extended(card: &pcsc::Card) -> bool {
    card.get_attribute_owned(pcsc::Attribute::Maxinput)
        .ok()
        .and_then(|value| value.first_chunk::<4>().map(|b| u32::from_le_bytes(*b)))
        .is_none_or(|max| max > SHORT_APDU_MAX)
}

impl PcscCard {
    /// The reader this card is on.
    #[must_use]
    pub fn reader(&self) -> &str {
        &self.reader
    }

    /// Ends the connection, leaving the card powered.
    ///
    /// Wraps `SCardDisconnect` (`SCARD_LEAVE_CARD`).
    ///
    /// # Errors
    ///
    /// [`NfcError::CardRemoved`], [`NfcError::NoService`],
    /// [`NfcError::Pcsc`]; the handle is released in any case.
    pub fn disconnect(self) -> Result<(), NfcError> {
        self.card
            .disconnect(pcsc::Disposition::LeaveCard)
            .map_err(|(_card, e)| pcsc_error("SCardDisconnect", e))
    }
}

impl CardTransport for PcscCard {
    /// Wraps `SCardTransmit`.
    ///
    /// A contactless card that leaves the field in the middle of an
    /// exchange shows up, depending on the moment and the driver, as
    /// `SCARD_W_REMOVED_CARD`, as `SCARD_E_NOT_TRANSACTED` or
    /// `SCARD_F_COMM_ERROR` (the reader lost the card while transmitting;
    /// observed with pcsc-lite 1.9.9 and vpcd), or as an empty answer
    /// (which no card sends: every answer ends with a status word). All
    /// are [`TransportError::CardRemoved`]; any other failure is
    /// [`TransportError::Failed`] with the PC/SC error inside.
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        match self.card.transmit(apdu, &mut self.buffer) {
            Ok([]) => Err(TransportError::CardRemoved),
            Ok(answer) => Ok(answer.to_vec()),
            Err(pcsc::Error::NotTransacted | pcsc::Error::CommError) => {
                Err(TransportError::CardRemoved)
            }
            Err(e) => match pcsc_error("SCardTransmit", e) {
                NfcError::CardRemoved => Err(TransportError::CardRemoved),
                other => Err(TransportError::failed(other)),
            },
        }
    }

    fn supports_extended(&self) -> bool {
        self.extended
    }
}
