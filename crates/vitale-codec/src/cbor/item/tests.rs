use proptest::prelude::*;

use super::*;
use crate::cbor::{Value, decode, encode};

/// Rebuilds the value under an item with the accessors alone; `strict`:
/// the item was validated, so containers yield what they announce.
fn rebuild(item: Item<'_>, strict: bool) -> Value {
    if let Some(n) = item.as_uint() {
        return Value::from(n);
    }
    if let Some(n) = item.as_i64() {
        return Value::from(n);
    }
    if let Some(b) = item.as_bytes() {
        return Value::Bytes(b.to_vec());
    }
    if let Some(t) = item.as_text() {
        return Value::from(t);
    }
    if let Some(b) = item.as_bool() {
        return Value::Bool(b);
    }
    if let Some(items) = item.as_array() {
        let len = items.len();
        let out: Vec<Value> = items.map(|i| rebuild(i, strict)).collect();
        assert!(!strict || out.len() == len, "an array yields its items");
        return Value::Array(out);
    }
    if let Some(entries) = item.as_map() {
        let len = entries.len();
        let out: Vec<(Value, Value)> = entries
            .map(|(k, v)| (rebuild(k, strict), rebuild(v, strict)))
            .collect();
        assert!(!strict || out.len() == len, "a map yields its entries");
        return Value::Map(out);
    }
    // Null, the one item of the subset without an accessor, or a
    // negative integer beyond i64.
    match item.bytes {
        [0xf6] => Value::Null,
        _ => Value::Text("<other>".into()),
    }
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[ -~é]{0,30}".prop_map(Value::Text),
        prop::collection::vec(any::<u8>(), 0..300).prop_map(Value::Bytes),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..30).prop_map(Value::Array),
            prop::collection::vec((inner.clone(), inner), 0..8).prop_map(Value::Map),
        ]
    })
}

#[test]
fn reads_each_kind_of_item() {
    let bytes = encode(&Value::Map(vec![
        (Value::from(1), Value::from("é")),
        (Value::from(-2), Value::Bytes(vec![1, 2])),
        (Value::from(3), Value::Array(vec![Value::Bool(true), Value::from(24)])),
    ]))
    .unwrap();
    let item = Item::validated(&bytes, 64, 4).unwrap();
    let entries: Vec<_> = item.as_map().unwrap().collect();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0].0.as_i64(), Some(1));
    assert_eq!(entries[0].1.as_text(), Some("é"));
    // Deterministic order: 01 < 03 < 21 (-2).
    assert_eq!(entries[2].0.as_i64(), Some(-2));
    assert_eq!(entries[2].0.as_uint(), None);
    assert_eq!(entries[2].1.as_bytes(), Some(&[1u8, 2][..]));
    let items: Vec<_> = entries[1].1.as_array().unwrap().collect();
    assert_eq!(items[0].as_bool(), Some(true));
    assert_eq!(items[1].as_uint(), Some(24));
    assert_eq!(items[1].as_text(), None);
    assert!(item.as_array().is_none());
}

#[test]
fn integers_beyond_i64_are_not_keys() {
    for (hex, want) in [
        (&[0x1b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff][..], Some(i64::MAX)),
        (&[0x1b, 0x80, 0, 0, 0, 0, 0, 0, 0][..], None),
        (&[0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff][..], Some(i64::MIN)),
        (&[0x3b, 0x80, 0, 0, 0, 0, 0, 0, 0][..], None),
    ] {
        let item = Item::validated(hex, 16, 1).unwrap();
        assert_eq!(item.as_i64(), want);
        let value = decode(hex, 16, 1).unwrap();
        let Value::Integer(i) = value else { panic!() };
        assert_eq!(i64::try_from(i).ok(), want);
    }
}

#[test]
fn refuses_what_decode_refuses() {
    for bad in [&[0xa1, 0x18, 0x01, 0x00][..], &[0x82, 0x01], &[0x01, 0x02], &[]] {
        assert_eq!(
            Item::validated(bad, 64, 4).err(),
            decode(bad, 64, 4).err(),
            "{bad:02x?}"
        );
    }
}

#[test]
fn inconsistent_bytes_read_as_nothing_never_panic() {
    // Not reachable through `validated`: the readers' own guards.
    for bytes in [
        &[0x82, 0x01][..],
        &[0xa2, 0x01],
        &[0x5a, 0xff, 0xff, 0xff, 0xff],
        &[0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        &[0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        &[0x7f],
        &[],
    ] {
        let item = Item { bytes };
        let _ = rebuild(item, false);
        let _ = split_item(bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Reading through the accessors gives back the decoded value.
    #[test]
    fn accessors_agree_with_decode(value in value()) {
        let Ok(bytes) = encode(&value) else { return Ok(()) };
        let decoded = decode(&bytes, usize::MAX, 16).unwrap();
        let item = Item::validated(&bytes, usize::MAX, 16).unwrap();
        prop_assert_eq!(rebuild(item, true), decoded);
    }

    /// Splitting never panics nor overruns, on any bytes.
    #[test]
    fn split_item_is_total(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        if let Some((item, rest)) = split_item(&bytes) {
            prop_assert_eq!(item.len() + rest.len(), bytes.len());
            prop_assert!(!item.is_empty());
        }
        let _ = rebuild(Item { bytes: &bytes }, false);
    }
}
