//! Billing a card read online (`token` profile) through the C ABI: the
//! terminal opens the context with the simulator's context service over
//! HTTPS, and the billing handle has the care sheet signed by that service
//! under the card's context (`config.context_service`), no professional key
//! needed; without the service the bill is `no_sheet_signer`.
#![allow(
    unsafe_code,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::undocumented_unsafe_blocks
)]

mod common;

use common::ffi::{assert_ok, c, last_message, new_terminal, online_server, take_json};
use vitale::codec::model::Timestamp;
use vitale_ffi::*;
use vitale_sim::{Scenario, Seed};

#[test]
fn a_card_read_online_is_billed_and_signed_by_the_context_service() {
    // The simulator's contexts live in real time: so does this test.
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc()).unwrap();
    let s = Scenario::new(Seed::from_u64(91), 2, now).unwrap();
    let server = online_server(91, &s);
    let service = serde_json::json!({
        "url": server.url(), "ca_pem": server.ca_pem(),
        "billing_number": "991234567", "specialty": "01",
    });
    let options = serde_json::json!({ "context_service": service }).to_string();
    let (status, t) = new_terminal(&s, &s.trust_list, &options);
    assert_eq!(status, VitaleStatus::Ok, "{}", last_message());
    let token = c(server.issue_token(0, 300).unwrap().as_str());
    let mut card = std::ptr::null_mut();
    let mut json = std::ptr::null_mut();
    let status = unsafe { vitale_terminal_verify_text(t, token.as_ptr(), &mut card, &mut json) };
    assert_ok(status);
    let read = take_json(json);
    assert_eq!(read["card"]["provenance"]["profile"], "token", "{read}");

    let config = c(&service.to_string());
    let mut rights = std::ptr::null_mut();
    assert_eq!(
        unsafe { vitale_rights_service_new(config.as_ptr(), &mut rights) },
        VitaleStatus::Ok
    );
    let memory = c("memory");
    let mut numbers = std::ptr::null_mut();
    assert_eq!(
        unsafe { vitale_invoice_numbers_open(memory.as_ptr(), &mut numbers) },
        VitaleStatus::Ok
    );
    let billing_with = |config: &serde_json::Value| {
        let config = c(&config.to_string());
        let mut billing = std::ptr::null_mut();
        let status = unsafe {
            vitale_billing_new(
                t,
                rights,
                numbers,
                config.as_ptr(),
                std::ptr::null(),
                0,
                &mut billing,
            )
        };
        assert_eq!(status, VitaleStatus::Ok, "{}", last_message());
        billing
    };
    let practice = serde_json::json!({"billing_number": "991234567", "specialty": "01"});
    let visit = c(r#"{"rank": 1, "acts": ["G"]}"#);

    // Without the context service: no signer for a card read online.
    let unsigned = billing_with(&serde_json::json!({ "practice": practice }));
    let status = unsafe { vitale_billing_bill(unsigned, card, visit.as_ptr(), &mut json) };
    assert_eq!(status, VitaleStatus::NoSheetSigner);
    assert!(last_message().contains("token"), "{}", last_message());

    let billing =
        billing_with(&serde_json::json!({ "practice": practice, "context_service": service }));
    let status = unsafe { vitale_billing_bill(billing, card, visit.as_ptr(), &mut json) };
    assert_ok(status);
    let billed = take_json(json);
    assert_eq!(billed["signature"]["kind"], "context", "{billed}");
    assert_eq!(
        billed["signature"]["context_id"], read["card"]["provenance"]["context_id"],
        "{billed}"
    );
    assert_eq!(billed["sheet"]["number"], 1);
    assert_eq!(billed["sheet"]["card"]["kind"], "online");
    // Only the service can check its signature: the sheet check refuses it.
    let signed = common::ffi::unhex(billed["signed_sheet"].as_str().unwrap());
    let key = server.signing_key().unwrap().to_spki_der();
    let status = unsafe {
        vitale_sheet_verify(
            signed.as_ptr(),
            signed.len(),
            key.as_ptr(),
            key.len(),
            &mut json,
        )
    };
    assert_eq!(status, VitaleStatus::FseSignatureInvalid);
    unsafe {
        vitale_billing_free(unsigned);
        vitale_billing_free(billing);
        vitale_invoice_numbers_free(numbers);
        vitale_rights_service_free(rights);
        vitale_card_free(card);
        vitale_terminal_free(t);
    }
    server.stop();
}
