//! The seed everything is derived from, and the key pairs derived from it.
//!
//! Derivation: `block(label, counter) = SHA-256(seed ‖ label ‖ counter)`,
//! with the label's UTF-8 bytes and the counter as 4 bytes big-endian. The
//! seed and the counter have fixed sizes, so the concatenation is
//! unambiguous. Bytes are the blocks for counters 0, 1, 2… concatenated;
//! a key is the first block that is a valid P-256 scalar (the counter moves
//! on otherwise, which happens with probability about 2^-32).
//!
//! ECDSA signing is deterministic (RFC 6979), so the same seed and the same
//! calls give the same bytes, signatures included. Keys sign through the
//! SDK's [`Signer`] trait ([`SoftwareSigner`]), in two phases: the codec
//! prepares the bytes, the key signs them, the codec completes the envelope.

use core::fmt;
use std::sync::Arc;

use p256::ecdsa::VerifyingKey;
use sha2::{Digest, Sha256};
use vitale::codec::cose::{ES256_SIGNATURE_LEN, KID_LEN, Sign1};
use vitale::codec::model::DeviceKey;
use vitale::verify::{PublicKey, Signer, SoftwareSigner};

use crate::Error;

/// How many counters [`Seed::key_pair`] tries before giving up.
const MAX_KEY_TRIES: u32 = 64;

/// DER prefix of a P-256 `SubjectPublicKeyInfo` (id-ecPublicKey,
/// prime256v1) followed by the 65-byte uncompressed point.
const SPKI_P256_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

/// 32 bytes from which a whole simulated world is derived: keys, nonces,
/// credential ids, sample people.
///
/// `Debug` does not show the bytes (a seed stands for private keys).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Seed([u8; 32]);

impl Seed {
    /// A seed from a small number, for tests: the number big-endian in the
    /// last 8 bytes, zeros before.
    pub fn from_u64(n: u64) -> Self {
        let mut bytes = [0u8; 32];
        for (slot, b) in bytes.iter_mut().skip(24).zip(n.to_be_bytes()) {
            *slot = b;
        }
        Seed(bytes)
    }

    /// A seed from 32 bytes.
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Seed(bytes)
    }

    /// The 32 bytes.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A seed for a sub-world (a second issuer, another family), derived
    /// from this one by label.
    pub fn child(&self, label: &str) -> Seed {
        Seed(self.block(label, 0))
    }

    /// `N` bytes derived from the seed by label.
    pub fn derive_bytes<const N: usize>(&self, label: &str) -> [u8; N] {
        let mut out = [0u8; N];
        self.fill(label, &mut out);
        out
    }

    /// Fills `out` with bytes derived from the seed by label.
    pub fn fill(&self, label: &str, out: &mut [u8]) {
        for (counter, chunk) in (0u32..).zip(out.chunks_mut(32)) {
            let block = self.block(label, counter);
            for (slot, b) in chunk.iter_mut().zip(block) {
                *slot = b;
            }
        }
    }

    /// A P-256 key pair derived from the seed by label.
    ///
    /// # Errors
    /// [`Error::KeyDerivation`] if no valid scalar comes out of 64
    /// counters (never seen: each try fails with probability ~2^-32).
    pub fn key_pair(&self, label: &str) -> Result<KeyPair, Error> {
        let scalar = self.key_scalar(label)?;
        SoftwareSigner::from_slice(&scalar)
            .map_err(|_| Error::KeyDerivation)
            .and_then(KeyPair::from_signer)
    }

    /// The private scalar of [`Seed::key_pair`]`(label)`: the first block
    /// of `key:<label>` that is a valid P-256 scalar. Exported only by
    /// [`crate::hazmat::key_scalar`] (simulated keys written to files).
    pub(crate) fn key_scalar(&self, label: &str) -> Result<[u8; 32], Error> {
        let label = format!("key:{label}");
        (0..MAX_KEY_TRIES)
            .map(|counter| self.block(&label, counter))
            .find(|block| SoftwareSigner::from_slice(block).is_ok())
            .ok_or(Error::KeyDerivation)
    }

    /// A stream of pseudo-random numbers derived from the seed by label.
    pub(crate) fn stream(&self, label: &str) -> Stream {
        Stream {
            seed: self.clone(),
            label: label.to_owned(),
            counter: 0,
            block: [0; 32],
            used: 32,
        }
    }

    /// `SHA-256(seed ‖ label ‖ counter)`.
    fn block(&self, label: &str, counter: u32) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(self.0);
        h.update(label.as_bytes());
        h.update(counter.to_be_bytes());
        h.finalize().into()
    }
}

