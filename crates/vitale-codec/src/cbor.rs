//! Strict deterministic CBOR (RFC 8949 §4.2.1, "core deterministic encoding").
//!
//! Every CBOR item of the `open` profile — payloads, protected headers and
//! the COSE envelope itself — must be in core deterministic encoding, so
//! that one value has exactly one encoding. [`decode`] enforces it while it
//! reads, and [`encode`] produces it:
//!
//! * integers, lengths and tags use the shortest head;
//! * lengths are definite (no indefinite-length items);
//! * map keys are in strictly ascending bytewise order of their encodings,
//!   which also forbids duplicate keys;
//! * floating-point numbers and simple values other than `false`, `true`
//!   and `null` are refused (the data model has none);
//! * text strings are valid UTF-8;
//! * no byte may follow the top-level item.
//!
//! Decoding is bounded: the input size is checked against the caller's
//! limit first, nesting deeper than the caller's depth limit is refused, and
//! no container or string is allocated larger than the bytes that remain.
//!
//! The values are [`ciborium::value::Value`], re-exported as [`Value`], the
//! type `coset` is built on.

pub use ciborium::value::{Integer, Value};

pub(crate) mod item;

/// Why bytes are not strict deterministic CBOR.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CborError {
    /// The input is larger than the limit of its context.
    #[error("{size} bytes exceed the limit of {limit}")]
    TooLarge {
        /// Size of the input, in bytes.
        size: usize,
        /// The limit that applied.
        limit: usize,
    },
    /// The input ends inside an item.
    #[error("truncated at byte {0}")]
    Truncated(usize),
    /// Bytes follow the top-level item.
    #[error("{0} trailing bytes after the item")]
    TrailingBytes(usize),
    /// Nesting is deeper than allowed.
    #[error("nesting deeper than {0}")]
    TooDeep(usize),
    /// An indefinite-length item (not deterministic).
    #[error("indefinite length at byte {0}")]
    IndefiniteLength(usize),
    /// A head that is not the shortest possible (not deterministic).
    #[error("non-shortest head at byte {0}")]
    NonShortestHead(usize),
    /// Additional information 28–30, reserved by RFC 8949.
    #[error("reserved additional information at byte {0}")]
    Reserved(usize),
    /// Map keys not in strictly ascending bytewise order (covers duplicates).
    #[error("map keys not in deterministic order at byte {0}")]
    MapKeyOrder(usize),
    /// A floating-point number or an unassigned simple value.
    #[error("floating-point or simple value at byte {0}")]
    UnsupportedItem(usize),
    /// A text string that is not valid UTF-8.
    #[error("invalid UTF-8 in text string at byte {0}")]
    InvalidUtf8(usize),
    /// A value that cannot be encoded (float, out-of-range integer…).
    #[error("value cannot be encoded deterministically")]
    Unencodable,
}

/// Decodes one item of strict deterministic CBOR occupying all of `bytes`.
///
/// `max_bytes` bounds the input and `max_depth` the nesting (a scalar at top
/// level has depth 0; each array, map or tag adds one).
///
/// ```
/// use vitale_codec::cbor::{decode, Value};
/// // {1: "a"} in deterministic encoding
/// assert_eq!(
///     decode(&[0xa1, 0x01, 0x61, 0x61], 64, 4),
///     Ok(Value::Map(vec![(Value::from(1), Value::from("a"))]))
/// );
/// // the same map with a non-shortest key head (0x18 0x01) is refused
/// assert!(decode(&[0xa1, 0x18, 0x01, 0x61, 0x61], 64, 4).is_err());
/// ```
pub fn decode(bytes: &[u8], max_bytes: usize, max_depth: usize) -> Result<Value, CborError> {
    if bytes.len() > max_bytes {
        return Err(CborError::TooLarge {
            size: bytes.len(),
            limit: max_bytes,
        });
    }
    read_all(bytes, max_depth, &mut Tree)
}

/// Checks that `bytes` is one item of strict deterministic CBOR, exactly as
/// [`decode`] does — same limits, same checks, same error for the same
/// input — without building the value (no allocation).
///
/// The data model's decoders validate a whole payload with this first, then
/// read their fields straight from the validated bytes, so that every CBOR
/// error is reported before any data-model error, as with [`decode`].
///
/// ```
/// use vitale_codec::cbor::{validate, CborError};
/// assert_eq!(validate(&[0xa1, 0x01, 0x61, 0x61], 64, 4), Ok(()));
/// assert_eq!(
///     validate(&[0xa1, 0x18, 0x01, 0x61, 0x61], 64, 4),
///     Err(CborError::NonShortestHead(1))
/// );
/// ```
pub fn validate(bytes: &[u8], max_bytes: usize, max_depth: usize) -> Result<(), CborError> {
    if bytes.len() > max_bytes {
        return Err(CborError::TooLarge {
            size: bytes.len(),
            limit: max_bytes,
        });
    }
    read_all(bytes, max_depth, &mut Check)
}

