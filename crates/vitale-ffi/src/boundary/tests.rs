use core::ffi::c_char;

use super::*;

fn written(buf: &[u8]) -> &str {
    let end = buf.iter().position(|&b| b == 0).expect("NUL-terminated");
    core::str::from_utf8(&buf[..end]).expect("UTF-8")
}

#[test]
fn a_buffer_large_enough_gets_the_text_and_its_nul() {
    let mut buf = [0xAAu8; 16];
    let mut needed = 0usize;
    // SAFETY: 16 writable bytes and a writable size.
    let status =
        unsafe { write_buffer("héllo", buf.as_mut_ptr().cast::<c_char>(), 16, &mut needed) };
    assert_eq!(status, VitaleStatus::Ok);
    assert_eq!(needed, 7);
    assert_eq!(written(&buf), "héllo");
}

#[test]
fn a_small_buffer_gets_a_cut_at_a_character_boundary() {
    let mut buf = [0xAAu8; 3];
    let mut needed = 0usize;
    // "hé": 'h' then the two bytes of 'é'; 2 bytes of room cut before 'é'.
    // SAFETY: 3 writable bytes and a writable size.
    let status =
        unsafe { write_buffer("héllo", buf.as_mut_ptr().cast::<c_char>(), 3, &mut needed) };
    assert_eq!(status, VitaleStatus::BufferTooSmall);
    assert_eq!(needed, 7);
    assert_eq!(written(&buf), "h");
}

#[test]
fn a_null_buffer_of_length_zero_asks_for_the_size() {
    let mut needed = 0usize;
    // SAFETY: null buffer with length 0, writable size.
    let status = unsafe { write_buffer("abc", core::ptr::null_mut(), 0, &mut needed) };
    assert_eq!(status, VitaleStatus::BufferTooSmall);
    assert_eq!(needed, 4);
    // SAFETY: a null buffer with a length is refused before any write.
    let status = unsafe { write_buffer("abc", core::ptr::null_mut(), 8, core::ptr::null_mut()) };
    assert_eq!(status, VitaleStatus::NullArgument);
}

#[test]
#[allow(clippy::panic)]
fn a_panic_becomes_a_status_and_the_last_error() {
    let status = call(|| panic!("boom {}", 42));
    assert_eq!(status, VitaleStatus::Panic);
    let (kind, message) = last_error().expect("recorded");
    assert_eq!(kind, "panic");
    assert!(message.contains("boom 42"), "{message}");
    // A success clears it.
    assert_eq!(call(|| Ok(())), VitaleStatus::Ok);
    assert!(last_error().is_none());
}

#[test]
fn the_last_error_is_per_thread() {
    let status = call(|| Err(Failure::null("x")));
    assert_eq!(status, VitaleStatus::NullArgument);
    let other = std::thread::spawn(last_error).join().expect("thread");
    assert!(other.is_none());
    assert_eq!(last_error().map(|(k, _)| k), Some("null_argument"));
}

#[test]
fn facade_errors_keep_their_kind_and_number() {
    let failure = Failure::from(vitale::Error::from(vitale::verify::Error::Replay));
    assert_eq!(failure.status, VitaleStatus::Replay);
    assert_eq!(failure.kind, "replay");
    assert!(!failure.message.is_empty());
}

#[test]
fn pointer_readers_refuse_null_and_invalid_utf8() {
    // SAFETY: null is allowed by the contract.
    let e = unsafe { text(core::ptr::null(), "t") }.expect_err("null");
    assert_eq!(e.status, VitaleStatus::NullArgument);
    let bad = [0xFFu8, 0xFE, 0];
    // SAFETY: a NUL-terminated array.
    let e = unsafe { text(bad.as_ptr().cast(), "t") }.expect_err("not UTF-8");
    assert_eq!(e.status, VitaleStatus::InvalidUtf8);
    assert_eq!(
        // SAFETY: length 0 needs no pointer.
        unsafe { bytes(core::ptr::null(), 0, "b") }
            .map(<[u8]>::len)
            .ok(),
        Some(0)
    );
    // SAFETY: a null pointer with a length is refused before any read.
    let e = unsafe { bytes(core::ptr::null(), 3, "b") }.expect_err("null");
    assert_eq!(e.status, VitaleStatus::NullArgument);
}
