use super::*;
use proptest::prelude::*;

fn hex(s: &str) -> Vec<u8> {
    let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..clean.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&clean[i..i + 2], 16).unwrap())
        .collect()
}

fn dec(s: &str) -> Result<Value, CborError> {
    decode(&hex(s), 1024, 8)
}

#[test]
fn accepts_deterministic_items() {
    let table: &[(&str, Value)] = &[
        ("00", Value::from(0)),
        ("17", Value::from(23)),
        ("1818", Value::from(24)),
        ("1901 00", Value::from(256)),
        ("1a00010000", Value::from(65536)),
        ("1b0000000100000000", Value::from(4_294_967_296u64)),
        ("20", Value::from(-1)),
        (
            "3bffffffffffffffff",
            Value::Integer(Integer::try_from(-18_446_744_073_709_551_616i128).unwrap()),
        ),
        ("40", Value::Bytes(vec![])),
        ("4401020304", Value::Bytes(vec![1, 2, 3, 4])),
        ("6449455446", Value::from("IETF")),
        ("80", Value::Array(vec![])),
        ("a0", Value::Map(vec![])),
        ("f4", Value::Bool(false)),
        ("f5", Value::Bool(true)),
        ("f6", Value::Null),
        ("d2 80", Value::Tag(18, Box::new(Value::Array(vec![])))),
    ];
    for (h, want) in table {
        assert_eq!(dec(h).as_ref(), Ok(want), "{h}");
        assert_eq!(encode(want).unwrap(), hex(h), "re-encode {h}");
    }
}

#[test]
fn map_keys_must_ascend_bytewise() {
    // {1: 0, -1: 0}: 0x01 < 0x20, accepted.
    assert!(dec(concat!("a2", "01 00", "20 00")).is_ok());
    // {-1: 0, 1: 0}: out of order.
    assert_eq!(
        dec(concat!("a2", "20 00", "01 00")),
        Err(CborError::MapKeyOrder(3))
    );
    // {1: 0, 1: 1}: duplicate.
    assert_eq!(
        dec(concat!("a2", "01 00", "01 01")),
        Err(CborError::MapKeyOrder(3))
    );
    // {10: 0, 100: 0}: 0x0a < 0x1864, accepted (length-first ordering
    // and bytewise ordering agree for integers).
    assert!(dec(concat!("a2", "0a 00", "1864 00")).is_ok());
    // Text keys: "b" (61 62) before "aa" (62 61 61) in bytewise order.
    assert!(dec(concat!("a2", "6162 00", "626161 00")).is_ok());
    assert!(dec(concat!("a2", "626161 00", "6162 00")).is_err());
}

#[test]
fn refuses_non_deterministic_and_malformed_items() {
    let table: &[(&str, CborError)] = &[
        ("1817", CborError::NonShortestHead(0)), // 23 in one extra byte
        ("190017", CborError::NonShortestHead(0)), // 23 in two extra bytes
        ("1a0000ffff", CborError::NonShortestHead(0)), // 65535 in four
        ("1b00000000ffffffff", CborError::NonShortestHead(0)),
        ("5f 41 00 ff", CborError::IndefiniteLength(0)), // indefinite bstr
        ("9f ff", CborError::IndefiniteLength(0)),       // indefinite array
        ("bf ff", CborError::IndefiniteLength(0)),       // indefinite map
        ("1c", CborError::Reserved(0)),                  // reserved info 28
        ("f90000", CborError::UnsupportedItem(0)),       // half float
        ("fb3ff0000000000000", CborError::UnsupportedItem(0)), // double 1.0
        ("f7", CborError::UnsupportedItem(0)),           // undefined
        ("e0", CborError::UnsupportedItem(0)),           // simple(0)
        ("f820", CborError::UnsupportedItem(0)),         // simple(32)
        ("62 c3 28", CborError::InvalidUtf8(0)),         // bad UTF-8
        ("00 00", CborError::TrailingBytes(1)),
        ("", CborError::Truncated(0)),
        ("44 0102", CborError::Truncated(1)),
        ("83 01 02", CborError::Truncated(0)), // count > bytes left
        ("9bffffffffffffffff", CborError::Truncated(0)), // huge array count
        ("5bffffffffffffffff", CborError::Truncated(9)), // huge bstr length
        ("bbffffffffffffffff", CborError::Truncated(0)), // huge map count
    ];
    for (h, want) in table {
        assert_eq!(dec(h).as_ref(), Err(want), "{h}");
    }
}

