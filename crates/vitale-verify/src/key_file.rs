//! Key files: a P-256 private key (the professional's signing key, a
//! receipt key) or a public key to check signatures with, as a vendor's
//! tool or the `vitale` command reads them from disk.
//!
//! A private key file holds the scalar as 64 hex digits (either case; what
//! `vitale sim init` writes), or PEM: PKCS#8 (`BEGIN PRIVATE KEY`, what
//! `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`
//! writes) or SEC1 (`BEGIN EC PRIVATE KEY`, `openssl ecparam -name
//! prime256v1 -genkey`). A public key file holds a DER or PEM (`BEGIN
//! PUBLIC KEY`) SubjectPublicKeyInfo. PEM follows RFC 7468: white space in
//! the Base64 is ignored, text around the block too. Files over
//! [`MAX_KEY_FILE_BYTES`] are refused before they are parsed.
//!
//! ```
//! use vitale_verify::key_file;
//!
//! let hex = "5df735c93bb8b3d2bb25f3bc823410a810a7332412fbb78cc6ae7a2450da2c30";
//! let signer = key_file::parse_private_key(hex.as_bytes())?;
//! let public = key_file::to_pem("PUBLIC KEY", &signer.verifying_key().to_spki_der());
//! assert_eq!(&key_file::parse_public_key(public.as_bytes())?, signer.verifying_key());
//! # Ok::<(), vitale_verify::KeyFileError>(())
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use p256::elliptic_curve::zeroize::Zeroizing;

use crate::{PublicKey, SoftwareSigner};

/// Largest key file read, in bytes.
pub const MAX_KEY_FILE_BYTES: usize = 16 * 1024;

/// Why a key file was refused. No variant carries key material.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyFileError {
    /// Larger than [`MAX_KEY_FILE_BYTES`].
    #[error("larger than {MAX_KEY_FILE_BYTES} bytes")]
    TooLarge,
    /// Neither 64 hex digits nor a PEM block of a P-256 private key.
    #[error(
        "not a P-256 private key (64 hex digits, PKCS#8 `BEGIN PRIVATE KEY` or SEC1 `BEGIN EC PRIVATE KEY` PEM)"
    )]
    NotAPrivateKey,
    /// Neither a DER nor a PEM SubjectPublicKeyInfo of a P-256 key.
    #[error("not a P-256 public key (DER or PEM `BEGIN PUBLIC KEY` SubjectPublicKeyInfo)")]
    NotAPublicKey,
}

impl KeyFileError {
    /// A stable snake_case name.
    pub fn kind(&self) -> &'static str {
        match self {
            KeyFileError::TooLarge => "key_file_too_large",
            KeyFileError::NotAPrivateKey => "not_a_private_key",
            KeyFileError::NotAPublicKey => "not_a_public_key",
        }
    }
}

/// A private key file's signer: 64 hex digits, or PKCS#8 / SEC1 PEM.
///
/// # Errors
/// [`KeyFileError::TooLarge`], [`KeyFileError::NotAPrivateKey`].
pub fn parse_private_key(bytes: &[u8]) -> Result<SoftwareSigner, KeyFileError> {
    if bytes.len() > MAX_KEY_FILE_BYTES {
        return Err(KeyFileError::TooLarge);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| KeyFileError::NotAPrivateKey)?;
    let text = text.trim();
    if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        // The codec's hex is lower-case only.
        let lower = Zeroizing::new(text.to_ascii_lowercase());
        let scalar =
            Zeroizing::new(vitale_codec::hex::decode(&lower).ok_or(KeyFileError::NotAPrivateKey)?);
        return SoftwareSigner::from_slice(&scalar).map_err(|_| KeyFileError::NotAPrivateKey);
    }
    let der = pem_block(text, "PRIVATE KEY")
        .or_else(|| pem_block(text, "EC PRIVATE KEY"))
        .ok_or(KeyFileError::NotAPrivateKey)?;
    let key = p256::SecretKey::from_der(&der).map_err(|_| KeyFileError::NotAPrivateKey)?;
    let scalar = Zeroizing::new(key.to_bytes());
    SoftwareSigner::from_slice(scalar.as_slice()).map_err(|_| KeyFileError::NotAPrivateKey)
}

/// A public key file's key: DER SubjectPublicKeyInfo, or the same in PEM.
///
/// # Errors
/// [`KeyFileError::TooLarge`], [`KeyFileError::NotAPublicKey`].
pub fn parse_public_key(bytes: &[u8]) -> Result<PublicKey, KeyFileError> {
    if bytes.len() > MAX_KEY_FILE_BYTES {
        return Err(KeyFileError::TooLarge);
    }
    if let Ok(key) = PublicKey::from_spki_der(bytes) {
        return Ok(key);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| KeyFileError::NotAPublicKey)?;
    let der = pem_block(text.trim(), "PUBLIC KEY").ok_or(KeyFileError::NotAPublicKey)?;
    PublicKey::from_spki_der(&der).map_err(|_| KeyFileError::NotAPublicKey)
}

/// A PEM block of `der` labelled `label`, 64 characters a line.
pub fn to_pem(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    pem
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

#[cfg(test)]
mod tests;
