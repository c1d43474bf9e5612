//! The command line: every command, flag and argument, with its help.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Accept the appli carte Vitale from the command line: simulate an
/// insurer and a phone, verify presentations, scan QR images and scanner
/// lines, check NIRs and Datamatrix INS payloads, ask rights, bill a visit
/// (care sheet, receipt, lots).
///
/// Exit codes: 0 accepted or done; 1 rejected (a presentation that fails
/// verification, an invalid NIR or payload, no code found); 2 usage or I/O
/// error. NIRs are masked in every output unless --show-nir is given.
#[derive(Debug, Parser)]
#[command(name = "vitale", version, propagate_version = true)]
pub(crate) struct Cli {
    /// Print JSON instead of text (schema: docs/cli.md); errors carry a
    /// stable snake_case "kind".
    #[arg(long, global = true)]
    pub(crate) json: bool,
    /// Show NIRs and INS matricules in full instead of masked
    /// (`1 84 03 •• ••• ••• ••`).
    #[arg(long, global = true)]
    pub(crate) show_nir: bool,
    /// Log the SDK's decisions on stderr: `-v` info (codes found, checks
    /// refused, retries, care sheets), `-vv` debug. `RUST_LOG` (e.g.
    /// `vitale_verify=debug`) overrides. Logs never hold personal data.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Whether `--json` appears among raw arguments (to report a usage error
/// in JSON when clap refused the command line).
pub(crate) fn wants_json(args: &[OsString]) -> bool {
    args.iter().skip(1).any(|a| a == "--json")
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Simulated insurer and phone (test keys only).
    #[command(subcommand)]
    Sim(SimCommand),
    /// Verify one presentation text (`VT1:…` or `VT1B:…`) against a trust
    /// list, or one token through a context service.
    Verify(VerifyArgs),
    /// Read QR codes from image files, lines from a keyboard-wedge scanner
    /// on stdin, or a phone on an NFC reader (--nfc); verify them when
    /// --trust is given.
    Scan(ScanArgs),
    /// National health identity: NIR validation, Datamatrix INS payloads.
    #[command(subcommand)]
    Ins(InsCommand),
    /// Rights (ADRi) of a beneficiary from a rights service: by NIR, birth
    /// date and birth rank, or for every beneficiary of a card read from a
    /// token.
    Rights(RightsArgs),
    /// The care sheet (FSE-lite, not a CNDA-approved FSE): build, sign,
    /// verify, receipt, lot.
    #[command(subcommand)]
    Fse(crate::cli_fse::FseCommand),
    /// The local agent for web-based billing software: a JSON API and a
    /// reception-desk page on 127.0.0.1 (docs/agent.md). Without a
    /// configuration file it runs on the embedded simulator.
    Agent(AgentArgs),
}

#[derive(Debug, Args)]
pub(crate) struct AgentArgs {
    /// The configuration file (TOML, docs/agent.md); default
    /// `agent.toml` in the configuration directory if it exists, else the
    /// simulator.
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// The port (0: any free port, printed).
    #[arg(long, value_name = "N")]
    pub(crate) port: Option<u16>,
    /// Run on the embedded simulated insurer (test keys, sample people).
    #[arg(long)]
    pub(crate) simulator: bool,
    /// Print the installation's pairing token (created if needed) and
    /// exit: the web application sends it as `Authorization: Bearer`.
    #[arg(long)]
    pub(crate) print_token: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("who").required(true).args(["nir", "insured_nir", "token"])))]
