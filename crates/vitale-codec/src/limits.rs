//! Size limits of the `open` profile (normative values in `docs/format.md`).
//!
//! Every decoder checks its input against one of these before doing any
//! work, so no input can make the SDK allocate or recurse without bound.

/// Largest encoded presentation (outer COSE_Sign1, tagged), in bytes.
///
/// A QR code at ECC level M holds at most 3391 alphanumeric characters,
/// i.e. about 2 260 bytes after Base45; the NFC channel allows more, for
/// credentials with many beneficiaries.
pub const MAX_PRESENTATION_BYTES: usize = 8192;

/// Largest encoded credential (COSE_Sign1, tagged), in bytes.
pub const MAX_CREDENTIAL_BYTES: usize = 6144;

/// Largest encoded delegation (COSE_Sign1, tagged), in bytes.
pub const MAX_DELEGATION_BYTES: usize = 1024;

/// Largest text form accepted by [`crate::text`], in characters: the
/// prefix plus the Base45 form of [`MAX_PRESENTATION_BYTES`].
pub const MAX_TEXT_CHARS: usize = 5 + MAX_PRESENTATION_BYTES.div_ceil(2) * 3;

/// Deepest CBOR nesting accepted (arrays, maps and tags all count).
pub const MAX_CBOR_DEPTH: usize = 8;

/// Most beneficiaries (*ayants droit*) a credential may list.
pub const MAX_BENEFICIARIES: usize = vitale_model::Beneficiaries::MAX;

/// Longest name-like text field (nom, prénoms, delegate name), in characters.
pub const MAX_NAME_CHARS: usize = vitale_model::PersonName::MAX_CHARS;

/// Largest response data reassembled from a `61xx` / GET RESPONSE chain.
pub const MAX_APDU_CHAIN_BYTES: usize = 65_536;
