//! Reading a payload's items straight from its bytes, without building a
//! [`Value`](super::Value) tree.
//!
//! [`Payload::validated`] reads the bytes once, with every check of
//! [`decode`](super::decode) (same limits, same errors), and records where
//! each item lies: one [`Slot`] per item, in the order the items appear,
//! each knowing where the next sibling's slot is. The data model's decoders
//! then read their fields through [`Item`]s: a text is a `&str` into the
//! payload, a byte string a `&[u8]`, a map a sequence of `(key, value)`
//! items reached without reading any byte again. The slots (one per item,
//! so at most one per byte of input) are the one allocation, and a
//! thread reuses them from one payload to the next.
//!
//! Every accessor checks what it reads and answers `None` (not of this
//! type) rather than trust an index: nothing here can panic, and nothing
//! recurses.

use core::cell::Cell;

use super::{ARRAY, BSTR, CborError, MAP, NINT, SIMPLE, TSTR, UINT};

mod index;

/// Where one item lies (positions in the payload, which is at most
/// `u32::MAX` bytes long), and where the next sibling's slot is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Slot {
    arg: u64,
    /// Where the content starts (after the head).
    body: u32,
    /// Where the item ends.
    end: u32,
    /// The slot after this item's own and its descendants'.
    next: u32,
    major: u8,
}

impl Slot {
    const EMPTY: Slot = Slot {
        arg: 0,
        body: 0,
        end: 0,
        next: 0,
        major: SIMPLE,
    };
}

/// A payload that passed the strict CBOR checks, with its items' slots.
pub(crate) struct Payload<'a> {
    bytes: &'a [u8],
    slots: Vec<Slot>,
}

impl<'a> Payload<'a> {
    /// Reads `bytes` as one item of strict deterministic CBOR within the
    /// limits — the checks and errors of [`decode`](super::decode) — and
    /// records its items (the model reads through [`Payload::lenient`]; this
    /// strict form is the tests'). A limit above `u32::MAX` bytes counts as
    /// `u32::MAX` (the data model's are a few kilobytes).
    #[cfg(test)]
    pub(crate) fn validated(
        bytes: &'a [u8],
        max_bytes: usize,
        max_depth: usize,
    ) -> Result<Self, CborError> {
        Self::read::<true>(bytes, max_bytes, max_depth)
    }

    /// As [`Payload::validated`], except that texts are not checked as
    /// UTF-8 here: [`Item::as_text`] checks each one it reads. For readers
    /// that read every text of an accepted payload, and on any failure let
    /// [`validate`](super::validate) say which error comes first (see
    /// `model::fields::read_payload`).
    pub(crate) fn lenient(
        bytes: &'a [u8],
        max_bytes: usize,
        max_depth: usize,
    ) -> Result<Self, CborError> {
        Self::read::<false>(bytes, max_bytes, max_depth)
    }

    fn read<const UTF8: bool>(
        bytes: &'a [u8],
        max_bytes: usize,
        max_depth: usize,
    ) -> Result<Self, CborError> {
        let max_bytes = max_bytes.min(u32::MAX as usize);
        if bytes.len() > max_bytes {
            return Err(CborError::TooLarge {
                size: bytes.len(),
                limit: max_bytes,
            });
        }
        // Most items of the data model take 4 bytes or more.
        let mut slots = spare_slots(bytes.len() / 4 + 1);
        let indexed = index::index::<UTF8>(bytes, max_depth, &mut slots);
        let payload = Payload { bytes, slots };
        indexed.map(|()| payload)
    }

    /// The top-level item.
    pub(crate) fn root(&self) -> Item<'_> {
        Item {
            payload: self,
            at: 0,
        }
    }

    /// The item of slot `at`.
    pub(crate) fn item(&self, at: u32) -> Item<'_> {
        Item { payload: self, at }
    }
}

impl Drop for Payload<'_> {
    fn drop(&mut self) {
        keep_spare(core::mem::take(&mut self.slots));
    }
}

thread_local! {
    /// Slot vectors kept from one payload to the next on this thread: once
    /// they have grown, indexing allocates nothing. Two, because a
    /// verification reads two payloads at once (a presentation, and the
    /// credential inside it); a third payload alive at the same time uses
    /// a vector of its own.
    static SPARE: [Cell<Vec<Slot>>; 2] = const { [Cell::new(Vec::new()), Cell::new(Vec::new())] };
}

/// Largest vector kept for the next payload, in slots (24 KiB; a
/// credential with 16 beneficiaries has about 700 items).
const SPARE_MAX: usize = 1024;

/// An empty slot vector for about `capacity` items: one of this thread's
/// spare ones if one is free.
fn spare_slots(capacity: usize) -> Vec<Slot> {
    // `try_with`: no panic even while the thread's locals are destroyed.
    let mut slots = SPARE
        .try_with(|spare| {
            spare
                .iter()
                .map(Cell::take)
                .find(|slots| slots.capacity() > 0)
                .unwrap_or_default()
        })
        .unwrap_or_default();
    slots.clear();
    slots.reserve(capacity);
    slots
}

