use super::*;
use crate::error::ServiceCode;

fn refused(code: &str) -> HttpError {
    HttpError::Refused {
        status: 404,
        code: ServiceCode::new(code).unwrap_or_else(|| unreachable!("valid code")),
    }
}

#[test]
fn service_codes_map_to_context_errors() {
    assert_eq!(
        context_error(refused("token_refused")),
        ContextError::TokenRefused
    );
    assert_eq!(
        context_error(refused("unknown_context")),
        ContextError::UnknownContext
    );
    assert_eq!(
        context_error(refused("context_expired")),
        ContextError::ContextExpired
    );
    assert_eq!(
        context_error(refused("professional_unauthorised")),
        ContextError::Unauthorised
    );
    assert_eq!(
        context_error(HttpError::MalformedAnswer { reason: "x" }),
        ContextError::InvalidAnswer
    );
    assert_eq!(
        context_error(HttpError::TooLarge { limit: 1 }),
        ContextError::InvalidAnswer
    );
    assert!(http_error(&ContextError::InvalidAnswer).is_none());
}

#[test]
fn transport_failures_keep_the_http_error_as_source() {
    for e in [
        HttpError::Timeout(crate::TimeoutPhase::Read),
        HttpError::HttpStatus { status: 503 },
        refused("something_new"),
    ] {
        let kind = e.kind();
        let mapped = context_error(e);
        assert_eq!(mapped.kind(), "context_unavailable");
        assert_eq!(http_error(&mapped).map(HttpError::kind), Some(kind));
    }
}

#[test]
fn context_paths_encode_what_is_not_unreserved() {
    let path = |s: &str| context_path(&ContextId::new(s).unwrap_or_else(|| unreachable!()));
    assert_eq!(path("ctx-1_a.b~c"), "/v1/contexts/ctx-1_a.b~c");
    assert_eq!(path("urn:ctx:1"), "/v1/contexts/urn%3Actx%3A1");
    assert_eq!(path(".."), "/v1/contexts/%2E%2E");
    assert_eq!(path("."), "/v1/contexts/%2E");
}
