use p256::ecdsa::SigningKey;
use proptest::prelude::*;

use super::*;

/// The P-256 generator, uncompressed (SEC 2 §2.4.2).
const G_UNCOMPRESSED: &str = concat!(
    "04",
    "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
    "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
);

fn hex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

#[test]
fn uncompressed_and_compressed_parse_to_the_same_key() {
    let full = PublicKey::from_sec1_bytes(&hex(G_UNCOMPRESSED)).unwrap();
    let compressed = full.to_compressed();
    // y of G ends in 0xf5: odd.
    assert_eq!(compressed[0], 0x03);
    let again = PublicKey::from_sec1_bytes(&compressed).unwrap();
    assert_eq!(full, again);
    assert_eq!(again.to_uncompressed().to_vec(), hex(G_UNCOMPRESSED));
}

#[test]
fn coordinates_build_the_same_key() {
    let bytes = hex(G_UNCOMPRESSED);
    let x: [u8; 32] = bytes[1..33].try_into().unwrap();
    let y: [u8; 32] = bytes[33..].try_into().unwrap();
    let key = PublicKey::from_coordinates(&x, &y).unwrap();
    assert_eq!(key.to_uncompressed().to_vec(), bytes);
}

#[test]
fn refuses_bad_sec1_encodings() {
    let bad = |bytes: &[u8]| PublicKey::from_sec1_bytes(bytes).unwrap_err();
    let err = |kind| Error::InvalidPublicKey(kind);
    assert_eq!(bad(&[]), err(KeyError::WrongLength));
    // Point at infinity.
    assert_eq!(bad(&[0x00]), err(KeyError::UnsupportedPointEncoding));
    // Hybrid form of G.
    let mut hybrid = hex(G_UNCOMPRESSED);
    hybrid[0] = 0x07;
    assert_eq!(bad(&hybrid), err(KeyError::UnsupportedPointEncoding));
    // Truncated uncompressed, padded compressed.
    let full = hex(G_UNCOMPRESSED);
    assert_eq!(bad(&full[..64]), err(KeyError::WrongLength));
    let mut long = full[..33].to_vec();
    long[0] = 0x02;
    long.push(0);
    assert_eq!(bad(&long), err(KeyError::WrongLength));
    // y changed: off the curve.
    let mut off = full.clone();
    off[64] ^= 1;
    assert_eq!(bad(&off), err(KeyError::NotOnCurve));
    // x = p (not a field element), compressed.
    let mut x_is_p = vec![0x02];
    x_is_p.extend(hex(
        "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
    ));
    assert_eq!(bad(&x_is_p), err(KeyError::NotOnCurve));
    // x = 0 has no square root on P-256? Either way it must not panic.
    let _ = PublicKey::from_sec1_bytes(&[0x02; 33]);
}

/// SPKI DER for G: SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING }.
fn spki_for(alg_and_curve: &str, point: &str) -> Vec<u8> {
    let alg = hex(alg_and_curve);
    let point = hex(point);
    let mut bits = vec![0x03, u8::try_from(point.len() + 1).unwrap(), 0x00];
    bits.extend(point);
    let mut body = vec![0x30, u8::try_from(alg.len()).unwrap()];
    body.extend(alg);
    body.extend(bits);
    let mut out = vec![0x30, u8::try_from(body.len()).unwrap()];
    out.extend(body);
    out
}

const EC_P256: &str = "06072a8648ce3d020106082a8648ce3d030107";
const EC_P384: &str = "06072a8648ce3d020106052b81040022";
const RSA: &str = "06092a864886f70d0101010500";

#[test]
fn spki_of_p256_parses() {
    let der = spki_for(EC_P256, G_UNCOMPRESSED);
    let key = PublicKey::from_spki_der(&der).unwrap();
    assert_eq!(key.to_uncompressed().to_vec(), hex(G_UNCOMPRESSED));
}

#[test]
fn spki_refusals_are_typed() {
    let err = |kind| Err(Error::InvalidPublicKey(kind));
    assert_eq!(
        PublicKey::from_spki_der(&spki_for(EC_P384, G_UNCOMPRESSED)),
        err(KeyError::WrongCurve)
    );
    assert_eq!(
        PublicKey::from_spki_der(&spki_for(RSA, G_UNCOMPRESSED)),
        err(KeyError::NotEcKey)
    );
    let mut trailing = spki_for(EC_P256, G_UNCOMPRESSED);
    trailing.push(0);
    assert_eq!(
        PublicKey::from_spki_der(&trailing),
        err(KeyError::MalformedSpki)
    );
    assert_eq!(
        PublicKey::from_spki_der(&[0x30, 0x00]),
        err(KeyError::MalformedSpki)
    );
    let mut off_curve = hex(G_UNCOMPRESSED);
    off_curve[64] ^= 1;
    assert_eq!(
        PublicKey::from_spki_der(&spki_for(EC_P256, &hex::encode(off_curve))),
        err(KeyError::NotOnCurve)
    );
}