/// Keeps `slots` for the next payload on this thread, unless large (the
/// two most recently kept are kept).
fn keep_spare(slots: Vec<Slot>) {
    if slots.capacity() == 0 || slots.capacity() > SPARE_MAX {
        return;
    }
    let _ = SPARE.try_with(|spare| {
        let mut slots = slots;
        for place in spare {
            slots = place.replace(slots);
            if slots.capacity() == 0 {
                return;
            }
        }
        // Both places were taken: the oldest vector is freed.
    });
}

/// One item of a [`Payload`]: the payload and the item's slot index.
#[derive(Clone, Copy)]
pub(crate) struct Item<'a> {
    payload: &'a Payload<'a>,
    at: u32,
}

impl<'a> Item<'a> {
    fn slot(&self) -> Slot {
        let slot = self.payload.slots.get(self.at as usize);
        slot.copied().unwrap_or(Slot::EMPTY)
    }

    fn major(&self) -> u8 {
        self.slot().major
    }

    fn arg(&self) -> u64 {
        self.slot().arg
    }

    /// The payload, and the item's slot index in it
    /// ([`Payload::item`] gives the item back).
    pub(crate) fn parts(&self) -> (&'a Payload<'a>, u32) {
        (self.payload, self.at)
    }

    fn content(&self) -> Option<&'a [u8]> {
        let slot = self.slot();
        self.payload
            .bytes
            .get(slot.body as usize..slot.end as usize)
    }

    /// The items right under this one, `count` of them.
    fn children(&self, count: u64) -> Option<Items<'a>> {
        Some(Items {
            payload: self.payload,
            next: self.at.checked_add(1)?,
            remaining: usize::try_from(count).ok()?,
        })
    }

    /// An unsigned integer (major type 0).
    pub(crate) fn as_uint(&self) -> Option<u64> {
        let slot = self.slot();
        (slot.major == UINT).then_some(slot.arg)
    }

    /// An integer (major type 0 or 1) that fits an `i64`.
    #[cfg(test)]
    pub(crate) fn as_i64(&self) -> Option<i64> {
        slot_i64(&self.slot())
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
        let slot = self.slot();
        match (slot.major, slot.arg) {
            (SIMPLE, 20) => Some(false),
            (SIMPLE, 21) => Some(true),
            _ => None,
        }
    }

    /// The items of an array.
    pub(crate) fn as_array(&self) -> Option<Items<'a>> {
        (self.major() == ARRAY).then(|| self.children(self.arg()))?
    }

    /// The item under a tag.
    #[cfg(test)]
    pub(crate) fn tagged(&self) -> Option<Item<'a>> {
        (self.major() == crate::cbor::TAG).then(|| self.children(1)?.next())?
    }

    /// The `(key, value)` entries of a map, in their encoded order.
    #[cfg(test)]
    pub(crate) fn as_map(&self) -> Option<Entries<'a>> {
        let items = (self.major() == MAP).then(|| self.children(self.arg().checked_mul(2)?))??;
        Some(Entries { items })
    }

    /// How many entries a map announces (0 for any other item).
    pub(crate) fn map_len(&self) -> usize {
        let slot = self.slot();
        if slot.major == MAP {
            usize::try_from(slot.arg).unwrap_or(0)
        } else {
            0
        }
    }

    /// A map's entries as `(key, value)`: the key when it is an integer in
    /// `i64` range, and the value's slot index (for [`Payload::item`]).
    /// Reads the slots only: what the data model's field reader keeps.
    pub(crate) fn map_keys(&self) -> Option<impl Iterator<Item = (Option<i64>, u32)> + 'a> {
        let slot = self.slot();
        if slot.major != MAP {
            return None;
        }
        let slots = self.payload.slots.as_slice();
        let mut at = self.at.checked_add(1)?;
        let entries = (0..slot.arg).map_while(move |_| {
            let key = slots.get(at as usize).filter(|key| key.next > at)?;
            let value_at = key.next;
            let value = slots.get(value_at as usize).filter(|v| v.next > value_at)?;
            at = value.next;
            Some((slot_i64(key), value_at))
        });
        Some(entries)
    }
}

/// The integer (major type 0 or 1) of a slot, if it fits an `i64`.
fn slot_i64(slot: &Slot) -> Option<i64> {
    let n = i64::try_from(slot.arg).ok()?;
    match slot.major {
        UINT => Some(n),
        // -1 - n, which fits when n <= i64::MAX.
        NINT => Some(-1 - n),
        _ => None,
    }
}

/// The items of an array (or the keys and values of a map), in order.
/// Stops early, shorter than [`Items::len`] said, only if the slots were
/// inconsistent, which those of a [`Payload`] never are.
#[derive(Clone)]
pub(crate) struct Items<'a> {
    payload: &'a Payload<'a>,
    next: u32,
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
        let slots = &self.payload.slots;
        let Some(slot) = slots.get(at as usize).filter(|slot| slot.next > at) else {
            self.remaining = 0;
            return None;
        };
        self.next = slot.next;
        self.remaining -= 1;
        Some(Item {
            payload: self.payload,
            at,
        })
    }
}

/// The entries of a map, in their encoded order.
#[cfg(test)]
pub(crate) struct Entries<'a> {
    items: Items<'a>,
}

#[cfg(test)]
impl Entries<'_> {
    /// How many entries the map announces.
    pub(crate) fn len(&self) -> usize {
        self.items.len() / 2
    }
}

#[cfg(test)]
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
