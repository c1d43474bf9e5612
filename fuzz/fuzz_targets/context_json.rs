//! Feeds arbitrary bytes to the reference protocol's JSON parsers
//! (`vitale_http::wire`, docs/online.md): contexts, error bodies,
//! signature answers, rights answers, and the requests a server reads.
//!
//! Asserts beyond "no panic": a parsed context serializes to JSON that
//! parses back to the same context; an input over the size limit is
//! refused as too large; a parsed signature is within its size bounds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_http::HttpError;
use vitale_http::wire::{
    self, MAX_BODY_BYTES, MAX_SIGNATURE_BYTES, OpenRequest, SignAnswer, SignRequest,
};

fuzz_target!(|data: &[u8]| {
    match wire::parse_context(data) {
        Ok(context) => {
            let again = wire::context_json(&context);
            assert_eq!(wire::parse_context(&again).ok(), Some(context));
        }
        Err(HttpError::TooLarge { limit }) => {
            assert_eq!(limit, MAX_BODY_BYTES);
            assert!(data.len() > MAX_BODY_BYTES);
        }
        Err(e) => assert_eq!(e.kind(), "malformed_answer"),
    }
    if let Some(code) = wire::parse_error_body(data) {
        assert!(!code.as_str().is_empty() && code.as_str().len() <= 64);
    }
    if let Ok(signature) = SignAnswer::parse(data) {
        assert!((1..=MAX_SIGNATURE_BYTES).contains(&signature.len()));
    }
    if let Ok(request) = SignRequest::parse(data) {
        assert!(request.digest_bytes().is_ok());
    }
    if let Ok(rights) = wire::parse_rights(data) {
        let again = rights.to_json().ok();
        assert_eq!(
            again.and_then(|j| wire::parse_rights(&j).ok()),
            Some(rights)
        );
    }
    let _ = wire::RightsRequest::parse(data);
    if let Ok(request) = OpenRequest::parse(data) {
        assert!(wire::parse_channel(&request.channel).is_some());
    }
});
