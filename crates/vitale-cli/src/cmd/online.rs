//! The online services from the command line: `vitale sim serve` (the
//! simulated context and rights services over HTTPS), `vitale sim present
//! --profile token`, the context service behind `verify`/`scan
//! --context-service`, and the clients `vitale rights` uses.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use vitale::codec::model::Timestamp;
use vitale::http::{
    BaseUrl, ClientConfig, ClientIdentity, HttpClient, HttpContextService, PinnedCa, Timeouts,
};
use vitale::verify::policy::FixedClock;
use vitale::verify::token::TokenVerifier;
use vitale_adri::{BillingNumber, ProfessionalIdentity, Rpps, SpecialtyCode};
use vitale_sim::online::{Fault, OnlineServer, ServerConfig, Stats, TokenClaims, TokenIssuer};

use super::output::{Out, rfc3339};
use super::sim::{load_state, scenario};
use super::sim_card::{parse_addr, progress, watch_stdin};
use super::{Error, Status, parse_time, read_file};
use crate::cli::{ContextArgs, SimServeArgs};

/// How often the foreground loop looks at the stop conditions.
const TICK: Duration = Duration::from_millis(50);

/// An HTTPS client for `url` with the CA, client certificate and timeout
/// of `args`.
pub(super) fn client(url: &str, flag: &str, args: &ContextArgs) -> Result<HttpClient, Error> {
    let usage = |what: &str, e: vitale::http::HttpError| Error::Usage(format!("{what}: {e}"));
    let base = BaseUrl::parse(url).map_err(|e| usage(flag, e))?;
    let ca_path = args
        .ca
        .clone()
        .ok_or_else(|| Error::Usage(format!("{flag} needs --ca PEM (the CA to pin)")))?;
    let ca = PinnedCa::from_pem(&read_file(&ca_path, "the CA")?).map_err(|e| usage("--ca", e))?;
    let total = Duration::from_secs(args.service_timeout);
    let mut config = ClientConfig::new(base, ca).with_timeouts(Timeouts::new(
        total.min(Duration::from_secs(5)),
        total.min(Duration::from_secs(10)),
        total,
    ));
    if let (Some(cert), Some(key)) = (&args.client_cert, &args.client_key) {
        let identity = ClientIdentity::from_pem(
            &read_file(cert, "the client certificate")?,
            &read_file(key, "the client key")?,
        )
        .map_err(|e| usage("--client-cert/--client-key", e))?;
        config = config.with_client_identity(identity);
    }
    Ok(HttpClient::new(config))
}

/// The professional of `--billing-number`, `--specialty`, `--rpps`.
pub(super) fn professional(args: &ContextArgs) -> Result<ProfessionalIdentity, Error> {
    let usage = |flag: &str, e: vitale_adri::Error| Error::Usage(format!("{flag}: {e}"));
    let billing =
        BillingNumber::parse(&args.billing_number).map_err(|e| usage("--billing-number", e))?;
    let specialty = SpecialtyCode::parse(&args.specialty).map_err(|e| usage("--specialty", e))?;
    let rpps = args
        .rpps
        .as_deref()
        .map(Rpps::parse)
        .transpose()
        .map_err(|e| usage("--rpps", e))?;
    Ok(ProfessionalIdentity::new(billing, specialty).with_rpps(rpps))
}

/// The token verifier for `--context-service`, if given; its clock is
/// `--at` when given.
pub(super) fn token_verifier(
    args: &ContextArgs,
    at: Option<&str>,
) -> Result<Option<TokenVerifier>, Error> {
    let Some(url) = &args.context_service else {
        return Ok(None);
    };
    let service =
        HttpContextService::new(client(url, "--context-service", args)?, professional(args)?);
    let verifier = TokenVerifier::new(Arc::new(service));
    Ok(Some(match at {
        Some(text) => verifier.with_clock(FixedClock(parse_time(text)?)),
        None => verifier,
    }))
}

/// `sim present --profile token`: a token for the household of `dir`,
/// serial `index` (the presentation counter), valid `lifetime` seconds
/// from `at`.
pub(super) fn token_text(
    seed: &vitale_sim::Seed,
    index: u64,
    at: Timestamp,
    lifetime: u64,
) -> Result<String, Error> {
    let expires_at = at
        .checked_add_secs(lifetime)
        .ok_or(vitale_sim::Error::TimeOutOfRange)?;
    let token = TokenIssuer::new(seed).issue(TokenClaims {
        household: 0,
        // The lower half: the server's own tokens use the upper half.
        serial: index & (u64::MAX >> 2),
        expires_at,
    })?;
    Ok(token.as_str().to_owned())
}

