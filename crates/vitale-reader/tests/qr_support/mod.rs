//! Shared helpers of the QR tests: where the corpora live, loading.
#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};

pub mod counting;
pub mod generated;

use vitale_reader::qr::{LumaImage, load_image_file};

/// The shared test data folder (`/work/shared/testdata` beside the checkout).
pub fn testdata(sub: &str) -> PathBuf {
    let root = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/testdata"
    ));
    let dir = root.join(sub);
    assert!(
        dir.exists(),
        "test data missing: {} (see ../shared/testdata/README.md)",
        dir.display()
    );
    dir
}

/// Files of `dir` whose name ends with one of `exts`, sorted by name.
pub fn files(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| exts.contains(&e))
        })
        .collect();
    out.sort();
    out
}

/// Loads an image of a corpus, failing the test with its path.
pub fn load(path: &Path) -> LumaImage {
    load_image_file(path).unwrap_or_else(|e| panic!("cannot load {}: {e}", path.display()))
}

/// The zxing blackbox set `qrcode-N`: (image, expected text) pairs.
pub fn zxing_set(n: u32) -> Vec<(PathBuf, String)> {
    let dir = testdata(&format!("zxing-qrcode-blackbox/qrcode-{n}"));
    files(&dir, &["png", "jpg", "jpeg", "gif"])
        .into_iter()
        .map(|p| {
            let txt = p.with_extension("txt");
            let expected = std::fs::read_to_string(&txt)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", txt.display()));
            (p, expected)
        })
        .collect()
}

/// zxing's own minimums at rotation 0 (QRCodeBlackBoxNTestCase.java).
pub const ZXING_MINIMUMS: [(u32, usize); 6] =
    [(1, 17), (2, 32), (3, 38), (4, 36), (5, 19), (6, 15)];

/// The 640 generated quircs codes: (image, expected payloads accepted).
/// KANJI codes are accepted as Shift-JIS bytes or as their UTF-8 text.
pub fn quircs_generated() -> Vec<(PathBuf, Vec<Vec<u8>>)> {
    let dir = testdata("quircs-testdata/generated");
    files(&dir, &["png"])
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let expected: Vec<Vec<u8>> = if name.contains("mode=NUMERIC") {
                vec![b"42".to_vec()]
            } else if name.contains("mode=ALNUM") {
                vec![b"AC-42".to_vec()]
            } else if name.contains("mode=BYTE") {
                vec![b"aA1234".to_vec()]
            } else if name.contains("mode=KANJI") {
                vec![vec![0x93, 0x5f, 0xe4, 0xaa], "点茗".as_bytes().to_vec()]
            } else {
                panic!("unexpected file {name}")
            };
            (p, expected)
        })
        .collect()
}

/// One EU DCC picture case: the image bytes and the expected QR text.
pub struct DccCase {
    /// Where it comes from (JSON path, and `png/` file or `2DCODE`).
    pub label: String,
    /// The encoded image.
    pub image: Vec<u8>,
    /// The `PREFIX` field ("HC1:…").
    pub prefix: String,
}

/// The image of each case with `EXPECTEDPICTUREDECODE: true`: the base64
/// `2DCODE` field, or else the matching file under the country's `png/`.
/// Also returns the labels of such cases that have no image at all.
pub fn dcc_cases() -> (Vec<DccCase>, Vec<String>) {
    use base64::Engine as _;
    let root = testdata("dgc-testdata");
    let mut cases = Vec::new();
    let mut without_image = Vec::new();
    let mut countries: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("2DCode/raw").is_dir())
        .collect();
    countries.sort();
    assert!(!countries.is_empty(), "no dgc-testdata country folders");
    for country in countries {
        for json in files(&country.join("2DCode/raw"), &["json"]) {
            let text = std::fs::read_to_string(&json).unwrap();
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
                continue;
            };
            if v["EXPECTEDRESULTS"]["EXPECTEDPICTUREDECODE"] != serde_json::Value::Bool(true) {
                continue;
            }
            let prefix = v["PREFIX"].as_str().expect("PREFIX").to_owned();
            let label = json.strip_prefix(&root).unwrap().display().to_string();
            let mut found = false;
            if let Some(b64) = v["2DCODE"].as_str().filter(|s| !s.is_empty()) {
                let image = base64::engine::general_purpose::STANDARD
                    .decode(b64.trim())
                    .unwrap_or_else(|e| panic!("{label}: bad 2DCODE base64: {e}"));
                cases.push(DccCase {
                    label: format!("{label} (2DCODE)"),
                    image,
                    prefix: prefix.clone(),
                });
                found = true;
            }
            // The `png/` file only when the JSON has no `2DCODE`: ES/png/210x
            // are pictures of other certificates than ES/2DCode/raw/210x.
            let stem = json.file_stem().unwrap().to_string_lossy().into_owned();
            let candidates: [String; 4] = [
                stem.clone(),
                stem.trim_end_matches("_Raw").to_owned(),
                stem.replace('_', "-"),
                stem.replacen('_', "-", 1),
            ];
            if let Some(png) = candidates
                .iter()
                .map(|s| country.join("png").join(format!("{s}.png")))
                .find(|p| !found && p.is_file())
            {
                cases.push(DccCase {
                    label: format!("{label} ({})", png.strip_prefix(&root).unwrap().display()),
                    image: std::fs::read(&png).unwrap(),
                    prefix: prefix.clone(),
                });
                found = true;
            }
            if !found {
                without_image.push(label);
            }
        }
    }
    (cases, without_image)
}