/// Reads the one item of `bytes` into `sink` and refuses trailing bytes.
fn read_all<S: Sink>(bytes: &[u8], max_depth: usize, sink: &mut S) -> Result<S::Item, CborError> {
    let mut reader = Reader {
        bytes,
        pos: 0,
        max_depth,
    };
    let value = reader.item(0, sink)?;
    let rest = bytes.len().saturating_sub(reader.pos);
    if rest != 0 {
        return Err(CborError::TrailingBytes(rest));
    }
    Ok(value)
}

/// Encodes a value in core deterministic encoding.
///
/// Map entries are written in the bytewise order of their encoded keys
/// whatever their order in the [`Value`], so callers need not sort. Fails
/// on floats, on simple values other than booleans and null, and on two
/// map keys with the same encoding.
pub fn encode(value: &Value) -> Result<Vec<u8>, CborError> {
    let mut out = Vec::new();
    write_value(&mut out, value)?;
    Ok(out)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    max_depth: usize,
}

/// Major types of RFC 8949 §3.1.
const UINT: u8 = 0;
const NINT: u8 = 1;
const BSTR: u8 = 2;
const TSTR: u8 = 3;
const ARRAY: u8 = 4;
const MAP: u8 = 5;
const TAG: u8 = 6;
const SIMPLE: u8 = 7;

