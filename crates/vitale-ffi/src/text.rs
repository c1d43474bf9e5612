//! Strings across the boundary: library-owned results and their free,
//! error messages into caller-owned buffers, and a JSON pointer reader for
//! callers without a JSON parser.

use core::ffi::c_char;
use std::ffi::CString;

use serde_json::Value;

use crate::boundary::{self, Failure, call, call_keeping_last, write_buffer};
use crate::options::MAX_JSON_BYTES;
use crate::status::VitaleStatus;

/// Frees a string the library returned (a JSON result). Null is ignored.
///
/// # Safety
/// `text` is null or a string returned by this library, not yet freed; it
/// must not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_string_free(text: *mut c_char) {
    if text.is_null() {
        return;
    }
    let _ = call_keeping_last(|| {
        // SAFETY: made by CString::into_raw (Out::put_string), not yet
        // freed, no longer used (the caller's contract).
        drop(unsafe { CString::from_raw(text) });
        VitaleStatus::Ok
    });
}

/// Writes what a status code means (`"a signature does not verify"`) into
/// `buf`, NUL-terminated; `*needed` (if not null) receives the size needed,
/// NUL included.
///
/// Returns [`VitaleStatus::BufferTooSmall`] when `len` is smaller (the text
/// is then cut and NUL-terminated; `buf` null with `len` 0 asks for the
/// size only). An unknown code gets `"unknown status code"`. The last error
/// of the thread is left as it was.
///
/// # Safety
/// `buf` is null or points to `len` writable bytes; `needed` is null or
/// points to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_error_message(
    code: i32,
    buf: *mut c_char,
    len: usize,
    needed: *mut usize,
) -> VitaleStatus {
    call_keeping_last(|| {
        let text = VitaleStatus::from_code(code).map_or("unknown status code", |s| s.meaning());
        // SAFETY: the caller's contract is write_buffer's.
        unsafe { write_buffer(text, buf, len, needed) }
    })
}

/// Writes a status code's stable snake_case kind (`"bad_signature"`,
/// `"ok"`, `"panic"`…) into `buf`, as [`vitale_error_message`] does. An
/// unknown code gets `"unknown"`.
///
/// # Safety
/// As [`vitale_error_message`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_error_kind(
    code: i32,
    buf: *mut c_char,
    len: usize,
    needed: *mut usize,
) -> VitaleStatus {
    call_keeping_last(|| {
        let text = VitaleStatus::from_code(code).map_or("unknown", |s| s.kind());
        // SAFETY: the caller's contract is write_buffer's.
        unsafe { write_buffer(text, buf, len, needed) }
    })
}

/// Writes the detailed message of the last call that failed **on the
/// calling thread** (`"trust list refused: …"`) into `buf`, as
/// [`vitale_error_message`] does; the empty string when the thread's last
/// call succeeded. Messages never hold personal data.
///
/// # Safety
/// As [`vitale_error_message`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_last_error_message(
    buf: *mut c_char,
    len: usize,
    needed: *mut usize,
) -> VitaleStatus {
    call_keeping_last(|| {
        let message = boundary::last_error().map(|(_, m)| m).unwrap_or_default();
        // SAFETY: the caller's contract is write_buffer's.
        unsafe { write_buffer(&message, buf, len, needed) }
    })
}

/// Writes the kind of the last call that failed on the calling thread into
/// `buf` (the empty string after a success). It is the status's kind, or —
/// for [`VitaleStatus::UnnumberedError`] — the facade's kind that has no
/// number yet.
///
/// # Safety
/// As [`vitale_error_message`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_last_error_kind(
    buf: *mut c_char,
    len: usize,
    needed: *mut usize,
) -> VitaleStatus {
    call_keeping_last(|| {
        let kind = boundary::last_error().map_or("", |(k, _)| k);
        // SAFETY: the caller's contract is write_buffer's.
        unsafe { write_buffer(kind, buf, len, needed) }
    })
}

/// Parses a JSON text (at most 16 MiB) and finds the value at an RFC 6901
/// pointer (`""` is the whole document).
fn pointed(json: &str, pointer: &str) -> Result<Value, Failure> {
    if json.len() > MAX_JSON_BYTES {
        return Err(Failure::options("json", "longer than 16 MiB"));
    }
    let mut value: Value = serde_json::from_str(json).map_err(|e| Failure::options("json", e))?;
    value
        .pointer_mut(pointer)
        .map(Value::take)
        .ok_or_else(|| Failure::abi(VitaleStatus::NotFound, format!("nothing at {pointer:?}")))
}

/// Reads one value of a JSON text (a result of this library, or any JSON)
/// at an RFC 6901 pointer such as `"/card/beneficiaries/0/birth_name"`,
/// into `buf` as [`vitale_error_message`] does: a string as its text
/// (unquoted), anything else as compact JSON (`3`, `true`, `null`,
/// `{"a":1}`).
///
/// For callers without a JSON parser (C, WinDev); each call parses the
/// whole text. Returns [`VitaleStatus::NotFound`] when the pointer leads
/// nowhere, [`VitaleStatus::InvalidOptions`] when `json` is not JSON.
///
/// # Safety
/// `json` and `pointer` are NUL-terminated strings; `buf` and `needed` as
/// in [`vitale_error_message`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_json_get(
    json: *const c_char,
    pointer: *const c_char,
    buf: *mut c_char,
    len: usize,
    needed: *mut usize,
) -> VitaleStatus {
    let mut written = VitaleStatus::Ok;
    let status = call(|| {
        // SAFETY: NUL-terminated strings by the caller's contract.
        let json = unsafe { boundary::text(json, "json") }?;
        // SAFETY: as above.
        let pointer = unsafe { boundary::text(pointer, "pointer") }?;
        let text = match pointed(json, pointer)? {
            Value::String(s) => s,
            other => other.to_string(),
        };
        // SAFETY: the caller's contract is write_buffer's.
        written = unsafe { write_buffer(&text, buf, len, needed) };
        Ok(())
    });
    if status == VitaleStatus::Ok {
        written
    } else {
        status
    }
}

/// The number of elements of the array (or members of the object) at an
/// RFC 6901 pointer of a JSON text, into `*count`: the loop bound for
/// [`vitale_json_get`] (`"/card/beneficiaries"` gives the number of
/// beneficiaries). A string, number, boolean or null counts 0.
///
/// # Safety
/// `json` and `pointer` are NUL-terminated strings; `count` points to a
/// writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_json_count(
    json: *const c_char,
    pointer: *const c_char,
    count: *mut usize,
) -> VitaleStatus {
    call(|| {
        if count.is_null() {
            return Err(Failure::null("count"));
        }
        // SAFETY: NUL-terminated strings by the caller's contract.
        let json = unsafe { boundary::text(json, "json") }?;
        // SAFETY: as above.
        let pointer = unsafe { boundary::text(pointer, "pointer") }?;
        let n = match pointed(json, pointer)? {
            Value::Array(a) => a.len(),
            Value::Object(o) => o.len(),
            _ => 0,
        };
        // SAFETY: not null (checked above), writable by the caller's
        // contract.
        unsafe { count.write(n) };
        Ok(())
    })
}

#[cfg(test)]
mod tests;
