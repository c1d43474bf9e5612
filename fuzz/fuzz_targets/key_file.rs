//! Key files (`vitale_verify::key_file`): the professional's signing key
//! and receipt keys (64 hex digits, PKCS#8 or SEC1 PEM) and public keys
//! (DER or PEM SubjectPublicKeyInfo), as `vitale fse` reads them.
//!
//! The first byte chooses how the rest is used: as the file itself, or
//! as DER wrapped in a PEM armour of one of the three labels (so that the
//! fuzzer reaches the PKCS#8 and SEC1 decoders without having to invent
//! Base64).
//!
//! Asserts beyond "no panic": a private key's public key, written as a PEM
//! public key file, reads back to the same key; a public key re-encodes to
//! a DER file that reads back to it; files over the limit are refused as
//! too large.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_verify::Signer as _;
use vitale_verify::key_file::{self, KeyFileError, MAX_KEY_FILE_BYTES};

const LABELS: [&str; 3] = ["PRIVATE KEY", "EC PRIVATE KEY", "PUBLIC KEY"];

fn check(bytes: &[u8]) {
    match key_file::parse_private_key(bytes) {
        Ok(signer) => {
            let public = signer.public_key().expect("a software key has one");
            let pem = key_file::to_pem("PUBLIC KEY", &public.to_spki_der());
            assert_eq!(
                key_file::parse_public_key(pem.as_bytes()).ok(),
                Some(public)
            );
        }
        Err(KeyFileError::TooLarge) => assert!(bytes.len() > MAX_KEY_FILE_BYTES),
        Err(_) => {}
    }
    match key_file::parse_public_key(bytes) {
        Ok(public) => {
            assert_eq!(
                key_file::parse_public_key(&public.to_spki_der()).ok(),
                Some(public)
            );
        }
        Err(KeyFileError::TooLarge) => assert!(bytes.len() > MAX_KEY_FILE_BYTES),
        Err(_) => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 4 {
        0 => check(rest),
        m => check(key_file::to_pem(LABELS[usize::from(m - 1)], rest).as_bytes()),
    }
});
