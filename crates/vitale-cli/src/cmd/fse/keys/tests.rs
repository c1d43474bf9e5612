use super::*;

const SCALAR_HEX: &str = "5df735c93bb8b3d2bb25f3bc823410a810a7332412fbb78cc6ae7a2450da2c30";

#[test]
fn an_oversized_key_file_is_refused_unread() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("vitale-cli-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("big.key");
    let mut text = SCALAR_HEX.to_owned();
    text.push_str(&" ".repeat(MAX_KEY_FILE as usize));
    std::fs::write(&path, text)?;
    let e = load_signer(&path, "the key").err().map(|e| e.kind());
    assert_eq!(e, Some("key_invalid"));
    std::fs::write(&path, SCALAR_HEX)?;
    assert!(load_signer(&path, "the key").is_ok());
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
