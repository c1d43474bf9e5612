//! Two-phase signing of care sheets: any change to a signed sheet makes
//! its verification fail.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use vitale::verify::{SoftwareSigner, compiled_backends, default_backend};
use vitale_codec::cbor::{self, Value};
use vitale_fse::numbering::MemoryInvoiceNumbers;
use vitale_fse::pricing::{ActLine, Pathway};
use vitale_fse::signing::{SheetSignature, SignedSheet};
use vitale_fse::{CareSheet, Error, TariffTable, Visit};
use vitale_model::Rank;

fn signer(byte: u8) -> SoftwareSigner {
    SoftwareSigner::from_slice(&[byte; 32]).unwrap()
}

fn signed() -> (SignedSheet, SoftwareSigner) {
    let w = common::world(7);
    let visit = Visit {
        date: w.today,
        pathway: Pathway::TreatingDoctor,
        acts: vec![ActLine::new("G".parse().unwrap())],
        offer_third_party: false,
    };
    let sheet = CareSheet::build(
        &common::gp(),
        &TariffTable::embedded(),
        &w.card,
        Rank::new(1).unwrap(),
        &w.rights_with_doctor(1),
        &visit,
        &MemoryInvoiceNumbers::new(),
    )
    .unwrap();
    let to_sign = sheet.prepare();
    // The digest is SHA-256 of exactly the encoded sheet.
    use sha2::Digest;
    assert_eq!(
        to_sign.digest(),
        &<[u8; 32]>::from(sha2::Sha256::digest(to_sign.cbor()))
    );
    let key = signer(0x42);
    (to_sign.sign(&key).unwrap(), key)
}

#[test]
fn a_signed_sheet_verifies_on_every_backend_and_round_trips() {
    let (signed, key) = signed();
    for backend in compiled_backends() {
        assert!(
            signed.verify(key.verifying_key(), *backend).is_ok(),
            "{}",
            backend.name()
        );
    }
    let SheetSignature::Es256 { kid, .. } = signed.signature() else {
        panic!()
    };
    assert!(kid.is_some());
    let bytes = signed.to_cbor();
    let back = SignedSheet::from_cbor(&bytes).unwrap();
    assert_eq!(back, signed);
    assert_eq!(back.to_cbor(), bytes);
    assert!(back.verify(key.verifying_key(), default_backend()).is_ok());
    // Another key does not verify it.
    assert_eq!(
        back.verify(signer(0x43).verifying_key(), default_backend())
            .err(),
        Some(Error::SignatureInvalid)
    );
}

/// Every one-byte change of the signed sheet's content is refused by the
/// decoder or by the signature check.
#[test]
fn no_change_to_a_signed_sheet_verifies() {
    let (signed, key) = signed();
    let Value::Array(items) = cbor::decode(&signed.to_cbor(), 1 << 20, 4).unwrap() else {
        panic!()
    };
    let Value::Bytes(inner) = &items[0] else {
        panic!()
    };
    let mut decoded_but_refused = 0;
    for i in 0..inner.len() {
        let mut changed = inner.clone();
        changed[i] ^= 0x01;
        let mut parts = items.clone();
        parts[0] = Value::Bytes(changed);
        let bytes = cbor::encode(&Value::Array(parts)).unwrap();
        if let Ok(other) = SignedSheet::from_cbor(&bytes) {
            decoded_but_refused += 1;
            assert_eq!(
                other.verify(key.verifying_key(), default_backend()).err(),
                Some(Error::SignatureInvalid),
                "byte {i}"
            );
        }
    }
    // Some changes (a digit of a name-free text, a date) still decode: the
    // signature is what refuses them.
    assert!(decoded_but_refused > 0);
}