impl<'a> Reader<'a> {
    #[inline]
    fn byte(&mut self) -> Result<u8, CborError> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or(CborError::Truncated(self.pos))?;
        self.pos += 1;
        Ok(b)
    }

    #[inline]
    fn take(&mut self, len: u64) -> Result<&'a [u8], CborError> {
        let start = self.pos;
        let end = usize::try_from(len)
            .ok()
            .and_then(|l| start.checked_add(l))
            .filter(|&e| e <= self.bytes.len())
            .ok_or(CborError::Truncated(start))?;
        self.pos = end;
        self.bytes
            .get(start..end)
            .ok_or(CborError::Truncated(start))
    }

    #[inline]
    fn remaining(&self) -> u64 {
        self.bytes.len().saturating_sub(self.pos) as u64
    }

    /// Reads a head; returns (major type, argument). Refuses indefinite
    /// lengths, reserved values and non-shortest arguments.
    #[inline]
    fn head(&mut self) -> Result<(u8, u64), CborError> {
        let at = self.pos;
        let initial = self.byte()?;
        let major = initial >> 5;
        let info = initial & 0x1f;
        let arg = match info {
            0..=23 => return Ok((major, u64::from(info))),
            24 => u64::from(self.byte()?),
            25 => u64::from(u16::from_be_bytes(self.array::<2>()?)),
            26 => u64::from(u32::from_be_bytes(self.array::<4>()?)),
            27 => u64::from_be_bytes(self.array::<8>()?),
            28..=30 => return Err(CborError::Reserved(at)),
            _ => return Err(CborError::IndefiniteLength(at)),
        };
        // Major type 7 with a following argument is a float or a simple
        // value >= 24: none is part of the data model.
        if major == SIMPLE {
            return Err(CborError::UnsupportedItem(at));
        }
        let shortest = match info {
            24 => arg >= 24,
            25 => arg > 0xff,
            26 => arg > 0xffff,
            _ => arg > 0xffff_ffff,
        };
        if !shortest {
            return Err(CborError::NonShortestHead(at));
        }
        Ok((major, arg))
    }

    #[inline]
    fn array<const N: usize>(&mut self) -> Result<[u8; N], CborError> {
        let at = self.pos;
        let slice = self.take(N as u64)?;
        <[u8; N]>::try_from(slice).map_err(|_| CborError::Truncated(at))
    }

    /// Reads one item into `sink`. The checks do not depend on the sink:
    /// [`Tree`] (for [`decode`]) and [`Check`] (for [`validate`]) refuse
    /// the same inputs with the same errors; `item::index` makes the same
    /// checks in the same order without recursing.
    fn item<S: Sink>(&mut self, depth: usize, sink: &mut S) -> Result<S::Item, CborError> {
        let at = self.pos;
        let (major, arg) = self.head()?;
        match major {
            UINT => Ok(sink.scalar(|| Value::Integer(Integer::from(arg)))),
            NINT => {
                let n = Integer::try_from(-1 - i128::from(arg))
                    .map_err(|_| CborError::UnsupportedItem(at))?;
                Ok(sink.scalar(|| Value::Integer(n)))
            }
            BSTR => {
                let raw = self.take(arg)?;
                Ok(sink.scalar(|| Value::Bytes(raw.to_vec())))
            }
            TSTR => {
                let raw = self.take(arg)?;
                let text = core::str::from_utf8(raw).map_err(|_| CborError::InvalidUtf8(at))?;
                Ok(sink.scalar(|| Value::Text(text.to_owned())))
            }
            ARRAY => {
                let depth = self.deeper(depth)?;
                // Each element takes at least one byte: bound the capacity.
                if arg > self.remaining() {
                    return Err(CborError::Truncated(at));
                }
                let mut items = sink.seq(usize::try_from(arg).unwrap_or(0));
                for _ in 0..arg {
                    let item = self.item(depth, sink)?;
                    sink.push(&mut items, item);
                }
                Ok(sink.array(items))
            }
            MAP => {
                let depth = self.deeper(depth)?;
                if arg.saturating_mul(2) > self.remaining() {
                    return Err(CborError::Truncated(at));
                }
                let mut entries = sink.entries(usize::try_from(arg).unwrap_or(0));
                let mut previous: Option<(usize, usize)> = None;
                for _ in 0..arg {
                    let key_start = self.pos;
                    let key = self.item(depth, sink)?;
                    let key_span = (key_start, self.pos);
                    if let Some(prev) = previous
                        && !self.ascends(prev, key_span)
                    {
                        return Err(CborError::MapKeyOrder(key_start));
                    }
                    previous = Some(key_span);
                    let value = self.item(depth, sink)?;
                    sink.insert(&mut entries, key, value);
                }
                Ok(sink.map(entries))
            }
            TAG => {
                let depth = self.deeper(depth)?;
                let inner = self.item(depth, sink)?;
                Ok(sink.tag(arg, inner))
            }
            _ => {
                let simple = self.simple(at, arg)?;
                Ok(sink.scalar(|| simple.map_or(Value::Null, Value::Bool)))
            }
        }
    }

    /// Whether the key encoded at `this` sorts strictly after the one at
    /// `prev` (bytewise; the one-byte keys of the data model compared
    /// without a call).
    #[inline]
    fn ascends(&self, prev: (usize, usize), this: (usize, usize)) -> bool {
        let prev = self.bytes.get(prev.0..prev.1).unwrap_or_default();
        let this = self.bytes.get(this.0..this.1).unwrap_or_default();
        match (prev, this) {
            ([p], [t]) => t > p,
            _ => this > prev,
        }
    }

    /// `false`, `true` or `null` (`None`); any other simple value is
    /// refused.
    #[inline]
    fn simple(&self, at: usize, arg: u64) -> Result<Option<bool>, CborError> {
        match arg {
            20 => Ok(Some(false)),
            21 => Ok(Some(true)),
            22 => Ok(None),
            _ => Err(CborError::UnsupportedItem(at)),
        }
    }

    #[inline]
    fn deeper(&self, depth: usize) -> Result<usize, CborError> {
        if depth >= self.max_depth {
            Err(CborError::TooDeep(self.max_depth))
        } else {
            Ok(depth + 1)
        }
    }
}

/// What [`Reader::item`] makes of the items it reads.
trait Sink {
    type Item;
    type Seq;
    type Entries;
    /// A scalar, built by `value` if this sink keeps values.
    fn scalar(&mut self, value: impl FnOnce() -> Value) -> Self::Item;
    fn seq(&mut self, capacity: usize) -> Self::Seq;
    fn push(&mut self, seq: &mut Self::Seq, item: Self::Item);
    fn array(&mut self, seq: Self::Seq) -> Self::Item;
    fn entries(&mut self, capacity: usize) -> Self::Entries;
    fn insert(&mut self, entries: &mut Self::Entries, key: Self::Item, value: Self::Item);
    fn map(&mut self, entries: Self::Entries) -> Self::Item;
    fn tag(&mut self, tag: u64, inner: Self::Item) -> Self::Item;
}

/// Builds the [`Value`] tree ([`decode`]).
struct Tree;

