//! The deterministic world the structure-aware targets sign with: one
//! simulated insurer (root and issuer keys of every usage, one retired),
//! an issuer the trust list does not name, three phone keys, households
//! of 1 to 16 beneficiaries, and the trust list (CBOR and JSON) with its
//! anchor. Everything derives from fixed seeds, so a crash reproduces.

use std::sync::OnceLock;

use vitale_codec::cose::Sign1;
use vitale_codec::model::Timestamp;
use vitale_sim::{Household, KeyPair, Seed, SimIssuer, SimIssuerKeySpec, hazmat};
use vitale_verify::trust::{TrustAnchor, TrustList, TrustStore};
use vitale_verify::{KeyUsage, Signer as _, SoftwareSigner, default_backend};

/// The fuzzing clock: 2026-11-22T08:00:00Z.
pub const NOW: u64 = 1_795_334_400;
/// A day, in seconds.
pub const DAY: u64 = 86_400;
/// The trust list's sequence number.
pub const SEQUENCE: u64 = 7;

/// The issuer keys, by role.
#[derive(arbitrary::Arbitrary, Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuerChoice {
    /// Listed for credentials, delegations and receipts, valid 2020–2040.
    Main,
    /// Listed for credentials only.
    CredentialOnly,
    /// Listed for delegations only.
    DelegationOnly,
    /// Listed for credentials and delegations, retired 30 days ago (valid
    /// from two years ago).
    Retired,
    /// Not in the trust list.
    Untrusted,
}

impl IssuerChoice {
    /// Whether the trust list allows this key for `usage` (validity
    /// apart).
    pub fn allows(self, usage: KeyUsage) -> bool {
        match self {
            IssuerChoice::Main => true,
            IssuerChoice::CredentialOnly => usage == KeyUsage::Credential,
            IssuerChoice::DelegationOnly => usage == KeyUsage::Delegation,
            IssuerChoice::Retired => usage != KeyUsage::Receipt,
            IssuerChoice::Untrusted => false,
        }
    }

    fn index(self) -> usize {
        match self {
            IssuerChoice::Main => 0,
            IssuerChoice::CredentialOnly => 1,
            IssuerChoice::DelegationOnly => 2,
            IssuerChoice::Retired => 3,
            IssuerChoice::Untrusted => 4,
        }
    }
}

/// The phone keys.
#[derive(arbitrary::Arbitrary, Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneChoice {
    /// The credential holder's phone.
    Device,
    /// A delegate's phone.
    Delegate,
    /// A phone named by nothing.
    Stranger,
}

/// See the module documentation.
pub struct World {
    /// [`NOW`].
    pub now: Timestamp,
    /// The insurer.
    pub issuer: SimIssuer,
    /// Issuer signers and kids, by [`IssuerChoice`] index.
    issuers: Vec<(SoftwareSigner, [u8; 8])>,
    /// The root's signer.
    root: SoftwareSigner,
    /// The root's kid.
    pub root_kid: [u8; 8],
    /// Device, delegate and stranger keys.
    phones: [KeyPair; 3],
    /// Households of 1 to 16 beneficiaries (index `n - 1`).
    pub households: Vec<Household>,
    /// The pinned root.
    pub anchor: TrustAnchor,
    /// The trust list, loaded.
    pub store: TrustStore,
    /// The trust list, CBOR form.
    pub trust_list_cbor: Vec<u8>,
    /// The trust list, JSON (JWS) form.
    pub trust_list_json: String,
}

fn secs(unix: u64) -> Timestamp {
    // NOW ± a few years is far within the timestamp's range.
    Timestamp::from_unix(unix).expect("in range")
}

