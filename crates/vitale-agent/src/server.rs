//! The HTTP/1.1 server: listeners on loopback, one task per connection,
//! the checks of [`crate::guard`] on every request, then the API.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt as _, Full};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};

use crate::backend::Backend;
use crate::cards::CardStore;
use crate::config::Limits;
use crate::guard::{self, RateLimiter};
use crate::nfc::NfcJobs;
use crate::token::PairingToken;

/// A response body: whole, or a stream of server-sent events.
pub(crate) type Body = BoxBody<Bytes, Infallible>;

/// Most connections served at once; more wait in the kernel's backlog.
const MAX_CONNECTIONS: usize = 64;

/// Time a client has to send a request's headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Largest request head (request line and headers).
const MAX_HEAD: usize = 16 * 1024;

/// What every request handler shares.
pub(crate) struct Shared {
    pub(crate) backend: Backend,
    pub(crate) token: PairingToken,
    pub(crate) port: u16,
    pub(crate) allowed_origins: Vec<String>,
    pub(crate) limits: Limits,
    pub(crate) limiter: RateLimiter,
    pub(crate) cards: CardStore,
    pub(crate) nfc: NfcJobs,
}

/// An API failure: status, kind, message without personal data.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: StatusCode,
    pub(crate) kind: &'static str,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        Failure {
            status,
            kind,
            message: message.into(),
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Failure::new(StatusCode::BAD_REQUEST, "agent_bad_request", message)
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Failure::new(StatusCode::INTERNAL_SERVER_ERROR, "agent_internal", message)
    }
}

impl From<vitale::Error> for Failure {
    fn from(e: vitale::Error) -> Self {
        let kind = e.kind();
        let status = match kind {
            "io" => StatusCode::INTERNAL_SERVER_ERROR,
            k if k.starts_with("store_") => StatusCode::INTERNAL_SERVER_ERROR,
            k if k.starts_with("rights_") && k.contains("unavailable") => StatusCode::BAD_GATEWAY,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        Failure::new(status, kind, chain(&e))
    }
}

impl From<vitale::billing::json::JsonError> for Failure {
    fn from(e: vitale::billing::json::JsonError) -> Self {
        match e {
            vitale::billing::json::JsonError::Facade(e) => Failure::from(e),
            other => Failure::bad_request(other.to_string()),
        }
    }
}

impl From<crate::Error> for Failure {
    fn from(e: crate::Error) -> Self {
        match e {
            crate::Error::Vitale(e) => Failure::from(e),
            other => Failure::internal(other.to_string()),
        }
    }
}

/// An error's message and its sources' (the SDK's messages carry no
/// personal data).
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}

/// A whole body.
pub(crate) fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).boxed()
}

/// A JSON response.
pub(crate) fn json(status: StatusCode, value: &serde_json::Value) -> Response<Body> {
    let mut r = Response::new(full(value.to_string()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// The error response of a failure.
pub(crate) fn failure(f: &Failure) -> Response<Body> {
    json(
        f.status,
        &serde_json::json!({"error": {"kind": f.kind, "message": f.message}}),
    )
}

/// Serves `listeners` until `stop` fires.
pub(crate) async fn serve(
    listeners: Vec<std::net::TcpListener>,
    shared: Arc<Shared>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let permits = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let mut tasks = Vec::new();
    for listener in listeners {
        let listener = match tokio::net::TcpListener::from_std(listener) {
            Ok(l) => l,
            Err(e) => {
                tracing::error!(error = %e, "cannot serve a listener");
                continue;
            }
        };
        let shared = shared.clone();
        let permits = permits.clone();
        let mut stop = stop.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                let permit = tokio::select! {
                    _ = stop.changed() => return,
                    p = permits.clone().acquire_owned() => match p {
                        Ok(p) => p,
                        Err(_) => return,
                    },
                };
                let (stream, peer) = tokio::select! {
                    _ = stop.changed() => return,
                    accepted = listener.accept() => match accepted {
                        Ok(a) => a,
                        Err(e) => {
                            tracing::warn!(error = %e, "accept failed");
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            continue;
                        }
                    },
                };
                let shared = shared.clone();
                let mut stop = stop.clone();
                tokio::spawn(async move {
                    let _permit = permit;
                    let service = hyper::service::service_fn(move |req| {
                        let shared = shared.clone();
                        async move { Ok::<_, Infallible>(handle(shared, peer, req).await) }
                    });
                    let conn = hyper::server::conn::http1::Builder::new()
                        .timer(hyper_util::rt::TokioTimer::new())
                        .header_read_timeout(HEADER_TIMEOUT)
                        .max_buf_size(MAX_HEAD)
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
                    tokio::pin!(conn);
                    tokio::select! {
                        _ = conn.as_mut() => {}
                        _ = stop.changed() => conn.as_mut().graceful_shutdown(),
                    }
                });
            }
        }));
    }
    let _ = stop.changed().await;
    for task in tasks {
        let _ = task.await;
    }
}

