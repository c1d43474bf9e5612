use std::ffi::CString;

use super::*;

fn get(json: &str, pointer: &str, len: usize) -> (VitaleStatus, String, usize) {
    let json = CString::new(json).expect("no NUL");
    let pointer = CString::new(pointer).expect("no NUL");
    let mut buf = vec![0u8; len];
    let mut needed = 0usize;
    // SAFETY: NUL-terminated strings, `len` writable bytes, a writable size.
    let status = unsafe {
        vitale_json_get(
            json.as_ptr(),
            pointer.as_ptr(),
            if len == 0 {
                core::ptr::null_mut()
            } else {
                buf.as_mut_ptr().cast()
            },
            len,
            &mut needed,
        )
    };
    let end = buf.iter().position(|&b| b == 0).unwrap_or(0);
    (
        status,
        String::from_utf8_lossy(&buf[..end]).into_owned(),
        needed,
    )
}

#[test]
fn json_get_gives_strings_unquoted_and_the_rest_as_json() {
    let doc = r#"{"card":{"beneficiaries":[{"rank":1,"birth_name":"DUPRÉ","ins":null}]}}"#;
    assert_eq!(
        get(doc, "/card/beneficiaries/0/birth_name", 64),
        (VitaleStatus::Ok, "DUPRÉ".into(), 7)
    );
    assert_eq!(get(doc, "/card/beneficiaries/0/rank", 64).1, "1");
    assert_eq!(get(doc, "/card/beneficiaries/0/ins", 64).1, "null");
    assert_eq!(
        get(doc, "/card/beneficiaries/0", 64).1,
        r#"{"birth_name":"DUPRÉ","ins":null,"rank":1}"#
    );
    assert_eq!(
        get(doc, "/card/beneficiaries/1", 64).0,
        VitaleStatus::NotFound
    );
    assert_eq!(get("{", "", 64).0, VitaleStatus::InvalidOptions);
    let (status, _, needed) = get(doc, "/card/beneficiaries/0/birth_name", 0);
    assert_eq!((status, needed), (VitaleStatus::BufferTooSmall, 7));
}

#[test]
fn json_count_counts_arrays_and_objects() {
    let doc = CString::new(r#"{"a":[1,2,3],"o":{"x":1},"s":"abc"}"#).expect("no NUL");
    for (pointer, expected) in [("/a", 3usize), ("/o", 1), ("/s", 0), ("", 3)] {
        let p = CString::new(pointer).expect("no NUL");
        let mut count = 99usize;
        // SAFETY: NUL-terminated strings and a writable count.
        let status = unsafe { vitale_json_count(doc.as_ptr(), p.as_ptr(), &mut count) };
        assert_eq!((status, count), (VitaleStatus::Ok, expected), "{pointer}");
    }
    let p = CString::new("/a").expect("no NUL");
    // SAFETY: a null count is refused before any write.
    let status = unsafe { vitale_json_count(doc.as_ptr(), p.as_ptr(), core::ptr::null_mut()) };
    assert_eq!(status, VitaleStatus::NullArgument);
}

#[test]
fn messages_and_kinds_of_codes() {
    let mut buf = [0u8; 128];
    let mut needed = 0;
    // SAFETY: 128 writable bytes, a writable size.
    let status = unsafe { vitale_error_kind(131, buf.as_mut_ptr().cast(), 128, &mut needed) };
    assert_eq!(status, VitaleStatus::Ok);
    assert_eq!(&buf[..needed - 1], b"replay");
    // SAFETY: as above.
    let status = unsafe { vitale_error_message(12_345, buf.as_mut_ptr().cast(), 128, &mut needed) };
    assert_eq!(status, VitaleStatus::Ok);
    assert_eq!(&buf[..needed - 1], b"unknown status code");
}

#[test]
fn reading_the_last_error_does_not_clear_it() {
    let json = CString::new("[").expect("no NUL");
    let pointer = CString::new("").expect("no NUL");
    let mut buf = [0u8; 256];
    let mut needed = 0;
    // SAFETY: NUL-terminated strings and a null output (asks the size only).
    let status = unsafe {
        vitale_json_get(
            json.as_ptr(),
            pointer.as_ptr(),
            core::ptr::null_mut(),
            0,
            &mut needed,
        )
    };
    assert_eq!(status, VitaleStatus::InvalidOptions);
    for _ in 0..2 {
        // SAFETY: 256 writable bytes, a writable size.
        let status = unsafe { vitale_last_error_kind(buf.as_mut_ptr().cast(), 256, &mut needed) };
        assert_eq!(status, VitaleStatus::Ok);
        assert_eq!(&buf[..needed - 1], b"invalid_options");
    }
    // SAFETY: null is ignored.
    unsafe { vitale_string_free(core::ptr::null_mut()) };
    // SAFETY: as above.
    let _ = unsafe { vitale_last_error_message(buf.as_mut_ptr().cast(), 256, &mut needed) };
    assert!(
        core::str::from_utf8(&buf[..needed - 1])
            .expect("UTF-8")
            .starts_with("json:")
    );
}