impl Sink for Tree {
    type Item = Value;
    type Seq = Vec<Value>;
    type Entries = Vec<(Value, Value)>;
    fn scalar(&mut self, value: impl FnOnce() -> Value) -> Value {
        value()
    }
    fn seq(&mut self, capacity: usize) -> Vec<Value> {
        Vec::with_capacity(capacity)
    }
    fn push(&mut self, seq: &mut Vec<Value>, item: Value) {
        seq.push(item);
    }
    fn array(&mut self, seq: Vec<Value>) -> Value {
        Value::Array(seq)
    }
    fn entries(&mut self, capacity: usize) -> Vec<(Value, Value)> {
        Vec::with_capacity(capacity)
    }
    fn insert(&mut self, entries: &mut Vec<(Value, Value)>, key: Value, value: Value) {
        entries.push((key, value));
    }
    fn map(&mut self, entries: Vec<(Value, Value)>) -> Value {
        Value::Map(entries)
    }
    fn tag(&mut self, tag: u64, inner: Value) -> Value {
        Value::Tag(tag, Box::new(inner))
    }
}

/// Keeps nothing ([`validate`]): no allocation, nothing to drop.
struct Check;

impl Sink for Check {
    type Item = ();
    type Seq = ();
    type Entries = ();
    fn scalar(&mut self, _: impl FnOnce() -> Value) {}
    fn seq(&mut self, _: usize) {}
    fn push(&mut self, _: &mut (), _: ()) {}
    fn array(&mut self, _: ()) {}
    fn entries(&mut self, _: usize) {}
    fn insert(&mut self, _: &mut (), _: (), _: ()) {}
    fn map(&mut self, _: ()) {}
    fn tag(&mut self, _: u64, _: ()) {}
}

/// Appends a byte string (major type 2) with the shortest head.
pub(crate) fn write_bstr(out: &mut Vec<u8>, bytes: &[u8]) {
    write_head(out, BSTR, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn write_head(out: &mut Vec<u8>, major: u8, arg: u64) {
    let major = major << 5;
    if arg < 24 {
        // arg < 24 fits in the 5 low bits.
        out.push(major | arg as u8);
    } else if let Ok(a) = u8::try_from(arg) {
        out.push(major | 24);
        out.push(a);
    } else if let Ok(a) = u16::try_from(arg) {
        out.push(major | 25);
        out.extend_from_slice(&a.to_be_bytes());
    } else if let Ok(a) = u32::try_from(arg) {
        out.push(major | 26);
        out.extend_from_slice(&a.to_be_bytes());
    } else {
        out.push(major | 27);
        out.extend_from_slice(&arg.to_be_bytes());
    }
}

fn write_value(out: &mut Vec<u8>, value: &Value) -> Result<(), CborError> {
    match value {
        Value::Integer(i) => {
            let n = i128::from(*i);
            if n >= 0 {
                let arg = u64::try_from(n).map_err(|_| CborError::Unencodable)?;
                write_head(out, UINT, arg);
            } else {
                let arg = u64::try_from(-1 - n).map_err(|_| CborError::Unencodable)?;
                write_head(out, NINT, arg);
            }
        }
        Value::Bytes(b) => {
            write_head(out, BSTR, b.len() as u64);
            out.extend_from_slice(b);
        }
        Value::Text(t) => {
            write_head(out, TSTR, t.len() as u64);
            out.extend_from_slice(t.as_bytes());
        }
        Value::Array(items) => {
            write_head(out, ARRAY, items.len() as u64);
            for item in items {
                write_value(out, item)?;
            }
        }
        Value::Map(entries) => {
            let mut encoded = Vec::with_capacity(entries.len());
            for (k, v) in entries {
                let mut key = Vec::new();
                write_value(&mut key, k)?;
                encoded.push((key, v));
            }
            encoded.sort_by(|a, b| a.0.cmp(&b.0));
            if encoded
                .windows(2)
                .any(|w| matches!(w, [a, b] if a.0 == b.0))
            {
                return Err(CborError::Unencodable);
            }
            write_head(out, MAP, encoded.len() as u64);
            for (key, v) in encoded {
                out.extend_from_slice(&key);
                write_value(out, v)?;
            }
        }
        Value::Tag(tag, inner) => {
            write_head(out, TAG, *tag);
            write_value(out, inner)?;
        }
        Value::Bool(false) => out.push(0xf4),
        Value::Bool(true) => out.push(0xf5),
        Value::Null => out.push(0xf6),
        _ => return Err(CborError::Unencodable),
    }
    Ok(())
}

#[cfg(test)]
mod tests;
