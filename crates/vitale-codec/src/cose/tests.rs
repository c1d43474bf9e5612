use super::*;
use crate::Error;

fn fake_sign(_tbs: &[u8]) -> Result<[u8; 64], Error> {
    Ok([0x5a; 64])
}

fn hex(s: &str) -> Vec<u8> {
    let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..clean.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&clean[i..i + 2], 16).unwrap())
        .collect()
}

fn cose_err(r: Result<Sign1, Error>) -> CoseError {
    match r {
        Err(Error::Cose(e)) => e,
        other => panic!("expected a COSE error, got {other:?}"),
    }
}

/// A tagged envelope around the given protected map bytes, with an empty
/// unprotected map, payload `01` and a 64-byte signature.
fn envelope(protected: &str) -> Vec<u8> {
    let protected = hex(protected);
    let mut out = vec![0xd2, 0x84];
    out.push(0x40 | protected.len() as u8);
    out.extend_from_slice(&protected);
    out.extend_from_slice(&hex("a0 41 01 5840"));
    out.extend_from_slice(&[0x5a; 64]);
    out
}

#[test]
fn sign_then_decode_round_trips() {
    let kid = [1, 2, 3, 4, 5, 6, 7, 8];
    let bytes = Sign1::sign(Some(&kid), b"payload", b"", fake_sign).unwrap();
    let s = Sign1::decode(&bytes, 1024, ParseMode::OpenProfile).unwrap();
    assert_eq!(s.payload(), b"payload");
    assert_eq!(s.kid(), Some(&kid[..]));
    assert_eq!(s.protected_kid().unwrap(), kid);
    assert_eq!(s.signature(), &[0x5a; 64]);
    // protected = {1: -7, 4: h'0102030405060708'}
    assert_eq!(s.protected_bytes(), hex("a2 01 26 04 48 0102030405060708"));
}

#[test]
fn to_be_signed_is_the_rfc9052_sig_structure() {
    let bytes = Sign1::sign(None, b"hi", b"", fake_sign).unwrap();
    let s = Sign1::decode(&bytes, 1024, ParseMode::OpenProfile).unwrap();
    let want = hex(concat!(
        "84",                      // array(4)
        "6a 5369676e617475726531", // "Signature1"
        "43 a10126",               // protected {1: -7}
        "42 aabb",                 // external_aad
        "42 6869",                 // payload "hi"
    ));
    assert_eq!(s.to_be_signed(&[0xaa, 0xbb]).unwrap(), want);
}

#[test]
fn signer_sees_what_the_verifier_rebuilds() {
    let mut seen = Vec::new();
    let bytes = Sign1::sign(Some(&[9; 8]), b"data", b"challenge", |tbs| {
        seen = tbs.to_vec();
        Ok::<_, Error>([1; 64])
    })
    .unwrap();
    let s = Sign1::decode(&bytes, 1024, ParseMode::OpenProfile).unwrap();
    assert_eq!(s.to_be_signed(b"challenge").unwrap(), seen);
    assert_ne!(s.to_be_signed(b"other").unwrap(), seen);
}

#[test]
fn algorithm_must_be_es256_in_the_protected_header() {
    // {1: -37} (PS256)
    assert_eq!(
        cose_err(Sign1::decode(
            &envelope("a1 01 3824"),
            1024,
            ParseMode::OpenProfile
        )),
        CoseError::UnsupportedAlgorithm("-37".into())
    );
    // {1: -999}, unregistered
    assert_eq!(
        cose_err(Sign1::decode(
            &envelope("a1 01 3903e6"),
            1024,
            ParseMode::OpenProfile
        )),
        CoseError::UnsupportedAlgorithm("-999".into())
    );
    // {1: "unknown"}
    assert_eq!(
        cose_err(Sign1::decode(
            &envelope("a1 01 67 756e6b6e6f776e"),
            1024,
            ParseMode::OpenProfile
        )),
        CoseError::UnsupportedAlgorithm("\"unknown\"".into())
    );
    // {} — no algorithm at all
    assert_eq!(
        cose_err(Sign1::decode(&envelope("a0"), 1024, ParseMode::OpenProfile)),
        CoseError::MissingAlgorithm
    );
}

