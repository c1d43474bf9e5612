//! NFC reads as jobs with progress events over server-sent events
//! (`text/event-stream`): `waiting`, `phone_detected`, `app_locked`,
//! `reading`, then exactly one of `done` or `failed`.

use std::collections::HashMap;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::BodyExt as _;
use hyper::header::{self, HeaderValue};
use hyper::{Response, StatusCode};

use crate::cards::{lock, random_id};
use crate::config::NfcSource;
use crate::request::{NfcCancelRequest, NfcReadRequest};
use crate::server::{Body, Failure, Shared};

/// Longest wait for a phone.
const MAX_TIMEOUT_MS: u64 = 600_000;

/// How long a finished job's events stay readable.
const KEEP_FINISHED: Duration = Duration::from_secs(60);

/// Keep-alive comment interval of an events stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The NFC jobs: at most one running.
pub(crate) struct NfcJobs {
    jobs: Mutex<HashMap<String, Arc<Job>>>,
    /// Where phones are read.
    source: NfcSource,
    /// The PC/SC reader of a read that names none.
    default_reader: Option<String>,
}

impl NfcJobs {
    /// No job yet; reads go to `source`.
    pub(crate) fn new(source: NfcSource, default_reader: Option<String>) -> Self {
        NfcJobs {
            jobs: Mutex::new(HashMap::new()),
            source,
            default_reader,
        }
    }
}

struct Job {
    /// The events so far, each a whole SSE message.
    events: Mutex<Vec<Bytes>>,
    /// The number of events, watched by the streams.
    count: tokio::sync::watch::Sender<usize>,
    finished: AtomicBool,
    finished_at: Mutex<Option<Instant>>,
    cancel: AtomicBool,
    /// The PC/SC read's own cancel token while it runs: a cancel reaches
    /// the driver at once.
    #[cfg(feature = "pcsc")]
    driver_cancel: Mutex<Option<vitale::reader::nfc::CancelToken>>,
}

impl Job {
    fn push(&self, event: &str, data: &serde_json::Value) {
        let message = Bytes::from(format!("event: {event}\ndata: {data}\n\n"));
        let n = {
            let mut events = lock(&self.events);
            events.push(message);
            events.len()
        };
        if matches!(event, "done" | "failed") {
            self.finished.store(true, Ordering::SeqCst);
            *lock(&self.finished_at) = Some(Instant::now());
        }
        self.count.send_replace(n);
    }
}

/// Whether this agent can read NFC: the simulator's phone (in simulator
/// mode), or PC/SC readers (feature `pcsc`), as configured.
pub(crate) fn available(shared: &Shared) -> bool {
    match shared.nfc.source {
        NfcSource::Simulator => shared.backend.is_simulator(),
        NfcSource::Pcsc => cfg!(feature = "pcsc"),
    }
}

/// `POST /v1/nfc/read`: starts a job.
pub(crate) fn start(
    shared: &Arc<Shared>,
    r: &NfcReadRequest,
) -> Result<serde_json::Value, Failure> {
    if !available(shared) {
        return Err(Failure::new(
            StatusCode::NOT_IMPLEMENTED,
            "agent_not_supported",
            "this agent reads no NFC (built without the `pcsc` feature)",
        ));
    }
    let timeout = Duration::from_millis(r.timeout_ms.unwrap_or(60_000).min(MAX_TIMEOUT_MS));
    let id = random_id("n-")?;
    let job = Arc::new(Job {
        events: Mutex::new(Vec::new()),
        count: tokio::sync::watch::channel(0).0,
        finished: AtomicBool::new(false),
        finished_at: Mutex::new(None),
        cancel: AtomicBool::new(false),
        #[cfg(feature = "pcsc")]
        driver_cancel: Mutex::new(None),
    });
    {
        let mut jobs = lock(&shared.nfc.jobs);
        jobs.retain(|_, j| {
            !j.finished.load(Ordering::SeqCst)
                || lock(&j.finished_at).is_none_or(|at| at.elapsed() < KEEP_FINISHED)
        });
        if jobs.values().any(|j| !j.finished.load(Ordering::SeqCst)) {
            return Err(Failure::new(
                StatusCode::CONFLICT,
                "agent_busy",
                "an NFC read is already running",
            ));
        }
        jobs.insert(id.clone(), job.clone());
    }
    let worker = shared.clone();
    let reader = r
        .reader
        .clone()
        .or_else(|| shared.nfc.default_reader.clone());
    tokio::task::spawn_blocking(
        move || match read(&worker, &job, reader.as_deref(), timeout) {
            Ok(card) => match crate::api::card_answer(&worker, card) {
                Ok(answer) => job.push("done", &answer),
                Err(f) => job.push(
                    "failed",
                    &serde_json::json!({"kind": f.kind, "message": f.message}),
                ),
            },
            Err(f) => job.push(
                "failed",
                &serde_json::json!({"kind": f.kind, "message": f.message}),
            ),
        },
    );
    Ok(serde_json::json!({"job": id}))
}