fn build() -> World {
    let seed = Seed::from_u64(0x5eed);
    let now = secs(NOW);
    let mut issuer = SimIssuer::new(&seed).expect("issuer");
    let spec = |usages: Vec<KeyUsage>, from: u64, until: u64, label: &str| SimIssuerKeySpec {
        not_before: secs(from),
        expires_at: secs(until),
        usages,
        label: Some(label.to_owned()),
    };
    for s in [
        spec(
            vec![KeyUsage::Credential],
            NOW - 365 * DAY,
            NOW + 365 * DAY,
            "credentials",
        ),
        spec(
            vec![KeyUsage::Delegation],
            NOW - 365 * DAY,
            NOW + 365 * DAY,
            "delegations",
        ),
        spec(
            vec![KeyUsage::Credential, KeyUsage::Delegation],
            NOW - 730 * DAY,
            NOW - 30 * DAY,
            "retired",
        ),
    ] {
        issuer.add_issuer_key(s).expect("issuer key");
    }
    let stranger_seed = Seed::from_u64(0xbad);
    let stranger = SimIssuer::new(&stranger_seed).expect("untrusted issuer");
    let mut issuers = Vec::new();
    for (i, key) in issuer.issuer_keys().iter().enumerate() {
        let scalar = hazmat::issuer_key_scalar(&seed, i).expect("scalar");
        issuers.push((
            SoftwareSigner::from_slice(&scalar).expect("signer"),
            key.kid(),
        ));
    }
    let scalar = hazmat::issuer_key_scalar(&stranger_seed, 0).expect("scalar");
    let stranger_kid = stranger.issuer_key(0).expect("key 0").kid();
    issuers.push((
        SoftwareSigner::from_slice(&scalar).expect("signer"),
        stranger_kid,
    ));

    let phones = ["device", "delegate", "stranger"]
        .map(|label| seed.child("phones").key_pair(label).expect("phone key"));
    let households = (1..=16)
        .map(|n| Household::sample(&seed.child("household"), n).expect("household"))
        .collect();
    let (from, until) = (secs(NOW - DAY), secs(NOW + 30 * DAY));
    let trust_list_cbor = issuer.trust_list_cbor(SEQUENCE, from, until).expect("list");
    let trust_list_json = issuer.trust_list_json(SEQUENCE, from, until).expect("list");
    let anchor = issuer.trust_anchor().expect("anchor");
    let root_scalar = hazmat::key_scalar(&seed, "issuer/root").expect("scalar");
    let root = SoftwareSigner::from_slice(&root_scalar).expect("root signer");
    assert_eq!(issuer.root_kid(), anchor.kid());
    let list = TrustList::from_cbor(&trust_list_cbor, &anchor, default_backend(), now)
        .expect("the world's trust list loads");
    World {
        now,
        store: TrustStore::new(anchor.clone(), list),
        issuer,
        issuers,
        root_kid: anchor.kid(),
        root,
        anchor,
        phones,
        households,
        trust_list_cbor,
        trust_list_json,
    }
}

/// The world (built once per process).
pub fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(build)
}

impl World {
    /// Signs `payload` as an issuer envelope (`{1: -7, 4: kid}`).
    pub fn issuer_sign(&self, who: IssuerChoice, payload: &[u8]) -> Vec<u8> {
        let (signer, kid) = &self.issuers[who.index()];
        let tbs = Sign1::prepare(Some(kid), payload, &[]);
        let signature = signer.sign(tbs.bytes()).expect("a software key signs");
        tbs.complete(signature.to_bytes())
    }

    /// Signs `message` with the root key (ES256, `r ‖ s`).
    pub fn root_sign(&self, message: &[u8]) -> [u8; 64] {
        self.root
            .sign(message)
            .expect("a software key signs")
            .to_bytes()
    }

    /// The kid of issuer key `who`.
    pub fn issuer_kid(&self, who: IssuerChoice) -> [u8; 8] {
        self.issuers[who.index()].1
    }

    /// The SPKI of issuer key `who`.
    pub fn issuer_spki(&self, who: IssuerChoice) -> Vec<u8> {
        self.issuers[who.index()].0.verifying_key().to_spki_der()
    }

    /// A phone's key pair.
    pub fn phone(&self, who: PhoneChoice) -> &KeyPair {
        match who {
            PhoneChoice::Device => &self.phones[0],
            PhoneChoice::Delegate => &self.phones[1],
            PhoneChoice::Stranger => &self.phones[2],
        }
    }

    /// The household of `n` beneficiaries (`n` taken into 1..=16).
    pub fn household(&self, n: u8) -> &Household {
        &self.households[usize::from(n) % self.households.len()]
    }

    /// Seconds from [`NOW`], as a timestamp (`None` outside its range).
    pub fn at(&self, offset: i64) -> Option<Timestamp> {
        Timestamp::from_unix(NOW.checked_add_signed(offset)?)
    }
}
