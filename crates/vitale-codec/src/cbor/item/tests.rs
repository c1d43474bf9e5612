use proptest::prelude::*;

use super::*;
use crate::cbor::{Integer, Value, decode, encode};

/// Rebuilds the value under an item with the accessors alone; `strict`:
/// the slots come from a payload, so containers yield what they announce.
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
    // Null and tags (the items of the subset without an accessor), a
    // negative integer beyond i64, or (not strict) nothing.
    if let Some(inner) = item.tagged() {
        return Value::Tag(item.arg(), Box::new(rebuild(inner, strict)));
    }
    match item.slot() {
        Slot {
            major: SIMPLE,
            arg: 22,
            ..
        } => Value::Null,
        Slot {
            major: NINT, arg, ..
        } => Value::Integer(Integer::try_from(-1 - i128::from(arg)).unwrap()),
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
            prop::collection::vec((inner.clone(), inner.clone()), 0..8).prop_map(Value::Map),
            (0u64..30, inner).prop_map(|(t, v)| Value::Tag(t, Box::new(v))),
        ]
    })
}

#[test]
fn reads_each_kind_of_item() {
    let bytes = encode(&Value::Map(vec![
        (Value::from(1), Value::from("é")),
        (Value::from(-2), Value::Bytes(vec![1, 2])),
        (
            Value::from(3),
            Value::Array(vec![Value::Bool(true), Value::from(24)]),
        ),
    ]))
    .unwrap();
    let payload = Payload::validated(&bytes, 64, 4).unwrap();
    let item = payload.root();
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
    // One slot per item: the map, 3 keys, 3 values, 2 array items.
    assert_eq!(payload.slots.len(), 9);
}

#[test]
fn deep_nesting_is_refused_without_recursing() {
    // 100 000 nested arrays, tags, maps: refused at the depth limit; and
    // with no limit at all (where `decode` would recurse 100 000 deep),
    // read to the end of the input in a loop.
    for (head, end) in [(0x81, 99_999), (0xd2, 100_000), (0xa1, 99_998)] {
        let bytes = vec![head; 100_000];
        assert_eq!(
            Payload::validated(&bytes, 200_000, 8).err(),
            Some(CborError::TooDeep(8))
        );
        assert_eq!(
            Payload::validated(&bytes, 200_000, usize::MAX).err(),
            Some(CborError::Truncated(end))
        );
    }
}

#[test]
fn integers_beyond_i64_are_not_keys() {
    for (bytes, want) in [
        (
            &[0x1b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff][..],
            Some(i64::MAX),
        ),
        (&[0x1b, 0x80, 0, 0, 0, 0, 0, 0, 0][..], None),
        (
            &[0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff][..],
            Some(i64::MIN),
        ),
        (&[0x3b, 0x80, 0, 0, 0, 0, 0, 0, 0][..], None),
    ] {
        let payload = Payload::validated(bytes, 16, 1).unwrap();
        assert_eq!(payload.root().as_i64(), want);
        let Value::Integer(i) = decode(bytes, 16, 1).unwrap() else {
            panic!("an integer")
        };
        assert_eq!(i64::try_from(i).ok(), want);
    }
}

#[test]
fn refuses_what_decode_refuses() {
    for bad in [
        &[0xa1, 0x18, 0x01, 0x00][..],
        &[0x82, 0x01],
        &[0x01, 0x02],
        &[0x81, 0x81, 0x81, 0x00],
        &[],
    ] {
        assert_eq!(
            Payload::validated(bad, 64, 2).err(),
            decode(bad, 64, 2).err(),
            "{bad:02x?}"
        );
    }
    assert_eq!(
        Payload::validated(&[0; 3], 2, 2).err(),
        Some(CborError::TooLarge { size: 3, limit: 2 })
    );
}

#[test]
fn inconsistent_slots_read_as_nothing_never_panic() {
    // Not reachable through `Payload::validated`: the readers' own guards.
    let slot = |major, arg, body, end, next| Slot {
        arg,
        body,
        end,
        next,
        major,
    };
    let bytes = [0x82, 0x01, 0x02];
    let cases: Vec<Vec<Slot>> = vec![
        // An array announcing 2 items with one slot.
        vec![slot(ARRAY, 2, 1, 3, 2), slot(UINT, 1, 2, 2, 2)],
        // A slot pointing back at itself or before.
        vec![slot(ARRAY, 2, 1, 3, 1), slot(UINT, 1, 2, 2, 1)],
        // A map announcing more entries than there are slots.
        vec![slot(MAP, u64::MAX, 1, 3, 1)],
        // Content out of the bytes.
        vec![slot(TSTR, 9, 1, 10, 1)],
        vec![],
    ];
    for slots in cases {
        let payload = Payload {
            bytes: &bytes,
            slots,
        };
        let _ = rebuild(payload.root(), false);
        let _ = rebuild(payload.item(7), false);
    }
}

