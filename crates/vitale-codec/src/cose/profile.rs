//! The open profile's envelopes read straight from their bytes.
//!
//! `docs/format.md` §3 allows one encoding of an open-profile envelope:
//! `d2 84`, the protected header `a1 01 26` (device-signed) or
//! `a2 01 26 04 48 ‖ kid` (issuer-signed), the unprotected header `a0`, the
//! payload and a 64-byte signature as byte strings with their shortest
//! heads, and nothing after. [`read`] recognises exactly that, without
//! building a CBOR value or a `coset` structure; anything else is left to
//! the generic path, which accepts it or refuses it with the error its
//! checks give. Whatever [`read`] accepts, the generic path accepts with
//! the same result (`Sign1` equality: property tests in `super::tests`, on
//! random and edited envelopes; and against `coset` on the cose-wg
//! examples, `tests/cose_wg_coset.rs`).

use core::ops::Range;

use super::{COSE_SIGN1_TAG, ES256_SIGNATURE_LEN, Parts};

/// The pieces of an envelope in the profile's one encoding, or `None`.
pub(super) fn read(bytes: &[u8]) -> Option<(Parts, [u8; ES256_SIGNATURE_LEN])> {
    // Tag 18 and array(4), both with their one-byte heads.
    let rest = bytes.strip_prefix(&[0xc0 | COSE_SIGN1_TAG as u8, 0x84])?;
    let (protected, has_kid) = match rest.first()? {
        // bstr(3): {1: -7}
        0x43 => (rest.get(1..4)? == [0xa1, 0x01, 0x26], false),
        // bstr(13): {1: -7, 4: bstr(8)}
        0x4d => (rest.get(1..6)? == [0xa2, 0x01, 0x26, 0x04, 0x48], true),
        _ => return None,
    };
    if !protected {
        return None;
    }
    let protected = 3..if has_kid { 16 } else { 6 };
    // The unprotected header: the empty map.
    if *bytes.get(protected.end)? != 0xa0 {
        return None;
    }
    let payload = shortest_bstr(bytes, protected.end + 1)?;
    // bstr(64), then the end of the input.
    let signature = bytes.get(payload.end..)?.strip_prefix(&[0x58, 0x40])?;
    let signature = <[u8; ES256_SIGNATURE_LEN]>::try_from(signature).ok()?;
    let parts = Parts::Profile {
        protected,
        payload,
        has_kid,
    };
    Some((parts, signature))
}

/// The content of the byte string at `at`, if its head is the shortest
/// for its length (lengths up to 65 535; longer ones are left to the
/// generic path).
fn shortest_bstr(bytes: &[u8], at: usize) -> Option<Range<usize>> {
    let (len, start) = match *bytes.get(at)? {
        initial @ 0x40..=0x57 => (usize::from(initial & 0x1f), at + 1),
        0x58 => {
            let len = *bytes.get(at + 1)?;
            (len >= 24).then_some((usize::from(len), at + 2))?
        }
        0x59 => {
            let len = u16::from_be_bytes(bytes.get(at + 1..at + 3)?.try_into().ok()?);
            (len > 0xff).then_some((usize::from(len), at + 3))?
        }
        _ => return None,
    };
    let end = start.checked_add(len)?;
    (end <= bytes.len()).then_some(start..end)
}
