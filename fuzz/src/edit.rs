//! Field-level edits of a decoded CBOR value, driven by `arbitrary`:
//! replace a node, drop a map entry or an array item, add one. The value
//! is then re-encoded deterministically, so the edit reaches the data
//! model's checks instead of breaking the CBOR framing (what byte
//! mutations inside nested length prefixes mostly do).

use arbitrary::Arbitrary;
use vitale_codec::cbor::{Integer, Value};

/// Most edits applied to one value.
pub const MAX_EDITS: usize = 4;

/// A CBOR leaf (or a small container) to put in place of a node.
#[derive(Arbitrary, Debug, Clone)]
pub enum Leaf {
    /// An unsigned integer.
    Unsigned(u64),
    /// A negative integer (`-1 - n`).
    Negative(u64),
    /// A small integer around the data model's codes.
    Small(i8),
    /// A byte string.
    Bytes(Vec<u8>),
    /// A byte string of `n` zero bytes (lengths near the limits).
    ZeroBytes(u16),
    /// A text string.
    Text(String),
    /// A boolean.
    Bool(bool),
    /// Null.
    Null,
    /// An empty array.
    EmptyArray,
    /// An empty map.
    EmptyMap,
    /// A tag around an integer.
    Tagged(u64, u8),
}

impl Leaf {
    /// The CBOR value.
    pub fn value(&self) -> Value {
        match self {
            Leaf::Unsigned(n) => Value::Integer(Integer::from(*n)),
            Leaf::Negative(n) => Value::Integer(
                Integer::try_from(-1i128 - i128::from(*n)).unwrap_or(Integer::from(-1)),
            ),
            Leaf::Small(n) => Value::Integer(Integer::from(*n)),
            Leaf::Bytes(b) => Value::Bytes(b.clone()),
            Leaf::ZeroBytes(n) => Value::Bytes(vec![0; usize::from(*n)]),
            Leaf::Text(t) => Value::Text(t.clone()),
            Leaf::Bool(b) => Value::Bool(*b),
            Leaf::Null => Value::Null,
            Leaf::EmptyArray => Value::Array(Vec::new()),
            Leaf::EmptyMap => Value::Map(Vec::new()),
            Leaf::Tagged(tag, n) => Value::Tag(*tag, Box::new(Value::Integer(Integer::from(*n)))),
        }
    }
}

/// What an edit does at the node its path leads to.
#[derive(Arbitrary, Debug, Clone)]
pub enum Op {
    /// Replace the node.
    Replace(Leaf),
    /// In a map, drop the entry; in an array, the item.
    Remove,
    /// In a map, add (or replace) the entry under this integer key; in an
    /// array, push the leaf.
    Insert(i8, Leaf),
    /// In a map, swap the value of the entry with the next entry's.
    SwapWithNext,
}

/// One edit: a path (each step picks a child of a map or an array, modulo
/// its length), then an operation on the container reached or its child.
#[derive(Arbitrary, Debug, Clone)]
pub struct Edit {
    /// Child indices, one per level.
    pub path: Vec<u8>,
    /// The operation.
    pub op: Op,
}

/// Applies at most [`MAX_EDITS`] edits to `value`.
pub fn apply(value: &mut Value, edits: &[Edit]) {
    for edit in edits.iter().take(MAX_EDITS) {
        apply_one(value, &edit.path, &edit.op);
    }
}

