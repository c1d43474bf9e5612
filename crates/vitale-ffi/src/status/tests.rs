use std::collections::HashSet;

use super::*;

#[test]
fn every_facade_kind_has_one_number_from_100() {
    for (kind, _) in vitale::KINDS {
        let status = VitaleStatus::of_kind(kind);
        assert_ne!(
            status,
            VitaleStatus::UnnumberedError,
            "{kind} has no number"
        );
        assert!(status as i32 >= 100, "{kind}");
        assert_eq!(status.kind(), *kind);
    }
}

#[test]
fn numbers_and_kinds_are_unique_and_abi_codes_stay_below_100() {
    let mut numbers = HashSet::new();
    let mut kinds = HashSet::new();
    for (status, kind) in TABLE {
        assert!(numbers.insert(*status as i32), "{status:?} twice");
        assert!(kinds.insert(*kind), "{kind} twice");
        let is_abi = ABI_MEANINGS.iter().any(|(s, _)| s == status);
        assert_eq!(is_abi, (*status as i32) < 100, "{kind}");
        assert_eq!(VitaleStatus::from_code(*status as i32), Some(*status));
    }
    // Every numbered kind is a facade kind or an ABI code: none is left
    // behind when the facade renames one (it never should).
    for (status, kind) in TABLE.iter().skip(ABI_MEANINGS.len()) {
        assert!(
            vitale::KINDS.iter().any(|(k, _)| k == kind),
            "{kind} ({status:?}) is not a facade kind"
        );
    }
}

#[test]
fn numbers_never_move() {
    // Anchors of the published table (docs/ffi.md lists every number and a
    // test compares it with TABLE): a change here breaks every caller.
    assert_eq!(VitaleStatus::Ok as i32, 0);
    assert_eq!(VitaleStatus::Panic as i32, 1);
    assert_eq!(VitaleStatus::NullArgument as i32, 2);
    assert_eq!(VitaleStatus::InvalidUtf8 as i32, 3);
    assert_eq!(VitaleStatus::BufferTooSmall as i32, 4);
    assert_eq!(VitaleStatus::BadSignature as i32, 100);
    assert_eq!(VitaleStatus::BadDeviceSignature as i32, 127);
    assert_eq!(VitaleStatus::Replay as i32, 131);
    assert_eq!(VitaleStatus::IdentityError as i32, 247);
}

#[test]
fn meanings_come_from_the_facade_for_its_kinds() {
    assert_eq!(
        VitaleStatus::Replay.meaning(),
        "this presentation was already accepted (screenshot or recording)"
    );
    assert_eq!(VitaleStatus::Ok.meaning(), "success");
    for status in VitaleStatus::all() {
        assert!(!status.meaning().is_empty(), "{status:?}");
    }
    assert_eq!(
        VitaleStatus::of_kind("no_such_kind"),
        VitaleStatus::UnnumberedError
    );
    assert_eq!(VitaleStatus::from_code(99), None);
    assert_eq!(VitaleStatus::from_code(-1), None);
}