pub(crate) struct RightsArgs {
    /// Base URL of the rights service (`https://…`, docs/online.md §3.5);
    /// its certificate must chain to --ca.
    #[arg(long, value_name = "URL")]
    pub(crate) service: String,
    /// The beneficiary's own certified NIR.
    #[arg(long, value_name = "NIR")]
    pub(crate) nir: Option<String>,
    /// The insured person's NIR, with --birth-date (and --birth-rank).
    #[arg(long, value_name = "NIR", requires = "birth_date")]
    pub(crate) insured_nir: Option<String>,
    /// The beneficiary's birth date, YYYYMMDD (lunar dates allowed).
    #[arg(long, value_name = "DATE", requires = "insured_nir")]
    pub(crate) birth_date: Option<String>,
    /// The beneficiary's rang de naissance (1 to 9).
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u8).range(1..=9))]
    pub(crate) birth_rank: u8,
    /// A token: the card is read through --context-service, then the
    /// rights of each of its beneficiaries are asked.
    #[arg(long, value_name = "TOKEN", requires = "context_service")]
    pub(crate) token: Option<String>,
    /// Reference date, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "DATE")]
    pub(crate) date: Option<String>,
    /// CA, client certificate, professional, timeout (shared with the
    /// context service).
    #[command(flatten)]
    pub(crate) context: ContextArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum SimCommand {
    /// Create a simulated insurer and holder in a directory: root and
    /// issuer keys derived from the seed, the signed trust list
    /// (`trust-list.cbor`, `trust-list.json`), the pinned root
    /// (`root.spki.der`) and the state file `sim.json`.
    Init(SimInitArgs),
    /// Print a fresh QR presentation (`VT1:…`) of the simulated holder;
    /// every call uses a new nonce.
    Present(SimPresentArgs),
    /// Hold the simulated holder's phone on a vpcd virtual NFC reader
    /// (vsmartcard) until Ctrl-C, stdin closed, or --for SECS; prints the
    /// presentations made.
    Card(SimCardArgs),
    /// Serve the simulated household's contexts (`token` profile) and
    /// rights (ADRi) over HTTPS on loopback until Ctrl-C, stdin closed, or
    /// --for SECS; the first line of stdout is the URL and the CA file to
    /// pin.
    Serve(SimServeArgs),
}

/// Which profile `sim present` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Profile {
    /// A signed presentation (`VT1:…`), verified offline.
    Open,
    /// An opaque token (`SIMTOK1.…`) for the context service of
    /// `vitale sim serve --dir` on the same directory.
    Token,
}

#[derive(Debug, Args)]
pub(crate) struct SimServeArgs {
    /// Directory made by `vitale sim init`; `ca.pem` (and with
    /// --client-cert, `client.pem` and `client-key.pem`) are written there.
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: PathBuf,
    /// Address to listen on (loopback; port 0 picks a free one).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:0")]
    pub(crate) addr: String,
    /// Fault mode: slow, flaky, unavailable, malformed, truncated, reset,
    /// rights_closed, unknown_patient, expired_context, unknown_ca,
    /// oversized.
    #[arg(long, value_name = "NAME")]
    pub(crate) fault: Option<String>,
    /// Context lifetime in seconds (default 1800: 30 minutes).
    #[arg(long, value_name = "SECS", default_value_t = 1800,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub(crate) context_lifetime: u64,
    /// The pause of the `slow` fault, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(crate) slow_delay: u64,
    /// Ask clients for a certificate (mutual TLS); one is written to DIR.
    #[arg(long)]
    pub(crate) client_cert: bool,
    /// Stop after this many seconds.
    #[arg(long = "for", value_name = "SECS",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) for_secs: Option<u64>,
}

