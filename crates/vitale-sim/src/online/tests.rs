use super::*;

#[test]
fn fault_names_are_stable_and_round_trip() {
    let names: Vec<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
    assert_eq!(
        names,
        [
            "slow",
            "flaky",
            "unavailable",
            "malformed",
            "truncated",
            "reset",
            "rights_closed",
            "unknown_patient",
            "expired_context",
            "unknown_ca",
            "oversized"
        ]
    );
    for f in Fault::ALL {
        assert_eq!(Fault::parse(f.name()), Some(f));
    }
    assert_eq!(Fault::parse("Slow"), None);
}

#[test]
fn a_server_needs_households() {
    let config = ServerConfig::new(Seed::from_u64(1), Vec::new());
    assert_eq!(
        OnlineServer::start(config).map(|_| ()),
        Err(Error::HouseholdSize(0))
    );
}

#[test]
fn the_oversized_body_is_json_of_one_mebibyte() {
    let body = oversized_body();
    assert!(body.len() > 1024 * 1024);
    assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
}
