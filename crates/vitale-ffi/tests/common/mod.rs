//! What the ABI tests share: a simulated insurer's files for the samples,
//! the built library's path, and running a program with bounded waits.
#![allow(
    dead_code,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

pub(crate) mod ffi;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use vitale::Terminal;
use vitale::codec::model::Timestamp;
use vitale::codec::text::{TextForm, encode_text};
use vitale::verify::Verifier;
use vitale::verify::policy::FixedClock;
use vitale_ffi::VitaleStatus;
use vitale_sim::online::{OnlineServer, ServerConfig};
use vitale_sim::{RenderOptions, Scenario, Seed, render_qr};
use vitale_test_support::ChildGuard;

/// The files a sample reads, and what it must print.
pub(crate) struct Fixture {
    /// trust-list.cbor, root.spki.der, options.json, qr.txt, qr.png,
    /// tampered.txt.
    pub(crate) dir: PathBuf,
    /// `rank N: BIRTH_NAME FIRST_NAMES` for each beneficiary, as the
    /// facade reads the card.
    pub(crate) beneficiaries: Vec<String>,
    /// The kind the facade gives the tampered text.
    pub(crate) tampered_kind: &'static str,
    /// Its status number.
    pub(crate) tampered_status: i32,
    /// The billing line a sample prints for its one visit, as the facade
    /// bills it: `billing: invoice 1, total N cents`.
    pub(crate) billing_line: String,
    /// The simulator's HTTPS services (rights), running while the sample
    /// runs.
    pub(crate) server: OnlineServer,
}

impl Fixture {
    /// Gives the rights service a connect timeout (TCP and TLS handshake)
    /// and a call timeout of `secs` in `rights.json`, for a sample run
    /// under valgrind: there the client's side of the TLS handshake runs
    /// 20–50 times slower, and at a CI machine's load it took more than the
    /// default 5 s to reach the loopback server (`rights_unavailable`,
    /// connect timeout). The test's own wait is the upper bound on the run.
    pub(crate) fn with_slow_client(self, secs: u64) -> Self {
        let path = self.dir.join("rights.json");
        let mut rights: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        rights["timeout_secs"] = secs.into();
        rights["connect_timeout_secs"] = secs.into();
        std::fs::write(&path, rights.to_string()).unwrap();
        self
    }
}

/// The professional's billing number in the samples.
const BILLING_NUMBER: &str = "991234567";

/// A fresh folder of files for one sample: a household of three, two QR
/// presentations (a text and a PNG), a tampered text (the device
/// signature's last byte flipped), and `options.json` fixing "now" to the
/// time they were made (so that slow runs, valgrind, still verify).
pub(crate) fn fixture(name: &str) -> Fixture {
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc()).expect("clock");
    let s = Scenario::new(Seed::from_u64(2026), 3, now).expect("scenario");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("samples")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let root = s.anchor.public_key().to_spki_der();
    let text = s.phone.present_qr_text(now, 120).expect("presentation");
    let png_text = s.phone.present_qr_text(now, 120).expect("presentation");
    let mut bytes = s.phone.present_qr(now, 120).expect("presentation");
    let last = bytes.last_mut().expect("signature");
    *last ^= 0x01;
    let tampered = encode_text(TextForm::Base45, &bytes);
    let image = render_qr(&png_text, &RenderOptions::default()).expect("QR");
    std::fs::write(dir.join("trust-list.cbor"), &s.trust_list).unwrap();
    std::fs::write(dir.join("root.spki.der"), &root).unwrap();
    std::fs::write(
        dir.join("options.json"),
        format!("{{\"at\": {}}}\n", now.unix()),
    )
    .unwrap();
    std::fs::write(dir.join("qr.txt"), format!("{text}\n")).unwrap();
    std::fs::write(dir.join("tampered.txt"), format!("{tampered}\n")).unwrap();
    image.write_png(dir.join("qr.png")).expect("PNG");

    // What the facade itself reads (its own replay cache: the samples'
    // terminals still see fresh presentations).
    let store = vitale::load_trust_store(&s.trust_list, &root, now).expect("trust list");
    let terminal = Terminal::new(Verifier::new(store).with_clock(FixedClock(now)));
    let card = terminal
        .verify_text(&text)
        .expect("the facade accepts the text");
    let beneficiaries = card
        .beneficiaries()
        .iter()
        .map(|b| {
            format!(
                "rank {}: {} {}",
                b.rank().get(),
                b.data().birth_name(),
                b.data().first_names()
            )
        })
        .collect();
    let tampered_kind = terminal
        .verify_text(&tampered)
        .expect_err("the facade refuses the tampered text")
        .kind();
    let (server, billing_line) = billing_files(&s, &dir, &card, now);
    Fixture {
        dir,
        beneficiaries,
        tampered_kind,
        tampered_status: VitaleStatus::of_kind(tampered_kind) as i32,
        billing_line,
        server,
    }
}

