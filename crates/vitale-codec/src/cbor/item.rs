//! Reading a payload's items straight from its bytes, without building a
//! [`Value`](super::Value) tree.
//!
//! [`Payload::validated`] reads the bytes once, with every check of
//! [`decode`](super::decode) (same limits, same errors), and records where
//! each item lies: one [`Slot`] per item, in the order the items appear,
//! each knowing where the next sibling's slot is. The data model's decoders
//! then read their fields through [`Item`]s: a text is a `&str` into the
//! payload, a byte string a `&[u8]`, a map a sequence of `(key, value)`
//! items reached without reading any byte again. One allocation (the
//! slots, one per item, so at most one per byte of input).
//!
//! Every accessor checks what it reads and answers `None` (not of this
//! type) rather than trust an index: nothing here can panic, and nothing
//! recurses.

use super::{ARRAY, BSTR, CborError, MAP, NINT, Reader, SIMPLE, Sink, Span, TSTR, UINT, Value};

/// Where one item lies, and where the next sibling's slot is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Slot {
    span: Span,
    /// The slot after this item's own and its descendants'.
    next: usize,
}

impl Slot {
    const EMPTY: Slot = Slot {
        span: Span {
            major: SIMPLE,
            arg: 0,
            body: 0,
            end: 0,
        },
        next: 0,
    };
}

/// The sink that records the slots ([`Payload::validated`]).
pub(crate) struct Index {
    slots: Vec<Slot>,
}

impl Index {
    /// Records `span` as item `id` (given by [`Sink::begin`]).
    fn set(&mut self, id: usize, span: Span) {
        let next = self.slots.len();
        if let Some(slot) = self.slots.get_mut(id) {
            *slot = Slot { span, next };
        }
    }
}

impl Sink for Index {
    type Item = ();
    type Seq = ();
    type Entries = ();
    fn begin(&mut self) -> usize {
        // One slot per head read: at most one per byte of input.
        self.slots.push(Slot::EMPTY);
        self.slots.len() - 1
    }
    fn scalar(&mut self, id: usize, span: Span, _: impl FnOnce() -> Value) {
        self.set(id, span);
    }
    fn seq(&mut self, _: usize) {}
    fn push(&mut self, _: &mut (), _: ()) {}
    fn array(&mut self, id: usize, span: Span, _: ()) {
        self.set(id, span);
    }
    fn entries(&mut self, _: usize) {}
    fn insert(&mut self, _: &mut (), _: (), _: ()) {}
    fn map(&mut self, id: usize, span: Span, _: ()) {
        self.set(id, span);
    }
    fn tag(&mut self, id: usize, span: Span, _: ()) {
        self.set(id, span);
    }
}

/// A payload that passed the strict CBOR checks, with its items' slots.
pub(crate) struct Payload<'a> {
    bytes: &'a [u8],
    slots: Vec<Slot>,
}

impl<'a> Payload<'a> {
    /// Reads `bytes` as one item of strict deterministic CBOR within the
    /// limits — the checks and errors of [`decode`](super::decode) — and
    /// records its items.
    pub(crate) fn validated(
        bytes: &'a [u8],
        max_bytes: usize,
        max_depth: usize,
    ) -> Result<Self, CborError> {
        if bytes.len() > max_bytes {
            return Err(CborError::TooLarge {
                size: bytes.len(),
                limit: max_bytes,
            });
        }
        // Most items of the data model take 4 bytes or more.
        let mut index = Index {
            slots: Vec::with_capacity(bytes.len() / 4 + 1),
        };
        let mut reader = Reader {
            bytes,
            pos: 0,
            max_depth,
        };
        reader.item(0, &mut index)?;
        let rest = bytes.len().saturating_sub(reader.pos);
        if rest != 0 {
            return Err(CborError::TrailingBytes(rest));
        }
        Ok(Payload {
            bytes,
            slots: index.slots,
        })
    }

    /// The top-level item.
    pub(crate) fn root(&self) -> Item<'_> {
        Item {
            bytes: self.bytes,
            slots: &self.slots,
            slot: self.slots.first().copied().unwrap_or(Slot::EMPTY),
            at: 0,
        }
    }
}

