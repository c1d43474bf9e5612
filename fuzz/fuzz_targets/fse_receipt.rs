//! The patient's receipt decoder, `Receipt::verify`, against a trust list
//! made by the simulator (issuer key 0 may sign receipts).
//!
//! The first byte chooses the input: even, the rest is the signed receipt
//! as the phone received it (envelope, kid, trust list, signature); odd,
//! the rest is a **payload** that key 0 signs here, so that the fuzzer
//! reaches the payload decoder behind the signature check.
//!
//! Asserts beyond "no panic": a payload accepted re-encodes to exactly the
//! input, its amounts add up, and its HTML form carries no markup from the
//! input (no `<script`).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use vitale_codec::cose::Sign1;
use vitale_codec::model::Timestamp;
use vitale_fse::Receipt;
use vitale_sim::{KeyPair, Scenario, Seed};
use vitale_verify::{Signer, TrustList, default_backend};

/// 2026-11-22T00:00:00Z.
const NOW: u64 = 1_795_334_400;

struct World {
    list: TrustList,
    key: KeyPair,
    now: Timestamp,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let now = Timestamp::from_unix(NOW).expect("a valid time");
        let scenario = Scenario::new(Seed::from_u64(1), 1, now).expect("a scenario");
        let list = TrustList::from_cbor(
            &scenario.trust_list,
            &scenario.anchor,
            default_backend(),
            now,
        )
        .expect("the scenario's trust list");
        // The simulator derives issuer key `i` from the label `issuer/key/<i>`.
        let key = scenario.seed.key_pair("issuer/key/0").expect("key 0");
        World { list, key, now }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = data.split_first() else {
        return;
    };
    let w = world();
    if mode % 2 == 0 {
        let _ = Receipt::verify(rest, &w.list, w.now);
        return;
    }
    let tbs = Sign1::prepare(Some(&w.key.kid()), rest, &[]);
    let signature = w
        .key
        .signer()
        .sign(tbs.bytes())
        .expect("a software key signs");
    let envelope = tbs.complete(signature.to_bytes());
    // The payload is decoded once the signature verified, whatever its
    // dates; only a payload whose dates fit `NOW` comes back.
    let Ok(receipt) = Receipt::verify(&envelope, &w.list, w.now) else {
        return;
    };
    assert_eq!(receipt.to_cbor(), rest);
    let t = receipt.totals();
    let shares = t
        .amo
        .checked_add(t.amc)
        .and_then(|s| s.checked_add(t.patient));
    assert_eq!(shares, Some(t.fee));
    assert!(t.paid_at_desk <= t.fee);
    let html = receipt.to_html();
    assert!(!html.contains("<script"));
    let _ = receipt.to_text();
});