fn apply_one(value: &mut Value, path: &[u8], op: &Op) {
    let Some((&step, rest)) = path.split_first() else {
        if let Op::Replace(leaf) = op {
            *value = leaf.value();
        }
        return;
    };
    let step = usize::from(step);
    match value {
        Value::Map(entries) => {
            if entries.is_empty() {
                if let Op::Insert(key, leaf) = op {
                    entries.push((Value::Integer(Integer::from(*key)), leaf.value()));
                }
                return;
            }
            let i = step % entries.len();
            if rest.is_empty() {
                match op {
                    Op::Remove => {
                        entries.remove(i);
                    }
                    Op::Insert(key, leaf) => {
                        let key = Value::Integer(Integer::from(*key));
                        match entries.iter_mut().find(|(k, _)| *k == key) {
                            Some(entry) => entry.1 = leaf.value(),
                            None => entries.push((key, leaf.value())),
                        }
                    }
                    Op::SwapWithNext => {
                        let j = (i + 1) % entries.len();
                        let vi = entries[i].1.clone();
                        entries[i].1 = entries[j].1.clone();
                        entries[j].1 = vi;
                    }
                    Op::Replace(leaf) => entries[i].1 = leaf.value(),
                }
            } else {
                apply_one(&mut entries[i].1, rest, op);
            }
        }
        Value::Array(items) => {
            if items.is_empty() {
                if let Op::Insert(_, leaf) = op {
                    items.push(leaf.value());
                }
                return;
            }
            let i = step % items.len();
            if rest.is_empty() {
                match op {
                    Op::Remove => {
                        items.remove(i);
                    }
                    Op::Insert(_, leaf) => items.insert(i, leaf.value()),
                    Op::SwapWithNext => {
                        let j = (i + 1) % items.len();
                        items.swap(i, j);
                    }
                    Op::Replace(leaf) => items[i] = leaf.value(),
                }
            } else {
                apply_one(&mut items[i], rest, op);
            }
        }
        Value::Tag(_, inner) => apply_one(inner, rest, op),
        _ => {
            if let Op::Replace(leaf) = op {
                *value = leaf.value();
            }
        }
    }
}

/// Decodes `bytes` (strict CBOR within the profile's limits), applies the
/// edits and re-encodes; `None` if the bytes do not decode or the edited
/// value cannot be encoded deterministically (two equal keys).
pub fn edit_bytes(bytes: &[u8], edits: &[Edit]) -> Option<Vec<u8>> {
    let mut value =
        vitale_codec::cbor::decode(bytes, 16_384, vitale_codec::limits::MAX_CBOR_DEPTH).ok()?;
    apply(&mut value, edits);
    vitale_codec::cbor::encode(&value).ok()
}

/// A COSE_Sign1 envelope around `payload` (protected header `{1: -7}`,
/// plus `{4: kid}` when given) with a dummy signature — the decoders do
/// not check signatures — then its protected header's map and the
/// envelope itself edited.
pub fn envelope(
    kid: Option<&[u8; 8]>,
    payload: &[u8],
    protected_edits: &[Edit],
    envelope_edits: &[Edit],
) -> Option<Vec<u8>> {
    let bytes = vitale_codec::cose::Sign1::prepare(kid, payload, &[]).complete([0x5a; 64]);
    if protected_edits.is_empty() && envelope_edits.is_empty() {
        return Some(bytes);
    }
    let mut value =
        vitale_codec::cbor::decode(&bytes, 1 << 20, vitale_codec::limits::MAX_CBOR_DEPTH).ok()?;
    if !protected_edits.is_empty()
        && let Value::Tag(_, inner) = &mut value
        && let Value::Array(parts) = inner.as_mut()
        && let Some(Value::Bytes(protected)) = parts.first_mut()
    {
        *protected = edit_bytes(protected, protected_edits)?;
    }
    apply(&mut value, envelope_edits);
    vitale_codec::cbor::encode(&value).ok()
}

/// Zero to three `T`s, none most of the time: what a description holds
/// for changes that usually break what they touch (CBOR edits, beneficiary
/// edits), so that most inputs stay valid enough to reach the deep checks.
/// A plain `Vec` would be long whenever the input is.
#[derive(Debug, Clone)]
pub struct Few<T>(pub Vec<T>);

impl<T> Few<T> {
    /// The items.
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a, T: Arbitrary<'a>> Arbitrary<'a> for Few<T> {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let b = u8::arbitrary(u)?;
        // One chance in four of one to three items.
        let n = if b < 64 { 1 + usize::from(b % 3) } else { 0 };
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(T::arbitrary(u)?);
        }
        Ok(Few(items))
    }
}
