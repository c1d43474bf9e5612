use std::path::Path;

use super::*;

fn parse(text: &str) -> Result<StoreLocation, Error> {
    text.parse()
}

#[test]
fn the_three_forms_parse_and_print_back() {
    assert!(matches!(parse("memory"), Ok(StoreLocation::Memory)));
    let at = parse("sqlite:/var/lib/vitale/state.sqlite").unwrap();
    assert!(
        matches!(&at, StoreLocation::Sqlite(p) if p == Path::new("/var/lib/vitale/state.sqlite"))
    );
    assert_eq!(at.to_string(), "sqlite:/var/lib/vitale/state.sqlite");
    assert!(at.is_durable());
    assert!(!parse("memory").unwrap().is_durable());
    // A relative path is kept as given.
    assert_eq!(
        parse("sqlite:state.sqlite").unwrap().to_string(),
        "sqlite:state.sqlite"
    );
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_urls_in_both_forms_hide_the_password() {
    for text in [
        "postgres:postgresql://billing:s3cret@db.example:5433/vitale",
        "postgresql://billing:s3cret@db.example:5433/vitale",
        "postgres://billing:s3cret@db.example:5433/vitale",
        "postgres:host=db.example port=5433 user=billing password=s3cret dbname=vitale",
    ] {
        let at = parse(text).unwrap();
        let shown = format!("{at} | {at:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert_eq!(
            at.to_string(),
            "postgres:postgresql://billing@db.example:5433/vitale"
        );
        assert!(at.is_durable());
    }
    let socket = parse("postgres:host=/run/postgresql user=vitale dbname=site").unwrap();
    assert_eq!(
        socket.to_string(),
        "postgres:postgresql://vitale@%2Frun%2Fpostgresql:5432/site"
    );
}

/// Found by the `store_location` fuzz target: a socket directory was shown
/// as `postgresql://vitale@/run/postgresql/vitale`, which does not parse.
/// What a PostgreSQL location shows must parse back to a location that
/// shows the same.
#[cfg(feature = "postgres")]
#[test]
fn shown_postgres_locations_parse_back() {
    for text in [
        "postgres:host=/run/postgresql user=vitale dbname=vitale",
        "postgres:host=/run/postgresql,db.example port=5432,5433 dbname=x",
        "postgres:host=db.example port=5433",
        "postgres:host='a b' user='x@y:z' dbname='d/b?c'",
        "postgresql://u%40v@h1:1,h2:2/db%2F1",
        "postgres://[::1]:5432/vitale",
    ] {
        let at = parse(text).unwrap();
        let shown = at.to_string();
        let again = parse(&shown).unwrap_or_else(|e| panic!("{shown:?}: {e}"));
        assert_eq!(again.to_string(), shown, "{text:?}");
    }
}

#[test]
fn bad_locations_are_refused_without_repeating_them() {
    for text in [
        "",
        "sqlite:",
        "file:/x",
        "SQLITE:/x",
        "redis://x",
        "memory:",
        "postgres:",
    ] {
        let e = parse(text).unwrap_err();
        assert_eq!(e.kind(), "store_location_invalid", "{text:?}");
    }
    #[cfg(feature = "postgres")]
    {
        let e = parse("postgres:host=x password=s3cret port=notaport").unwrap_err();
        assert_eq!(e.kind(), "store_location_invalid");
        assert!(!e.to_string().contains("s3cret"));
        assert!(!format!("{e:?}").contains("s3cret"));
    }
}

#[cfg(feature = "sqlite")]
#[test]
fn a_location_opens_both_stores_on_one_file() {
    let dir = std::env::temp_dir().join(format!("vitale-location-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let at = parse(&format!("sqlite:{}", dir.join("state.sqlite").display())).unwrap();
    let numbers = at.open_invoice_numbers().unwrap();
    let am = vitale_adri::BillingNumber::parse("751234567").unwrap();
    assert_eq!(numbers.next(&am).unwrap().get(), 1);
    let cache = at.open_replay_cache().unwrap();
    let id = vitale_verify::replay::ReplayId::new(
        &vitale_codec::model::CredentialId::from_bytes([1; 16]),
        &vitale_codec::model::Nonce::from_bytes([2; 16]),
    );
    let t = |s| vitale_codec::model::Timestamp::from_unix(s).unwrap();
    cache.check_and_remember(&id, t(2_000), t(1_000)).unwrap();
    drop((numbers, cache));
    let cache = at.open_replay_cache().unwrap();
    assert_eq!(
        cache.check_and_remember(&id, t(2_000), t(1_001)),
        Err(vitale_verify::replay::ReplayError::Replay)
    );
    assert_eq!(
        at.open_invoice_numbers().unwrap().next(&am).unwrap().get(),
        2
    );
    let _ = std::fs::remove_dir_all(&dir);
}
