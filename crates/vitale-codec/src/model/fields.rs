//! Reading the small-integer-keyed maps of the data model.

use crate::cbor;
use crate::cbor::Value;
use crate::cbor::item::{Item, Items, Payload};
use crate::limits::MAX_CBOR_DEPTH;
use crate::model::{ModelError, Timestamp};

/// The entries of one map of the data model, taken out one key at a time;
/// [`Fields::finish`] refuses any key left over (unknown keys are refused,
/// see `docs/format.md` §"Extensibility").
///
/// The map is read straight from the validated payload: each entry is its
/// key (when an integer) and the bytes of its value, decoded only when a
/// field asks for it; texts and byte strings are borrowed from the
/// payload.
pub(crate) struct Fields<'a> {
    structure: &'static str,
    payload: &'a Payload<'a>,
    entries: Entries,
    /// A key that is not an integer (in `i64` range) was seen: reported by
    /// [`Fields::finish`], so that [`Fields::version`] is read first.
    other_key: bool,
}

impl<'a> Fields<'a> {
    pub(crate) fn new(structure: &'static str, item: Item<'a>) -> Result<Self, ModelError> {
        let Some(map) = item.map_keys() else {
            return Err(ModelError::WrongType {
                structure,
                key: None,
                expected: "map",
            });
        };
        let (payload, _) = item.parts();
        let mut entries = Entries::with_capacity(item.map_len());
        let mut other_key = false;
        for (key, value) in map {
            other_key |= key.is_none();
            entries.push((key.unwrap_or(NOT_AN_INTEGER), value));
        }
        Ok(Fields {
            structure,
            payload,
            entries,
            other_key,
        })
    }

    pub(crate) fn structure(&self) -> &'static str {
        self.structure
    }

    pub(crate) fn optional(&mut self, key: i64) -> Option<Item<'a>> {
        // `NOT_AN_INTEGER` is never asked for (see its documentation).
        let index = self
            .entries
            .as_slice()
            .iter()
            .position(|(k, _)| *k == key)?;
        let (_, at) = self.entries.swap_remove(index)?;
        Some(self.payload.item(at))
    }

    pub(crate) fn required(&mut self, key: i64) -> Result<Item<'a>, ModelError> {
        // A match, not `ok_or`: the error is built only when missing.
        match self.optional(key) {
            Some(item) => Ok(item),
            None => Err(ModelError::MissingField {
                structure: self.structure,
                key,
            }),
        }
    }

    pub(crate) fn finish(self) -> Result<(), ModelError> {
        if self.other_key {
            return Err(ModelError::UnknownField {
                structure: self.structure,
                key: None,
            });
        }
        match self.entries.as_slice().first() {
            None => Ok(()),
            // Every key is an integer here (`other_key` is false).
            Some((key, _)) => Err(ModelError::UnknownField {
                structure: self.structure,
                key: Some(*key),
            }),
        }
    }

    pub(crate) fn wrong_type(&self, key: i64, expected: &'static str) -> ModelError {
        ModelError::WrongType {
            structure: self.structure,
            key: Some(key),
            expected,
        }
    }

    pub(crate) fn invalid(&self, key: i64, reason: &'static str) -> ModelError {
        ModelError::InvalidField {
            structure: self.structure,
            key,
            reason,
        }
    }

    pub(crate) fn uint(&mut self, key: i64) -> Result<u64, ModelError> {
        self.required(key)?
            .as_uint()
            .ok_or_else(|| self.wrong_type(key, "uint"))
    }

    /// An unsigned integer that must fit the given range.
    pub(crate) fn small_uint(
        &mut self,
        key: i64,
        range: core::ops::RangeInclusive<u8>,
    ) -> Result<u8, ModelError> {
        let n = self.uint(key)?;
        u8::try_from(n)
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(|| self.invalid(key, "out of range"))
    }

    pub(crate) fn bytes(&mut self, key: i64) -> Result<&'a [u8], ModelError> {
        self.required(key)?
            .as_bytes()
            .ok_or_else(|| self.wrong_type(key, "bstr"))
    }

    pub(crate) fn fixed_bytes<const N: usize>(&mut self, key: i64) -> Result<[u8; N], ModelError> {
        let bytes = self.bytes(key)?;
        <[u8; N]>::try_from(bytes).map_err(|_| self.invalid(key, "wrong length"))
    }

    pub(crate) fn text(&mut self, key: i64) -> Result<&'a str, ModelError> {
        self.required(key)?
            .as_text()
            .ok_or_else(|| self.wrong_type(key, "tstr"))
    }

    pub(crate) fn optional_text(&mut self, key: i64) -> Result<Option<&'a str>, ModelError> {
        match self.optional(key) {
            None => Ok(None),
            Some(item) => item
                .as_text()
                .map(Some)
                .ok_or_else(|| self.wrong_type(key, "tstr")),
        }
    }

    pub(crate) fn bool(&mut self, key: i64) -> Result<bool, ModelError> {
        self.required(key)?
            .as_bool()
            .ok_or_else(|| self.wrong_type(key, "bool"))
    }

    pub(crate) fn array(&mut self, key: i64) -> Result<Items<'a>, ModelError> {
        self.required(key)?
            .as_array()
            .ok_or_else(|| self.wrong_type(key, "array"))
    }

    pub(crate) fn timestamp(&mut self, key: i64) -> Result<Timestamp, ModelError> {
        let secs = self.uint(key)?;
        Timestamp::from_unix(secs).ok_or_else(|| self.invalid(key, "timestamp out of range"))
    }

    /// Checks the `version` field (key 1) of a top-level structure.
    pub(crate) fn version(&mut self) -> Result<(), ModelError> {
        match self.uint(1)? {
            super::VERSION => Ok(()),
            other => Err(ModelError::UnsupportedVersion(other)),
        }
    }

    /// Maps an identity-crate error on field `key` to a model error.
    pub(crate) fn identity(&self, key: i64) -> impl FnOnce(vitale_ins::Error) -> ModelError {
        let structure = self.structure;
        move |source| ModelError::Identity {
            structure,
            key,
            source,
        }
    }
}