/// The context service of the `token` profile, shared by `verify` and
/// `scan`.
#[derive(Debug, Args)]
pub(crate) struct ContextArgs {
    /// Base URL of the context service (`https://…`, the protocol of
    /// docs/online.md); token texts are verified through it.
    #[arg(long, value_name = "URL")]
    pub(crate) context_service: Option<String>,
    /// The CA certificate(s) to pin for the online services, PEM (the
    /// only trust anchors; `vitale sim serve` writes `ca.pem`).
    #[arg(long, value_name = "PEM")]
    pub(crate) ca: Option<PathBuf>,
    /// Client certificate chain, PEM (mutual TLS), with --client-key.
    #[arg(long, value_name = "PEM", requires = "client_key")]
    pub(crate) client_cert: Option<PathBuf>,
    /// Client private key, PEM, with --client-cert.
    #[arg(long, value_name = "PEM", requires = "client_cert")]
    pub(crate) client_key: Option<PathBuf>,
    /// The professional's billing number (*n° AM*, 9 digits) sent with
    /// each call; the default is a placeholder that only the simulator
    /// accepts.
    #[arg(long, value_name = "NUMBER", default_value = "000000000")]
    pub(crate) billing_number: String,
    /// The professional's specialty code (*code spécialité*, 2 digits).
    #[arg(long, value_name = "CODE", default_value = "01")]
    pub(crate) specialty: String,
    /// The professional's RPPS number (11 digits), if any.
    #[arg(long, value_name = "RPPS")]
    pub(crate) rpps: Option<String>,
    /// Timeout of the whole call to the service, retries included, in
    /// seconds.
    #[arg(long, value_name = "SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub(crate) service_timeout: u64,
}

#[derive(Debug, Args)]
pub(crate) struct SimInitArgs {
    /// Directory to create the simulation in (created if missing).
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: PathBuf,
    /// Size of the holder's household (1 to 16).
    #[arg(long, value_name = "N", default_value_t = 3,
          value_parser = clap::value_parser!(u8).range(1..=16))]
    pub(crate) beneficiaries: u8,
    /// Seed everything derives from: a number, or 64 hex digits; random
    /// when absent (it is recorded in sim.json).
    #[arg(long, value_name = "S")]
    pub(crate) seed: Option<String>,
    /// Creation time (RFC 3339, or @UNIX seconds) instead of now; the
    /// credential is valid from a day before to 7 days after it, the trust
    /// list 30 days after it.
    #[arg(long, value_name = "TIME")]
    pub(crate) at: Option<String>,
    /// Replace an existing simulation in DIR.
    #[arg(long)]
    pub(crate) force: bool,
}

#[derive(Debug, Args)]
pub(crate) struct SimPresentArgs {
    /// Directory made by `vitale sim init`.
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: PathBuf,
    /// Also write the QR code as a PNG image.
    #[arg(long, value_name = "FILE")]
    pub(crate) png: Option<PathBuf>,
    /// Presentation time (RFC 3339, or @UNIX seconds) instead of now.
    #[arg(long, value_name = "TIME")]
    pub(crate) at: Option<String>,
    /// Present from a delegate's phone instead of the holder's: the
    /// delegate's name (a delegation signed by the issuer is made for it).
    #[arg(long, value_name = "NAME")]
    pub(crate) delegate: Option<String>,
    /// Ranks the delegation covers, e.g. `2,3` (with --delegate).
    #[arg(
        long,
        value_name = "RANKS",
        value_delimiter = ',',
        requires = "delegate",
        default_value = "1"
    )]
    pub(crate) ranks: Vec<u8>,
    /// Presentation (or token) lifetime in seconds (1 to 180).
    #[arg(long, value_name = "SECS", default_value_t = 120,
          value_parser = clap::value_parser!(u64).range(1..=180))]
    pub(crate) lifetime: u64,
    /// What the phone shows: `open` (a signed `VT1:` presentation) or
    /// `token` (an opaque token for `vitale sim serve`).
    #[arg(long, value_enum, default_value = "open")]
    pub(crate) profile: Profile,
}

#[derive(Debug, Args)]
pub(crate) struct SimCardArgs {
    /// Directory made by `vitale sim init`.
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: PathBuf,
    /// The vpcd reader to connect to (pcscd's vsmartcard driver listens on
    /// 35963 for "Virtual PCD 00 00", 35964 for "… 00 01").
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:35963")]
    pub(crate) vpcd: String,
    /// How the phone behaves: normal, app-locked:N, declines,
    /// short-apdus-only, slow:MS, disconnect-mid-chain, malformed,
    /// wrong-aid.
    #[arg(long, value_name = "NAME", default_value = "normal")]
    pub(crate) behaviour: String,
    /// Presentation time (RFC 3339, or @UNIX seconds) instead of the clock
    /// at each presentation.
    #[arg(long, value_name = "TIME")]
    pub(crate) at: Option<String>,
    /// Presentation lifetime in seconds (1 to 180).
    #[arg(long, value_name = "SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=180))]
    pub(crate) lifetime: u64,
    /// Stop after this many seconds.
    #[arg(long = "for", value_name = "SECS",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) for_secs: Option<u64>,
}

