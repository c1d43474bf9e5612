//! What the unit tests of the SQLite stores share: a scratch directory,
//! billing numbers, and the checks both number stores pass.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;

use vitale_adri::BillingNumber;

/// A scratch directory of the test process, removed when dropped, holding
/// one state file.
pub(crate) struct TempDir {
    dir: PathBuf,
    file: &'static str,
}

impl TempDir {
    /// `vitale-{kind}-{name}-{pid}` in the system's temporary directory,
    /// emptied first, for a state file called `file`.
    pub(crate) fn new(kind: &str, name: &str, file: &'static str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("vitale-{kind}-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir { dir, file }
    }

    /// The directory.
    pub(crate) fn path(&self) -> &Path {
        &self.dir
    }

    /// The state file's path.
    pub(crate) fn file(&self) -> PathBuf {
        self.dir.join(self.file)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A professional's billing number (*numéro AM*), from valid text.
pub(crate) fn am(text: &str) -> BillingNumber {
    BillingNumber::parse(text).unwrap()
}

/// What the number stores' tests ask of a store: issue the next number
/// and read the last one, as plain integers.
pub(crate) trait NumberStore: Send + Sync + 'static {
    /// The store opened (created if needed) at `path`.
    fn open_at(path: &Path) -> Self;
    /// The next number for `professional`.
    fn issue(&self, professional: &BillingNumber) -> u32;
    /// The last number issued to `professional`.
    fn last_issued(&self, professional: &BillingNumber) -> Option<u32>;
}

impl NumberStore for crate::SqliteInvoiceNumbers {
    fn open_at(path: &Path) -> Self {
        Self::open(path).unwrap()
    }
    fn issue(&self, professional: &BillingNumber) -> u32 {
        vitale_fse::InvoiceNumbers::next(self, professional)
            .unwrap()
            .get()
    }
    fn last_issued(&self, professional: &BillingNumber) -> Option<u32> {
        vitale_fse::InvoiceNumbers::last(self, professional)
            .unwrap()
            .map(|n| n.get())
    }
}

impl NumberStore for crate::SqliteLotNumbers {
    fn open_at(path: &Path) -> Self {
        Self::open(path).unwrap()
    }
    fn issue(&self, professional: &BillingNumber) -> u32 {
        u32::from(
            vitale_fse::LotNumbers::next(self, professional)
                .unwrap()
                .get(),
        )
    }
    fn last_issued(&self, professional: &BillingNumber) -> Option<u32> {
        vitale_fse::LotNumbers::last(self, professional)
            .unwrap()
            .map(|n| u32::from(n.get()))
    }
}

/// Numbers are kept per professional and survive closing and reopening
/// the store file at `path`, new.
pub(crate) fn check_numbers_survive_reopening<S: NumberStore>(path: &Path) {
    let (a, b) = (am("751234567"), am("131234567"));
    {
        let store = S::open_at(path);
        assert_eq!(store.last_issued(&a), None);
        assert_eq!(store.issue(&a), 1);
        assert_eq!(store.issue(&a), 2);
        assert_eq!(store.issue(&b), 1);
    }
    let store = S::open_at(path);
    assert_eq!(store.last_issued(&a), Some(2));
    assert_eq!(store.issue(&a), 3);
    assert_eq!(store.issue(&b), 2);
}

/// Four threads, two on each of `stores` (two values on one file, as two
/// processes would hold), each issuing 50 numbers to one professional:
/// what each thread got, in its order.
pub(crate) fn issue_from_four_threads<S: NumberStore>(stores: &[Arc<S>; 2]) -> Vec<Vec<u32>> {
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let store = Arc::clone(&stores[i % 2]);
            thread::spawn(move || {
                (0..50)
                    .map(|_| store.issue(&am("751234567")))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}
