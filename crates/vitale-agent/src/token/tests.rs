use super::*;

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("vitale-agent-token-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn a_token_is_created_once_with_owner_only_permissions_then_read_back() {
    let dir = temp_dir("create");
    let first = PairingToken::load_or_create(&dir).unwrap();
    assert_eq!(first.expose().len(), 64);
    let again = PairingToken::load_or_create(&dir).unwrap();
    assert_eq!(
        first.expose(),
        again.expose(),
        "the installation keeps its token"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(PairingToken::path_in(&dir))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let other = PairingToken::load_or_create(&temp_dir("other")).unwrap();
    assert_ne!(first.expose(), other.expose(), "tokens are random");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn matching_is_exact_and_debug_hides_the_token() {
    let token = PairingToken::generate().unwrap();
    assert!(token.matches(token.expose().as_bytes()));
    let mut near = token.expose().as_bytes().to_vec();
    near[63] = if near[63] == b'0' { b'1' } else { b'0' };
    assert!(!token.matches(&near));
    assert!(!token.matches(&near[..63]));
    assert!(!token.matches(b""));
    assert!(!format!("{token:?}").contains(token.expose()));
}

#[test]
fn a_file_that_is_not_a_token_is_refused() {
    let dir = temp_dir("bad");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(PairingToken::path_in(&dir), "hunter2").unwrap();
    assert_eq!(
        PairingToken::load_or_create(&dir).unwrap_err().kind(),
        "agent_config"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        PairingToken::parse(b" 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n")
            .is_some()
    );
    assert!(
        PairingToken::parse(b"0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef")
            .is_none()
    );
}
