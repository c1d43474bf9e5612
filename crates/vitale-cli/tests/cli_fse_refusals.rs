//! `vitale fse` refusals, each with its kind and exit code, none of them
//! using an invoice or lot number; text output and PEM key files. Against
//! the real simulator, as `cli_fse.rs`.

mod fse_support;

use std::path::Path;

use fse_support::{
    Serve, Sim, TestResult, digest_only, fse, fse_build, lot, ok, path, refused, replace_once,
    sign_by_service, sign_with_key, verify_signed,
};

#[test]
fn refusals_have_their_kinds_and_use_no_number() -> TestResult {
    let sim = Sim::new("refusals")?;
    let numbers = sim.work("numbers.sqlite");
    let out = sim.work("sheet");

    // Rights closed on the day: droits fermés.
    let closed = Serve::start(&sim.dir, &["--fault", "rights_closed"])?;
    assert_eq!(
        refused(&sim.build(&closed, &out, &[])?, 1)?,
        "fse_rights_closed"
    );
    assert!(!out.exists(), "the reserved file is removed");
    closed.stop()?;
    // The rights service cannot be reached.
    let down = Serve::start(&sim.dir, &["--fault", "unavailable"])?;
    assert_eq!(
        refused(&sim.build(&down, &out, &[])?, 2)?,
        "rights_unavailable"
    );
    down.stop()?;

    let serve = Serve::start(&sim.dir, &[])?;
    // No tariff for this act; not an act at all.
    let kind = refused(&sim.build(&serve, &out, &["--act", "ZZZ"])?, 1)?;
    assert_eq!(kind, "fse_act_unknown_on_date");
    let kind = refused(&sim.build(&serve, &out, &["--act", "1G"])?, 1)?;
    assert_eq!(kind, "fse_invalid_act");
    // An extra fee in sector 1.
    let kind = refused(&sim.build(&serve, &out, &["--act", "G:extra=5.00"])?, 1)?;
    assert_eq!(kind, "fse_extra_fee_not_allowed");
    // A rank not on the card (the household has 3).
    let kind = refused(&sim.build(&serve, &out, &["--rank", "5"])?, 1)?;
    assert_eq!(kind, "no_such_beneficiary");
    // A bad key file, refused before anything is read.
    let bad_key = sim.work("bad.key");
    std::fs::write(&bad_key, "not a key\n")?;
    let kind = refused(&sim.build(&serve, &out, &["--key", path(&bad_key)])?, 2)?;
    assert_eq!(kind, "key_invalid");
    // Asked to sign with no signer for the card's profile.
    let kind = refused(&sim.build(&serve, &out, &["--sign"])?, 2)?;
    assert_eq!(kind, "no_sheet_signer");
    // A number store that is not one.
    let garbage = sim.work("garbage.sqlite");
    std::fs::write(&garbage, vec![0x5a; 4096])?;
    let card = sim.present("open")?;
    let trust = sim.file("trust-list.cbor");
    let check = ["--trust", path(&trust)];
    let out_garbage = fse_build(&["--json"], &check, &serve, &garbage, &out, &[], &card)?;
    assert_eq!(refused(&out_garbage, 2)?, "invoice_numbers_unavailable");
    assert!(!out.exists());

    // An invalid act is refused before the card is read: the token still
    // opens a context afterwards (it is single-use).
    let token = sim.present("token")?;
    let check = ["--context-service", serve.url()];
    let token_build = |act: &str| {
        let acts = ["--act", act];
        fse_build(&["--json"], &check, &serve, &numbers, &out, &acts, &token)
    };
    assert_eq!(refused(&token_build("1G")?, 1)?, "fse_invalid_act");

    // None of the refusals used a number: the first sheet is number 1.
    let built = ok(&token_build("G")?)?;
    assert_eq!(built.get("invoice"), Some(&1.into()));
    // The output file is never overwritten.
    let kind = refused(&sim.build(&serve, &out, &[])?, 2)?;
    assert_eq!(kind, "io");

    // A tampered sheet file: its structure and its amounts are checked
    // when it is read (free text such as a tariff's source is only
    // protected once signed, below).
    let sheet = std::fs::read(&out)?;
    let key = sim.file("professional.key");
    let tampered = sim.work("tampered.sheet");
    let mut bytes = sheet.clone();
    if let Some(b) = bytes.first_mut() {
        *b ^= 0x20;
    }
    std::fs::write(&tampered, &bytes)?;
    let out_tampered = sign_by_service(&tampered, &serve, &sim.work("tampered.signed"))?;
    assert_eq!(refused(&out_tampered, 1)?, "fse_encoding_invalid");
    // The patient's share of the first act, one cent less: the shares no
    // longer add up to the fee.
    let patient_share = [
        0x67, b'p', b'a', b't', b'i', b'e', b'n', b't', 0x19, 0x08, 0x34,
    ];
    let fewer = replace_once(
        &sheet,
        &patient_share,
        &[
            0x67, b'p', b'a', b't', b'i', b'e', b'n', b't', 0x19, 0x08, 0x33,
        ],
    )
    .ok_or("the sheet holds the patient share 21.00")?;
    std::fs::write(&tampered, &fewer)?;
    let out_tampered = digest_only(&tampered)?;
    assert_eq!(refused(&out_tampered, 1)?, "fse_inconsistent_amounts");

    // A signed sheet whose sheet bytes change after signing.
    let first = sim.work("first.sheet");
    ok(&sim.build(&serve, &first, &[])?)?;
    let signed = sim.work("first.signed");
    ok(&sign_with_key(&["--json"], &first, &key, &signed)?)?;
    let original = std::fs::read(&signed)?;
    // The date of care, one day later: still a well-formed sheet.
    let date = time::OffsetDateTime::now_utc().date();
    let later = date.next_day().ok_or("date")?;
    let forged = replace_once(
        &original,
        date.to_string().as_bytes(),
        later.to_string().as_bytes(),
    )
    .ok_or("the signed sheet holds its date")?;
    let forged_path = sim.work("forged.signed");
    std::fs::write(&forged_path, forged)?;
    let verify = |file: &Path| verify_signed(&["--json"], file, "--key", &key);
    assert_eq!(refused(&verify(&forged_path)?, 1)?, "fse_signature_invalid");
    ok(&verify(&signed)?)?;
    // Cut short: not a signed sheet.
    std::fs::write(
        &forged_path,
        original.get(..original.len() / 2).unwrap_or_default(),
    )?;
    assert_eq!(refused(&verify(&forged_path)?, 1)?, "fse_encoding_invalid");

    // A lot with the same sheet twice is refused and uses no lot number.
    let lot_numbers = sim.work("lots.sqlite");
    let lots = sim.work("lots");
    let lot_of = |files: &[&str]| lot(&lot_numbers, &lots, files);
    let kind = refused(&lot_of(&[path(&signed), path(&signed)])?, 1)?;
    assert_eq!(kind, "fse_lot_duplicate_invoice");
    // An unsigned sheet is not for a lot.
    assert_eq!(refused(&lot_of(&[path(&first)])?, 2)?, "usage");
    let out = ok(&lot_of(&[path(&signed)])?)?;
    assert_eq!(out.get("number"), Some(&1.into()));
    serve.stop()?;
    sim.done()
}

