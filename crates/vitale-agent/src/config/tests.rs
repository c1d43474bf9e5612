use super::*;

#[test]
fn the_defaults_are_the_simulator_on_loopback() {
    let config = Config::from_toml("").unwrap();
    assert!(!config.simulator);
    assert_eq!(config.port, DEFAULT_PORT);
    assert!(config.listen.iter().all(|ip| ip.is_loopback()));
    assert!(Config::simulator().simulator);
    Config::simulator().check().unwrap();
}

#[test]
fn an_address_that_is_not_loopback_is_refused() {
    for text in [
        r#"listen = ["0.0.0.0"]"#,
        r#"listen = ["::"]"#,
        r#"listen = ["192.168.1.10"]"#,
        r#"listen = ["127.0.0.2"]"#,
    ] {
        let e = Config::from_toml(text).unwrap_err();
        assert_eq!(e.kind(), "agent_not_loopback", "{text}");
    }
    Config::from_toml(r#"listen = ["127.0.0.1", "::1"]"#).unwrap();
    assert_eq!(
        Config::from_toml("listen = []").unwrap_err().kind(),
        "agent_config"
    );
}

#[test]
fn unknown_keys_bad_origins_and_zero_limits_are_refused() {
    for text in [
        "prot = 1",
        r#"allowed_origins = ["https://billing.example/app"]"#,
        r#"allowed_origins = ["billing.example"]"#,
        r#"allowed_origins = ["*"]"#,
        "[limits]\nrate_per_second = 0",
        "[limits]\nmax_json_bytes = 10",
        "port = 70000",
    ] {
        assert_eq!(
            Config::from_toml(text).unwrap_err().kind(),
            "agent_config",
            "{text}"
        );
    }
    let long = format!("# {}", "x".repeat(MAX_CONFIG_BYTES as usize));
    assert_eq!(Config::from_toml(&long).unwrap_err().kind(), "agent_config");
}

#[test]
fn a_full_configuration_is_read() {
    let config = Config::from_toml(
        r#"
        port = 7900
        trust_list_file = "/etc/vitale/trust-list.cbor"
        pinned_root_file = "/etc/vitale/root.spki.der"
        state = "sqlite:/var/lib/vitale/state.sqlite"
        sheet_key_file = "/etc/vitale/professional.key"
        allowed_origins = ["https://billing.example", "http://localhost:3000"]
        [rights]
        url = "https://rights.example/v1/"
        ca_pem_file = "/etc/vitale/rights-ca.pem"
        [practice]
        billing_number = "991234567"
        specialty = "01"
        [limits]
        burst = 10
        "#,
    )
    .unwrap();
    assert_eq!(config.port, 7900);
    assert_eq!(config.allowed_origins.len(), 2);
    assert_eq!(config.limits.burst, 10);
    assert_eq!(config.limits.rate_per_second, 20);
    assert!(config.practice.unwrap().practice().is_ok());
}

#[test]
fn the_nfc_source_defaults_to_the_mode_and_is_checked() {
    assert_eq!(Config::simulator().nfc_source(), NfcSource::Simulator);
    assert_eq!(Config::from_toml("").unwrap().nfc_source(), NfcSource::Pcsc);
    let config = Config::from_toml(
        r#"
        simulator = true
        nfc = "pcsc"
        nfc_reader = "ACR122"
        "#,
    )
    .unwrap();
    assert_eq!(config.nfc_source(), NfcSource::Pcsc);
    assert_eq!(config.nfc_reader.as_deref(), Some("ACR122"));
    for text in [r#"nfc = "simulator""#, r#"nfc_reader = """#] {
        let e = Config::from_toml(text).unwrap_err();
        assert_eq!(e.kind(), "agent_config", "{text}");
    }
    let e = Config::from_toml(r#"nfc = "bluetooth""#).unwrap_err();
    assert_eq!(e.kind(), "agent_config");
}
