//! Key files: the professional's signing key and a receipt key (private),
//! and public keys to check signatures with.
//!
//! A private key file holds a P-256 key as 64 hex digits of the scalar (what
//! `vitale sim init` writes), or PEM: PKCS#8 (`BEGIN PRIVATE KEY`, what
//! `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256` writes)
//! or SEC1 (`BEGIN EC PRIVATE KEY`, `openssl ecparam -name prime256v1
//! -genkey`). A public key file holds a DER or PEM (`BEGIN PUBLIC KEY`)
//! SubjectPublicKeyInfo. Files over [`MAX_KEY_FILE`] bytes are refused
//! before they are read whole. The parser is
//! `vitale::verify::key_file` (fuzzed there, `fuzz/fuzz_targets/key_file.rs`).

use std::io::Read as _;
use std::path::Path;

use vitale::verify::key_file::{self, MAX_KEY_FILE_BYTES};
use vitale::verify::{PublicKey, Signer as _, SoftwareSigner};
use zeroize::Zeroizing;

use crate::cmd::Error;

/// Largest key file read.
pub(crate) const MAX_KEY_FILE: u64 = MAX_KEY_FILE_BYTES as u64;

/// Why a key file was refused (no key material in the message).
pub(crate) type KeyError = vitale::verify::KeyFileError;

/// Reads at most [`MAX_KEY_FILE`] bytes of `path`.
fn read_bounded(path: &Path, what: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    let file = std::fs::File::open(path)
        .map_err(|e| Error::io(format!("cannot read {what} {}", path.display()), e))?;
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(MAX_KEY_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(format!("cannot read {what} {}", path.display()), e))?;
    if bytes.len() as u64 > MAX_KEY_FILE {
        return Err(Error::key(path, what, KeyError::TooLarge));
    }
    Ok(bytes)
}

/// The signer of a private key file.
pub(crate) fn load_signer(path: &Path, what: &str) -> Result<SoftwareSigner, Error> {
    let bytes = read_bounded(path, what)?;
    key_file::parse_private_key(&bytes).map_err(|e| Error::key(path, what, e))
}

/// The public key of a public key file.
pub(crate) fn load_public_key(path: &Path, what: &str) -> Result<PublicKey, Error> {
    let bytes = read_bounded(path, what)?;
    key_file::parse_public_key(&bytes).map_err(|e| Error::key(path, what, e))
}

/// The public key to check signatures with: of `public` (a public key file)
/// or of `private` (a private key file), whichever is given.
pub(crate) fn verifying_key(
    public: Option<&Path>,
    private: Option<&Path>,
) -> Result<Option<PublicKey>, Error> {
    match (public, private) {
        (Some(path), _) => load_public_key(path, "the public key").map(Some),
        (None, Some(path)) => Ok(load_signer(path, "the key")?.public_key()),
        (None, None) => Ok(None),
    }
}

#[cfg(test)]
mod tests;