/// Where the trust comes from, shared by `verify` and `scan`.
#[derive(Debug, Args)]
pub(crate) struct TrustArgs {
    /// Signed trust list of issuer keys, CBOR (`trust-list.cbor`) or JSON
    /// (JWS, `trust-list.json`; a UTF-8 byte-order mark and CR LF are
    /// accepted). Required by `verify` unless a token is verified through
    /// --context-service alone.
    #[arg(long, value_name = "FILE")]
    pub(crate) trust: Option<PathBuf>,
    /// Pinned root key (DER SubjectPublicKeyInfo); default: `root.spki.der`
    /// beside the trust list.
    #[arg(long, value_name = "FILE", requires = "trust")]
    pub(crate) root: Option<PathBuf>,
    /// Verify as of this time (RFC 3339, or @UNIX seconds) instead of now.
    #[arg(long, value_name = "TIME")]
    pub(crate) at: Option<String>,
    /// Where the replay cache lives: `memory` (this run only), `sqlite:PATH`
    /// (survives restarts: one workstation), `postgres:URL` (shared by a
    /// site's workstations). Default: $VITALE_REPLAY_CACHE, else memory;
    /// put a URL holding a password in the variable, not on the command
    /// line. docs/deployment.md.
    #[arg(long, value_name = "LOCATION", requires = "trust")]
    pub(crate) replay_cache: Option<String>,
}

/// `--trust` is required, except for a token verified through
/// `--context-service` alone: the usage line shows
/// `<--trust <FILE>|--context-service <URL>>`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("verified_by").required(true).multiple(true).args(["trust", "context_service"])))]
pub(crate) struct VerifyArgs {
    #[command(flatten)]
    pub(crate) trust: TrustArgs,
    #[command(flatten)]
    pub(crate) context: ContextArgs,
    /// The presentation text or token; `-` or absent: one line from stdin.
    #[arg(value_name = "TEXT")]
    pub(crate) text: Option<String>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["image", "wedge", "nfc", "camera", "frames"])))]
