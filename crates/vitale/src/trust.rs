//! Loading a trust list: one call, and the pinned root is always checked.

use std::path::Path;

use vitale_model::Timestamp;
use vitale_verify::trust::{TrustAnchor, TrustList, TrustStore};
use vitale_verify::{SignatureBackend, default_backend};

use crate::Error;

#[cfg(feature = "online")]
pub mod refresh;

/// A trust store from a trust list (CBOR/COSE or JSON/JWS form, detected)
/// and the root key the application pins (SubjectPublicKeyInfo DER).
///
/// The list must be signed by that root and valid at `now`; a file's UTF-8
/// byte-order mark and surrounding white space (a trailing line ending) are
/// ignored for the JSON form, whose compact JWS text has none of its own.
pub fn load_trust_store(
    list: &[u8],
    pinned_root_spki_der: &[u8],
    now: Timestamp,
) -> Result<TrustStore, Error> {
    load_trust_store_with(list, pinned_root_spki_der, now, default_backend())
}

/// As [`load_trust_store`], verifying the root signature with `backend`.
pub fn load_trust_store_with(
    list: &[u8],
    pinned_root_spki_der: &[u8],
    now: Timestamp,
    backend: &dyn SignatureBackend,
) -> Result<TrustStore, Error> {
    if is_blank(list) {
        return Err(Error::EmptyInput { what: "trust list" });
    }
    let anchor = TrustAnchor::from_spki_der(pinned_root_spki_der)?;
    let (form, list) = match jws_text(list) {
        Some(text) => ("json", TrustList::from_json(text, &anchor, backend, now)),
        None => ("cbor", TrustList::from_cbor(list, &anchor, backend, now)),
    };
    let list = list.inspect_err(|e| tracing::info!(form, kind = e.kind(), "trust list refused"))?;
    tracing::info!(
        form,
        sequence = list.sequence(),
        keys = list.keys().len(),
        expires_at = %list.expires_at(),
        "trust list loaded"
    );
    Ok(TrustStore::new(anchor, list))
}

/// As [`load_trust_store`], from two files.
pub fn load_trust_store_files(
    list: &Path,
    pinned_root: &Path,
    now: Timestamp,
) -> Result<TrustStore, Error> {
    let read = |path: &Path, what: &str| {
        std::fs::read(path)
            .map_err(|e| Error::io(format!("cannot read {what} {}", path.display()), e))
    };
    load_trust_store(
        &read(list, "the trust list")?,
        &read(pinned_root, "the root key")?,
        now,
    )
}

/// Nothing, or only a byte-order mark and white space.
fn is_blank(bytes: &[u8]) -> bool {
    let rest = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    rest.iter().all(u8::is_ascii_whitespace)
}

/// The JWS text when the bytes hold the JSON form (base64url of `{"`
/// starts with `eyJ`), without a byte-order mark and surrounding white
/// space.
fn jws_text(bytes: &[u8]) -> Option<&str> {
    let text = core::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).trim();
    text.starts_with("eyJ").then_some(text)
}
