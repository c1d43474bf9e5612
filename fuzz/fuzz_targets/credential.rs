//! Arbitrary bytes into the credential and delegation decoders (signed
//! envelope and bare payload). Whatever decodes re-encodes identically.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_codec::model::{Credential, Delegation, SignedCredential, SignedDelegation};

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = SignedCredential::decode(data) {
        assert_eq!(
            c.credential().to_payload().expect("re-encode"),
            c.envelope().payload()
        );
    }
    if let Ok(c) = Credential::from_payload(data) {
        assert_eq!(c.to_payload().expect("re-encode"), data);
    }
    if let Ok(d) = SignedDelegation::decode(data) {
        assert_eq!(
            d.delegation().to_payload().expect("re-encode"),
            d.envelope().payload()
        );
    }
    if let Ok(d) = Delegation::from_payload(data) {
        assert_eq!(d.to_payload().expect("re-encode"), data);
    }
});