/// Reads one phone: the simulator's, or one on a PC/SC reader.
fn read(
    shared: &Shared,
    job: &Job,
    reader: Option<&str>,
    timeout: Duration,
) -> Result<vitale::verify::VerifiedCard, Failure> {
    #[cfg(feature = "simulator")]
    if let (NfcSource::Simulator, Some(sim)) = (shared.nfc.source, &shared.backend.sim) {
        let _ = (reader, timeout);
        // The simulated phone is laid on the reader at once.
        job.push("waiting", &serde_json::json!({}));
        let cancelled = || job.cancel.load(Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(200));
        if cancelled() {
            return Err(cancelled_failure());
        }
        job.push("phone_detected", &serde_json::json!({}));
        job.push("reading", &serde_json::json!({}));
        let mut challenge = [0u8; 16];
        getrandom::fill(&mut challenge).map_err(|_| Failure::from(crate::Error::Random))?;
        let answer = lock(sim).nfc(&challenge)?;
        if cancelled() {
            return Err(cancelled_failure());
        }
        return Ok(shared
            .backend
            .terminal
            .verifier()
            .verify_nfc(&answer, &challenge)
            .map_err(vitale::Error::from)?);
    }
    pcsc_read(shared, job, reader, timeout)
}

#[cfg(feature = "simulator")]
fn cancelled_failure() -> Failure {
    Failure::new(StatusCode::OK, "nfc_cancelled", "the read was cancelled")
}

#[cfg(feature = "pcsc")]
fn pcsc_read(
    shared: &Shared,
    job: &Job,
    reader: Option<&str>,
    timeout: Duration,
) -> Result<vitale::verify::VerifiedCard, Failure> {
    use vitale::reader::nfc::{NfcContext, NfcEvent, ReadOptions};
    let context = NfcContext::establish()
        .map_err(|e| Failure::from(vitale::Error::from(vitale::reader::Error::from(e))))?;
    let options = ReadOptions {
        reader: reader.map(str::to_owned),
        timeout,
        ..ReadOptions::default()
    };
    // Handed to `cancel` before the flag is checked: a cancel that came
    // earlier is seen here, a later one cancels the token.
    *lock(&job.driver_cancel) = Some(options.cancel.clone());
    if job.cancel.load(Ordering::SeqCst) {
        options.cancel.cancel();
    }
    let mut last = "";
    let read = shared
        .backend
        .terminal
        .read_nfc(&context, &options, |event| {
            let name = match event {
                // Also again when the phone left (lifted to be unlocked).
                NfcEvent::WaitingForPhone => "waiting",
                NfcEvent::PhoneDetected { .. } => "phone_detected",
                // Once per poll while the patient has not unlocked it.
                NfcEvent::AppLocked { .. } => "app_locked",
                NfcEvent::Reading => "reading",
                _ => return,
            };
            // The driver detects the phone again when its connection
            // failed because PC/SC still showed the previous phone (lifted
            // a moment ago): for the page that is one detection.
            if name == "phone_detected" && last == name {
                return;
            }
            last = name;
            job.push(name, &serde_json::json!({}));
        });
    *lock(&job.driver_cancel) = None;
    Ok(read?.card)
}

#[cfg(not(feature = "pcsc"))]
fn pcsc_read(
    _: &Shared,
    _: &Job,
    _: Option<&str>,
    _: Duration,
) -> Result<vitale::verify::VerifiedCard, Failure> {
    Err(Failure::new(
        StatusCode::NOT_IMPLEMENTED,
        "agent_not_supported",
        "this agent reads no NFC (built without the `pcsc` feature)",
    ))
}

/// `POST /v1/nfc/cancel`.
pub(crate) fn cancel(shared: &Shared, r: &NfcCancelRequest) -> Result<serde_json::Value, Failure> {
    let job = job(shared, &r.job)?;
    job.cancel.store(true, Ordering::SeqCst);
    #[cfg(feature = "pcsc")]
    if let Some(token) = lock(&job.driver_cancel).as_ref() {
        token.cancel();
    }
    Ok(serde_json::json!({"cancelled": !job.finished.load(Ordering::SeqCst)}))
}

fn job(shared: &Shared, id: &str) -> Result<Arc<Job>, Failure> {
    lock(&shared.nfc.jobs)
        .get(id)
        .cloned()
        .ok_or_else(|| Failure::new(StatusCode::NOT_FOUND, "agent_not_found", "no such NFC job"))
}

/// `GET /v1/nfc/events?job=ID`: the job's events so far, then each as it
/// comes, until `done` or `failed`.
pub(crate) fn events(shared: &Shared, id: &str) -> Result<Response<Body>, Failure> {
    let job = job(shared, id)?;
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(16);
    let mut watch = job.count.subscribe();
    tokio::spawn(async move {
        let mut sent = 0;
        loop {
            let (fresh, finished) = {
                let events = lock(&job.events);
                (
                    events.get(sent..).unwrap_or_default().to_vec(),
                    job.finished.load(Ordering::SeqCst),
                )
            };
            for message in fresh {
                sent += 1;
                if tx.send(message).await.is_err() {
                    return;
                }
            }
            if finished && sent >= lock(&job.events).len() {
                return;
            }
            match tokio::time::timeout(KEEP_ALIVE, watch.changed()).await {
                Ok(Ok(())) => {}
                Ok(Err(_)) => return,
                Err(_) => {
                    if tx
                        .send(Bytes::from_static(b": keep-alive\n\n"))
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
            }
        }
    });
    let mut r = Response::new(EventBody(rx).boxed());
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

/// A body fed by a channel: the events stream.
struct EventBody(tokio::sync::mpsc::Receiver<Bytes>);

impl http_body::Body for EventBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
        self.0
            .poll_recv(cx)
            .map(|m| m.map(|b| Ok(http_body::Frame::data(b))))
    }
}