impl fmt::Debug for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Seed(..)")
    }
}

/// Deterministic pseudo-random numbers for the sample data (not for keys).
pub(crate) struct Stream {
    seed: Seed,
    label: String,
    counter: u32,
    block: [u8; 32],
    used: usize,
}

impl Stream {
    /// The next 4 bytes as a number.
    pub(crate) fn next_u32(&mut self) -> u32 {
        if self.used + 4 > self.block.len() {
            self.block = self.seed.block(&self.label, self.counter);
            self.counter = self.counter.wrapping_add(1);
            self.used = 0;
        }
        let mut word = [0u8; 4];
        for (slot, b) in word.iter_mut().zip(self.block.iter().skip(self.used)) {
            *slot = *b;
        }
        self.used += 4;
        u32::from_be_bytes(word)
    }

    /// A number in `0..n` (`0` when `n` is 0); the bias is below 2^-24 for
    /// the small ranges used here.
    pub(crate) fn below(&mut self, n: u32) -> u32 {
        if n == 0 {
            return 0;
        }
        self.next_u32() % n
    }

    /// A number in `lo..=hi`.
    pub(crate) fn between(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(hi.saturating_sub(lo).saturating_add(1))
    }

    /// True with probability `num / den`.
    pub(crate) fn chance(&mut self, num: u32, den: u32) -> bool {
        self.below(den) < num
    }

    /// One element of a non-empty list (`None` for an empty one).
    pub(crate) fn pick<'a, T>(&mut self, list: &'a [T]) -> Option<&'a T> {
        let n = u32::try_from(list.len()).unwrap_or(u32::MAX);
        list.get(usize::try_from(self.below(n)).unwrap_or(0))
    }
}

/// A P-256 key pair of the simulator (issuer, root, device or delegate).
///
/// The private key never leaves it: it signs ES256 through its
/// [`SoftwareSigner`] and gives its public forms. Clones share the one
/// signer, which zeroizes the scalar when the last clone is dropped.
/// `Debug` shows the kid only.
#[derive(Clone)]
pub struct KeyPair {
    signer: Arc<SoftwareSigner>,
    verifying: VerifyingKey,
}

impl KeyPair {
    fn from_signer(signer: SoftwareSigner) -> Result<Self, Error> {
        let verifying = VerifyingKey::from_sec1_bytes(&signer.verifying_key().to_uncompressed())
            .map_err(|_| Error::KeyDerivation)?;
        Ok(KeyPair {
            signer: Arc::new(signer),
            verifying,
        })
    }

    /// The key as the SDK's [`Signer`].
    pub fn signer(&self) -> &SoftwareSigner {
        &self.signer
    }

    /// The key as a [`Signer`] shared between threads (the same signer:
    /// the scalar is zeroized when the last clone is dropped).
    pub fn shared_signer(&self) -> Arc<SoftwareSigner> {
        Arc::clone(&self.signer)
    }

