//! `vitale fse`: the care sheet from the command line, against the real
//! simulator — `sim init`, `sim serve` (HTTPS on loopback: rights and
//! contexts), `sim present` — and the SQLite stores: the whole chain
//! (build, sign with a key and in two phases, verify, receipt signed and
//! checked against the trust list, one-call billing, lots with durable
//! numbers) and the `token` profile signed by the context service. The
//! refusals are in `cli_fse_refusals.rs`.

mod fse_support;

use std::path::{Path, PathBuf};
use std::process::Output;

use fse_support::{
    Serve, Sim, TestResult, digest_only, fse, fse_build, lot, ok, path, refused, run,
    sign_by_service, sign_receipt, sign_with_key, text, verify_receipt, verify_signed,
};
use serde_json::Value;
use vitale::verify::{Signer as _, SoftwareSigner};

#[test]
fn the_whole_chain_on_the_simulator() -> TestResult {
    let sim = Sim::new("chain")?;
    let serve = Serve::start(&sim.dir, &[])?;
    let professional_kid = text(&sim.init, "/professional_kid").to_owned();
    let receipt_kid = text(&sim.init, "/receipt_kid").to_owned();
    assert_eq!(professional_kid.len(), 16);
    assert_eq!(receipt_kid, text(&sim.init, "/issuer_kid"));

    // Build: numbered, not signed.
    let sheet = sim.work("1.sheet");
    let built = ok(&sim.build(&serve, &sheet, &[])?)?;
    assert_eq!(built.get("signed"), Some(&false.into()));
    assert_eq!(built.get("invoice"), Some(&1.into()));
    let digest = text(&built, "/digest").to_owned();
    assert_eq!(digest.len(), 64);
    assert_eq!(built.pointer("/sheet/number"), Some(&1.into()));
    assert_eq!(built.pointer("/sheet/totals/fee"), Some(&3000.into()));
    assert_eq!(built.pointer("/sheet/card/kind"), Some(&"offline".into()));
    assert_eq!(built.pointer("/sheet/pathway"), Some(&"outside".into()));
    // The NIR is masked; the sheet file itself holds it (billing needs it).
    assert!(text(&built, "/sheet/patient/insured_nir").contains('•'));
    assert!(sheet.exists());

    // Sign with the professional's key: the digest is the build's.
    let signed = sim.work("1.signed");
    let key = sim.file("professional.key");
    let out = ok(&sign_with_key(&["--json"], &sheet, &key, &signed)?)?;
    assert_eq!(text(&out, "/digest"), digest);
    assert_eq!(text(&out, "/signature/kind"), "es256");
    assert_eq!(text(&out, "/signature/kid"), professional_kid);
    assert_eq!(text(&out, "/signature/signature").len(), 128);

    // Verify it, with the public key or the private one; another key fails.
    let public = sim.file("professional.spki.der");
    for (flag, file) in [("--public-key", &public), ("--key", &key)] {
        let out = ok(&verify_signed(&["--json"], &signed, flag, file)?)?;
        assert_eq!(text(&out, "/kid"), professional_kid);
        assert_eq!(out.pointer("/sheet/number"), Some(&1.into()));
    }
    let receipt_key = sim.file("receipt.key");
    let out = verify_signed(&["--json"], &signed, "--key", &receipt_key)?;
    assert_eq!(refused(&out, 1)?, "fse_signature_invalid");

    // The receipt, signed with the receipt key, checked as the phone does.
    let receipt = sim.work("1.receipt");
    let out = ok(&sign_receipt(&signed, &receipt_key, &receipt)?)?;
    assert_eq!(out.get("invoice"), Some(&1.into()));
    assert_eq!(text(&out, "/kid"), receipt_kid);
    assert!(text(&out, "/text").contains("30,00 €"));
    // No NIR on a receipt, not even masked.
    assert!(
        !String::from_utf8_lossy(&run(&["fse", "receipt", "--signed", path(&signed)])?.stdout)
            .contains('•')
    );
    let trust = sim.file("trust-list.cbor");
    let out = ok(&verify_receipt(&receipt, &trust)?)?;
    assert_eq!(out.get("verified"), Some(&true.into()));
    assert_eq!(out.get("invoice"), Some(&1.into()));
    assert_eq!(text(&out, "/sheet_digest"), digest);
    // A receipt signed with a key the trust list does not list.
    let forged = sim.work("forged.receipt");
    ok(&sign_receipt(&signed, &key, &forged)?)?;
    let out = verify_receipt(&forged, &trust)?;
    assert_eq!(refused(&out, 1)?, "fse_receipt_unknown_key");

    // A second visit billed and signed in one call (Billing::bill), for the
    // beneficiary of rank 2, with the treating doctor's RPPS: the pathway
    // is derived from the rights.
    let rights_doctor = "12481453749";
    let second = sim.work("2.signed");
    let out = ok(&sim.build(
        &serve,
        &second,
        &["--key", path(&key), "--rank", "2", "--rpps", rights_doctor],
    )?)?;
    assert_eq!(out.get("signed"), Some(&true.into()));
    assert_eq!(out.get("invoice"), Some(&2.into()));
    assert_eq!(text(&out, "/signature/kid"), professional_kid);
    assert_eq!(out.pointer("/sheet/patient/rank"), Some(&2.into()));
    assert!(text(&out, "/rights/identity/insured_nir").contains('•'));
    assert!(text(&out, "/receipt/text").contains("000002"));
    let pathway = text(&out, "/sheet/pathway");
    let declared = out.pointer("/rights/treating_doctor/rpps") == Some(&rights_doctor.into());
    assert_eq!(
        pathway,
        if declared {
            "treating_doctor"
        } else {
            "outside"
        },
        "{out}"
    );

    // A third visit signed in two phases: the digest leaves, a signature
    // made elsewhere comes back and is checked before it is written.
    let third = sim.work("3.sheet");
    ok(&sim.build(
        &serve,
        &third,
        &["--act", "G", "--act", "AMI 1.5:scope=ald"],
    )?)?;
    let out = ok(&digest_only(&third)?)?;
    assert_eq!(text(&out, "/card"), "offline");
    let digest3: [u8; 32] = vitale::codec::hex::decode(text(&out, "/digest"))
        .ok_or("hex")?
        .try_into()
        .map_err(|_| "32 bytes")?;
    let scalar = vitale::codec::hex::decode(std::fs::read_to_string(&key)?.trim()).ok_or("hex")?;
    let elsewhere = SoftwareSigner::from_slice(&scalar)?;
    let signature = vitale::codec::hex::encode(&elsewhere.sign_digest(&digest3)?.to_bytes());
    let third_signed = sim.work("3.signed");
    let args = [
        "--sheet",
        path(&third),
        "--signature",
        &signature,
        "--public-key",
        path(&public),
        "--out",
        path(&third_signed),
    ];
    let out = ok(&fse(&["--json"], "sign", &args)?)?;
    assert_eq!(text(&out, "/signature/kid"), professional_kid);
    ok(&verify_signed(
        &["--json"],
        &third_signed,
        "--public-key",
        &public,
    )?)?;

    // The three signed sheets in one lot; the lot number is durable.
    let lots = sim.work("lots");
    let lot_numbers = sim.work("lots.sqlite");
    let all = [
        "--public-key",
        path(&public),
        path(&third_signed),
        path(&signed),
        path(&second),
    ];
    let out = ok(&lot(&lot_numbers, &lots, &all)?)?;
    assert_eq!(out.get("number"), Some(&1.into()));
    assert_eq!(out.get("count"), Some(&3.into()));
    let invoices: Vec<&Value> = out
        .get("sheets")
        .and_then(Value::as_array)
        .ok_or("sheets")?
        .iter()
        .filter_map(|s| s.get("invoice"))
        .collect();
    assert_eq!(invoices, [&Value::from(1), &2.into(), &3.into()]);
    let file = PathBuf::from(text(&out, "/out"));
    let manifest = vitale::fse::lot::LotManifest::from_cbor(&std::fs::read(&file)?)?;
    assert_eq!(manifest.entries().len(), 3);
    assert_eq!(
        vitale::codec::hex::encode(&manifest.digest()),
        text(&out, "/digest")
    );
    let again = ok(&lot(&lot_numbers, &lots, &all)?)?;
    assert_eq!(again.get("number"), Some(&2.into()));
    assert_ne!(text(&again, "/out"), text(&out, "/out"));

    let summary = serve.stop()?;
    // Rights asked once per visit, nothing else.
    assert_eq!(summary.get("rights"), Some(&3.into()), "{summary}");
    sim.done()
}

