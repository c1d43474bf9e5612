//! Reading items straight from bytes that [`validate`](super::validate)
//! accepted, without building a [`Value`](super::Value) tree.
//!
//! The data model's decoders check a whole payload first (strict
//! deterministic CBOR, size and depth limits), then read their fields from
//! the bytes through [`Item`]: a text is a `&str` into the payload, a byte
//! string a `&[u8]`, a map a sequence of `(key, value)` items. Nothing is
//! allocated here.
//!
//! An [`Item`] can only be made by [`Item::validated`], so the bytes under
//! it are always one well-formed item. The readers below still never index
//! out of bounds or trust a length: would the bytes ever be inconsistent,
//! an accessor answers "not of this type" (`None`), never panics, and
//! skipping an item is a loop bounded by the input's length, not a
//! recursion.

use super::{ARRAY, BSTR, CborError, MAP, NINT, SIMPLE, TAG, TSTR, UINT, validate};

/// One CBOR item inside validated bytes: exactly its encoding.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Item<'a> {
    bytes: &'a [u8],
}

/// A head read from the front of `bytes`: major type, argument, and the
/// bytes after the head.
#[inline]
fn head(bytes: &[u8]) -> Option<(u8, u64, &[u8])> {
    let (&initial, rest) = bytes.split_first()?;
    let major = initial >> 5;
    let (arg, rest) = match initial & 0x1f {
        info @ 0..=23 => (u64::from(info), rest),
        24 => {
            let (&b, rest) = rest.split_first()?;
            (u64::from(b), rest)
        }
        25 => {
            let (b, rest) = rest.split_first_chunk::<2>()?;
            (u64::from(u16::from_be_bytes(*b)), rest)
        }
        26 => {
            let (b, rest) = rest.split_first_chunk::<4>()?;
            (u64::from(u32::from_be_bytes(*b)), rest)
        }
        27 => {
            let (b, rest) = rest.split_first_chunk::<8>()?;
            (u64::from_be_bytes(*b), rest)
        }
        _ => return None,
    };
    Some((major, arg, rest))
}

/// Splits the first item off `bytes`: `(item, rest)`.
#[inline]
fn split_item(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let (major, arg, after) = head(bytes)?;
    let rest = match major {
        BSTR | TSTR => after.get(usize::try_from(arg).ok()?..)?,
        ARRAY | MAP | TAG => return split_container(bytes),
        _ => after,
    };
    bytes.split_at_checked(bytes.len().checked_sub(rest.len())?)
}

/// [`split_item`] for an array, a map or a tag. Iterative: a count of
/// items still to skip, each head consuming at least one byte.
fn split_container(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut rest = bytes;
    let mut pending: u64 = 1;
    while pending > 0 {
        pending -= 1;
        let (major, arg, after) = head(rest)?;
        rest = after;
        match major {
            BSTR | TSTR => {
                let len = usize::try_from(arg).ok()?;
                rest = rest.get(len..)?;
            }
            ARRAY => pending = pending.checked_add(arg)?,
            MAP => pending = pending.checked_add(arg.checked_mul(2)?)?,
            TAG => pending = pending.checked_add(1)?,
            _ => {}
        }
        // A container cannot announce more items than bytes remain.
        if pending > rest.len() as u64 {
            return None;
        }
    }
    bytes.split_at_checked(bytes.len().checked_sub(rest.len())?)
}

impl Item<'static> {
    /// A placeholder (no bytes): reads as no type at all.
    pub(crate) const EMPTY: Item<'static> = Item { bytes: &[] };
}

impl<'a> Item<'a> {
    /// Validates `bytes` as one item of strict deterministic CBOR within
    /// the limits ([`validate`](super::validate): same errors), and returns
    /// it.
    pub(crate) fn validated(
        bytes: &'a [u8],
        max_bytes: usize,
        max_depth: usize,
    ) -> Result<Self, CborError> {
        validate(bytes, max_bytes, max_depth)?;
        Ok(Item { bytes })
    }

    fn head(&self) -> Option<(u8, u64, &'a [u8])> {
        head(self.bytes)
    }

    /// An unsigned integer (major type 0).
    pub(crate) fn as_uint(&self) -> Option<u64> {
        match self.head()? {
            (UINT, n, _) => Some(n),
            _ => None,
        }
    }

    /// An integer (major type 0 or 1) that fits an `i64`.
    pub(crate) fn as_i64(&self) -> Option<i64> {
        match self.head()? {
            (UINT, n, _) => i64::try_from(n).ok(),
            // -1 - n, which fits when n <= i64::MAX.
            (NINT, n, _) => i64::try_from(n).ok().map(|n| -1 - n),
            _ => None,
        }
    }

    /// A byte string.
    pub(crate) fn as_bytes(&self) -> Option<&'a [u8]> {
        match self.head()? {
            (BSTR, len, rest) => rest.get(..usize::try_from(len).ok()?),
            _ => None,
        }
    }

    /// A text string.
    pub(crate) fn as_text(&self) -> Option<&'a str> {
        match self.head()? {
            (TSTR, len, rest) => core::str::from_utf8(rest.get(..usize::try_from(len).ok()?)?).ok(),
            _ => None,
        }
    }

    /// `false` or `true`.
    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self.head()? {
            (SIMPLE, 20, _) => Some(false),
            (SIMPLE, 21, _) => Some(true),
            _ => None,
        }
    }

    /// The items of an array.
    pub(crate) fn as_array(&self) -> Option<Items<'a>> {
        match self.head()? {
            (ARRAY, len, rest) => Some(Items {
                rest,
                remaining: usize::try_from(len).ok()?,
            }),
            _ => None,
        }
    }

    /// The `(key, value)` entries of a map, in their encoded order.
    pub(crate) fn as_map(&self) -> Option<Entries<'a>> {
        match self.head()? {
            (MAP, len, rest) => Some(Entries {
                items: Items {
                    rest,
                    remaining: usize::try_from(len).ok()?.checked_mul(2)?,
                },
            }),
            _ => None,
        }
    }
}

/// The items of an array, in order. Stops early (shorter than
/// [`Items::len`] said) only if the bytes were inconsistent, which
/// validated bytes never are.
#[derive(Clone)]
pub(crate) struct Items<'a> {
    rest: &'a [u8],
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
        let Some((bytes, rest)) = split_item(self.rest) else {
            self.remaining = 0;
            return None;
        };
        self.rest = rest;
        self.remaining -= 1;
        Some(Item { bytes })
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
