//! The reader behind [`Payload::validated`](super::Payload::validated) and
//! [`Payload::lenient`](super::Payload::lenient): the checks of
//! [`decode`](crate::cbor::decode), item by item in the same order (all of
//! them, or all but the UTF-8 of texts), but in a loop over an explicit
//! stack of open containers instead of a recursion, recording one
//! [`Slot`] per item.
//!
//! A one-byte head (argument below 24: small integers, short strings and
//! containers, the data model's keys) is read here directly; longer heads
//! go through the same [`Reader::head`] as `decode`, so their checks and
//! errors are `decode`'s. Strings, nesting and map key order are checked
//! at the same points of the traversal (pre-order, a map's key as soon as
//! it is read), so the first error is the same; the property tests of
//! `super::tests` compare both on random and edited inputs.
//!
//! Positions are stored as `u32`: the caller caps the input's length at
//! `u32::MAX` bytes, so the conversions below are exact.

use super::Slot;
use crate::cbor::{ARRAY, BSTR, CborError, MAP, Reader, SIMPLE, TAG, TSTR};

/// An open container.
struct Frame {
    /// Its slot.
    id: usize,
    /// Children still to read (a map's keys and values both count, so a
    /// map's next child is a key when this is even).
    remaining: u64,
    map: bool,
    /// Where the key being read starts, and the previous key's bytes.
    key_start: usize,
    prev_key: Option<(usize, usize)>,
}

/// Reads `bytes` (at most `u32::MAX` long) as one item of strict
/// deterministic CBOR at most `max_depth` deep (texts checked as UTF-8
/// only when `UTF8`), appending one slot per item (so at most one per
/// byte) to `slots`.
pub(super) fn index<const UTF8: bool>(
    bytes: &[u8],
    max_depth: usize,
    slots: &mut Vec<Slot>,
) -> Result<(), CborError> {
    let len = bytes.len();
    let mut reader = Reader {
        bytes,
        pos: 0,
        max_depth,
    };
    let mut pos = 0;
    // As deep as the input nests, at most `max_depth`.
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        let at = pos;
        // This item's slot: pushed once the item is read (a scalar) or its
        // head is (a container, completed when its children are read).
        let id = slots.len();
        if let Some(top) = stack.last_mut()
            && top.map
            && top.remaining.is_multiple_of(2)
        {
            top.key_start = at;
        }
        let (major, arg) = match bytes.get(at) {
            Some(&initial) if initial & 0x1f < 24 => {
                pos = at + 1;
                (initial >> 5, u64::from(initial & 0x1f))
            }
            // A longer head, or none: `decode`'s reader and its errors.
            _ => {
                reader.pos = at;
                let head = reader.head()?;
                pos = reader.pos;
                head
            }
        };
        let body = pos;
        match major {
            BSTR | TSTR => {
                if arg > (len - pos) as u64 {
                    return Err(CborError::Truncated(pos));
                }
                pos += arg as usize;
                if UTF8 && major == TSTR {
                    let raw = bytes.get(body..pos).unwrap_or_default();
                    core::str::from_utf8(raw).map_err(|_| CborError::InvalidUtf8(at))?;
                }
            }
            ARRAY | MAP | TAG => {
                if stack.len() >= max_depth {
                    return Err(CborError::TooDeep(max_depth));
                }
                let remaining = (len - pos) as u64;
                let children = match major {
                    ARRAY if arg > remaining => return Err(CborError::Truncated(at)),
                    MAP if arg.saturating_mul(2) > remaining => {
                        return Err(CborError::Truncated(at));
                    }
                    ARRAY => arg,
                    MAP => arg * 2,
                    _ => 1,
                };
                if children > 0 {
                    // Its end and next slot are set once its children are read.
                    slots.push(Slot {
                        arg,
                        body: body as u32,
                        end: body as u32,
                        next: id as u32,
                        major,
                    });
                    stack.push(Frame {
                        id,
                        remaining: children,
                        map: major == MAP,
                        key_start: 0,
                        prev_key: None,
                    });
                    continue;
                }
            }
            SIMPLE => {
                reader.simple(at, arg)?;
            }
            // Integers: any argument is one (-1 - arg fits the data
            // model's integer range for every 64-bit argument).
            _ => {}
        }
        // Item `id` is complete (and has no children).
        slots.push(Slot {
            arg,
            body: body as u32,
            end: pos as u32,
            next: id as u32 + 1,
            major,
        });
        // Close every container it completes.
        loop {
            let Some(top) = stack.last_mut() else {
                if pos != len {
                    return Err(CborError::TrailingBytes(len - pos));
                }
                return Ok(());
            };
            if top.map && top.remaining.is_multiple_of(2) {
                // The item just read is a key.
                let key = (top.key_start, pos);
                if let Some(prev) = top.prev_key
                    && !reader.ascends(prev, key)
                {
                    return Err(CborError::MapKeyOrder(top.key_start));
                }
                top.prev_key = Some(key);
            }
            top.remaining -= 1;
            if top.remaining > 0 {
                break;
            }
            let id = top.id;
            stack.pop();
            let next = slots.len() as u32;
            if let Some(slot) = slots.get_mut(id) {
                slot.end = pos as u32;
                slot.next = next;
            }
        }
    }
}
