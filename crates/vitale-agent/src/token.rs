//! The pairing token (*jeton d'appairage*): a secret per installation that
//! every `/v1/*` request carries (`Authorization: Bearer TOKEN`), stored in
//! the configuration directory with owner-only permissions.

use std::fmt;
use std::path::{Path, PathBuf};

use subtle::ConstantTimeEq as _;

use crate::Error;

/// The token file's name in the configuration directory.
pub const TOKEN_FILE: &str = "agent-token";

/// Random bytes in a token (hex-encoded: 64 characters).
const TOKEN_BYTES: usize = 32;

/// The installation's pairing token. `Debug` does not show it.
#[derive(Clone)]
pub struct PairingToken(String);

impl fmt::Debug for PairingToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PairingToken(..)")
    }
}

impl PairingToken {
    /// A fresh random token.
    ///
    /// # Errors
    /// [`Error::Random`] when the system has no random numbers.
    pub fn generate() -> Result<Self, Error> {
        let mut bytes = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes).map_err(|_| Error::Random)?;
        Ok(PairingToken(vitale::codec::hex::encode(&bytes)))
    }

    /// The token read from `dir`'s token file, or a new one written there
    /// (the directory created if needed; the file created with mode 0600
    /// on Unix, never readable by other users).
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read or written;
    /// [`Error::Config`] for a file that does not hold a token.
    pub fn load_or_create(dir: &Path) -> Result<Self, Error> {
        let path = dir.join(TOKEN_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => Self::parse(&bytes)
                .ok_or_else(|| Error::Config(format!("{} is not a pairing token", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let token = Self::generate()?;
                std::fs::create_dir_all(dir)
                    .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
                write_private(&path, token.0.as_bytes())?;
                Ok(token)
            }
            Err(e) => Err(Error::io(format!("cannot read {}", path.display()), e)),
        }
    }

    /// The token file in `dir`.
    pub fn path_in(dir: &Path) -> PathBuf {
        dir.join(TOKEN_FILE)
    }

    /// A token's text: 64 lower-case hex digits (white space around it
    /// ignored).
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        let text = core::str::from_utf8(bytes).ok()?.trim();
        (text.len() == TOKEN_BYTES * 2
            && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        .then(|| PairingToken(text.to_owned()))
    }

    /// The token's text, to give the web application (`vitale agent
    /// --print-token`).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether `candidate` is the token, compared in constant time (the
    /// time taken tells nothing of how many characters match).
    pub fn matches(&self, candidate: &[u8]) -> bool {
        self.0.as_bytes().ct_eq(candidate).into()
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let context = || format!("cannot write {}", path.display());
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| Error::io(context(), e))?;
    file.write_all(bytes).map_err(|e| Error::io(context(), e))
}

/// On Windows the file inherits the ACL of the user's profile directory
/// (`%APPDATA%`), which other users cannot read.
#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write as _;
    let context = || format!("cannot write {}", path.display());
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io(context(), e))?;
    file.write_all(bytes).map_err(|e| Error::io(context(), e))
}

#[cfg(test)]
mod tests;