/// The first line of `sim serve --json`.
#[derive(Debug, Serialize)]
struct ServeJson {
    ok: bool,
    url: String,
    #[serde(serialize_with = "crate::cmd::output::path_lossy")]
    ca: PathBuf,
    fault: Option<&'static str>,
    #[serde(serialize_with = "crate::cmd::output::opt_path_lossy")]
    client_cert: Option<PathBuf>,
    #[serde(serialize_with = "crate::cmd::output::opt_path_lossy")]
    client_key: Option<PathBuf>,
    context_lifetime_secs: u64,
    started_at: String,
    test_keys_only: bool,
}

/// The last line of `sim serve --json`.
#[derive(Debug, Serialize)]
struct StoppedJson {
    ok: bool,
    stopped_by: &'static str,
    connections: u64,
    tls_failures: u64,
    open: u64,
    restore: u64,
    close: u64,
    sign: u64,
    rights: u64,
    tokens: u64,
    other: u64,
}

fn write(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

/// `vitale sim serve`.
pub(super) fn serve(args: &SimServeArgs, out: &mut Out) -> Result<Status, Error> {
    let state = load_state(&args.dir)?;
    let (s, seed) = scenario(&state)?;
    let fault = match &args.fault {
        Some(name) => Some(Fault::parse(name).ok_or_else(|| {
            let names: Vec<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
            Error::Usage(format!(
                "unknown fault {name:?}: one of {}",
                names.join(", ")
            ))
        })?),
        None => None,
    };
    let addr = parse_addr(&args.addr)?;
    let mut config = ServerConfig::new(seed, vec![s.household])
        .with_fault(fault)
        .with_addr(addr);
    config.context_lifetime = Duration::from_secs(args.context_lifetime);
    config.slow_delay = Duration::from_secs(args.slow_delay);
    config.require_client_cert = args.client_cert;
    let server = OnlineServer::start(config)?;
    // The directory's signed trust list, at GET /v1/trust-list, for the
    // trust-list refresher (re-read by `sim init` when the list changes).
    let list = args.dir.join("trust-list.cbor");
    if list.exists() {
        server.set_trust_list(Some(super::read_file(&list, "the trust list")?));
    }
    let ca = args.dir.join("ca.pem");
    write(&ca, server.ca_pem())?;
    let (client_cert, client_key) = match &server.files().client {
        Some((chain, key)) => {
            let (c, k) = (args.dir.join("client.pem"), args.dir.join("client-key.pem"));
            write(&c, chain)?;
            write(&k, key)?;
            (Some(c), Some(k))
        }
        None => (None, None),
    };
    let started = Timestamp::from_datetime(time::OffsetDateTime::now_utc())
        .ok_or_else(|| Error::Usage("the system clock is out of range".into()))?;
    if out.json() {
        out.json_line(&ServeJson {
            ok: true,
            url: server.url(),
            ca: ca.clone(),
            fault: fault.map(Fault::name),
            client_cert: client_cert.clone(),
            client_key,
            context_lifetime_secs: args.context_lifetime,
            started_at: rfc3339(started),
            test_keys_only: true,
        })?;
    } else {
        out.line(&format!("{} {}", server.url(), ca.display()))?;
        progress(&format!(
            "context service of {} on {} (TEST KEYS ONLY){}; stop with Ctrl-C or Ctrl-D{}",
            args.dir.display(),
            server.url(),
            fault
                .map(|f| format!(", fault {}", f.name()))
                .unwrap_or_default(),
            args.for_secs
                .map(|secs| format!(", or after {secs} s"))
                .unwrap_or_default()
        ));
    }
    let stdin_closed = watch_stdin();
    let deadline = args
        .for_secs
        .and_then(|secs| Instant::now().checked_add(Duration::from_secs(secs)));
    let stopped_by = loop {
        if stdin_closed
            .as_ref()
            .is_some_and(|f| f.load(std::sync::atomic::Ordering::SeqCst))
        {
            break "stdin_closed";
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            break "for";
        }
        std::thread::sleep(TICK);
    };
    let stats = server.stats();
    server.stop();
    report_stop(stopped_by, &stats, out)?;
    Ok(Status::Ok)
}

fn report_stop(stopped_by: &'static str, stats: &Stats, out: &mut Out) -> Result<(), Error> {
    if out.json() {
        out.json_line(&StoppedJson {
            ok: true,
            stopped_by,
            connections: stats.connections,
            tls_failures: stats.tls_failures,
            open: stats.open,
            restore: stats.restore,
            close: stats.close,
            sign: stats.sign,
            rights: stats.rights,
            tokens: stats.tokens,
            other: stats.other,
        })?;
    } else {
        out.line(&format!(
            "stopped ({stopped_by}): {} connections, {} TLS failures, {} open, {} restore, {} close, {} sign, {} rights",
            stats.connections,
            stats.tls_failures,
            stats.open,
            stats.restore,
            stats.close,
            stats.sign,
            stats.rights
        ))?;
    }
    Ok(())
}
