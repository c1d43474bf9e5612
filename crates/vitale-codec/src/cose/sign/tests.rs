use proptest::prelude::*;

use super::*;
use crate::Error;
use crate::cose::Sign1;

fn hex(s: &str) -> Vec<u8> {
    let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..clean.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&clean[i..i + 2], 16).unwrap())
        .collect()
}

fn cose_err(r: Result<ToBeSigned, Error>) -> CoseError {
    match r {
        Err(Error::Cose(e)) => e,
        other => panic!("expected a COSE error, got {other:?}"),
    }
}

#[test]
fn prepare_gives_the_rfc9052_sig_structure() {
    let tbs = Sign1::prepare(Some(&[1, 2, 3, 4, 5, 6, 7, 8]), b"hi", &[0xaa, 0xbb]);
    let want = hex(concat!(
        "84",                                 // array(4)
        "6a 5369676e617475726531",            // "Signature1"
        "4d a2 01 26 04 48 0102030405060708", // protected {1: -7, 4: kid}
        "42 aabb",                            // external_aad
        "42 6869",                            // payload "hi"
    ));
    assert_eq!(tbs.bytes(), want);
    assert_eq!(tbs.kid(), Some(&[1, 2, 3, 4, 5, 6, 7, 8]));
    assert_eq!(tbs.payload(), b"hi");
    assert_eq!(tbs.external_aad(), [0xaa, 0xbb]);
    // Device-signed: {1: -7}, empty AAD.
    let device = Sign1::prepare(None, b"", b"");
    assert_eq!(
        device.bytes(),
        hex("84 6a 5369676e617475726531 43 a10126 40 40")
    );
    assert_eq!(device.kid(), None);
}

#[test]
fn complete_gives_the_tagged_envelope_the_verifier_rebuilds() {
    let tbs = Sign1::prepare(None, b"hi", b"challenge");
    let signed = tbs.bytes().to_vec();
    let envelope = tbs.complete([0x11; 64]);
    let mut want = hex(concat!(
        "d2 84",     // tag 18, array(4)
        "43 a10126", // protected {1: -7}
        "a0",        // unprotected {}
        "42 6869",   // payload
        "5840",      // signature, 64 bytes
    ));
    want.extend_from_slice(&[0x11; 64]);
    assert_eq!(envelope, want);
    let decoded = Sign1::decode(&envelope, 1024, crate::cose::ParseMode::OpenProfile).unwrap();
    assert_eq!(decoded.to_be_signed(b"challenge").unwrap(), signed);
    assert_eq!(decoded.signature(), &[0x11; 64]);
}

#[test]
fn the_closure_wrapper_is_prepare_then_complete() {
    let kid = [9; 8];
    let mut seen = Vec::new();
    let one_call = Sign1::sign(Some(&kid), b"data", b"aad", |tbs| {
        seen = tbs.to_vec();
        Ok::<_, Error>([3; 64])
    })
    .unwrap();
    let tbs = Sign1::prepare(Some(&kid), b"data", b"aad");
    assert_eq!(seen, tbs.bytes());
    assert_eq!(one_call, tbs.complete([3; 64]));
}

#[test]
fn from_bytes_rebuilds_the_same_value() {
    for tbs in [
        Sign1::prepare(Some(&[7; 8]), b"payload", b""),
        Sign1::prepare(None, &[0x42; 300], &[0; 32]),
        Sign1::prepare(None, b"", b""),
    ] {
        let back = ToBeSigned::from_bytes(tbs.bytes(), 1024).unwrap();
        assert_eq!(back, tbs);
        assert_eq!(back.complete([1; 64]), tbs.complete([1; 64]));
    }
}