#[test]
fn slot_vectors_are_reused_two_at_a_time() {
    // Runs on its own thread: the spare vectors are this thread's.
    std::thread::spawn(|| {
        let outer = encode(&Value::Array(vec![Value::from(1); 40])).unwrap();
        let inner = encode(&Value::Map(vec![(Value::from(1), Value::from("x"))])).unwrap();
        let (a, b) = {
            let o = Payload::lenient(&outer, 1024, 8).unwrap();
            let i = Payload::lenient(&inner, 1024, 8).unwrap();
            (o.slots.as_ptr() as usize, i.slots.as_ptr() as usize)
        };
        assert_ne!(a, b, "two payloads alive at once use two vectors");
        // Both were kept: the next two payloads get them back.
        let o = Payload::lenient(&outer, 1024, 8).unwrap();
        let i = Payload::lenient(&inner, 1024, 8).unwrap();
        let again = [o.slots.as_ptr() as usize, i.slots.as_ptr() as usize];
        assert!(again.contains(&a) && again.contains(&b));
        assert_eq!(rebuild(o.root(), true), decode(&outer, 1024, 8).unwrap());
        assert_eq!(rebuild(i.root(), true), decode(&inner, 1024, 8).unwrap());
        drop((o, i));
        // A vector grown beyond the limit is not kept.
        let big = encode(&Value::Array(vec![Value::from(1); 5000])).unwrap();
        let p = Payload::lenient(&big, 1 << 20, 8).unwrap();
        let big_ptr = p.slots.as_ptr() as usize;
        drop(p);
        let o = Payload::lenient(&outer, 1024, 8).unwrap();
        assert_ne!(o.slots.as_ptr() as usize, big_ptr);
        // A refused payload gives its vector back too.
        assert!(Payload::lenient(&[0x82, 0x01], 1024, 8).is_err());
    })
    .join()
    .unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Reading through the accessors gives back the decoded value.
    #[test]
    fn accessors_agree_with_decode(value in value()) {
        let Ok(bytes) = encode(&value) else { return Ok(()) };
        let decoded = decode(&bytes, usize::MAX, 16).unwrap();
        let payload = Payload::validated(&bytes, usize::MAX, 16).unwrap();
        prop_assert_eq!(rebuild(payload.root(), true), decoded);
        prop_assert!(payload.slots.len() <= bytes.len());
    }

    /// Same verdict and error as `decode` on valid encodings after a few
    /// byte edits, with any depth limit.
    #[test]
    fn validated_agrees_with_decode_on_edited_encodings(
        value in value(),
        edits in crate::mutate::byte_edits(),
        max_depth in 0usize..7,
    ) {
        let Ok(bytes) = encode(&value) else { return Ok(()) };
        let bytes = crate::mutate::apply_bytes(&bytes, &edits);
        let payload = Payload::validated(&bytes, usize::MAX, max_depth);
        let decoded = decode(&bytes, usize::MAX, max_depth);
        prop_assert_eq!(payload.as_ref().err(), decoded.as_ref().err());
        if let (Ok(payload), Ok(decoded)) = (payload, decoded) {
            prop_assert_eq!(rebuild(payload.root(), true), decoded);
        }
    }

    /// The lenient index differs only by not checking texts' UTF-8: where
    /// the strict one accepts, it gives the same slots; where it refuses,
    /// the strict one refuses too.
    #[test]
    fn lenient_only_skips_utf8(
        value in value(),
        edits in crate::mutate::byte_edits(),
    ) {
        let Ok(bytes) = encode(&value) else { return Ok(()) };
        let bytes = crate::mutate::apply_bytes(&bytes, &edits);
        let strict = Payload::validated(&bytes, usize::MAX, 8);
        let lenient = Payload::lenient(&bytes, usize::MAX, 8);
        match (&strict, &lenient) {
            (Ok(strict), Ok(lenient)) => prop_assert_eq!(&strict.slots, &lenient.slots),
            (Ok(_), Err(e)) => prop_assert!(false, "lenient refused what strict accepts: {e:?}"),
            (Err(CborError::InvalidUtf8(_)), _) => {}
            (Err(strict), Err(lenient)) => prop_assert_eq!(strict, lenient),
            (Err(e), Ok(_)) => prop_assert!(false, "lenient accepted what strict refuses: {e:?}"),
        }
    }

    /// Same verdict and error as `decode`, on any bytes.
    #[test]
    fn validated_agrees_with_decode(
        bytes in prop::collection::vec(any::<u8>(), 0..128),
        max_depth in 0usize..6,
    ) {
        let payload = Payload::validated(&bytes, 100, max_depth);
        let decoded = decode(&bytes, 100, max_depth);
        prop_assert_eq!(payload.as_ref().err(), decoded.as_ref().err());
        if let Ok(payload) = payload {
            prop_assert!(payload.slots.len() <= bytes.len());
            let _ = rebuild(payload.root(), true);
        }
    }
}