/// The billing files of a sample — `rights.json` (the simulator's rights
/// service), `billing.json` (the practice and the receipt key file),
/// `professional.key`, `receipt.key`, `visit.json` (a consultation of a
/// beneficiary whose rights are open) — and the line the sample must
/// print, from the facade billing the same visit.
fn billing_files(
    s: &Scenario,
    dir: &Path,
    card: &vitale::verify::VerifiedCard,
    now: Timestamp,
) -> (OnlineServer, String) {
    use std::sync::Arc;
    use vitale::billing::{Billing, VisitRequest};
    use vitale::http::{BaseUrl, ClientConfig, HttpClient, HttpRightsService, PinnedCa};

    let server = OnlineServer::start(ServerConfig::new(
        Seed::from_u64(2026),
        vec![s.household.clone()],
    ))
    .expect("the simulator's HTTPS services");
    let rights = serde_json::json!({
        "url": server.url(), "ca_pem": server.ca_pem(),
        "billing_number": BILLING_NUMBER, "specialty": "01",
    });
    std::fs::write(dir.join("rights.json"), rights.to_string()).unwrap();
    let receipt = vitale_sim::hazmat::issuer_key_scalar(&Seed::from_u64(2026), 0).unwrap();
    let receipt_file = dir.join("receipt.key");
    std::fs::write(&receipt_file, vitale::codec::hex::encode(&receipt)).unwrap();
    let professional = [0x5au8; 32];
    std::fs::write(
        dir.join("professional.key"),
        format!("{}\n", vitale::codec::hex::encode(&professional)),
    )
    .unwrap();
    let config = serde_json::json!({
        "practice": {"billing_number": BILLING_NUMBER, "specialty": "01"},
        "receipt_key_file": receipt_file.display().to_string(),
    });
    std::fs::write(dir.join("billing.json"), config.to_string()).unwrap();

    // The facade, on the same service: a rank whose rights are open today.
    let client = HttpClient::new(ClientConfig::new(
        BaseUrl::parse(&server.url()).unwrap(),
        PinnedCa::from_pem(server.ca_pem().as_bytes()).unwrap(),
    ));
    let identity = vitale::adri::ProfessionalIdentity::new(
        vitale::adri::BillingNumber::parse(BILLING_NUMBER).unwrap(),
        vitale::adri::SpecialtyCode::GENERAL_PRACTICE,
    );
    let practice = vitale::fse::Practice {
        identity: identity.clone(),
        profession: vitale::fse::Profession::Physician,
        sector: vitale::fse::Sector::One,
        zone: vitale::fse::tariff::TariffZone::Metropole,
    };
    let key = vitale::verify::SoftwareSigner::from_slice(&professional).unwrap();
    let billing = Billing::new(
        practice,
        Arc::new(HttpRightsService::new(client, identity)),
        Arc::new(vitale::fse::numbering::MemoryInvoiceNumbers::new()),
    )
    .with_sheet_key(Arc::new(key));
    let date = now.date();
    let rank = card
        .beneficiaries()
        .iter()
        .map(|b| b.rank())
        .find(|&r| {
            billing
                .rights(card, r, date)
                .is_ok_and(|rights| rights.on(date).is_amo_open())
        })
        .expect("a beneficiary with open rights");
    let visit = serde_json::json!({"rank": rank.get(), "acts": ["G"]});
    std::fs::write(dir.join("visit.json"), visit.to_string()).unwrap();
    let billed = billing
        .bill(
            card,
            &VisitRequest::new(
                rank,
                date,
                vec![vitale::fse::ActLine::new("G".parse().unwrap())],
            ),
        )
        .expect("the facade bills the visit");
    let line = format!(
        "billing: invoice 1, total {} cents",
        billed.sheet().sheet().totals.fee.get()
    );
    (server, line)
}