#[test]
fn from_bytes_is_strict() {
    let good = Sign1::prepare(Some(&[7; 8]), b"payload", b"");
    let bytes = good.bytes().to_vec();
    // Size limit, checked first.
    assert_eq!(
        ToBeSigned::from_bytes(&bytes, bytes.len() - 1),
        Err(Error::Cbor(cbor::CborError::TooLarge {
            size: bytes.len(),
            limit: bytes.len() - 1
        }))
    );
    // A trailing byte; a non-shortest head for the array.
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert!(matches!(
        cose_err(ToBeSigned::from_bytes(&trailing, 1024)),
        CoseError::Cbor(_)
    ));
    let mut long_head = vec![0x98, 0x04];
    long_head.extend_from_slice(&bytes[1..]);
    assert!(matches!(
        cose_err(ToBeSigned::from_bytes(&long_head, 1024)),
        CoseError::Cbor(_)
    ));
    let shapes = [
        // Another context: "Signature" (COSE_Sign) and "Signature0".
        "84 69 5369676e6174757265 43 a10126 40 40",
        "84 6a 5369676e617475726530 43 a10126 40 40",
        // Three and five elements.
        "83 6a 5369676e617475726531 43 a10126 40",
        "85 6a 5369676e617475726531 43 a10126 40 40 40",
        // Not an array; a text payload.
        "a0",
        "84 6a 5369676e617475726531 43 a10126 40 60",
    ];
    for shape in shapes {
        assert_eq!(
            cose_err(ToBeSigned::from_bytes(&hex(shape), 1024)),
            CoseError::MalformedSigStructure,
            "{shape}"
        );
    }
    let header = |protected: &str| {
        let protected = hex(protected);
        let mut b = hex("84 6a 5369676e617475726531");
        b.push(0x40 | protected.len() as u8);
        b.extend_from_slice(&protected);
        b.extend_from_slice(&hex("40 40"));
        ToBeSigned::from_bytes(&b, 1024)
    };
    assert!(header("a1 01 26").is_ok());
    assert_eq!(cose_err(header("")), CoseError::MissingAlgorithm);
    assert_eq!(cose_err(header("a0")), CoseError::MissingAlgorithm);
    assert_eq!(
        cose_err(header("a1 01 3822")),
        CoseError::UnsupportedAlgorithm("-35".into())
    );
    assert_eq!(
        cose_err(header("a3 01 26 02 81 1863 1863 00")),
        CoseError::UnknownCriticalHeader("99".into())
    );
    assert_eq!(
        cose_err(header("a2 01 26 03 00")),
        CoseError::UnexpectedHeader("3".into())
    );
    assert_eq!(
        cose_err(header("a2 01 26 04 47 01020304050607")),
        CoseError::KidLength(7)
    );
    assert_eq!(
        cose_err(header("a2 01 26 04 00")),
        CoseError::MalformedSigStructure
    );
    // Not deterministic inside the protected header.
    assert!(matches!(cose_err(header("a1 1801 26")), CoseError::Cbor(_)));
}

#[test]
fn debug_shows_sizes_not_the_payload() {
    let tbs = Sign1::prepare(Some(&[0xab; 8]), b"SECRET-NAME", b"");
    let shown = format!("{tbs:?}");
    assert!(!shown.contains("SECRET"), "{shown}");
    assert!(shown.contains("payload_len: 11"), "{shown}");
    assert!(shown.contains("abababababababab"), "{shown}");
}

proptest! {
    #[test]
    fn prepare_round_trips_through_bytes(
        kid in proptest::option::of(any::<[u8; 8]>()),
        payload in proptest::collection::vec(any::<u8>(), 0..600),
        aad in proptest::collection::vec(any::<u8>(), 0..40),
    ) {
        let tbs = Sign1::prepare(kid.as_ref(), &payload, &aad);
        let back = ToBeSigned::from_bytes(tbs.bytes(), 4096).unwrap();
        prop_assert_eq!(&back, &tbs);
        let envelope = back.complete([0x5a; 64]);
        let decoded = Sign1::decode(&envelope, 4096, crate::cose::ParseMode::OpenProfile).unwrap();
        prop_assert_eq!(decoded.to_be_signed(&aad).unwrap(), tbs.bytes());
        prop_assert_eq!(decoded.payload(), &payload[..]);
    }

    /// Any input: no panic, and whatever is accepted is reproduced byte
    /// for byte (one value, one encoding).
    #[test]
    fn from_bytes_accepts_only_canonical_input(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(tbs) = ToBeSigned::from_bytes(&bytes, 4096) {
            prop_assert_eq!(tbs.bytes(), &bytes[..]);
        }
    }

    /// Mutations of a valid value: refused, or exactly the bytes given.
    #[test]
    fn mutated_bytes_are_refused_or_reproduced(
        index in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let mut bytes = Sign1::prepare(Some(&[7; 8]), b"payload", b"aad").bytes().to_vec();
        let i = index.index(bytes.len());
        bytes[i] = byte;
        if let Ok(tbs) = ToBeSigned::from_bytes(&bytes, 4096) {
            prop_assert_eq!(tbs.bytes(), &bytes[..]);
        }
    }
}
