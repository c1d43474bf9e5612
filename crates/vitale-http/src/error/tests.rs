use super::*;

#[test]
fn service_codes_are_snake_case_and_bounded() {
    assert!(ServiceCode::new("token_refused").is_some());
    assert!(ServiceCode::new("e2").is_some());
    for bad in ["", "Token", "token-refused", "tok en", "é", &"a".repeat(65)] {
        assert_eq!(ServiceCode::new(bad), None, "{bad}");
    }
}

#[test]
fn kinds_are_listed_unique_and_stable() {
    let io = || std::io::Error::other("x");
    let errors = [
        HttpError::Config("x"),
        HttpError::Timeout(TimeoutPhase::Read),
        HttpError::unreachable(io()),
        HttpError::interrupted(io()),
        HttpError::tls(io()),
        HttpError::HttpStatus { status: 503 },
        HttpError::Refused {
            status: 404,
            code: ServiceCode::new("unknown_context").unwrap_or_else(|| unreachable!()),
        },
        HttpError::MalformedAnswer { reason: "context" },
        HttpError::TooLarge { limit: 1 },
    ];
    let kinds: Vec<&str> = errors.iter().map(HttpError::kind).collect();
    assert_eq!(kinds, HttpError::KINDS);
    let mut sorted = kinds.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), kinds.len());
}

#[test]
fn equality_compares_kind_and_values_not_sources() {
    assert_eq!(
        HttpError::unreachable(std::io::Error::other("a")),
        HttpError::unreachable(std::io::Error::other("b"))
    );
    assert_ne!(
        HttpError::HttpStatus { status: 500 },
        HttpError::HttpStatus { status: 503 }
    );
    assert_ne!(
        HttpError::Timeout(TimeoutPhase::Read),
        HttpError::Timeout(TimeoutPhase::Connect)
    );
    assert_ne!(
        HttpError::tls(std::io::Error::other("a")),
        HttpError::interrupted(std::io::Error::other("a"))
    );
}

#[test]
fn messages_name_the_status_and_code() {
    let e = HttpError::Refused {
        status: 422,
        code: ServiceCode::new("token_refused").unwrap_or_else(|| unreachable!()),
    };
    assert_eq!(
        e.to_string(),
        "refused by the service: token_refused (HTTP 422)"
    );
    assert_eq!(
        e.service_code().map(ServiceCode::as_str),
        Some("token_refused")
    );
    assert_eq!(
        HttpError::Timeout(TimeoutPhase::Total).to_string(),
        "total timeout"
    );
}