/// Checks a billing sample's output: the visit billed as the facade bills
/// it, and the receipt checked.
pub(crate) fn check_billing(sample: &str, out: &str, f: &Fixture) {
    assert!(
        out.contains(&format!("{}\n", f.billing_line)),
        "{sample}: no {:?} in:\n{out}",
        f.billing_line
    );
    assert!(
        out.contains("receipt: CHECKED invoice 1, paid at the desk "),
        "{sample}: the receipt was not checked:\n{out}"
    );
}

/// Checks a sample's output: both cards accepted with their beneficiaries,
/// the tampered text and the replay refused with their kinds and numbers.
/// The output is shown on stderr (`--nocapture` prints it).
#[allow(clippy::print_stderr)]
pub(crate) fn check_output(sample: &str, out: &str, f: &Fixture) {
    eprintln!("--- {sample} sample, stdout:\n{out}");
    let n = f.beneficiaries.len();
    for what in ["text", "image"] {
        let header = format!("{what}: ACCEPTED, {n} beneficiaries");
        assert!(out.contains(&header), "{sample}: no {header:?} in:\n{out}");
    }
    for line in &f.beneficiaries {
        assert_eq!(
            out.matches(&format!("  {line}\n")).count(),
            2,
            "{sample}: {line:?} not printed for both cards in:\n{out}"
        );
    }
    let tampered = format!(
        "tampered: REJECTED {} (status {})",
        f.tampered_kind, f.tampered_status
    );
    assert!(
        out.contains(&tampered),
        "{sample}: no {tampered:?} in:\n{out}"
    );
    let replay = format!(
        "replay: REJECTED replay (status {})",
        VitaleStatus::Replay as i32
    );
    assert!(out.contains(&replay), "{sample}: no {replay:?} in:\n{out}");
    assert!(out.contains("sample: OK"), "{sample}: not OK:\n{out}");
}

/// The folder holding the built shared library (`libvitale_ffi.so`,
/// `vitale_ffi.dll`, `libvitale_ffi.dylib`): cargo builds it with the
/// library for the tests, next to the test binary (`deps/`) and one folder
/// up.
pub(crate) fn library_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let file = library_file_name();
    let deps = exe.parent().expect("deps/").to_path_buf();
    for dir in [
        deps.clone(),
        deps.parent().expect("profile dir").to_path_buf(),
    ] {
        if dir.join(&file).is_file() {
            return dir;
        }
    }
    panic!(
        "{file} not found next to {} nor one folder up: the cdylib was not built",
        exe.display()
    );
}

/// `libvitale_ffi.so` on this platform.
pub(crate) fn library_file_name() -> String {
    format!(
        "{}vitale_ffi{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    )
}

/// The generated header's folder.
pub(crate) fn include_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("include")
}

/// A sample's source folder (`bindings/NAME`).
pub(crate) fn bindings_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../bindings")
        .join(name)
}

/// A scratch folder for a build.
pub(crate) fn build_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("samples-build")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

/// Fails loudly when a tool is missing: the samples are part of the suite,
/// in CI (`CI` set) and everywhere else.
pub(crate) fn require(tool: &str, package: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "`{tool}` is not installed: install the Debian package `{package}` \
         (scripts/test-all installs every package the tests need){}",
        if std::env::var_os("CI").is_some() {
            " — CI must have it"
        } else {
            ""
        }
    );
}

/// Runs a command to its end (at most `limit`, against hangs) and returns
/// its stdout; fails the test with both outputs when it does not succeed.
pub(crate) fn run(what: &str, command: &mut Command, limit: Duration) -> String {
    let mut child = ChildGuard::spawn(
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
        "sample process",
    );
    let Some(done) = child.wait_bounded(limit) else {
        panic!("{what}: still running after {limit:?} (hang)");
    };
    assert!(
        done.status.success(),
        "{what} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        done.status,
        done.stdout,
        done.stderr
    );
    done.stdout
}
