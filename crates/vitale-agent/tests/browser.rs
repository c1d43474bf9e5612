//! The reception-desk page in a real browser: headless Chromium (Debian's
//! `chromium`) driven over the DevTools protocol against the agent in
//! simulator mode (issue 16, part 4).
//!
//! * camera: Chromium's fake camera plays a video of the simulated phone
//!   (made by `vitale_sim::render::camera_clip`); the page reads the card
//!   from it, shows the insured person, the rights, bills `G` and shows the
//!   care sheet and the receipt;
//! * scanner line: a `VT1:` line typed into the field and Enter, card shown,
//!   billed;
//! * replay: the same line typed again is refused on screen, in French and
//!   in English;
//! * NFC: the agent reads the simulated phone, the page follows the job's
//!   events and shows the card;
//! * a photo: the simulator's PNG chosen in the file field;
//! * screen readers: labels, live regions, headers, `lang`, tab order.
//!
//! Chromium missing fails these tests (never a skip). Screenshots of each
//! final state: `target/browser-screenshots/*.png`.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod browser_support;

use browser_support::{Desk, STEP, camera_video, expected_names, sim_line, start_agent, temp_dir};

/// The page's sections are shown and hold the card of `line`: every
/// beneficiary's name in the table.
fn assert_card_shown(desk: &mut Desk, line: &str) {
    let names = expected_names(line);
    assert!(!names.is_empty());
    let table = desk
        .browser
        .wait_for_text("#beneficiaries", &names[0], STEP);
    for name in &names {
        assert!(
            table.contains(name.as_str()),
            "{name} missing from:\n{table}"
        );
    }
    // The first beneficiary is chosen; NIRs are masked.
    let chosen = desk
        .browser
        .evaluate("document.querySelector('input[name=beneficiary]:checked').value");
    assert_eq!(chosen, serde_json::json!("1"));
    let insured = desk.browser.text("#insured").unwrap();
    assert!(
        insured.contains('•') || insured.contains('*'),
        "NIR not masked:\n{insured}"
    );
}

/// Submits the visit form (acts "G") and waits for the care sheet.
fn bill_g(desk: &mut Desk) -> String {
    desk.browser
        .evaluate("document.getElementById('acts').value = 'G'");
    desk.browser.click("#bill-submit");
    desk.browser.wait_for_text("#sheet", "REÇU DE SOINS", STEP);
    // G is 30.00 EUR since 2024-12-22 (docs/fse.md, the tariff's source).
    let fee = desk.browser.text("#sheet-total [data-total=fee]").unwrap();
    assert_eq!(fee, "30,00\u{a0}€");
    let lines = desk.browser.text("#sheet-lines tbody").unwrap();
    assert!(lines.starts_with('G'), "{lines}");
    let receipt = desk.browser.text("#receipt").unwrap();
    assert!(receipt.contains("30,00 €"), "{receipt}");
    desk.browser.text("#sheet-number").unwrap()
}

