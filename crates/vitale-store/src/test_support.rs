//! What the unit tests of the SQLite stores share: a scratch directory
//! and billing numbers.

use std::path::{Path, PathBuf};

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
        let dir =
            std::env::temp_dir().join(format!("vitale-{kind}-{name}-{}", std::process::id()));
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
