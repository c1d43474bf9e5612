//! The reader behind [`Payload::validated`](super::Payload::validated) and
//! [`Payload::lenient`](super::Payload::lenient): the checks of
//! [`decode`](crate::cbor::decode), item by item in the same order (all of
//! them, or all but the UTF-8 of texts), but in a loop over an explicit
//! stack of open containers instead of a recursion, recording one
//! [`Slot`] per item.
//!
//! Heads, strings, simple values, nesting and map key order are checked by
//! the same [`Reader`] methods as `decode`'s, at the same points of the
//! traversal (pre-order, a map's key checked as soon as it is read), so the
//! first error is the same; the property tests of `super::tests` compare
//! both on random and edited inputs.

use super::{Slot, position};
use crate::cbor::{ARRAY, BSTR, CborError, Integer, MAP, NINT, Reader, TAG, TSTR, UINT};

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

/// Reads `bytes` as one item of strict deterministic CBOR at most
/// `max_depth` deep (texts checked as UTF-8 only when `UTF8`), appending
/// one slot per item (so at most one per byte) to `slots`.
pub(super) fn index<const UTF8: bool>(
    bytes: &[u8],
    max_depth: usize,
    slots: &mut Vec<Slot>,
) -> Result<(), CborError> {
    let mut reader = Reader {
        bytes,
        pos: 0,
        max_depth,
    };
    // As deep as the input nests, at most `max_depth`.
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        let at = reader.pos;
        // This item's slot: pushed once the item is read (a scalar) or its
        // head is (a container, completed when its children are read).
        let id = slots.len();
        if let Some(top) = stack.last_mut()
            && top.map
            && top.remaining % 2 == 0
        {
            top.key_start = at;
        }
        let (major, arg) = reader.head()?;
        let body = reader.pos;
        let slot = |end: usize, next: usize| Slot {
            arg,
            body: position(body),
            end: position(end),
            next: position(next),
            major,
        };
        match major {
            UINT => {}
            NINT => {
                // Never out of range for a 64-bit argument; checked as
                // `decode` does.
                Integer::try_from(-1 - i128::from(arg))
                    .map_err(|_| CborError::UnsupportedItem(at))?;
            }
            BSTR => {
                reader.take(arg)?;
            }
            TSTR => {
                let raw = reader.take(arg)?;
                if UTF8 {
                    core::str::from_utf8(raw).map_err(|_| CborError::InvalidUtf8(at))?;
                }
            }
            ARRAY | MAP | TAG => {
                reader.deeper(stack.len())?;
                let children = match major {
                    ARRAY if arg > reader.remaining() => return Err(CborError::Truncated(at)),
                    MAP if arg.saturating_mul(2) > reader.remaining() => {
                        return Err(CborError::Truncated(at));
                    }
                    ARRAY => arg,
                    MAP => arg.saturating_mul(2),
                    _ => 1,
                };
                if children > 0 {
                    // Its end and next slot are known once its children are read.
                    slots.push(slot(body, id));
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
            _ => {
                reader.simple(at, arg)?;
            }
        }
        // Item `id` is complete (and has no children).
        slots.push(slot(reader.pos, id + 1));
        // Close every container it completes.
        loop {
            let Some(top) = stack.last_mut() else {
                let rest = bytes.len().saturating_sub(reader.pos);
                if rest != 0 {
                    return Err(CborError::TrailingBytes(rest));
                }
                return Ok(());
            };
            if top.map && top.remaining % 2 == 0 {
                // The item just read is a key.
                let key = (top.key_start, reader.pos);
                if let Some(prev) = top.prev_key
                    && !reader.ascends(prev, key)
                {
                    return Err(CborError::MapKeyOrder(top.key_start));
                }
                top.prev_key = Some(key);
            }
            top.remaining = top.remaining.saturating_sub(1);
            if top.remaining > 0 {
                break;
            }
            let id = top.id;
            stack.pop();
            let next = position(slots.len());
            if let Some(s) = slots.get_mut(id) {
                s.end = position(reader.pos);
                s.next = next;
            }
        }
    }
}
