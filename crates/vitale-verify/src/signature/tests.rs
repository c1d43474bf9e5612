use proptest::prelude::*;

use super::*;

fn der(s: &str) -> Result<Signature, Error> {
    Signature::from_der(&hex::decode(s).unwrap())
}

fn enc(kind: Enc) -> Result<Signature, Error> {
    Err(Error::InvalidSignatureEncoding(kind))
}

#[test]
fn cose_form_is_exactly_64_bytes() {
    assert!(Signature::from_slice(&[1; 64]).is_ok());
    assert_eq!(Signature::from_slice(&[1; 63]), enc(Enc::WrongLength));
    assert_eq!(Signature::from_slice(&[1; 65]), enc(Enc::WrongLength));
    assert_eq!(Signature::from_slice(&[]), enc(Enc::WrongLength));
}

#[test]
fn r_and_s_are_the_two_halves() {
    let mut bytes = [0u8; 64];
    bytes[31] = 1;
    bytes[63] = 2;
    let sig = Signature::from_bytes(&bytes);
    assert_eq!(sig.r()[31], 1);
    assert_eq!(sig.s()[31], 2);
    assert_eq!(sig.to_bytes(), bytes);
}

#[test]
fn small_der_parses_and_pads() {
    // r = 1, s = 0x80 (needs a leading 00).
    let sig = der(concat!("3007", "020101", "02020080")).unwrap();
    assert_eq!(sig.r()[31], 1);
    assert_eq!(sig.s()[31], 0x80);
    assert_eq!(hex::encode(sig.to_der()), "300702010102020080");
}

#[test]
fn zero_is_legal_der() {
    // Zero is a valid INTEGER; verification, not parsing, refuses it.
    let sig = der("3006020100020100").unwrap();
    assert_eq!(sig.to_bytes(), [0; 64]);
}

#[test]
fn strict_der_refusals() {
    let cases = [
        ("", Enc::Truncated),
        ("3106020101020101", Enc::UnexpectedTag),
        ("3006030101020101", Enc::UnexpectedTag),
        ("3080020101020101", Enc::IndefiniteLength),
        ("308106020101020101", Enc::NonMinimalLength),
        ("30820006020101020101", Enc::NonMinimalLength),
        ("300602010102010100", Enc::TrailingData),
        ("3009020101020101050000", Enc::TrailingData),
        ("3007020101020101", Enc::Truncated),
        ("30050201010202", Enc::Truncated),
        ("30050200020101", Enc::EmptyInteger),
        ("30060201ff020101", Enc::NegativeInteger),
        ("300702020001020101", Enc::NonMinimalInteger),
        ("3084000000060201010201", Enc::NonMinimalLength),
        ("30830100000201", Enc::Oversized),
        ("3081ff", Enc::Oversized),
    ];
    for (input, kind) in cases {
        let got = der(input);
        assert_eq!(got, enc(kind), "{input}");
    }
}

#[test]
fn integers_over_32_bytes_are_refused() {
    // r = 33 significant bytes.
    let mut r = String::from("0221");
    r.push_str(&"01".repeat(33));
    let input = format!("3026{r}020101");
    assert_eq!(der(&input), enc(Enc::Oversized));
    // 00 followed by 32 bytes with top bit set is fine.
    let mut r = String::from("022100");
    r.push_str(&"ff".repeat(32));
    let input = format!("3026{r}020101");
    assert!(der(&input).is_ok());
}

proptest! {
    #[test]
    fn der_round_trips(bytes in proptest::array::uniform32(any::<u8>()), s in proptest::array::uniform32(any::<u8>())) {
        let mut all = [0u8; 64];
        all[..32].copy_from_slice(&bytes);
        all[32..].copy_from_slice(&s);
        let sig = Signature::from_bytes(&all);
        let der = sig.to_der();
        prop_assert!(der.len() <= MAX_DER_SIGNATURE_LEN);
        prop_assert_eq!(Signature::from_der(&der), Ok(sig));
    }

    #[test]
    fn der_parser_never_panics(input in proptest::collection::vec(any::<u8>(), 0..100)) {
        let _ = Signature::from_der(&input);
    }
}
