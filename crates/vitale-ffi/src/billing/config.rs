//! The billing JSON arguments: the billing set-up (practice, key files,
//! tariffs, context service) and the professional's keys. The practice and
//! visit shapes are the facade's (`vitale::billing::json`), shared with
//! the local agent.
// Without `online` a billing handle cannot be made: the set-up is unread.
#![cfg_attr(not(feature = "online"), allow(dead_code))]

use serde::Deserialize;
use vitale::billing::json::{JsonError, PracticeJson};
use vitale::verify::SoftwareSigner;

use crate::boundary::Failure;
use crate::options::OnlineService;
use crate::status::VitaleStatus;

/// Largest key file read (a PEM key is far smaller; 64 hex digits are
/// what `vitale sim init` writes).
const MAX_KEY_FILE: u64 = 16 * 1024;

/// Largest tariff file read.
const MAX_TARIFF_FILE: u64 = 4 << 20;

/// `vitale_billing_new`'s configuration.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BillingConfig {
    /// The professional who bills.
    /// (The facade's shape, shared with the local agent.)
    pub(crate) practice: PracticeJson,
    /// The professional's private key file (64 hex digits), when the key
    /// is not passed as bytes: signs the sheets of cards read offline.
    #[serde(default)]
    pub(crate) sheet_key_file: Option<String>,
    /// A key listed with the receipt usage in the trust list (64 hex
    /// digits): receipts are then signed and can be checked.
    #[serde(default)]
    pub(crate) receipt_key_file: Option<String>,
    /// A tariff file replacing the embedded tariffs (`docs/fse.md`).
    #[serde(default)]
    pub(crate) tariffs_file: Option<String>,
    /// The `token` profile's context service, which signs the sheets of
    /// cards read online (feature `online`).
    #[serde(default)]
    pub(crate) context_service: Option<OnlineService>,
}

impl From<JsonError> for Failure {
    fn from(e: JsonError) -> Self {
        match e {
            JsonError::Field { field, expected } => Failure::options(&field, expected),
            JsonError::Facade(e) => Failure::from(e),
            other => Failure::abi(VitaleStatus::InvalidOptions, other.to_string()),
        }
    }
}

/// A private P-256 key: 32 raw bytes (the scalar, big-endian) or the text
/// of 64 hex digits (surrounding white space ignored). The caller's copy
/// is the caller's to wipe; the library's copies are wiped.
pub(crate) fn signer(bytes: &[u8], what: &str) -> Result<SoftwareSigner, Failure> {
    let bad = || {
        Failure::abi(
            VitaleStatus::InvalidKey,
            format!("{what}: not a P-256 private key (32 bytes or 64 hex digits)"),
        )
    };
    if bytes.len() == 32 {
        return SoftwareSigner::from_slice(bytes).map_err(|_| bad());
    }
    let text = core::str::from_utf8(bytes).map_err(|_| bad())?.trim();
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    // The codec's hex is lower-case only; both copies are wiped on drop.
    let lower = zeroize::Zeroizing::new(text.to_ascii_lowercase());
    let scalar = zeroize::Zeroizing::new(vitale::codec::hex::decode(&lower).ok_or_else(bad)?);
    SoftwareSigner::from_slice(&scalar).map_err(|_| bad())
}

/// Reads at most `limit` bytes of a file (`io` beyond what it can read,
/// `too_large`-like `invalid_argument` beyond the limit).
pub(crate) fn read_file(
    path: &str,
    what: &str,
    limit: u64,
) -> Result<zeroize::Zeroizing<Vec<u8>>, Failure> {
    use std::io::Read as _;
    let io = |e| Failure::from(vitale::Error::io(format!("cannot read {what} {path}"), e));
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = zeroize::Zeroizing::new(Vec::new());
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(Failure::abi(
            VitaleStatus::InvalidArgument,
            format!("{what} {path}: larger than {limit} bytes"),
        ));
    }
    Ok(bytes)
}

/// The signer of a key file.
pub(crate) fn signer_file(path: &str, what: &str) -> Result<SoftwareSigner, Failure> {
    signer(&read_file(path, what, MAX_KEY_FILE)?, what)
}

/// A tariff file.
pub(crate) fn tariffs_file(path: &str) -> Result<vitale::fse::TariffTable, Failure> {
    let bytes = read_file(path, "the tariff file", MAX_TARIFF_FILE)?;
    let text = core::str::from_utf8(&bytes).map_err(|_| {
        Failure::abi(
            VitaleStatus::InvalidUtf8,
            format!("the tariff file {path} is not UTF-8"),
        )
    })?;
    vitale::fse::TariffTable::parse(text).map_err(|e| Failure::from(vitale::Error::from(e)))
}
