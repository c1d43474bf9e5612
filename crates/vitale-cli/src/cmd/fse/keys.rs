//! Key files: the professional's signing key and a receipt key (private),
//! and public keys to check signatures with.
//!
//! A private key file holds a P-256 key as 64 hex digits of the scalar (what
//! `vitale sim init` writes), or PEM: PKCS#8 (`BEGIN PRIVATE KEY`, what
//! `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256` writes)
//! or SEC1 (`BEGIN EC PRIVATE KEY`, `openssl ecparam -name prime256v1
//! -genkey`). A public key file holds a DER or PEM (`BEGIN PUBLIC KEY`)
//! SubjectPublicKeyInfo. Files over [`MAX_KEY_FILE`] bytes are refused
//! before they are parsed.

use std::io::Read as _;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use vitale::verify::{PublicKey, Signer as _, SoftwareSigner};
use zeroize::Zeroizing;

use crate::cmd::Error;

/// Largest key file read.
pub(crate) const MAX_KEY_FILE: u64 = 16 * 1024;

/// Why a key file was refused (no key material in the message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum KeyError {
    /// Larger than [`MAX_KEY_FILE`].
    #[error("larger than {MAX_KEY_FILE} bytes")]
    TooLarge,
    /// Neither 64 hex digits nor a PEM block of a P-256 key.
    #[error(
        "not a P-256 private key (64 hex digits, PKCS#8 `BEGIN PRIVATE KEY` or SEC1 `BEGIN EC PRIVATE KEY` PEM)"
    )]
    NotAPrivateKey,
    /// Neither a DER nor a PEM SubjectPublicKeyInfo of a P-256 key.
    #[error("not a P-256 public key (DER or PEM `BEGIN PUBLIC KEY` SubjectPublicKeyInfo)")]
    NotAPublicKey,
}

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
    parse_private(&bytes).map_err(|e| Error::key(path, what, e))
}

/// The public key of a public key file.
pub(crate) fn load_public_key(path: &Path, what: &str) -> Result<PublicKey, Error> {
    let bytes = read_bounded(path, what)?;
    parse_public(&bytes).map_err(|e| Error::key(path, what, e))
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

/// A private key: 64 hex digits, or PKCS#8 / SEC1 PEM.
pub(crate) fn parse_private(bytes: &[u8]) -> Result<SoftwareSigner, KeyError> {
    let text = std::str::from_utf8(bytes).map_err(|_| KeyError::NotAPrivateKey)?;
    let text = text.trim();
    if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        // The codec's hex is lower-case only.
        let lower = Zeroizing::new(text.to_ascii_lowercase());
        let scalar =
            Zeroizing::new(vitale::codec::hex::decode(&lower).ok_or(KeyError::NotAPrivateKey)?);
        return SoftwareSigner::from_slice(&scalar).map_err(|_| KeyError::NotAPrivateKey);
    }
    let der = pem_block(text, "PRIVATE KEY")
        .or_else(|| pem_block(text, "EC PRIVATE KEY"))
        .ok_or(KeyError::NotAPrivateKey)?;
    let key = p256::SecretKey::from_der(&der).map_err(|_| KeyError::NotAPrivateKey)?;
    let scalar = Zeroizing::new(key.to_bytes());
    SoftwareSigner::from_slice(scalar.as_slice()).map_err(|_| KeyError::NotAPrivateKey)
}

/// A public key: DER SubjectPublicKeyInfo, or the same in PEM.
pub(crate) fn parse_public(bytes: &[u8]) -> Result<PublicKey, KeyError> {
    if let Ok(key) = PublicKey::from_spki_der(bytes) {
        return Ok(key);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| KeyError::NotAPublicKey)?;
    let der = pem_block(text.trim(), "PUBLIC KEY").ok_or(KeyError::NotAPublicKey)?;
    PublicKey::from_spki_der(&der).map_err(|_| KeyError::NotAPublicKey)
}

/// The DER bytes of the first PEM block labelled `label` (RFC 7468: no
/// headers; white space inside the Base64 ignored). Text before and after
/// the block is ignored.
fn pem_block(text: &str, label: &str) -> Option<Zeroizing<Vec<u8>>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = text.find(&begin)?.checked_add(begin.len())?;
    let body = text.get(start..)?;
    let body = body.get(..body.find(&end)?)?;
    let base64: Zeroizing<String> =
        Zeroizing::new(body.chars().filter(|c| !c.is_ascii_whitespace()).collect());
    STANDARD.decode(base64.as_bytes()).ok().map(Zeroizing::new)
}

/// A PEM block of `der` labelled `label`, 64 characters a line.
#[cfg(test)]
pub(crate) fn to_pem(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    pem
}

#[cfg(test)]
mod tests;