/// One item of a [`Payload`].
#[derive(Clone, Copy)]
pub(crate) struct Item<'a> {
    bytes: &'a [u8],
    slots: &'a [Slot],
    slot: Slot,
    /// This item's slot index.
    at: usize,
}

impl Item<'static> {
    /// A placeholder of no type: every accessor answers `None`.
    pub(crate) const EMPTY: Item<'static> = Item {
        bytes: &[],
        slots: &[],
        slot: Slot::EMPTY,
        at: 0,
    };
}

impl<'a> Item<'a> {
    fn major(&self) -> u8 {
        self.slot.span.major
    }

    fn content(&self) -> Option<&'a [u8]> {
        self.bytes.get(self.slot.span.body..self.slot.span.end)
    }

    /// The items right under this one, `count` of them.
    fn children(&self, count: u64) -> Option<Items<'a>> {
        Some(Items {
            bytes: self.bytes,
            slots: self.slots,
            next: self.at.checked_add(1)?,
            remaining: usize::try_from(count).ok()?,
        })
    }

    /// An unsigned integer (major type 0).
    pub(crate) fn as_uint(&self) -> Option<u64> {
        (self.major() == UINT).then_some(self.slot.span.arg)
    }

    /// An integer (major type 0 or 1) that fits an `i64`.
    pub(crate) fn as_i64(&self) -> Option<i64> {
        let n = i64::try_from(self.slot.span.arg).ok()?;
        match self.major() {
            UINT => Some(n),
            // -1 - n, which fits when n <= i64::MAX.
            NINT => Some(-1 - n),
            _ => None,
        }
    }

    /// A byte string.
    pub(crate) fn as_bytes(&self) -> Option<&'a [u8]> {
        (self.major() == BSTR).then(|| self.content())?
    }

    /// A text string.
    pub(crate) fn as_text(&self) -> Option<&'a str> {
        (self.major() == TSTR)
            .then(|| self.content())?
            .and_then(|raw| core::str::from_utf8(raw).ok())
    }

    /// `false` or `true`.
    pub(crate) fn as_bool(&self) -> Option<bool> {
        match (self.major(), self.slot.span.arg) {
            (SIMPLE, 20) => Some(false),
            (SIMPLE, 21) => Some(true),
            _ => None,
        }
    }

    /// The items of an array.
    pub(crate) fn as_array(&self) -> Option<Items<'a>> {
        (self.major() == ARRAY).then(|| self.children(self.slot.span.arg))?
    }

    /// The `(key, value)` entries of a map, in their encoded order.
    pub(crate) fn as_map(&self) -> Option<Entries<'a>> {
        let items = (self.major() == MAP).then(|| self.children(self.slot.span.arg.checked_mul(2)?))??;
        Some(Entries { items })
    }
}

/// The items of an array (or the keys and values of a map), in order.
/// Stops early, shorter than [`Items::len`] said, only if the slots were
/// inconsistent, which those of a [`Payload`] never are.
#[derive(Clone)]
pub(crate) struct Items<'a> {
    bytes: &'a [u8],
    slots: &'a [Slot],
    next: usize,
    remaining: usize,
}

impl Items<'_> {
    /// How many items the array announces.
    pub(crate) fn len(&self) -> usize {
        self.remaining
    }
}

impl<'a> Iterator for Items<'a> {
    type Item = Item<'a>;

    fn next(&mut self) -> Option<Item<'a>> {
        if self.remaining == 0 {
            return None;
        }
        let at = self.next;
        let Some(&slot) = self.slots.get(at).filter(|slot| slot.next > at) else {
            self.remaining = 0;
            return None;
        };
        self.next = slot.next;
        self.remaining -= 1;
        Some(Item {
            bytes: self.bytes,
            slots: self.slots,
            slot,
            at,
        })
    }
}

/// The entries of a map, in their encoded order.
pub(crate) struct Entries<'a> {
    items: Items<'a>,
}

impl Entries<'_> {
    /// How many entries the map announces.
    pub(crate) fn len(&self) -> usize {
        self.items.len() / 2
    }
}

impl<'a> Iterator for Entries<'a> {
    type Item = (Item<'a>, Item<'a>);

    fn next(&mut self) -> Option<(Item<'a>, Item<'a>)> {
        let key = self.items.next()?;
        let value = self.items.next()?;
        Some((key, value))
    }
}

#[cfg(test)]
mod tests;