/// One request: the checks, then the route.
async fn handle(
    shared: Arc<Shared>,
    peer: SocketAddr,
    req: Request<hyper::body::Incoming>,
) -> Response<Body> {
    let started = Instant::now();
    let method = req.method().clone();
    let route = crate::api::route_name(req.uri().path());
    let (response, origin) = checked(&shared, peer.ip(), req).await;
    let mut response = response;
    if let Some(origin) = origin {
        let h = response.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    // The route's name, never the query (it may carry the token) nor a body.
    tracing::info!(
        method = %method,
        route,
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "agent request"
    );
    response
}

/// The checks of `docs/security.md`, in order; the CORS origin to echo.
async fn checked(
    shared: &Arc<Shared>,
    peer: IpAddr,
    req: Request<hyper::body::Incoming>,
) -> (Response<Body>, Option<HeaderValue>) {
    let headers = req.headers();
    if !guard::host_allowed(headers.get(header::HOST).map(|h| h.as_bytes()), shared.port) {
        let f = Failure::new(
            StatusCode::FORBIDDEN,
            "agent_host_refused",
            "Host is not the agent's loopback address",
        );
        return (failure(&f), None);
    }
    let origin = headers.get(header::ORIGIN).cloned();
    if let Some(o) = &origin
        && !guard::origin_allowed(o.as_bytes(), shared.port, &shared.allowed_origins)
    {
        let f = Failure::new(
            StatusCode::FORBIDDEN,
            "agent_origin_refused",
            "this Origin may not call the agent",
        );
        return (failure(&f), None);
    }
    if let Err(wait) =
        shared
            .limiter
            .take(peer, origin.as_ref().map(|o| o.as_bytes()), Instant::now())
    {
        let f = Failure::new(
            StatusCode::TOO_MANY_REQUESTS,
            "agent_rate_limited",
            format!("retry in {wait} s"),
        );
        let mut r = failure(&f);
        if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return (r, origin);
    }
    if req.method() == Method::OPTIONS {
        return match origin {
            Some(origin) => (preflight(req.headers()), Some(origin)),
            None => {
                let f = Failure::new(
                    StatusCode::FORBIDDEN,
                    "agent_origin_refused",
                    "a preflight needs an allowed Origin",
                );
                (failure(&f), None)
            }
        };
    }
    (crate::api::route(shared.clone(), req).await, origin)
}

/// The answer to an allowed origin's preflight: the methods and headers
/// the API takes, and Private Network Access when asked.
fn preflight(request: &hyper::HeaderMap) -> Response<Body> {
    let mut r = Response::new(full(Bytes::new()));
    *r.status_mut() = StatusCode::NO_CONTENT;
    let h = r.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("authorization, content-type"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    if request
        .get("access-control-request-private-network")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"true"))
    {
        h.insert(
            "access-control-allow-private-network",
            HeaderValue::from_static("true"),
        );
    }
    r
}

/// Reads a request body of at most `limit` bytes.
pub(crate) async fn read_body(body: hyper::body::Incoming, limit: usize) -> Result<Bytes, Failure> {
    let too_large = || {
        Failure::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "agent_too_large",
            format!("body longer than {limit} bytes"),
        )
    };
    match http_body_util::Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Err(_) => Err(Failure::bad_request("the body could not be read")),
    }
}
