//! The boundary every exported function goes through: panics caught and
//! turned into [`VitaleStatus::Panic`], failures recorded as the calling
//! thread's last error, and the checked readings of the caller's pointers.

use core::ffi::{CStr, c_char};
use std::cell::RefCell;
use std::ffi::CString;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::status::VitaleStatus;

/// Why a call failed: its status, the kind (the status's, or a facade kind
/// without a number yet) and a message without personal data.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: VitaleStatus,
    pub(crate) kind: &'static str,
    pub(crate) message: String,
}

impl Failure {
    /// A failure of the ABI itself (null pointer, invalid UTF-8…).
    pub(crate) fn abi(status: VitaleStatus, message: impl Into<String>) -> Self {
        Failure {
            status,
            kind: status.kind(),
            message: message.into(),
        }
    }

    /// A null pointer where `what` was required.
    pub(crate) fn null(what: &str) -> Self {
        Failure::abi(VitaleStatus::NullArgument, format!("{what} is null"))
    }

    /// A JSON argument refused.
    pub(crate) fn options(what: &str, reason: impl core::fmt::Display) -> Self {
        Failure::abi(VitaleStatus::InvalidOptions, format!("{what}: {reason}"))
    }

    /// A feature this build lacks.
    #[cfg_attr(all(feature = "online", feature = "pcsc"), allow(dead_code))]
    pub(crate) fn not_supported(what: &str, feature: &str) -> Self {
        Failure::abi(
            VitaleStatus::NotSupported,
            format!("{what} needs the library built with the `{feature}` feature"),
        )
    }
}

impl From<vitale::Error> for Failure {
    fn from(e: vitale::Error) -> Self {
        let kind = e.kind();
        Failure {
            status: VitaleStatus::of_kind(kind),
            kind,
            message: chain(&e),
        }
    }
}

/// `error: cause: cause`, each message once (transparent wrappers repeat
/// their source's message). The SDK's messages hold no personal data.
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.ends_with(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

thread_local! {
    /// The last failure of a call on this thread (`None` after a success).
    static LAST: RefCell<Option<Failure>> = const { RefCell::new(None) };
}

/// Runs an exported function's body: a panic becomes
/// [`VitaleStatus::Panic`], and the outcome becomes this thread's last
/// error (cleared on success).
pub(crate) fn call(body: impl FnOnce() -> Result<(), Failure>) -> VitaleStatus {
    let failure = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => None,
        Ok(Err(failure)) => Some(failure),
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown cause".to_owned());
            Some(Failure::abi(
                VitaleStatus::Panic,
                format!("internal error (caught panic): {what}"),
            ))
        }
    };
    let status = failure.as_ref().map_or(VitaleStatus::Ok, |f| f.status);
    // During thread teardown the slot may be gone: the status still tells.
    let _ = LAST.try_with(|last| {
        if let Ok(mut slot) = last.try_borrow_mut() {
            *slot = failure;
        }
    });
    status
}

/// Runs an exported function that answers a text (JSON) in a required out
/// pointer, as [`call`] does: `out` is that pointer, checked and cleared by
/// [`Out::required`] before the call (its failure is the call's), and
/// `body` makes the text, handed to the caller (freed by
/// `vitale_string_free`) only when everything succeeded.
pub(crate) fn call_json(
    out: Result<Out<c_char>, Failure>,
    body: impl FnOnce() -> Result<String, Failure>,
) -> VitaleStatus {
    call(|| out?.put_string(body()?))
}

/// Runs a function that must not touch the last error (the functions that
/// read it): a panic still becomes [`VitaleStatus::Panic`].
pub(crate) fn call_keeping_last(body: impl FnOnce() -> VitaleStatus) -> VitaleStatus {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(VitaleStatus::Panic)
}

/// This thread's last failure's kind and message, if the last call failed.
pub(crate) fn last_error() -> Option<(&'static str, String)> {
    LAST.try_with(|last| {
        last.try_borrow()
            .ok()
            .and_then(|slot| slot.as_ref().map(|f| (f.kind, f.message.clone())))
    })
    .ok()
    .flatten()
}

/// A required text argument.
///
/// # Safety
/// `ptr` is null or points to a NUL-terminated string that stays readable
/// and unchanged for `'a`.
pub(crate) unsafe fn text<'a>(ptr: *const c_char, what: &str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(Failure::null(what));
    }
    // SAFETY: not null (checked above); NUL-terminated and readable for 'a
    // by the caller's contract.
    let c = unsafe { CStr::from_ptr(ptr) };
    c.to_str().map_err(|_| {
        Failure::abi(
            VitaleStatus::InvalidUtf8,
            format!("{what} is not valid UTF-8"),
        )
    })
}

/// An optional text argument: null gives `None`.
///
/// # Safety
/// As [`text`].
pub(crate) unsafe fn optional_text<'a>(
    ptr: *const c_char,
    what: &str,
) -> Result<Option<&'a str>, Failure> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: the caller's contract is text's.
    unsafe { text(ptr, what) }.map(Some)
}

