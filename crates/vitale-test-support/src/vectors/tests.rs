use super::*;

#[test]
fn hex_is_wrapped_and_text_is_not() {
    let hex = "ab".repeat(40);
    let body = block_body("credential", &hex);
    assert_eq!(body.lines().map(str::len).collect::<Vec<_>>(), [64, 16]);
    assert_eq!(shown_value("credential", &(body + "\n")), hex);
    let text = "VT1:".to_owned() + &"A".repeat(100);
    assert_eq!(block_body("presentation-qr-text", &text), text);
    assert_eq!(block_body("x-base64url", &text), text);
    assert_eq!(
        shown_value("presentation-qr-text", &(text.clone() + "\n")),
        text
    );
    assert_eq!(block_body("empty", ""), "");
}

/// A fresh file of the temp folder holding `text`.
fn file(name: &str, text: &str) -> std::path::PathBuf {
    let path =
        std::env::temp_dir().join(format!("vitale-test-support-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

fn sample() -> BTreeMap<&'static str, String> {
    let mut v = BTreeMap::new();
    v.insert("key", "0f".repeat(40));
    v.insert("qr-text", "VT1:ABC".to_owned());
    v.insert("not-shown", "00".to_owned());
    v
}

/// Runs `f`; its panic message if it panicked.
fn panics(f: impl FnOnce() + std::panic::UnwindSafe) -> Option<String> {
    let payload = std::panic::catch_unwind(f).err()?;
    Some(
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default(),
    )
}

#[test]
fn markdown_blocks_are_compared_and_blessed() {
    let v = sample();
    let doc = |key: &str, qr: &str| {
        format!(
            "# Doc\n\n<!-- vector: key -->\n```text\n{key}```\n\n\
             <!-- vector: qr-text -->\n```text\n{qr}```\n"
        )
    };
    let good = doc(&(block_body("key", &v["key"]) + "\n"), "VT1:ABC\n");
    let path = file("ok.md", &good);
    assert_eq!(markdown_vectors(&v, &path, false), 2);
    std::fs::remove_file(&path).unwrap();

    // A drifted block fails; blessing rewrites it, and an empty one.
    let drifted = doc("0f0f\n", "");
    let path = file("drift.md", &drifted);
    let message = panics(|| {
        markdown_vectors(&v, &path, false);
    });
    assert!(message.is_some_and(|m| m.contains("vector key")));
    assert_eq!(markdown_vectors(&v, &path, true), 2);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), good);
    std::fs::remove_file(&path).unwrap();

    let path = file("open.md", "<!-- vector: key -->\n```text\n0f0f\n");
    let message = panics(|| {
        markdown_vectors(&v, &path, false);
    });
    std::fs::remove_file(&path).unwrap();
    assert!(message.is_some_and(|m| m.contains("not closed")));
}

#[test]
fn json_vectors_are_compared_and_blessed() {
    let v = sample();
    let folder = std::env::temp_dir().join(format!("vitale-test-support-{}", std::process::id()));
    let path = folder.join("vectors.json");
    let _ = std::fs::remove_dir_all(&folder);
    let message = panics(|| json_vectors(&v, &path, false));
    assert!(message.is_some_and(|m| m.contains("VITALE_BLESS=1 to create")));
    json_vectors(&v, &path, true);
    json_vectors(&v, &path, false);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("{\n  \"key\": ") && text.ends_with("}\n"),
        "{text}"
    );
    let mut changed = v.clone();
    changed.insert("key", "00".to_owned());
    let message = panics(|| json_vectors(&changed, &path, false));
    std::fs::remove_dir_all(&folder).unwrap();
    assert!(message.is_some_and(|m| m.contains("drifted")));
}
