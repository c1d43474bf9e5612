//! The simulator's tokens: what a phone of the `token` profile would show,
//! made so that the simulated context service can check them without
//! shared state.
//!
//! The official token's content is not public; the SDK forwards it
//! verbatim and never reads it. The simulator's own form is
//! `SIMTOK1.` + 34 upper-case hex digits (household index, 1 byte; serial,
//! 8 bytes; expiry in UNIX seconds, 8 bytes; big-endian) + `.` + 32 hex
//! digits of HMAC-SHA-256 (RFC 2104) over those 17 bytes, cut to 16 bytes,
//! under a key derived from the seed. It is printable ASCII, in the QR
//! alphanumeric set, and never starts with `VT1`.

use sha2::{Digest, Sha256};
use vitale::codec::TokenText;
use vitale::codec::model::Timestamp;

use crate::Error;
use crate::seed::Seed;

const PREFIX: &str = "SIMTOK1.";
const CLAIMS_LEN: usize = 17;
const MAC_LEN: usize = 16;
const BLOCK: usize = 64;

/// What a token says.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TokenClaims {
    /// Index of the household among the server's.
    pub household: u8,
    /// Serial number: a token is accepted once per serial.
    pub serial: u64,
    /// End of the token's validity.
    pub expires_at: Timestamp,
}

/// Makes and checks the simulator's tokens under a key derived from the
/// seed. `Debug` does not show the key.
#[derive(Clone)]
pub struct TokenIssuer {
    key: [u8; 32],
}

impl core::fmt::Debug for TokenIssuer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("TokenIssuer(..)")
    }
}

impl TokenIssuer {
    /// The issuer of a simulated world.
    pub fn new(seed: &Seed) -> Self {
        TokenIssuer {
            key: seed.derive_bytes("sim/online/token-key"),
        }
    }

    /// A token for household `household`, serial `serial`, valid until
    /// `expires_at`.
    ///
    /// # Errors
    /// [`Error::Codec`] only if the text were not a valid token text
    /// (it always is).
    pub fn issue(&self, claims: TokenClaims) -> Result<TokenText, Error> {
        let mut bytes = [0u8; CLAIMS_LEN];
        let fields = [claims.household]
            .into_iter()
            .chain(claims.serial.to_be_bytes())
            .chain(claims.expires_at.unix().to_be_bytes());
        for (slot, b) in bytes.iter_mut().zip(fields) {
            *slot = b;
        }
        let mac = self.mac(&bytes);
        let text = format!("{PREFIX}{}.{}", upper_hex(&bytes), upper_hex(&mac));
        TokenText::parse(&text).map_err(|e| Error::Codec(e.into()))
    }

    /// The claims of a token this issuer made, or `None` (another form, a
    /// wrong MAC). Expiry is the caller's to check.
    pub fn check(&self, token: &str) -> Option<TokenClaims> {
        let rest = token.strip_prefix(PREFIX)?;
        let (claims_hex, mac_hex) = rest.split_once('.')?;
        let claims: [u8; CLAIMS_LEN] = from_upper_hex(claims_hex)?;
        let mac: [u8; MAC_LEN] = from_upper_hex(mac_hex)?;
        // Constant-time comparison of the MAC.
        let expected = self.mac(&claims);
        let diff = expected
            .iter()
            .zip(mac.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        if diff != 0 {
            return None;
        }
        let household = *claims.first()?;
        let serial = u64::from_be_bytes(claims.get(1..9)?.try_into().ok()?);
        let expires = u64::from_be_bytes(claims.get(9..17)?.try_into().ok()?);
        Some(TokenClaims {
            household,
            serial,
            expires_at: Timestamp::from_unix(expires)?,
        })
    }

    /// HMAC-SHA-256 (RFC 2104) of `message`, cut to 16 bytes.
    fn mac(&self, message: &[u8]) -> [u8; MAC_LEN] {
        let mut inner_pad = [0x36u8; BLOCK];
        let mut outer_pad = [0x5cu8; BLOCK];
        for ((i, o), k) in inner_pad.iter_mut().zip(outer_pad.iter_mut()).zip(self.key) {
            *i ^= k;
            *o ^= k;
        }
        let inner = Sha256::new()
            .chain_update(inner_pad)
            .chain_update(message)
            .finalize();
        let outer = Sha256::new()
            .chain_update(outer_pad)
            .chain_update(inner)
            .finalize();
        let mut mac = [0u8; MAC_LEN];
        for (slot, b) in mac.iter_mut().zip(outer) {
            *slot = b;
        }
        mac
    }
}

fn upper_hex(bytes: &[u8]) -> String {
    vitale::codec::hex::encode(bytes).to_ascii_uppercase()
}

fn from_upper_hex<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != 2 * N || text.bytes().any(|b| b.is_ascii_lowercase()) {
        return None;
    }
    vitale::codec::hex::decode(&text.to_ascii_lowercase())?
        .try_into()
        .ok()
}

#[cfg(test)]
mod tests;