#[test]
fn critical_headers_are_honoured() {
    // {1: -7, 2: [4], 4: h'01'}: kid is critical and understood, which an
    // interop envelope may say; the open profile allows no crit at all.
    let kid_critical = envelope("a3 01 26 02 81 04 04 41 01");
    assert!(Sign1::decode(&kid_critical, 1024, ParseMode::Interop).is_ok());
    assert_eq!(
        cose_err(Sign1::decode(&kid_critical, 1024, ParseMode::OpenProfile)),
        CoseError::UnexpectedHeader("2".into())
    );
    // {1: -7, 2: [99], 99: 0}: unknown critical label.
    assert_eq!(
        cose_err(Sign1::decode(
            &envelope("a3 01 26 02 81 1863 1863 00"),
            1024,
            ParseMode::OpenProfile
        )),
        CoseError::UnknownCriticalHeader("99".into())
    );
    // {1: -7, 2: ["x"], "x": 0}: unknown text label.
    assert_eq!(
        cose_err(Sign1::decode(
            &envelope("a3 01 26 02 81 6178 6178 00"),
            1024,
            ParseMode::OpenProfile
        )),
        CoseError::UnknownCriticalHeader("\"x\"".into())
    );
    // {1: -7, 2: [4]} without a kid: crit names an absent label.
    assert_eq!(
        cose_err(Sign1::decode(
            &envelope("a2 01 26 02 81 04"),
            1024,
            ParseMode::OpenProfile
        )),
        CoseError::InvalidCritical
    );
    // {1: -7, 2: []}: empty crit.
    assert_eq!(
        cose_err(Sign1::decode(
            &envelope("a2 01 26 02 80"),
            1024,
            ParseMode::OpenProfile
        )),
        CoseError::InvalidCritical
    );
}

#[test]
fn open_profile_requires_the_tag_and_determinism() {
    let tagged = envelope("a1 01 26");
    let untagged = &tagged[1..];
    assert_eq!(
        cose_err(Sign1::decode(untagged, 1024, ParseMode::OpenProfile)),
        CoseError::WrongTag(None)
    );
    assert!(Sign1::decode(untagged, 1024, ParseMode::Interop).is_ok());
    let mut wrong_tag = tagged.clone();
    wrong_tag[0] = 0xd1; // tag 17 (COSE_Mac0)
    assert_eq!(
        cose_err(Sign1::decode(&wrong_tag, 1024, ParseMode::Interop)),
        CoseError::WrongTag(Some(17))
    );
    // Protected header {1: -7} with a non-shortest key head: refused by
    // the open profile, accepted for interop.
    let loose = envelope("a1 1801 26");
    assert!(matches!(
        cose_err(Sign1::decode(&loose, 1024, ParseMode::OpenProfile)),
        CoseError::Cbor(_)
    ));
    assert!(Sign1::decode(&loose, 1024, ParseMode::Interop).is_ok());
}

#[test]
fn shape_signature_length_payload_and_size() {
    let ok = envelope("a1 01 26");
    assert_eq!(
        Sign1::decode(&ok, ok.len() - 1, ParseMode::OpenProfile),
        Err(Error::Cbor(crate::cbor::CborError::TooLarge {
            size: ok.len(),
            limit: ok.len() - 1
        }))
    );
    // Signature of 63 bytes.
    let mut short = hex("d2 84 43 a10126 a0 41 01 583f");
    short.extend_from_slice(&[0; 63]);
    assert_eq!(
        cose_err(Sign1::decode(&short, 1024, ParseMode::OpenProfile)),
        CoseError::SignatureLength(63)
    );
    // Detached payload (nil).
    let mut detached = hex("d2 84 43 a10126 a0 f6 5840");
    detached.extend_from_slice(&[0; 64]);
    assert_eq!(
        cose_err(Sign1::decode(&detached, 1024, ParseMode::OpenProfile)),
        CoseError::DetachedPayload
    );
    // Three elements instead of four.
    assert_eq!(
        cose_err(Sign1::decode(
            &hex("d2 83 43 a10126 a0 41 01"),
            1024,
            ParseMode::OpenProfile
        )),
        CoseError::Malformed
    );
    // A kid of the wrong length for the profile.
    let s = Sign1::decode(&envelope("a2 01 26 04 41 01"), 1024, ParseMode::OpenProfile).unwrap();
    assert_eq!(s.protected_kid(), Err(CoseError::KidLength(1)));
}

#[test]
fn empty_protected_map_is_signed_as_empty_bytes() {
    // Interop: protected h'a0', alg in the unprotected header (cose-wg
    // sign1-tests/sign-pass-01).
    let mut bytes = hex("d2 84 41 a0 a1 01 26 41 01 5840");
    bytes.extend_from_slice(&[0; 64]);
    let s = Sign1::decode(&bytes, 1024, ParseMode::Interop).unwrap();
    assert_eq!(s.protected_bytes(), [0xa0]);
    assert_eq!(
        s.to_be_signed(b"").unwrap(),
        hex("84 6a 5369676e617475726531 40 40 41 01")
    );
    // The open profile wants the algorithm protected.
    assert_eq!(
        cose_err(Sign1::decode(&bytes, 1024, ParseMode::OpenProfile)),
        CoseError::MissingAlgorithm
    );
}

