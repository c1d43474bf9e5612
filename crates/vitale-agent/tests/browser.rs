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

mod support;

use serde_json::json;
use support::browser::{Desk, STEP, Scene, camera_video, expected_names, get, sim_line};

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
    desk.assert_js(
        "document.querySelector('input[name=beneficiary]:checked').value",
        json!("1"),
    );
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
    let scene = Scene::start("camera");
    let line = sim_line(&scene.agent);
    let video = camera_video(&line, &scene.dir);
    let mut desk = scene.desk(Some(video));

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
    desk.assert_js("document.getElementById('camera-box').hidden", json!(true));

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
    desk.done();
    scene.end();
}

#[test]
fn scanner_line_typed_then_enter_reads_and_bills() {
    let scene = Scene::start("scanner");
    let line = sim_line(&scene.agent);
    let mut desk = scene.desk(None);

    // The scanner field has the focus when the page opens, and a label.
    desk.assert_js("document.activeElement.id", json!("scanner-line"));
    desk.type_line(&line);
    assert_card_shown(&mut desk, &line);

    // Straight to billing: the agent asks the rights itself.
    bill_g(&mut desk);
    desk.done();
    scene.end();
}

#[test]
fn the_same_line_typed_again_is_refused_as_a_replay() {
    let scene = Scene::start("replay");
    let line = sim_line(&scene.agent);
    let mut desk = scene.desk(None);

    desk.browser.focus("#scanner-line");
    desk.type_line(&line);
    assert_card_shown(&mut desk, &line);

    // Next patient, then the same code again.
    desk.browser.click("#new-patient");
    desk.browser.focus("#scanner-line");
    desk.type_line(&line);
    desk.browser.wait_for(
        "the replay error",
        "document.getElementById('error').getAttribute('data-kind') === 'replay'",
        STEP,
    );
    let french = desk
        .browser
        .wait_for_text("#error", "Ce code a déjà été présenté", STEP);
    // An alert for screen readers; the card is not shown.
    desk.assert_js(
        "document.getElementById('error').getAttribute('role')",
        json!("alert"),
    );
    desk.assert_js("document.getElementById('card').hidden", json!(true));

    // The language switch shows the same error in English.
    desk.browser.click("#lang-en");
    desk.browser
        .wait_for_text("#error", "This code was already presented", STEP);
    desk.assert_js("document.documentElement.lang", json!("en"));
    assert_ne!(french, desk.browser.text("#error").unwrap());
    desk.done();
    scene.end();
}

/// Labels, live regions, table headers and the language attribute: what a
/// screen reader needs, checked on the served page.
#[test]
fn the_page_is_labelled_for_screen_readers() {
    let scene = Scene::start("a11y");
    let mut desk = scene.desk(None);
    desk.assert_js(
        "[...document.querySelectorAll('input, select')].filter(e => e.type !== 'hidden' && \
         e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.id)",
        json!([]),
    );
    desk.assert_js(
        "document.getElementById('status').getAttribute('aria-live')",
        json!("polite"),
    );
    desk.assert_js(
        "[...document.querySelectorAll('th[scope=col]')].length > 10",
        json!(true),
    );
    desk.assert_js("document.documentElement.lang", json!("fr"));
    // Tab from the scanner field goes in reading order: its button, the
    // photo field, the camera's button.
    desk.browser.focus("#scanner-line");
    for next in ["scanner-submit", "photo", "camera-start"] {
        desk.browser.press_key("Tab");
        desk.assert_js("document.activeElement.id", json!(next));
    }
    drop(desk);
    scene.end();
}

/// NFC through the agent: the simulator's phone answers the agent's
/// reader; the page follows the job's events and shows the card.
#[test]
fn nfc_through_the_agent_shows_the_card() {
    let scene = Scene::start("nfc");
    let mut desk = scene.desk(None);
    desk.assert_js(
        "document.getElementById('nfc-start').disabled",
        json!(false),
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
    desk.assert_js(
        "document.getElementById('nfc-progress').hidden",
        json!(true),
    );
    // The simulated household's people, as a line of the same phone shows.
    let line = sim_line(&scene.agent);
    assert_card_shown(&mut desk, &line);
    desk.done();
    scene.end();
}

/// A photo of the phone's screen chosen in the file field: the simulator's
/// PNG of a fresh presentation, read by the agent, card shown.
#[test]
fn a_photo_of_the_code_reads_the_card() {
    let scene = Scene::start("photo");
    let png = get(&scene.agent, "/v1/sim/qr.png");
    assert!(png.starts_with(b"\x89PNG"));
    let path = scene.dir.join("phone.png");
    std::fs::write(&path, png).unwrap();
    let mut desk = scene.desk(None);
    desk.browser.set_file_input("#photo", &path);
    // The household's people, as a line of the same phone shows.
    let line = sim_line(&scene.agent);
    assert_card_shown(&mut desk, &line);
    desk.done();
    scene.end();
}