#[test]
fn text_output_and_pem_keys() -> TestResult {
    // A P-256 test key made with OpenSSL (`genpkey`, then `ec -pubout`).
    const PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgXfc1yTu4s9K7JfO8
gjQQqBCnMyQS+7eMxq56JFDaLDChRANCAAQXBb/hGOGh9En08pbVJk8XhuOnY2qO
GSJAFPDMsZz/5p9E+rc9P4VRn9qhnO/tOtf+KlGp66BjsX2Tw8Sl1T1q
-----END PRIVATE KEY-----
";
    const PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEFwW/4RjhofRJ9PKW1SZPF4bjp2Nq
jhkiQBTwzLGc/+afRPq3PT+FUZ/aoZzv7TrX/ipRqeugY7F9k8PEpdU9ag==
-----END PUBLIC KEY-----
";
    let sim = Sim::new("text")?;
    let serve = Serve::start(&sim.dir, &[])?;
    let key = sim.work("pro.pem");
    let public = sim.work("pro.pub.pem");
    std::fs::write(&key, PKCS8)?;
    std::fs::write(&public, PUBLIC)?;

    let sheet = sim.work("s");
    let card = sim.present("open")?;
    let trust = sim.file("trust-list.cbor");
    let numbers = sim.work("numbers.sqlite");
    let check = ["--trust", path(&trust)];
    let out = fse_build(&[], &check, &serve, &numbers, &sheet, &[], &card)?;
    assert_eq!(out.status.code(), Some(0));
    let shown = String::from_utf8(out.stdout)?;
    assert!(shown.starts_with("Care sheet 000001 (FSE-lite)"), "{shown}");
    assert!(shown.contains("30.00 €"), "{shown}");
    assert!(shown.contains("NOT SIGNED"), "{shown}");
    assert!(shown.contains("2 66 02 •• ••• ••• ••"), "{shown}");

    let signed = sim.work("s.signed");
    let out = sign_with_key(&[], &sheet, &key, &signed)?;
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout)?.starts_with("SIGNED: care sheet 000001"));
    let out = verify_signed(&[], &signed, "--public-key", &public)?;
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout)?.starts_with("VALID: care sheet 000001"));
    // --show-nir shows it in full; the HTML receipt is a fragment.
    let out = verify_signed(&["--show-nir"], &signed, "--key", &key)?;
    assert!(String::from_utf8(out.stdout)?.contains("266021320589866"));
    let out = fse(&[], "receipt", &["--signed", path(&signed), "--html"])?;
    assert_eq!(out.status.code(), Some(0));
    let html = String::from_utf8(out.stdout)?;
    assert!(html.trim_start().starts_with("<section"), "{html}");
    // A refusal in text: on stdout, with its kind.
    let out = verify_signed(&[], &signed, "--key", &sim.file("receipt.key"))?;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stdout)?.contains("[fse_signature_invalid]"));
    serve.stop()?;
    sim.done()
}