#[test]
fn debug_does_not_show_the_payload() {
    let bytes = Sign1::sign(None, b"SECRET-NAME", b"", fake_sign).unwrap();
    let s = Sign1::decode(&bytes, 1024, ParseMode::OpenProfile).unwrap();
    let shown = format!("{s:?}");
    assert!(!shown.contains("SECRET"), "{shown}");
    assert!(shown.contains("payload_len: 11"), "{shown}");
}

/// A tagged envelope with the given protected and unprotected map bytes,
/// payload `01` and a 64-byte signature.
fn envelope_with(protected: &str, unprotected: &str) -> Vec<u8> {
    let protected = hex(protected);
    let mut out = vec![0xd2, 0x84];
    out.push(0x40 | protected.len() as u8);
    out.extend_from_slice(&protected);
    out.extend_from_slice(&hex(unprotected));
    out.extend_from_slice(&hex("41 01 5840"));
    out.extend_from_slice(&[0x5a; 64]);
    out
}

#[test]
fn open_profile_allows_only_alg_and_kid_protected() {
    let open = |p: &str| Sign1::decode(&envelope(p), 1024, ParseMode::OpenProfile);
    // The two headers of the profile.
    assert!(open("a1 01 26").is_ok());
    let issuer = open("a2 01 26 04 48 0102030405060708").unwrap();
    assert!(issuer.protected_has_kid());
    assert!(!open("a1 01 26").unwrap().protected_has_kid());
    // An empty kid is refused (coset's rule), not read as "no kid".
    assert_eq!(cose_err(open("a2 01 26 04 40")), CoseError::Malformed);
    // {1: -7, 3: 0}: content type.
    assert_eq!(
        cose_err(open("a2 01 26 03 00")),
        CoseError::UnexpectedHeader("3".into())
    );
    // {1: -7, 99: 0}: an unknown label, not critical.
    assert_eq!(
        cose_err(open("a2 01 26 1863 00")),
        CoseError::UnexpectedHeader("99".into())
    );
    // {1: -7, -1: 0} and {1: -7, "x": 0}.
    assert_eq!(
        cose_err(open("a2 01 26 20 00")),
        CoseError::UnexpectedHeader("-1".into())
    );
    assert_eq!(
        cose_err(open("a2 01 26 6178 00")),
        CoseError::UnexpectedHeader("\"x\"".into())
    );
    // The interop mode accepts them all.
    for p in ["a2 01 26 03 00", "a2 01 26 1863 00", "a2 01 26 6178 00"] {
        assert!(
            Sign1::decode(&envelope(p), 1024, ParseMode::Interop).is_ok(),
            "{p}"
        );
    }
}

#[test]
fn open_profile_requires_an_empty_unprotected_header() {
    let open = |u: &str| Sign1::decode(&envelope_with("a1 01 26", u), 1024, ParseMode::OpenProfile);
    assert!(open("a0").is_ok());
    // {4: h'01'} (a kid), {33: 0} (x5chain's label with junk), {99: "x"}:
    // unsigned data riding along, refused.
    for unprotected in ["a1 04 41 01", "a1 1821 00", "a1 1863 6178"] {
        assert_eq!(
            cose_err(open(unprotected)),
            CoseError::UnprotectedHeader,
            "{unprotected}"
        );
        assert!(
            Sign1::decode(
                &envelope_with("a1 01 26", unprotected),
                1024,
                ParseMode::Interop
            )
            .is_ok()
        );
    }
    // The algorithm is reported first: {1: -35} with junk unprotected.
    assert_eq!(
        cose_err(Sign1::decode(
            &envelope_with("a1 01 3822", "a1 04 41 01"),
            1024,
            ParseMode::OpenProfile
        )),
        CoseError::UnsupportedAlgorithm("-35".into())
    );
    // An unprotected crit is refused in both modes.
    assert_eq!(
        cose_err(Sign1::decode(
            &envelope_with("a1 01 26", "a1 02 81 01"),
            1024,
            ParseMode::Interop
        )),
        CoseError::InvalidCritical
    );
}

// The open profile's shortcut (`Sign1::from_profile_form`) against the
// generic path (a CBOR value, header checks, coset) that it stands in for.

use crate::mutate::{apply_bytes, byte_edits};
use proptest::prelude::*;

