//! Decompression of SEC1 compressed P-256 points (`02|03 ‖ x`).
//!
//! y is a square root of x³ − 3x + b modulo p. `p256`'s point
//! decompression goes through the generic `ff::Field::sqrt`, a
//! constant-time exponentiation that costs about a tenth of a `ring`
//! signature verification: the largest fixed cost of verifying a credential
//! whose device key is compressed (`docs/performance.md`). The same field
//! type also has an inherent `sqrt` — a fixed addition chain for the
//! exponent (p + 1) / 4 — several times faster; a public key is not secret,
//! so that one is used here. The curve equation is checked again when
//! `p256` parses the resulting uncompressed point.

use p256::NistP256;
use p256::elliptic_curve::ff::PrimeField as _;
use p256::elliptic_curve::hazmat::FieldArithmetic;

use super::{COMPRESSED_LEN, UNCOMPRESSED_LEN};

/// An element of the P-256 base field (`p256`'s own type).
type FieldElement = <NistP256 as FieldArithmetic>::FieldElement;

/// The curve coefficient b, big-endian (SEC 2 §2.4.2); a = −3.
const B: [u8; 32] = [
    0x5a, 0xc6, 0x35, 0xd8, 0xaa, 0x3a, 0x93, 0xe7, 0xb3, 0xeb, 0xbd, 0x55, 0x76, 0x98, 0x86, 0xbc,
    0x65, 0x1d, 0x06, 0xb0, 0xcc, 0x53, 0xb0, 0xf6, 0x3b, 0xce, 0x3c, 0x3e, 0x27, 0xd2, 0x60, 0x4b,
];

/// The uncompressed point `04 ‖ x ‖ y` of a compressed one `02|03 ‖ x`:
/// y is the root of x³ − 3x + b whose parity the tag gives (`03`: odd).
///
/// `None` when the tag is not `02` or `03`, when x is not below p, or when
/// x³ − 3x + b is not a square (no point of the curve has this x).
pub(super) fn decompress(compressed: &[u8; COMPRESSED_LEN]) -> Option<[u8; UNCOMPRESSED_LEN]> {
    let (&tag, x_bytes) = compressed.split_first()?;
    let want_odd = match tag {
        0x02 => false,
        0x03 => true,
        _ => return None,
    };
    let x_bytes: [u8; 32] = x_bytes.try_into().ok()?;
    // `from_repr` refuses x ≥ p.
    let x = Option::<FieldElement>::from(FieldElement::from_repr(x_bytes.into()))?;
    let b = Option::<FieldElement>::from(FieldElement::from_repr(B.into()))?;
    let rhs = x.square() * x - (x.double() + x) + b;
    // The inherent `FieldElement::sqrt` (addition chain), not the trait's;
    // it returns `None` unless the root squared gives `rhs` back.
    let root = Option::<FieldElement>::from(rhs.sqrt())?;
    let y = if bool::from(root.is_odd()) == want_odd {
        root
    } else {
        -root
    };
    let mut out = [0u8; UNCOMPRESSED_LEN];
    let (head, rest) = out.split_at_mut(1);
    let (x_out, y_out) = rest.split_at_mut(32);
    head.copy_from_slice(&[0x04]);
    x_out.copy_from_slice(&x_bytes);
    y_out.copy_from_slice(&y.to_repr());
    Some(out)
}
