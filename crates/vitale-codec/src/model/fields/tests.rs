use proptest::prelude::*;
use proptest::sample::Index;

use super::*;

proptest! {
    /// `Entries` behaves as a `Vec` with `swap_remove`, inline or spilled,
    /// so `Fields::finish` names the same leftover key either way.
    #[test]
    fn entries_are_a_vec_with_swap_remove(
        len in 0usize..30,
        removals in prop::collection::vec(any::<Index>(), 0..30),
        announced_fewer in any::<bool>(),
    ) {
        // Announcing fewer entries than pushed exercises the spill of an
        // inline store (which a map's own count never does).
        let announced = if announced_fewer { len.min(3) } else { len };
        let mut entries = Entries::with_capacity(announced);
        let mut vec = Vec::new();
        for i in 0..len {
            let entry = (i as i64 * 3 - 7, i as u32);
            entries.push(entry);
            vec.push(entry);
        }
        prop_assert_eq!(entries.as_slice(), vec.as_slice());
        for index in removals {
            if vec.is_empty() {
                prop_assert_eq!(entries.swap_remove(0), None);
                break;
            }
            let i = index.index(vec.len());
            prop_assert_eq!(entries.swap_remove(i), Some(vec.swap_remove(i)));
            prop_assert_eq!(entries.as_slice(), vec.as_slice());
        }
        prop_assert_eq!(entries.swap_remove(vec.len()), None);
    }
}