/// Genuine open-profile envelopes: with and without a kid, payloads whose
/// lengths cross every head size the shortcut reads.
fn genuine_envelopes() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for len in [0, 1, 23, 24, 255, 256, 1000] {
        let payload: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        out.push(Sign1::prepare(None, &payload, b"").complete([0x5a; 64]));
        out.push(Sign1::prepare(Some(&[7; 8]), &payload, b"").complete([0xa5; 64]));
    }
    out
}

/// `Sign1::decode` in the open profile, and what it did before the
/// shortcut: the size check, then the generic path.
fn both_ways(bytes: &[u8], max: usize) -> (Result<Sign1, Error>, Result<Sign1, Error>) {
    let reference = if bytes.len() > max {
        Err(crate::cbor::CborError::TooLarge {
            size: bytes.len(),
            limit: max,
        }
        .into())
    } else {
        Sign1::decode_generic(bytes, max, ParseMode::OpenProfile)
    };
    (Sign1::decode(bytes, max, ParseMode::OpenProfile), reference)
}

#[test]
fn the_shortcut_reads_genuine_envelopes_as_the_generic_path_does() {
    for bytes in genuine_envelopes() {
        let fast = Sign1::from_profile_form(&bytes).expect("the shortcut applies");
        assert_eq!(
            Ok(&fast),
            Sign1::decode_generic(&bytes, 8192, ParseMode::OpenProfile).as_ref()
        );
        assert_eq!(fast.to_be_signed(b"x").unwrap(), {
            let generic = Sign1::decode_generic(&bytes, 8192, ParseMode::OpenProfile).unwrap();
            generic.to_be_signed(b"x").unwrap()
        });
    }
}

#[test]
fn the_shortcut_leaves_every_other_form_to_the_generic_path() {
    let good = Sign1::prepare(Some(&[7; 8]), b"payload", b"").complete([0x5a; 64]);
    let cases: Vec<Vec<u8>> = vec![
        // Untagged, tag 18 with a two-byte head, array with a 1-byte length.
        good[1..].to_vec(),
        [&[0xd8, 0x12][..], &good[1..]].concat(),
        [&[0xd2, 0x98, 0x04][..], &good[2..]].concat(),
        // Other protected headers: a 2-byte kid, kid before alg (not
        // deterministic), a content type, an empty bstr, `a0`.
        envelope("a2 01 26 04 42 0102"),
        envelope("a2 04 48 0102030405060708 01 26"),
        envelope("a2 01 26 03 00"),
        envelope(""),
        envelope("a0"),
        // Non-empty unprotected header; nil payload; a payload with a
        // non-shortest head; a 63-byte signature; a trailing byte.
        envelope_with("a1 01 26", "a1 04 41 01"),
        hex(&format!("d2 84 43 a10126 a0 f6 5840 {}", "5a".repeat(64))),
        hex(&format!(
            "d2 84 43 a10126 a0 5801 01 5840 {}",
            "5a".repeat(64)
        )),
        hex(&format!(
            "d2 84 43 a10126 a0 41 01 583f {}",
            "5a".repeat(63)
        )),
        [good.as_slice(), &[0x00]].concat(),
    ];
    for bytes in cases {
        assert!(Sign1::from_profile_form(&bytes).is_none(), "{bytes:02x?}");
        let (fast, generic) = both_ways(&bytes, 8192);
        assert_eq!(fast, generic, "{bytes:02x?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Same envelope or same error, whichever path reads it.
    #[test]
    fn edited_envelopes_decode_the_same_both_ways(
        which in 0usize..14,
        edits in byte_edits(),
        max in prop_oneof![Just(8192usize), 0usize..1200],
    ) {
        let bytes = apply_bytes(&genuine_envelopes()[which], &edits);
        let (fast, generic) = both_ways(&bytes, max);
        prop_assert_eq!(fast, generic);
    }

    /// Owned or borrowed bytes, the same envelope (or error), which keeps
    /// the bytes as received.
    #[test]
    fn decode_owned_is_decode(
        which in 0usize..14,
        edits in byte_edits(),
        mode in prop_oneof![Just(ParseMode::OpenProfile), Just(ParseMode::Interop)],
    ) {
        let bytes = apply_bytes(&genuine_envelopes()[which], &edits);
        let owned = Sign1::decode_owned(bytes.clone(), 8192, mode);
        prop_assert_eq!(&owned, &Sign1::decode(&bytes, 8192, mode));
        if let Ok(sign1) = owned {
            prop_assert_eq!(sign1.as_bytes(), &bytes[..]);
        }
    }

    #[test]
    fn random_bytes_decode_the_same_both_ways(
        bytes in prop::collection::vec(any::<u8>(), 0..128),
    ) {
        let (fast, generic) = both_ways(&bytes, 8192);
        prop_assert_eq!(fast, generic);
    }
}