    /// The public key.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.verifying
    }

    /// The public key as the verifier's type.
    ///
    /// # Errors
    /// [`Error::Verify`] if the verifier refuses the point (it cannot: the
    /// point comes from a valid scalar).
    pub fn public_key(&self) -> Result<PublicKey, Error> {
        Ok(PublicKey::from_sec1_bytes(&self.sec1_uncompressed())?)
    }

    /// The SEC1 uncompressed point `04 ‖ x ‖ y`.
    pub fn sec1_uncompressed(&self) -> Vec<u8> {
        self.verifying.to_sec1_point(false).as_bytes().to_vec()
    }

    /// The SEC1 compressed point `02|03 ‖ x`.
    pub fn sec1_compressed(&self) -> Vec<u8> {
        self.verifying.to_sec1_point(true).as_bytes().to_vec()
    }

    /// The DER `SubjectPublicKeyInfo`.
    pub fn spki_der(&self) -> Vec<u8> {
        spki_der(&self.verifying)
    }

    /// The kid: the first 8 bytes of SHA-256 of the SPKI DER.
    pub fn kid(&self) -> [u8; KID_LEN] {
        kid_of(&self.verifying)
    }

    /// The public key as a COSE_Key for a credential or a delegation,
    /// uncompressed: what `docs/format.md` recommends to issuers (a
    /// compressed point saves 32 bytes but costs every verification a
    /// square root, see `docs/performance.md`).
    ///
    /// # Errors
    /// [`Error::Sample`] if the codec refuses the point (it cannot).
    pub fn device_key(&self) -> Result<DeviceKey, Error> {
        device_key_of(&self.verifying)
    }

    /// Signs `message` with ES256 (RFC 6979): `r ‖ s`.
    ///
    /// # Errors
    /// [`Error::Signing`] if the signer fails (a software key does not).
    pub fn sign(&self, message: &[u8]) -> Result<[u8; ES256_SIGNATURE_LEN], Error> {
        Ok(self
            .signer
            .sign(message)
            .map_err(|_| Error::Signing)?
            .to_bytes())
    }

    /// Builds and signs a tagged COSE_Sign1 envelope over `payload` with
    /// this key (protected header `{1: -7}`, plus `{4: kid}` if given), in
    /// two phases: [`Sign1::prepare`], the signer, then
    /// [`complete`](vitale::codec::cose::ToBeSigned::complete).
    ///
    /// # Errors
    /// [`Error::Signing`] if the signer fails (a software key does not).
    pub fn sign_envelope(
        &self,
        kid: Option<&[u8; KID_LEN]>,
        payload: &[u8],
        external_aad: &[u8],
    ) -> Result<Vec<u8>, Error> {
        let tbs = Sign1::prepare(kid, payload, external_aad);
        let signature = self.sign(tbs.bytes())?;
        Ok(tbs.complete(signature))
    }
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyPair")
            .field("kid", &Hex(&self.kid()))
            .finish_non_exhaustive()
    }
}

/// The DER `SubjectPublicKeyInfo` of a P-256 public key.
pub fn spki_der(key: &VerifyingKey) -> Vec<u8> {
    let mut der = SPKI_P256_PREFIX.to_vec();
    der.extend_from_slice(key.to_sec1_point(false).as_bytes());
    der
}

/// The kid of a P-256 public key: SHA-256 of its SPKI DER, first 8 bytes.
pub fn kid_of(key: &VerifyingKey) -> [u8; KID_LEN] {
    let digest: [u8; 32] = Sha256::digest(spki_der(key)).into();
    let mut kid = [0u8; KID_LEN];
    for (slot, b) in kid.iter_mut().zip(digest) {
        *slot = b;
    }
    kid
}

/// A public key as an uncompressed COSE_Key (both coordinates).
pub(crate) fn device_key_of(key: &VerifyingKey) -> Result<DeviceKey, Error> {
    DeviceKey::from_sec1(key.to_sec1_point(false).as_bytes()).ok_or(Error::Sample("device key"))
}

/// Lower-case hex for `Debug` output.
pub(crate) struct Hex<'a>(pub(crate) &'a [u8]);

impl fmt::Debug for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}