#[test]
fn a_token_card_is_signed_by_the_context_service() -> TestResult {
    let sim = Sim::new("token")?;
    let serve = Serve::start(&sim.dir, &[])?;
    let numbers = sim.work("numbers.sqlite");
    let check = ["--context-service", serve.url()];
    let build = |token: &str, out: &Path, extra: &[&str]| -> Result<Output, std::io::Error> {
        fse_build(&["--json"], &check, &serve, &numbers, out, extra, token)
    };
    let sheet = sim.work("t.sheet");
    let built = ok(&build(&sim.present("token")?, &sheet, &[])?)?;
    assert_eq!(built.pointer("/sheet/card/kind"), Some(&"online".into()));

    // The professional's key is not the signer of a token card's sheet.
    let key = sim.file("professional.key");
    let signed = sim.work("t.signed");
    let out = sign_with_key(&["--json"], &sheet, &key, &signed)?;
    assert_eq!(refused(&out, 2)?, "usage");
    assert!(!signed.exists(), "nothing written");

    let out = ok(&sign_by_service(&sheet, &serve, &signed)?)?;
    assert_eq!(text(&out, "/signature/kind"), "context");
    assert_eq!(
        text(&out, "/signature/context_id"),
        text(&built, "/sheet/card/context_id")
    );
    // Only the service can check its signature.
    let out = verify_signed(&["--json"], &signed, "--key", &key)?;
    assert_eq!(refused(&out, 2)?, "usage");
    // The receipt does not depend on who signed.
    let out = ok(&fse(&["--json"], "receipt", &["--signed", path(&signed)])?)?;
    assert_eq!(out.get("invoice"), Some(&1.into()));

    // One call: read, bill and sign through the context service.
    let one_call = sim.work("t2.signed");
    let out = ok(&build(&sim.present("token")?, &one_call, &["--sign"])?)?;
    assert_eq!(out.get("invoice"), Some(&2.into()));
    assert_eq!(text(&out, "/signature/kind"), "context");

    let summary = serve.stop()?;
    assert_eq!(summary.get("sign"), Some(&2.into()), "{summary}");
    sim.done()
}