#[test]
fn debug_shows_the_compressed_point() {
    let key = PublicKey::from_sec1_bytes(&hex(G_UNCOMPRESSED)).unwrap();
    let shown = format!("{key:?}");
    assert!(shown.starts_with("PublicKey(P-256, 036b17d1"), "{shown}");
}

#[test]
fn spki_der_is_the_rfc5480_form_and_parses_back() {
    let key = PublicKey::from_sec1_bytes(&hex(G_UNCOMPRESSED)).unwrap();
    let der = key.to_spki_der();
    let expected = concat!(
        "3059301306072a8648ce3d020106082a8648ce3d030107034200",
        "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
        "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
    );
    assert_eq!(der, hex(expected));
    assert_eq!(PublicKey::from_spki_der(&der).unwrap(), key);
    // The same key given compressed gives the same (uncompressed) SPKI.
    let compressed = PublicKey::from_sec1_bytes(&key.to_compressed()).unwrap();
    assert_eq!(compressed.to_spki_der(), der);
}

// Decompression (`key/decompress.rs`) against the `p256` crate's own.
/// `p256`'s own decompression, the reference.
fn reference_decompression(compressed: &[u8; COMPRESSED_LEN]) -> Option<[u8; UNCOMPRESSED_LEN]> {
    let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(compressed).ok()?;
    <[u8; UNCOMPRESSED_LEN]>::try_from(key.to_sec1_point(false).as_bytes()).ok()
}

fn compressed_point(tag: u8, x: [u8; 32]) -> [u8; COMPRESSED_LEN] {
    let mut c = [tag; COMPRESSED_LEN];
    c[1..].copy_from_slice(&x);
    c
}

#[test]
fn the_generator_decompresses_to_its_known_y() {
    // SEC 2 §2.4.2: G = 03 6b17d1f2… (y odd).
    let g = compressed_point(
        0x03,
        hex::decode("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296")
            .unwrap()
            .try_into()
            .unwrap(),
    );
    let y =
        hex::decode("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5").unwrap();
    let point = decompress::decompress(&g).unwrap();
    assert_eq!(point[0], 0x04);
    assert_eq!(&point[33..], y.as_slice());
    assert_eq!(Some(point), reference_decompression(&g));
}

#[test]
fn both_parities_of_real_keys_match_p256() {
    for i in 1..=64u8 {
        let key = SigningKey::from_bytes(&[i; 32].into()).unwrap();
        let point = key.verifying_key().to_sec1_point(true);
        let c: [u8; COMPRESSED_LEN] = point.as_bytes().try_into().unwrap();
        let full = decompress::decompress(&c).unwrap();
        assert_eq!(Some(full), reference_decompression(&c));
        assert_eq!(
            full.as_slice(),
            key.verifying_key().to_sec1_point(false).as_bytes()
        );
        // The other parity is the negated point, also on the curve.
        let mut other = c;
        other[0] ^= 1;
        assert_eq!(
            decompress::decompress(&other),
            reference_decompression(&other)
        );
    }
}

#[test]
fn x_not_below_p_and_bad_tags_are_refused() {
    let p: [u8; 32] =
        hex::decode("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff")
            .unwrap()
            .try_into()
            .unwrap();
    assert_eq!(decompress::decompress(&compressed_point(0x02, p)), None);
    assert_eq!(
        decompress::decompress(&compressed_point(0x03, [0xff; 32])),
        None
    );
    for tag in [0x00, 0x01, 0x04, 0x05, 0xff] {
        assert_eq!(
            decompress::decompress(&compressed_point(tag, [1; 32])),
            None
        );
    }
}

proptest! {
    /// Any x and parity: the same answer as `p256` (about half of the x
    /// have no point).
    #[test]
    fn agrees_with_p256(x in any::<[u8; 32]>(), odd in any::<bool>()) {
        let c = compressed_point(if odd { 0x03 } else { 0x02 }, x);
        prop_assert_eq!(decompress::decompress(&c), reference_decompression(&c));
    }
}

proptest! {
    /// The encoding kept for a parsed key is the one `p256` gives for it,
    /// from either form; bytes that are not a point are refused.
    #[test]
    fn kept_encoding_is_p256s(scalar in any::<[u8; 32]>(), y_flip in any::<bool>()) {
        let Ok(signing) = SigningKey::from_slice(&scalar) else { return Ok(()) };
        let point = signing.verifying_key().to_sec1_point(false);
        let key = PublicKey::from_sec1_bytes(point.as_bytes()).unwrap();
        prop_assert_eq!(&key.to_uncompressed()[..], point.as_bytes());
        let compressed = signing.verifying_key().to_sec1_point(true);
        let key = PublicKey::from_sec1_bytes(compressed.as_bytes()).unwrap();
        prop_assert_eq!(&key.to_uncompressed()[..], point.as_bytes());
        // Changing y gives a point off the curve.
        let mut bad = point.as_bytes().to_vec();
        if y_flip {
            bad[64] ^= 1;
        } else {
            bad[1] ^= 0x80;
        }
        prop_assert!(PublicKey::from_sec1_bytes(&bad).is_err());
    }
}
