use super::*;

#[test]
fn the_json_form_is_detected_as_the_facade_does() {
    assert_eq!(
        jws_text(b"\xef\xbb\xbf eyJhbGciOiJFUzI1NiJ9.e30.sig\r\n"),
        Some("eyJhbGciOiJFUzI1NiJ9.e30.sig")
    );
    assert_eq!(jws_text(&[0xd2, 0x84, 0x43]), None);
    assert_eq!(jws_text(b"{\"json\": true}"), None);
}

#[test]
fn a_null_terminal_or_text_is_a_status() {
    let mut json: *mut c_char = core::ptr::dangling_mut();
    // SAFETY: null handle and text are refused before use; `json` is
    // writable and is cleared first.
    let status = unsafe {
        vitale_terminal_verify_text(
            core::ptr::null(),
            core::ptr::null(),
            core::ptr::null_mut(),
            &mut json,
        )
    };
    assert_eq!(status, VitaleStatus::NullArgument);
    assert!(json.is_null(), "the out pointer is cleared on failure");
}

#[test]
fn a_trust_list_that_is_not_one_is_refused_with_its_kind() {
    let mut terminal: *mut VitaleTerminal = core::ptr::null_mut();
    let list = b"not a trust list";
    // SAFETY: byte slices with their lengths, null options, a writable
    // handle pointer.
    let status = unsafe {
        vitale_terminal_new(
            list.as_ptr(),
            list.len(),
            list.as_ptr(),
            list.len(),
            core::ptr::null(),
            &mut terminal,
        )
    };
    assert_eq!(status, VitaleStatus::InvalidPublicKey);
    assert!(terminal.is_null());
}
