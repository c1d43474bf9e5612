use super::*;

/// The harness starts a server, serves SQL, restarts it, stops it by its
/// PID and removes its directory.
#[test]
fn starts_serves_restarts_and_stops() {
    let mut server = match PostgresServer::start() {
        Ok(server) => server,
        Err(reason) => {
            let _ = skip::<()>("starts_serves_restarts_and_stops", &reason);
            return;
        }
    };
    let url = server.database("harness");
    assert!(url.contains("dbname=harness_0"), "{url}");
    assert_eq!(server.psql("harness_0", "SELECT 40 + 2"), "42");
    let first = server.pid();
    assert!(first > 0);
    server.restart().expect("restarts");
    assert_ne!(server.pid(), first);
    assert_eq!(server.psql("harness_0", "SELECT 1"), "1");
    let pid = server.pid();
    let dir = server.socket_dir().to_owned();
    drop(server);
    assert!(
        !Path::new(&format!("/proc/{pid}")).exists(),
        "server {pid} still runs"
    );
    assert!(!dir.exists(), "{} left behind", dir.display());
}
