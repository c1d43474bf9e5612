#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use proptest::prelude::*;

use super::*;
use crate::Signer as _;

// A P-256 test key made with OpenSSL 3 (`openssl genpkey -algorithm EC
// -pkeyopt ec_paramgen_curve:P-256`, then `openssl ec` for the SEC1 and
// public forms). Test key only.
const SCALAR_HEX: &str = "5df735c93bb8b3d2bb25f3bc823410a810a7332412fbb78cc6ae7a2450da2c30";
const PKCS8_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgXfc1yTu4s9K7JfO8
gjQQqBCnMyQS+7eMxq56JFDaLDChRANCAAQXBb/hGOGh9En08pbVJk8XhuOnY2qO
GSJAFPDMsZz/5p9E+rc9P4VRn9qhnO/tOtf+KlGp66BjsX2Tw8Sl1T1q
-----END PRIVATE KEY-----
";
const SEC1_PEM: &str = "-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIF33Nck7uLPSuyXzvII0EKgQpzMkEvu3jMaueiRQ2iwwoAoGCCqGSM49
AwEHoUQDQgAEFwW/4RjhofRJ9PKW1SZPF4bjp2NqjhkiQBTwzLGc/+afRPq3PT+F
UZ/aoZzv7TrX/ipRqeugY7F9k8PEpdU9ag==
-----END EC PRIVATE KEY-----
";
const PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEFwW/4RjhofRJ9PKW1SZPF4bjp2Nq
jhkiQBTwzLGc/+afRPq3PT+FUZ/aoZzv7TrX/ipRqeugY7F9k8PEpdU9ag==
-----END PUBLIC KEY-----
";
// Keys of other curves (P-384, Ed25519), also from OpenSSL: refused.
const P384_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDCOtJze4cT6O1iNGS/w
1TxPsfRQruDEHsTc/T72fTWMRZzf+fDKye1CZscVcroiE2ChZANiAATx57CPU9v+
MPfbR9Cw+FQTI6eK87qLRvQ5Oy1HsoGw8mGx7emyneauGJUtO4ofDRUMFrB4beBF
EhA25bD3++suqq6Hx3GvcRjuL3YdA/LY0Ewb7WaLXMZ9yM6+Z13OWbc=
-----END PRIVATE KEY-----
";
const ED25519_PEM: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEICcEmjTXeo+0HN5K1tBB487KcyCmg2g/5TZQkc1qP6yX
-----END PRIVATE KEY-----
";

fn kid(signer: &SoftwareSigner) -> Option<[u8; 8]> {
    signer.kid()
}

#[test]
fn the_three_private_forms_are_the_same_key() -> Result<(), KeyFileError> {
    let hex = parse_private_key(SCALAR_HEX.as_bytes())?;
    let pkcs8 = parse_private_key(PKCS8_PEM.as_bytes())?;
    let sec1 = parse_private_key(SEC1_PEM.as_bytes())?;
    assert_eq!(kid(&hex), kid(&pkcs8));
    assert_eq!(kid(&hex), kid(&sec1));
    // Upper-case hex, a trailing newline, CRLF PEM.
    let upper = format!("{}\n", SCALAR_HEX.to_ascii_uppercase());
    assert_eq!(kid(&parse_private_key(upper.as_bytes())?), kid(&hex));
    let crlf = PKCS8_PEM.replace('\n', "\r\n");
    assert_eq!(kid(&parse_private_key(crlf.as_bytes())?), kid(&hex));
    // The public key of the PEM and DER forms.
    let public = parse_public_key(PUBLIC_PEM.as_bytes())?;
    assert_eq!(Some(public.clone()), hex.public_key());
    assert_eq!(parse_public_key(&public.to_spki_der())?, public);
    // to_pem writes what parse_public reads.
    let again = to_pem("PUBLIC KEY", &public.to_spki_der());
    assert_eq!(again, PUBLIC_PEM);
    Ok(())
}

#[test]
fn other_keys_and_garbage_are_refused() {
    for bad in [
        P384_PEM,
        ED25519_PEM,
        "",
        "00",
        // Zero is not a scalar; neither is the group order.
        "0000000000000000000000000000000000000000000000000000000000000000",
        "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
        // 63 and 65 digits.
        &SCALAR_HEX[1..],
        &format!("{SCALAR_HEX}0"),
        PUBLIC_PEM,
        "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n",
        "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG\n",
    ] {
        assert_eq!(
            parse_private_key(bad.as_bytes()).err(),
            Some(KeyFileError::NotAPrivateKey),
            "{bad:?}"
        );
    }
    for bad in [SCALAR_HEX, PKCS8_PEM, "", "-----BEGIN PUBLIC KEY-----\n"] {
        assert_eq!(
            parse_public_key(bad.as_bytes()).err(),
            Some(KeyFileError::NotAPublicKey),
            "{bad:?}"
        );
    }
}

proptest! {
    /// Any bytes: a key or a refusal, never a panic.
    #[test]
    fn any_bytes_are_a_key_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = parse_private_key(&bytes);
        let _ = parse_public_key(&bytes);
    }

    /// Random DER in a PEM armour: refused or a valid key, never a panic.
    #[test]
    fn random_pem_bodies_are_refused(der in proptest::collection::vec(any::<u8>(), 0..300)) {
        for label in ["PRIVATE KEY", "EC PRIVATE KEY"] {
            let _ = parse_private_key(to_pem(label, &der).as_bytes());
        }
        let _ = parse_public_key(to_pem("PUBLIC KEY", &der).as_bytes());
    }

    /// Mutating one byte of the PKCS#8 DER gives the same key or a refusal
    /// (never another valid key of the same scalar mixed with a wrong
    /// public key: the parser checks that the public key matches).
    #[test]
    fn one_changed_byte_of_pkcs8_is_caught(at in 0usize..138, xor in 1u8..=255) {
        let der = pem_block(PKCS8_PEM, "PRIVATE KEY").map(|d| d.to_vec()).unwrap_or_default();
        let mut bad = der.clone();
        if let Some(b) = bad.get_mut(at % der.len().max(1)) {
            *b ^= xor;
        }
        if let Ok(key) = parse_private_key(to_pem("PRIVATE KEY", &bad).as_bytes()) {
            // Only bytes the DER does not bind (none expected) may change.
            let original = parse_private_key(PKCS8_PEM.as_bytes()).ok().and_then(|k| k.kid());
            prop_assert_eq!(key.kid(), original);
        }
    }

    /// Every valid scalar in hex is read back as itself.
    #[test]
    fn hex_scalars_round_trip(scalar in proptest::array::uniform32(any::<u8>())) {
        let text = vitale_codec::hex::encode(&scalar);
        match SoftwareSigner::from_slice(&scalar) {
            Ok(expected) => prop_assert_eq!(
                parse_private_key(text.as_bytes()).ok().and_then(|k| k.kid()),
                expected.kid()
            ),
            Err(_) => prop_assert!(parse_private_key(text.as_bytes()).is_err()),
        }
    }
}

#[test]
fn an_oversized_key_file_is_refused() {
    let mut text = SCALAR_HEX.to_owned();
    text.push_str(&" ".repeat(MAX_KEY_FILE_BYTES));
    assert_eq!(
        parse_private_key(text.as_bytes()).err(),
        Some(KeyFileError::TooLarge)
    );
    assert_eq!(
        parse_public_key(text.as_bytes()).err(),
        Some(KeyFileError::TooLarge)
    );
    // At the limit, white space around the digits is still read.
    text.truncate(MAX_KEY_FILE_BYTES);
    assert!(parse_private_key(text.as_bytes()).is_ok());
}
