//! Test support: random mutations of valid encodings, for the property
//! tests that compare the direct decoders (envelopes read from the bytes,
//! fields read from validated payloads) with the reference paths.
//!
//! Two kinds of mutation: of the bytes (flip, insert, delete, truncate),
//! which mostly exercise the CBOR and envelope checks, and of the decoded
//! CBOR value (replace a node, drop or add a map entry or an array item),
//! re-encoded deterministically, which reach the data model's checks.

use proptest::prelude::*;
use proptest::sample::Index;

use crate::cbor::{self, Integer, Value};

/// One edit of a byte string.
#[derive(Clone, Debug)]
pub(crate) enum ByteEdit {
    /// XOR the byte at the index with a non-zero value.
    Flip(Index, u8),
    /// Insert a byte before the index.
    Insert(Index, u8),
    /// Delete the byte at the index.
    Delete(Index),
    /// Keep the bytes before the index.
    Truncate(Index),
}

pub(crate) fn byte_edits() -> impl Strategy<Value = Vec<ByteEdit>> {
    let edit = prop_oneof![
        4 => (any::<Index>(), 1u8..).prop_map(|(i, x)| ByteEdit::Flip(i, x)),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| ByteEdit::Insert(i, b)),
        2 => any::<Index>().prop_map(ByteEdit::Delete),
        1 => any::<Index>().prop_map(ByteEdit::Truncate),
    ];
    prop::collection::vec(edit, 1..4)
}

pub(crate) fn apply_bytes(bytes: &[u8], edits: &[ByteEdit]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for edit in edits {
        let len = out.len();
        match edit {
            ByteEdit::Flip(i, x) if len > 0 => out[i.index(len)] ^= x,
            ByteEdit::Insert(i, b) => out.insert(i.index(len + 1), *b),
            ByteEdit::Delete(i) if len > 0 => {
                out.remove(i.index(len));
            }
            ByteEdit::Truncate(i) => out.truncate(i.index(len + 1)),
            _ => {}
        }
    }
    out
}

/// Texts that the data model's fields accept, nearly accept, or refuse.
const TEXTS: &[&str] = &[
    "",
    "X",
    "M",
    "F",
    "I",
    "MM",
    "01",
    "751",
    "0001",
    "10",
    "1",
    "MARTIN",
    " MARTIN",
    "MARIE-HÉLÈNE",
    "A\u{7}B",
    "184037510821010",
    "184037510821011",
    "2850692123456",
    "19840315",
    "20100600",
    "19841399",
    "1984031",
    "2026-01-01",
    "2026-12-31",
    "2026-02-30",
    "1.2.250.1.213.1.4.10",
    "1.2.250.1.213.1.4.99",
    "75056",
    "2A004",
    "99999",
    "75500017",
    "MUT01",
    "mut01",
    "12345678901",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0u64..30).prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-30i64..0).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        Just(Value::Integer(Integer::from(u64::MAX))),
        prop::sample::select(TEXTS).prop_map(Value::from),
        "[ -~À-ÿ]{0,12}".prop_map(Value::Text),
        prop::collection::vec(any::<u8>(), 0..40).prop_map(Value::Bytes),
        prop::collection::vec(any::<u8>(), 7..9).prop_map(Value::Bytes),
        prop::collection::vec(any::<u8>(), 15..17).prop_map(Value::Bytes),
        prop::collection::vec(any::<u8>(), 31..33).prop_map(Value::Bytes),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
    ]
}

fn key() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => (-4i64..12).prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => Just(Value::Integer(Integer::from(u64::MAX))),
        1 => "[a-z]{0,3}".prop_map(Value::Text),
        1 => prop::collection::vec(any::<u8>(), 0..3).prop_map(Value::Bytes),
    ]
}

/// Any value of the data model's CBOR subset, shallow.
pub(crate) fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..4).prop_map(Value::Map),
        ]
    })
}

/// One edit of a CBOR value, at a node chosen by the index.
#[derive(Clone, Debug)]
pub(crate) enum ValueEdit {
    /// Replace the node.
    Replace(Index, Value),
    /// Remove a child of the node (a map entry or an array item).
    Remove(Index, Index),
    /// Add an entry to a map node, or an item to an array node.
    Add(Index, Value, Value),
}

pub(crate) fn value_edits() -> impl Strategy<Value = Vec<ValueEdit>> {
    let edit = prop_oneof![
        3 => (any::<Index>(), value()).prop_map(|(i, v)| ValueEdit::Replace(i, v)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(i, c)| ValueEdit::Remove(i, c)),
        2 => (any::<Index>(), key(), value()).prop_map(|(i, k, v)| ValueEdit::Add(i, k, v)),
    ];
    prop::collection::vec(edit, 1..4)
}

/// Paths (child positions; a map's child is its entry's value) of every
/// node, in preorder.
fn paths(value: &Value, path: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    out.push(path.clone());
    let children: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        Value::Map(entries) => entries.iter().map(|(_, v)| v).collect(),
        Value::Tag(_, inner) => vec![inner],
        _ => Vec::new(),
    };
    for (i, child) in children.into_iter().enumerate() {
        path.push(i);
        paths(child, path, out);
        path.pop();
    }
}

fn node_mut<'a>(value: &'a mut Value, path: &[usize]) -> &'a mut Value {
    let Some((&first, rest)) = path.split_first() else {
        return value;
    };
    let child = match value {
        Value::Array(items) => &mut items[first],
        Value::Map(entries) => &mut entries[first].1,
        Value::Tag(_, inner) => inner,
        _ => unreachable!("paths only lead through containers"),
    };
    node_mut(child, rest)
}

pub(crate) fn apply_value(value: &Value, edits: &[ValueEdit]) -> Value {
    let mut value = value.clone();
    for edit in edits {
        let mut all = Vec::new();
        paths(&value, &mut Vec::new(), &mut all);
        let pick = |i: &Index| all[i.index(all.len())].clone();
        match edit {
            ValueEdit::Replace(at, new) => *node_mut(&mut value, &pick(at)) = new.clone(),
            ValueEdit::Remove(at, child) => match node_mut(&mut value, &pick(at)) {
                Value::Array(items) if !items.is_empty() => {
                    items.remove(child.index(items.len()));
                }
                Value::Map(entries) if !entries.is_empty() => {
                    entries.remove(child.index(entries.len()));
                }
                _ => {}
            },
            ValueEdit::Add(at, k, v) => match node_mut(&mut value, &pick(at)) {
                Value::Array(items) => items.push(v.clone()),
                Value::Map(entries) => entries.push((k.clone(), v.clone())),
                _ => {}
            },
        }
    }
    value
}

/// A payload after value edits, re-encoded deterministically; `None` when
/// the edits made it unencodable (two equal map keys).
pub(crate) fn mutate_payload(payload: &[u8], edits: &[ValueEdit]) -> Option<Vec<u8>> {
    let value = cbor::decode(payload, usize::MAX, usize::MAX).ok()?;
    cbor::encode(&apply_value(&value, edits)).ok()
}