#[test]
fn camera_reads_the_card_then_rights_then_bill() {
    let dir = temp_dir("camera");
    let agent = start_agent(&dir);
    let line = sim_line(&agent);
    let video = camera_video(&line, &dir);
    let mut desk = Desk::open(&agent, "camera", Some(video));

    // Keyboard: the camera button, Enter.
    desk.browser.focus("#camera-start");
    desk.browser.press_key("Enter");
    desk.browser.wait_for(
        "the camera to play",
        "document.getElementById('camera-video').videoWidth === 640",
        STEP,
    );
    assert_card_shown(&mut desk, &line);
    // The camera stopped on the card.
    assert_eq!(
        desk.browser
            .evaluate("document.getElementById('camera-box').hidden"),
        serde_json::json!(true)
    );

    desk.browser.click("#rights-submit");
    desk.browser.wait_for(
        "the rights of the day",
        "document.getElementById('rights-amo').getAttribute('data-amo') === 'open'",
        STEP,
    );
    desk.browser
        .wait_for_text("#rights-amo", "Droits AMO ouverts", STEP);

    let number = bill_g(&mut desk);
    assert!(number.starts_with("Facture n°"), "{number}");
    desk.screenshot("");
    drop(desk);
    agent.shutdown();
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn scanner_line_typed_then_enter_reads_and_bills() {
    let dir = temp_dir("scanner");
    let agent = start_agent(&dir);
    let line = sim_line(&agent);
    let mut desk = Desk::open(&agent, "scanner", None);

    // The scanner field has the focus when the page opens, and a label.
    let focused = desk.browser.evaluate("document.activeElement.id");
    assert_eq!(focused, serde_json::json!("scanner-line"));
    desk.browser.insert_text(&line);
    desk.browser.press_key("Enter");
    assert_card_shown(&mut desk, &line);

    // Straight to billing: the agent asks the rights itself.
    bill_g(&mut desk);
    desk.screenshot("");
    drop(desk);
    agent.shutdown();
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_same_line_typed_again_is_refused_as_a_replay() {
    let dir = temp_dir("replay");
    let agent = start_agent(&dir);
    let line = sim_line(&agent);
    let mut desk = Desk::open(&agent, "replay", None);

    desk.browser.focus("#scanner-line");
    desk.browser.insert_text(&line);
    desk.browser.press_key("Enter");
    assert_card_shown(&mut desk, &line);

    // Next patient, then the same code again.
    desk.browser.click("#new-patient");
    desk.browser.focus("#scanner-line");
    desk.browser.insert_text(&line);
    desk.browser.press_key("Enter");
    desk.browser.wait_for(
        "the replay error",
        "document.getElementById('error').getAttribute('data-kind') === 'replay'",
        STEP,
    );
    let french = desk
        .browser
        .wait_for_text("#error", "Ce code a déjà été présenté", STEP);
    // An alert for screen readers; the card is not shown.
    assert_eq!(
        desk.browser
            .evaluate("document.getElementById('error').getAttribute('role')"),
        serde_json::json!("alert")
    );
    assert_eq!(
        desk.browser
            .evaluate("document.getElementById('card').hidden"),
        serde_json::json!(true)
    );

    // The language switch shows the same error in English.
    desk.browser.click("#lang-en");
    desk.browser
        .wait_for_text("#error", "This code was already presented", STEP);
    assert_eq!(
        desk.browser.evaluate("document.documentElement.lang"),
        serde_json::json!("en")
    );
    assert_ne!(french, desk.browser.text("#error").unwrap());
    desk.screenshot("");
    drop(desk);
    agent.shutdown();
    std::fs::remove_dir_all(dir).unwrap();
}

/// Labels, live regions, table headers and the language attribute: what a
/// screen reader needs, checked on the served page.
#[test]
fn the_page_is_labelled_for_screen_readers() {
    let dir = temp_dir("a11y");
    let agent = start_agent(&dir);
    let mut desk = Desk::open(&agent, "a11y", None);
    let unlabelled = desk.browser.evaluate(
        "[...document.querySelectorAll('input, select')].filter(e => e.type !== 'hidden' && \
         e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.id)",
    );
    assert_eq!(unlabelled, serde_json::json!([]));
    assert_eq!(
        desk.browser
            .evaluate("document.getElementById('status').getAttribute('aria-live')"),
        serde_json::json!("polite")
    );
    assert_eq!(
        desk.browser
            .evaluate("[...document.querySelectorAll('th[scope=col]')].length > 10"),
        serde_json::json!(true)
    );
    assert_eq!(
        desk.browser.evaluate("document.documentElement.lang"),
        serde_json::json!("fr")
    );
    // Tab from the scanner field goes in reading order: its button, the
    // photo field, the camera's button.
    desk.browser.focus("#scanner-line");
    for next in ["scanner-submit", "photo", "camera-start"] {
        desk.browser.press_key("Tab");
        assert_eq!(
            desk.browser.evaluate("document.activeElement.id"),
            serde_json::json!(next)
        );
    }
    drop(desk);
    agent.shutdown();
    std::fs::remove_dir_all(dir).unwrap();
}

/// NFC through the agent: the simulator's phone answers the agent's
/// reader; the page follows the job's events and shows the card.
#[test]
fn nfc_through_the_agent_shows_the_card() {
    let dir = temp_dir("nfc");
    let agent = start_agent(&dir);
    let mut desk = Desk::open(&agent, "nfc", None);
    assert_eq!(
        desk.browser
            .evaluate("document.getElementById('nfc-start').disabled"),
        serde_json::json!(false)
    );
    desk.browser.focus("#nfc-start");
    desk.browser.press_key("Enter");
    desk.browser.wait_for(
        "the card read by NFC",
        "!document.getElementById('card').hidden && \
         document.querySelectorAll('#beneficiaries tbody tr').length > 0",
        STEP,
    );
    // The job ended: the progress line is gone, the button is back.
    assert_eq!(
        desk.browser
            .evaluate("document.getElementById('nfc-progress').hidden"),
        serde_json::json!(true)
    );
    // The simulated household's people, as a line of the same phone shows.
    let line = sim_line(&agent);
    assert_card_shown(&mut desk, &line);
    desk.screenshot("");
    drop(desk);
    agent.shutdown();
    std::fs::remove_dir_all(dir).unwrap();
}

/// A photo of the phone's screen chosen in the file field: the simulator's
/// PNG of a fresh presentation, read by the agent, card shown.
#[test]
fn a_photo_of_the_code_reads_the_card() {
    let dir = temp_dir("photo");
    let agent = start_agent(&dir);
    let png = browser_support::get(agent.addr(), agent.pairing_token(), "/v1/sim/qr.png");
    assert!(png.starts_with(b"\x89PNG"));
    let path = dir.join("phone.png");
    std::fs::write(&path, png).unwrap();
    let mut desk = Desk::open(&agent, "photo", None);
    desk.browser.set_file_input("#photo", &path);
    // The household's people, as a line of the same phone shows.
    let line = sim_line(&agent);
    assert_card_shown(&mut desk, &line);
    desk.screenshot("");
    drop(desk);
    agent.shutdown();
    std::fs::remove_dir_all(dir).unwrap();
}
