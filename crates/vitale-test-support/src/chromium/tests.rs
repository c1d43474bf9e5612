//! The CDP driver against the real Chromium: pages, evaluation, waits,
//! keyboard, screenshots and the fake camera. Chromium missing fails these
//! tests (never a skip).
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::io::Write as _;
use std::time::Duration;

use super::*;

const LIMIT: Duration = Duration::from_secs(20);

fn data_url(html: &str) -> String {
    // Percent-encode what a data: URL cannot carry raw.
    let mut url = String::from("data:text/html;charset=utf-8,");
    for byte in html.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                url.push(byte as char);
            }
            _ => url.push_str(&format!("%{byte:02X}")),
        }
    }
    url
}

#[test]
fn evaluates_waits_types_and_screenshots() {
    let mut browser = Browser::launch(&BrowserOptions::default());
    assert!(browser.pid() > 0);
    browser.navigate(&data_url(
        "<input id=f><p id=out></p><script>\
         document.getElementById('f').addEventListener('keydown', e => {\
           if (e.key === 'Enter') setTimeout(() => {\
             document.getElementById('out').textContent = 'got ' + e.target.value; }, 300);\
         });</script>",
    ));
    assert_eq!(browser.evaluate("1 + 1"), json!(2));
    assert_eq!(browser.evaluate("Promise.resolve('later')"), json!("later"));
    assert_eq!(browser.evaluate("undefined"), Value::Null);
    browser.focus("#f");
    browser.insert_text("VT1:ABC");
    browser.press_key("Enter");
    // Written 300 ms after the key: the wait polls, no sleep.
    let text = browser.wait_for_text("#out", "got VT1:ABC", LIMIT);
    assert_eq!(text, "got VT1:ABC");
    assert_eq!(browser.text("#missing"), None);
    let path = browser.user_data_dir.join("shot.png");
    browser.screenshot(&path);
    let png = std::fs::read(&path).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
}

#[test]
fn console_and_exceptions_are_logged() {
    let mut browser = Browser::launch(&BrowserOptions::default());
    browser.navigate(&data_url("<p>x</p>"));
    browser.evaluate("console.log('hello', 42)");
    browser.evaluate("setTimeout(() => { throw new Error('boom'); }, 0)");
    browser.wait_for(
        "the error",
        "new Promise(r => setTimeout(() => r(true), 50))",
        LIMIT,
    );
    // One more round trip so that the events before it have been read.
    browser.evaluate("0");
    let log = browser.log().join("\n");
    assert!(log.contains("console.log: hello 42"), "{log}");
    assert!(log.contains("boom"), "{log}");
}

#[test]
#[should_panic(expected = "threw")]
fn a_throwing_expression_fails_the_test() {
    let mut browser = Browser::launch(&BrowserOptions::default());
    browser.evaluate("null.x");
}

#[test]
#[should_panic(expected = "waited")]
fn a_wait_that_never_holds_fails_with_its_name() {
    let mut browser = Browser::launch(&BrowserOptions::default());
    browser.wait_for("never", "false", Duration::from_millis(300));
}

#[test]
fn the_browser_is_stopped_on_drop() {
    let browser = Browser::launch(&BrowserOptions::default());
    let pid = browser.pid();
    let dir = browser.user_data_dir.clone();
    drop(browser);
    let alive = std::path::Path::new(&format!("/proc/{pid}")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .unwrap_or_default()
            .contains(") Z ");
    assert!(!alive, "chromium {pid} still runs");
    assert!(!dir.exists());
}

/// The fake camera plays a y4m file: a page reads its pixels through
/// `getUserMedia` and a canvas (the reception-desk page does the same).
#[test]
fn the_fake_camera_plays_the_file() {
    let dir = unique_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("camera.y4m");
    // 64×48, 4:2:0: left half black, right half white, neutral chroma.
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(b"YUV4MPEG2 W64 H48 F10:1 Ip A1:1 C420jpeg\n")
        .unwrap();
    for _ in 0..3 {
        file.write_all(b"FRAME\n").unwrap();
        for _ in 0..48 {
            file.write_all(&[16; 32]).unwrap();
            file.write_all(&[235; 32]).unwrap();
        }
        file.write_all(&[128; 2 * 32 * 24]).unwrap();
    }
    drop(file);
    let mut browser = Browser::launch(&BrowserOptions {
        fake_camera: Some(path),
        ..BrowserOptions::default()
    });
    // getUserMedia needs a secure context: a data: URL is not one,
    // http://127.0.0.1 is. The page comes from a one-shot loopback server.
    let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = server.local_addr().unwrap();
    let serve = std::thread::spawn(move || {
        let (mut stream, _) = server.accept().unwrap();
        let mut buf = [0u8; 2048];
        let _ = std::io::Read::read(&mut stream, &mut buf);
        let body = "<!doctype html><canvas id=c width=64 height=48></canvas>";
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
    });
    browser.navigate(&format!("http://{addr}/"));
    serve.join().unwrap();
    let pixels = browser.evaluate(
        "(async () => {\
           const stream = await navigator.mediaDevices.getUserMedia({video: true});\
           const video = document.createElement('video');\
           video.srcObject = stream; video.muted = true; await video.play();\
           while (video.videoWidth === 0) await new Promise(r => setTimeout(r, 20));\
           const ctx = document.getElementById('c').getContext('2d');\
           ctx.drawImage(video, 0, 0, 64, 48);\
           const d = ctx.getImageData(0, 0, 64, 48).data;\
           return [video.videoWidth, video.videoHeight, d[(24 * 64 + 8) * 4], d[(24 * 64 + 56) * 4]];\
         })()",
    );
    let values: Vec<u64> = pixels
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(&values[..2], &[64, 48]);
    assert!(values[2] < 40, "left half should be black: {values:?}");
    assert!(values[3] > 215, "right half should be white: {values:?}");
    drop(browser);
    std::fs::remove_dir_all(&dir).unwrap();
}