/// A byte argument: `len` bytes at `ptr`; null is allowed when `len` is 0.
///
/// # Safety
/// When `len > 0`, `ptr` is null or points to `len` readable bytes that
/// stay unchanged for `'a`.
pub(crate) unsafe fn bytes<'a>(
    ptr: *const u8,
    len: usize,
    what: &str,
) -> Result<&'a [u8], Failure> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Failure::null(what));
    }
    if len > isize::MAX as usize {
        return Err(Failure::abi(
            VitaleStatus::InvalidArgument,
            format!("{what}: length {len} is out of range"),
        ));
    }
    // SAFETY: not null, len within isize::MAX (checked above); `len`
    // readable bytes for 'a by the caller's contract.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// A handle argument.
///
/// # Safety
/// `ptr` is null or a live handle of type `T` made by this library, not
/// freed during `'a`.
pub(crate) unsafe fn handle<'a, T>(ptr: *const T, what: &str) -> Result<&'a T, Failure> {
    // SAFETY: a live handle by the caller's contract; `as_ref` checks null.
    unsafe { ptr.as_ref() }.ok_or_else(|| Failure::null(what))
}

/// An out pointer, checked and cleared (set to null) before any work, so
/// that it is null whenever the call fails.
pub(crate) struct Out<T> {
    ptr: *mut *mut T,
}

impl<T> Out<T> {
    /// A required out pointer.
    ///
    /// # Safety
    /// `ptr` is null or points to a writable `T*`.
    pub(crate) unsafe fn required(ptr: *mut *mut T, what: &str) -> Result<Self, Failure> {
        if ptr.is_null() {
            return Err(Failure::null(what));
        }
        // SAFETY: not null, writable by the caller's contract.
        unsafe { ptr.write(core::ptr::null_mut()) };
        Ok(Out { ptr })
    }

    /// An optional out pointer: null means the caller does not want it.
    ///
    /// # Safety
    /// As [`Out::required`].
    pub(crate) unsafe fn optional(ptr: *mut *mut T) -> Option<Self> {
        if ptr.is_null() {
            return None;
        }
        // SAFETY: not null, writable by the caller's contract.
        unsafe { ptr.write(core::ptr::null_mut()) };
        Some(Out { ptr })
    }

    /// Hands `value` to the caller, who now owns it.
    pub(crate) fn put(self, value: *mut T) {
        // SAFETY: checked not null and writable when `self` was made; the
        // caller's pointer is still valid during the call.
        unsafe { self.ptr.write(value) }
    }
}

impl Out<c_char> {
    /// Hands a library-owned string to the caller (freed by
    /// `vitale_string_free`).
    pub(crate) fn put_string(self, text: String) -> Result<(), Failure> {
        let c = CString::new(text).map_err(|_| {
            Failure::abi(
                VitaleStatus::Panic,
                "internal error: a result text holds a NUL byte",
            )
        })?;
        self.put(c.into_raw());
        Ok(())
    }
}

/// A handle given to the caller, who frees it with the matching `_free`.
pub(crate) fn into_handle<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Takes back a handle made by [`into_handle`] and drops it.
///
/// # Safety
/// `ptr` is null or a handle of type `T` made by [`into_handle`], not yet
/// freed, and not used by any other thread during or after this call.
pub(crate) unsafe fn free_handle<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: made by Box::into_raw in into_handle, not yet freed, and
        // no longer used by anyone (the caller's contract).
        drop(unsafe { Box::from_raw(ptr) });
    }
}

/// Writes `text` into the caller's buffer as a NUL-terminated string and
/// the size it needs (NUL included) into `needed`.
///
/// A buffer too small (or null with `len` 0) gets as much of the text as
/// fits, cut at a character boundary and NUL-terminated, and the status is
/// [`VitaleStatus::BufferTooSmall`].
///
/// # Safety
/// `buf` is null or points to `len` writable bytes; `needed` is null or
/// points to a writable `size_t`.
pub(crate) unsafe fn write_buffer(
    text: &str,
    buf: *mut c_char,
    len: usize,
    needed: *mut usize,
) -> VitaleStatus {
    let size = text.len().saturating_add(1);
    if !needed.is_null() {
        // SAFETY: not null, writable by the caller's contract.
        unsafe { needed.write(size) };
    }
    if buf.is_null() {
        return if len == 0 {
            VitaleStatus::BufferTooSmall
        } else {
            VitaleStatus::NullArgument
        };
    }
    if len == 0 {
        return VitaleStatus::BufferTooSmall;
    }
    let mut fit = text.len().min(len - 1);
    while !text.is_char_boundary(fit) {
        fit -= 1;
    }
    let head = text.as_bytes().get(..fit).unwrap_or_default();
    // SAFETY: `buf` is not null and has `len` writable bytes (the caller's
    // contract); `fit + 1 <= len`, and `head` cannot overlap the caller's
    // buffer (it is the library's own string).
    unsafe {
        core::ptr::copy_nonoverlapping(head.as_ptr(), buf.cast::<u8>(), fit);
        buf.add(fit).write(0);
    }
    if fit == text.len() {
        VitaleStatus::Ok
    } else {
        VitaleStatus::BufferTooSmall
    }
}

#[cfg(test)]
mod tests;
