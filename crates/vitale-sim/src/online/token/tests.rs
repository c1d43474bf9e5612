use proptest::prelude::*;

use super::*;

fn claims(household: u8, serial: u64, expires: u64) -> TokenClaims {
    TokenClaims {
        household,
        serial,
        expires_at: Timestamp::from_unix(expires).unwrap_or(Timestamp::UNIX_EPOCH),
    }
}

#[test]
fn tokens_round_trip_and_route_as_tokens() -> Result<(), Error> {
    let issuer = TokenIssuer::new(&Seed::from_u64(7));
    let c = claims(2, 41, 1_795_334_520);
    let token = issuer.issue(c)?;
    assert!(token.as_str().starts_with("SIMTOK1."));
    assert_eq!(token.as_str().len(), 8 + 34 + 1 + 32);
    assert_eq!(issuer.check(token.as_str()), Some(c));
    assert!(matches!(
        vitale::codec::TextKind::of(token.as_str()),
        Ok(vitale::codec::TextKind::Token(_))
    ));
    // QR alphanumeric set: digits, upper case, and `.`.
    assert!(
        token
            .as_str()
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase() || b == b'.')
    );
    Ok(())
}

#[test]
fn another_seed_or_a_changed_character_is_refused() -> Result<(), Error> {
    let issuer = TokenIssuer::new(&Seed::from_u64(7));
    let token = issuer.issue(claims(0, 1, 1_795_334_520))?;
    assert_eq!(
        TokenIssuer::new(&Seed::from_u64(8)).check(token.as_str()),
        None
    );
    let text = token.as_str();
    for i in 8..text.len() {
        let mut bytes = text.as_bytes().to_vec();
        if let Some(b) = bytes.get_mut(i) {
            *b = if *b == b'0' { b'1' } else { b'0' };
        }
        let changed = String::from_utf8(bytes).unwrap_or_default();
        if changed != text {
            assert_eq!(issuer.check(&changed), None, "position {i}");
        }
    }
    assert_eq!(issuer.check(&text.to_ascii_lowercase()), None);
    Ok(())
}

proptest! {
    #[test]
    fn check_never_panics(text in "\\PC{0,120}") {
        let _ = TokenIssuer::new(&Seed::from_u64(1)).check(&text);
    }

    #[test]
    fn any_claims_round_trip(household: u8, serial: u64, expires in 0u64..4_000_000_000) {
        let issuer = TokenIssuer::new(&Seed::from_u64(3));
        let c = claims(household, serial, expires);
        let token = issuer.issue(c);
        prop_assert!(token.is_ok());
        if let Ok(token) = token {
            prop_assert_eq!(issuer.check(token.as_str()), Some(c));
        }
    }
}

/// RFC 4231 test case 2 (key "Jefe"): a key shorter than the block is
/// zero-padded, so "Jefe" and 28 zero bytes is the same key.
#[test]
fn the_mac_is_hmac_sha256_per_rfc_4231() {
    let mut key = [0u8; 32];
    for (slot, b) in key.iter_mut().zip(*b"Jefe") {
        *slot = b;
    }
    let issuer = TokenIssuer { key };
    let expected = [
        0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75,
        0xc7,
    ];
    assert_eq!(issuer.mac(b"what do ya want for nothing?"), expected);
}