/// Most entries kept on the stack: every map of the data model has at most
/// 10 keys; a longer map (refused at [`Fields::finish`] for its unknown
/// keys, after the fields read before) spills to the heap.
const INLINE: usize = 12;

/// One entry of a map: its key and its value's slot in the payload.
type Entry = (i64, u32);

/// The key kept for a key that is not an integer in `i64` range. Such a
/// key sets `other_key`, which [`Fields::finish`] reports before looking at
/// any key kept, and no field of the data model has this key: the value
/// can stand for "not an integer" although an input may use it as a real
/// key (then reported as itself, correctly).
const NOT_AN_INTEGER: i64 = i64::MIN;

/// The entries of one map in a vector whose
/// [`swap_remove`](Entries::swap_remove) is `Vec::swap_remove`'s, so the
/// key [`Fields::finish`] reports is the same whichever storage is used.
#[allow(
    clippy::large_enum_variant,
    reason = "inline entries spare a heap allocation per map on the verification path; the value lives briefly on the stack"
)]
enum Entries {
    Inline {
        entries: [Entry; INLINE],
        len: usize,
    },
    Heap(Vec<Entry>),
}

impl Entries {
    fn with_capacity(capacity: usize) -> Self {
        if capacity <= INLINE {
            Entries::Inline {
                entries: [(0, 0); INLINE],
                len: 0,
            }
        } else {
            Entries::Heap(Vec::with_capacity(capacity))
        }
    }

    fn push(&mut self, entry: Entry) {
        match self {
            Entries::Inline { entries, len } => match entries.get_mut(*len) {
                Some(slot) => {
                    *slot = entry;
                    *len += 1;
                }
                // More entries than announced: cannot happen (the map's
                // length chose the storage), but never lose one.
                None => {
                    let mut heap = entries.to_vec();
                    heap.push(entry);
                    *self = Entries::Heap(heap);
                }
            },
            Entries::Heap(entries) => entries.push(entry),
        }
    }

    fn as_slice(&self) -> &[Entry] {
        match self {
            Entries::Inline { entries, len } => entries.get(..*len).unwrap_or_default(),
            Entries::Heap(entries) => entries,
        }
    }

    /// Removes entry `index`, the last one taking its place.
    fn swap_remove(&mut self, index: usize) -> Option<Entry> {
        match self {
            Entries::Inline { entries, len } => {
                let last = len.checked_sub(1)?;
                let removed = *entries.get(index).filter(|_| index <= last)?;
                let moved = *entries.get(last)?;
                *entries.get_mut(index)? = moved;
                *len = last;
                Some(removed)
            }
            Entries::Heap(entries) => (index < entries.len()).then(|| entries.swap_remove(index)),
        }
    }
}

/// Decodes a payload of at most `max_bytes` with `read`, which gets its
/// top-level item.
///
/// The result is the one of decoding the whole payload as strict
/// deterministic CBOR first ([`cbor::decode`]), then reading the fields:
/// a CBOR error anywhere in the payload comes before any data-model error.
/// To get there in one pass, the payload is indexed without checking its
/// texts' UTF-8 ([`Payload::lenient`]) and `read` checks each text it
/// reads ([`Item::as_text`]): a reader that accepts the payload has read
/// every text in it (the data model has no text it does not read, and no
/// text keys), so an accepted payload passed every check. On any failure,
/// [`cbor::validate`] runs on the whole payload and its error, if any,
/// wins.
pub(crate) fn read_payload<T>(
    bytes: &[u8],
    max_bytes: usize,
    read: impl FnOnce(Item<'_>) -> Result<T, crate::Error>,
) -> Result<T, crate::Error> {
    let result = Payload::lenient(bytes, max_bytes, MAX_CBOR_DEPTH)
        .map_err(crate::Error::from)
        .and_then(|payload| read(payload.root()));
    result.map_err(
        |error| match cbor::validate(bytes, max_bytes, MAX_CBOR_DEPTH) {
            Err(strict) => crate::Error::from(strict),
            Ok(()) => error,
        },
    )
}

/// Builds a map value from `(key, value)` pairs, skipping absent ones.
pub(crate) fn map(entries: impl IntoIterator<Item = (i64, Option<Value>)>) -> Value {
    Value::Map(
        entries
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (Value::from(k), v)))
            .collect(),
    )
}

#[cfg(test)]
mod tests;