pub(crate) struct ScanArgs {
    /// Image files (PNG, JPEG, WebP, GIF): every QR code of every image is
    /// listed, or verified with --trust.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub(crate) image: Vec<PathBuf>,
    /// Read keyboard-wedge scanner lines on stdin, repair QWERTY/AZERTY
    /// mismatches and verify each (with --trust); one result per line,
    /// empty lines ignored; the exit code is that of the last line.
    #[arg(long)]
    pub(crate) wedge: bool,
    /// Wait for a phone on a PC/SC NFC reader, read its presentation under
    /// a fresh challenge and verify it (needs --trust; feature `pcsc`).
    /// Progress goes to stderr.
    #[arg(long)]
    pub(crate) nfc: bool,
    /// Scan the QR code shown to a camera (needs --trust; feature
    /// `camera`): each new code verified once, the first card that
    /// verifies printed. Progress goes to stderr.
    #[arg(long)]
    pub(crate) camera: bool,
    /// With --camera: the camera's index (default 0, the first).
    #[arg(long, value_name = "N", requires = "camera")]
    pub(crate) device: Option<u32>,
    /// As --camera, from the image files of a folder played in file-name
    /// order at --fps (a recorded scene; no camera needed).
    #[arg(long, value_name = "DIR")]
    pub(crate) frames: Option<PathBuf>,
    /// With --frames: frames a second (default 30).
    #[arg(long, value_name = "FPS", default_value_t = 30.0, requires = "frames")]
    pub(crate) fps: f32,
    /// With --frames: every frame decoded in order, none skipped, as fast
    /// as the machine goes (a reproducible run of a recording; --fps only
    /// dates the frames).
    #[arg(long, requires = "frames")]
    pub(crate) unpaced: bool,
    /// With --nfc: only this reader (a name it equals or contains);
    /// default: the first reader a phone is presented to.
    #[arg(long, value_name = "NAME")]
    pub(crate) reader: Option<String>,
    /// With --nfc, --camera or --frames: give up after this many seconds,
    /// waiting included (default 60).
    #[arg(long, value_name = "SECS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(crate) timeout: Option<u64>,
    /// With --nfc: short APDUs only (no extended length).
    #[arg(long)]
    pub(crate) short_apdus: bool,
    #[command(flatten)]
    pub(crate) trust: TrustArgs,
    #[command(flatten)]
    pub(crate) context: ContextArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum InsCommand {
    /// Validate a NIR or NIA (format, ranges, key).
    Nir(NirArgs),
    /// Encode or decode a Datamatrix INS payload (2D-Doc layout).
    #[command(subcommand)]
    Datamatrix(DatamatrixCommand),
}

#[derive(Debug, Args)]
pub(crate) struct NirArgs {
    /// The NIR, with or without spaces (several arguments are joined);
    /// `-` reads it from stdin, which keeps it out of the shell history.
    #[arg(value_name = "NIR", required = true, num_args = 1..)]
    pub(crate) nir: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum DatamatrixCommand {
    /// Build a payload (ANS national layout) from flags, or from a JSON
    /// object on stdin (--from-json); the identity must be qualified (the
    /// caller vouches for it).
    Encode(Box<DatamatrixEncodeArgs>),
    /// Decode a payload, national layout or the 2D-Doc layout of
    /// vitale-ins 0.1 (GS and US as the raw characters or as `<GS>`,
    /// `<US>`); `-` or absent: from stdin.
    Decode(DatamatrixDecodeArgs),
}

#[derive(Debug, Args)]
pub(crate) struct DatamatrixEncodeArgs {
    /// Read the identity as JSON on stdin (fields as in docs/cli.md)
    /// instead of flags.
    #[arg(long, conflicts_with_all = ["matricule", "given_names", "birth_name", "sex", "birth_date", "birth_place"])]
    pub(crate) from_json: bool,
    /// Matricule INS (a NIR or NIA).
    #[arg(long, value_name = "NIR", required_unless_present = "from_json")]
    pub(crate) matricule: Option<String>,
    /// OID of the INS: nir, nia, test, demo, or the dotted OID.
    #[arg(long, value_name = "OID", default_value = "nir")]
    pub(crate) oid: String,
    /// Prénoms de naissance.
    #[arg(long, value_name = "NAMES", required_unless_present = "from_json")]
    pub(crate) given_names: Option<String>,
    /// Nom de naissance.
    #[arg(long, value_name = "NAME", required_unless_present = "from_json")]
    pub(crate) birth_name: Option<String>,
    /// Sexe: M or F (the national layout has no I).
    #[arg(long, value_name = "M|F", required_unless_present = "from_json")]
    pub(crate) sex: Option<String>,
    /// Date de naissance: YYYYMMDD or YYYY-MM-DD (lunar dates allowed).
    #[arg(long, value_name = "DATE", required_unless_present = "from_json")]
    pub(crate) birth_date: Option<String>,
    /// Lieu de naissance: COG code (5 characters).
    #[arg(long, value_name = "COG", required_unless_present = "from_json")]
    pub(crate) birth_place: Option<String>,
    /// Print GS as `<GS>` (the raw character is invisible in a terminal).
    #[arg(long)]
    pub(crate) visible: bool,
}

#[derive(Debug, Args)]
pub(crate) struct DatamatrixDecodeArgs {
    /// The payload; `-` or absent: read from stdin.
    #[arg(value_name = "PAYLOAD")]
    pub(crate) payload: Option<String>,
}