#[test]
fn bounds_size_and_depth() {
    assert_eq!(
        decode(&[0x40; 3], 2, 8),
        Err(CborError::TooLarge { size: 3, limit: 2 })
    );
    // [[[0]]] has depth 3.
    let nested = hex("81 81 81 00");
    assert!(decode(&nested, 16, 3).is_ok());
    assert_eq!(decode(&nested, 16, 2), Err(CborError::TooDeep(2)));
    // A long run of array heads stops at the depth limit, not the stack.
    let deep = vec![0x81; 100_000];
    assert_eq!(decode(&deep, 200_000, 8), Err(CborError::TooDeep(8)));
    // Tags count as nesting too.
    let tags = vec![0xd2; 64];
    assert_eq!(decode(&tags, 64, 8), Err(CborError::TooDeep(8)));
}

#[test]
fn encode_sorts_map_keys_and_refuses_duplicates() {
    let unsorted = Value::Map(vec![
        (Value::from(-1), Value::from(1)),
        (Value::from(1), Value::from(2)),
    ]);
    assert_eq!(encode(&unsorted).unwrap(), hex("a2 01 02 20 01"));
    let dup = Value::Map(vec![
        (Value::from(1), Value::from(1)),
        (Value::from(1), Value::from(2)),
    ]);
    assert_eq!(encode(&dup), Err(CborError::Unencodable));
    assert_eq!(encode(&Value::Float(1.0)), Err(CborError::Unencodable));
}

fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(Value::Bytes),
        ".{0,20}".prop_map(Value::Text),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::btree_map(any::<i32>(), inner.clone(), 0..8).prop_map(|m| {
                Value::Map(m.into_iter().map(|(k, v)| (Value::from(k), v)).collect())
            }),
            (0u64..1000, inner).prop_map(|(t, v)| Value::Tag(t, Box::new(v))),
        ]
    })
}

proptest! {
    #[test]
    fn encode_then_decode_is_identity_on_bytes(v in arb_value()) {
        let bytes = encode(&v).unwrap();
        let back = decode(&bytes, usize::MAX, 16).unwrap();
        // Map order may differ from `v`; the encodings must be identical.
        prop_assert_eq!(encode(&back).unwrap(), bytes);
    }

    #[test]
    fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        if let Ok(v) = decode(&bytes, 4096, 8) {
            // Whatever is accepted is deterministic: it re-encodes to itself.
            prop_assert_eq!(encode(&v).unwrap(), bytes);
        }
    }
}

/// Applies a few byte edits (flip, insert, delete) chosen by `ops`.
fn edit_bytes(bytes: &mut Vec<u8>, ops: &[(proptest::sample::Index, u8, u8)]) {
    for (at, op, x) in ops {
        let len = bytes.len();
        match op % 3 {
            0 if len > 0 => bytes[at.index(len)] ^= x | 1,
            1 => bytes.insert(at.index(len + 1), *x),
            _ if len > 0 => {
                bytes.remove(at.index(len));
            }
            _ => {}
        }
    }
}

proptest! {
    /// `validate` is `decode` without the value: same verdict, same error.
    #[test]
    fn validate_agrees_with_decode_on_random_bytes(
        bytes in proptest::collection::vec(any::<u8>(), 0..256),
        max_bytes in 0usize..300,
        max_depth in 0usize..10,
    ) {
        prop_assert_eq!(
            validate(&bytes, max_bytes, max_depth),
            decode(&bytes, max_bytes, max_depth).map(|_| ())
        );
    }

    #[test]
    fn validate_agrees_with_decode_on_edited_encodings(
        v in arb_value(),
        ops in proptest::collection::vec(
            (any::<proptest::sample::Index>(), any::<u8>(), any::<u8>()),
            0..4,
        ),
        max_depth in 0usize..10,
    ) {
        let mut bytes = encode(&v).unwrap();
        edit_bytes(&mut bytes, &ops);
        prop_assert_eq!(
            validate(&bytes, usize::MAX, max_depth),
            decode(&bytes, usize::MAX, max_depth).map(|_| ())
        );
    }
}

#[test]
fn validate_refuses_deep_nesting_without_recursing_far() {
    let deep = vec![0x81; 100_000];
    assert_eq!(validate(&deep, 200_000, 8), Err(CborError::TooDeep(8)));
    assert_eq!(
        validate(&[0x40; 3], 2, 8),
        Err(CborError::TooLarge { size: 3, limit: 2 })
    );
}
