//! Keeping a terminal's trust list fresh (feature `online`), over the
//! facade's `vitale::trust::refresh::TrustListRefresher`: one `GET` of the
//! list from a trust-list server, checked against the pinned root, accepted
//! only with a higher sequence number, kept on disk, swapped into the
//! terminal while verifications go on; by call or on a background thread.
//!
//! **Threads.** A `VitaleTrustRefresher` may be used from several threads
//! at once (refreshes are serialised by the trust store's update); it keeps
//! its terminal alive.

use core::ffi::c_char;

use serde::Deserialize;

use crate::boundary::{self, Failure, Out, call, call_json, call_keeping_last, into_handle};
use crate::options;
use crate::status::VitaleStatus;
use crate::terminal::VitaleTerminal;

/// A trust-list refresher bound to one terminal (opaque). Made by
/// [`vitale_trust_refresher_new`], freed by [`vitale_trust_refresher_free`]
/// (which stops its background thread). Safe to share between threads.
pub struct VitaleTrustRefresher {
    #[cfg(feature = "online")]
    inner: enabled::Refresher,
}

/// `vitale_trust_refresher_new`'s configuration.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(not(feature = "online"), allow(dead_code))]
struct RefresherConfig {
    /// The trust-list server, `https://host:port/base`.
    url: String,
    /// The CA certificate(s) to pin, PEM.
    ca_pem: String,
    /// The path of the list on the server (default `/v1/trust-list`).
    #[serde(default)]
    path: Option<String>,
    /// The file keeping the last good list (CBOR), written atomically.
    cache_file: String,
    /// No successful check for this long makes the status `stale`
    /// (default 86400).
    #[serde(default)]
    stale_after_secs: Option<u64>,
    /// Upper bound on one call, seconds (default 10).
    #[serde(default)]
    timeout_secs: Option<u64>,
    /// Upper bound on reaching the server (TCP and TLS handshake), seconds
    /// (default 5, at most `timeout_secs`).
    #[serde(default)]
    connect_timeout_secs: Option<u64>,
    /// A client certificate chain (PEM), for mutual TLS.
    #[serde(default)]
    client_cert_pem: Option<String>,
    /// The client certificate's key (PEM).
    #[serde(default)]
    client_key_pem: Option<String>,
}

/// Makes a refresher of `terminal`'s trust list (the terminal's clock — its
/// `at` option, else the system clock — checks the lists' validity).
/// `config_json`: `{"url": "https://…", "ca_pem": "-----BEGIN
/// CERTIFICATE-----…", "path": "/v1/trust-list", "cache_file": "PATH",
/// "stale_after_secs": 86400, "timeout_secs": 10}`. Nothing is fetched yet.
/// `not_supported` without the `online` feature.
///
/// # Safety
/// `terminal` is a live handle; `config_json` a NUL-terminated string;
/// `refresher` a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_trust_refresher_new(
    terminal: *const VitaleTerminal,
    config_json: *const c_char,
    refresher: *mut *mut VitaleTrustRefresher,
) -> VitaleStatus {
    call(|| {
        // SAFETY: a writable pointer by the caller's contract.
        let out = unsafe { Out::required(refresher, "refresher") }?;
        // SAFETY: a live handle by the caller's contract.
        let t = unsafe { boundary::handle(terminal, "terminal") }?;
        // SAFETY: NUL-terminated by the caller's contract.
        let text = unsafe { boundary::text(config_json, "config_json") }?;
        let config: RefresherConfig = options::parse_required(text, "config")?;
        out.put(into_handle(make(t, &config)?));
        Ok(())
    })
}

/// Frees a refresher, stopping its background thread first (waiting for a
/// refresh in progress, at most one call's timeout). Null is ignored.
///
/// # Safety
/// `refresher` is null or a live handle that no other thread uses any
/// more.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_trust_refresher_free(refresher: *mut VitaleTrustRefresher) {
    let _ = call_keeping_last(|| {
        // SAFETY: the caller's contract is free_handle's.
        unsafe { boundary::free_handle(refresher) };
        VitaleStatus::Ok
    });
}

/// The body of the functions that take a refresher and give JSON.
///
/// # Safety
/// `refresher` is null or a live handle; `json` null or a writable pointer.
unsafe fn with_refresher(
    refresher: *const VitaleTrustRefresher,
    json: *mut *mut c_char,
    body: impl FnOnce(&VitaleTrustRefresher) -> Result<String, Failure>,
) -> VitaleStatus {
    // SAFETY: a writable pointer by the caller's contract.
    let out = unsafe { Out::required(json, "json") };
    call_json(out, || {
        // SAFETY: a live handle by the caller's contract.
        let r = unsafe { boundary::handle(refresher, "refresher") }?;
        body(r)
    })
}

/// At start-up: puts the list kept in `cache_file` back in force when it is
/// newer than the terminal's (so a rolled-back list stays refused after a
/// restart). `*json`: `{"restored": SEQUENCE}` or `{"restored": null}` (no
/// file, or not newer).
///
/// # Safety
/// `refresher` is a live handle; `json` a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_trust_refresher_restore(
    refresher: *const VitaleTrustRefresher,
    json: *mut *mut c_char,
) -> VitaleStatus {
    // SAFETY: the caller's contract is with_refresher's.
    unsafe { with_refresher(refresher, json, restore) }
}

/// Fetches the list now; when it verifies and is newer, writes it to
/// `cache_file` and puts it in force. `*json`: `{"outcome": "updated",
/// "from": 1, "to": 2}` or `{"outcome": "unchanged", "sequence": 2}`.
/// Failures: `trust_list_unavailable` (server unreachable or failing),
/// `trust_list_*` (`trust_list_stale_sequence`: an older list, a
/// rollback), `io`; the list in force stays in every case.
///
/// # Safety
/// `refresher` is a live handle; `json` a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_trust_refresher_refresh(
    refresher: *const VitaleTrustRefresher,
    json: *mut *mut c_char,
) -> VitaleStatus {
    // SAFETY: the caller's contract is with_refresher's.
    unsafe { with_refresher(refresher, json, refresh) }
}

/// The state of the list in force, for a status bar: `{"sequence",
/// "list_age_secs", "expires_in_secs", "last_success" (RFC 3339 or null),
/// "last_failure" (a kind or null), "stale": bool, "running": bool}`
/// (`running`: the background refresh runs).
///
/// # Safety
/// `refresher` is a live handle; `json` a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_trust_refresher_status(
    refresher: *const VitaleTrustRefresher,
    json: *mut *mut c_char,
) -> VitaleStatus {
    // SAFETY: the caller's contract is with_refresher's.
    unsafe { with_refresher(refresher, json, status) }
}

/// Refreshes now and then every `every_secs` seconds (60 to 604800) on a
/// background thread, until [`vitale_trust_refresher_stop`] or the free;
/// failures are kept for [`vitale_trust_refresher_status`]. Starting it
/// again restarts it with the new period.
///
/// # Safety
/// `refresher` is a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_trust_refresher_start(
    refresher: *const VitaleTrustRefresher,
    every_secs: u32,
) -> VitaleStatus {
    call(|| {
        // SAFETY: a live handle by the caller's contract.
        let r = unsafe { boundary::handle(refresher, "refresher") }?;
        start(r, every_secs)
    })
}

/// Stops the background refresh, waiting for a refresh in progress. Does
/// nothing when it does not run.
///
/// # Safety
/// `refresher` is a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vitale_trust_refresher_stop(
    refresher: *const VitaleTrustRefresher,
) -> VitaleStatus {
    call(|| {
        // SAFETY: a live handle by the caller's contract.
        let r = unsafe { boundary::handle(refresher, "refresher") }?;
        stop(r)
    })
}

#[cfg(feature = "online")]
mod enabled {
    use std::sync::{Arc, Mutex, PoisonError};
    use std::time::Duration;

    use serde_json::json;
    use vitale::Terminal;
    use vitale::trust::refresh::{RefreshHandle, RefreshOutcome, TrustListRefresher};
    use vitale::verify::policy::FixedClock;

    use super::{RefresherConfig, VitaleTrustRefresher};
    use crate::boundary::Failure;
    use crate::online::{Endpoint, http_client};
    use crate::terminal::VitaleTerminal;

    /// What the handle holds.
    pub(super) struct Refresher {
        refresher: Arc<TrustListRefresher>,
        terminal: Arc<Terminal>,
        background: Mutex<Option<RefreshHandle>>,
    }

    pub(super) fn make(
        t: &VitaleTerminal,
        config: &RefresherConfig,
    ) -> Result<VitaleTrustRefresher, Failure> {
        let endpoint = Endpoint {
            url: &config.url,
            ca_pem: &config.ca_pem,
            timeout_secs: config.timeout_secs,
            connect_timeout_secs: config.connect_timeout_secs,
            client_cert_pem: config.client_cert_pem.as_deref(),
            client_key_pem: config.client_key_pem.as_deref(),
        };
        let client = http_client(&endpoint, "config")?;
        let path = config.path.as_deref().unwrap_or("/v1/trust-list");
        if !path.starts_with('/') || path.len() > 1024 {
            return Err(Failure::options("config.path", "a path from /"));
        }
        if config.cache_file.is_empty() {
            return Err(Failure::options("config.cache_file", "a file path"));
        }
        let mut refresher = TrustListRefresher::new(client, path, &config.cache_file);
        if let Some(secs) = config.stale_after_secs {
            refresher = refresher.with_stale_after(Duration::from_secs(secs));
        }
        if let Some(at) = t.fixed_now() {
            refresher = refresher.with_clock(Arc::new(FixedClock(at)));
        }
        Ok(VitaleTrustRefresher {
            inner: Refresher {
                refresher: Arc::new(refresher),
                terminal: t.shared(),
                background: Mutex::new(None),
            },
        })
    }

    impl Refresher {
        fn store(&self) -> &vitale::verify::trust::TrustStore {
            self.terminal.verifier().trust_store()
        }

        fn background(&self) -> std::sync::MutexGuard<'_, Option<RefreshHandle>> {
            self.background
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
        }
    }

    pub(super) fn restore(r: &VitaleTrustRefresher) -> Result<String, Failure> {
        let restored = r.inner.refresher.restore(r.inner.store())?;
        Ok(json!({ "restored": restored }).to_string())
    }

    pub(super) fn refresh(r: &VitaleTrustRefresher) -> Result<String, Failure> {
        Ok(match r.inner.refresher.refresh(r.inner.store())? {
            RefreshOutcome::Updated { from, to } => {
                json!({"outcome": "updated", "from": from, "to": to})
            }
            RefreshOutcome::Unchanged { sequence } => {
                json!({"outcome": "unchanged", "sequence": sequence})
            }
            _ => json!({"outcome": "other"}),
        }
        .to_string())
    }

    pub(super) fn status(r: &VitaleTrustRefresher) -> Result<String, Failure> {
        let s = r.inner.refresher.status(r.inner.store());
        let running = r
            .inner
            .background()
            .as_ref()
            .is_some_and(RefreshHandle::is_running);
        Ok(json!({
            "sequence": s.sequence,
            "list_age_secs": s.list_age_secs,
            "expires_in_secs": s.expires_in_secs,
            "last_success": s.last_success.map(|t| t.to_rfc3339()),
            "last_failure": s.last_failure,
            "stale": s.stale,
            "running": running,
        })
        .to_string())
    }

    pub(super) fn start(r: &VitaleTrustRefresher, every_secs: u32) -> Result<(), Failure> {
        if !(60..=604_800).contains(&every_secs) {
            return Err(Failure::abi(
                crate::status::VitaleStatus::InvalidArgument,
                "every_secs: from 60 to 604800",
            ));
        }
        let mut background = r.inner.background();
        if let Some(old) = background.take() {
            old.stop();
        }
        let handle = Arc::clone(&r.inner.refresher).spawn(
            Arc::clone(&r.inner.terminal),
            Duration::from_secs(u64::from(every_secs)),
        );
        *background = Some(handle);
        Ok(())
    }

    pub(super) fn stop(r: &VitaleTrustRefresher) -> Result<(), Failure> {
        let handle = r.inner.background().take();
        if let Some(handle) = handle {
            handle.stop();
        }
        Ok(())
    }
}

#[cfg(feature = "online")]
use enabled::{make, refresh, restore, start, status, stop};

#[cfg(not(feature = "online"))]
mod disabled {
    use super::{RefresherConfig, VitaleTrustRefresher};
    use crate::boundary::Failure;
    use crate::terminal::VitaleTerminal;

    fn no() -> Failure {
        Failure::not_supported("the trust-list refresher", "online")
    }
    pub(super) fn make(
        _: &VitaleTerminal,
        _: &RefresherConfig,
    ) -> Result<VitaleTrustRefresher, Failure> {
        Err(no())
    }
    pub(super) fn restore(_: &VitaleTrustRefresher) -> Result<String, Failure> {
        Err(no())
    }
    pub(super) fn refresh(_: &VitaleTrustRefresher) -> Result<String, Failure> {
        Err(no())
    }
    pub(super) fn status(_: &VitaleTrustRefresher) -> Result<String, Failure> {
        Err(no())
    }
    pub(super) fn start(_: &VitaleTrustRefresher, _: u32) -> Result<(), Failure> {
        Err(no())
    }
    pub(super) fn stop(_: &VitaleTrustRefresher) -> Result<(), Failure> {
        Err(no())
    }
}

#[cfg(not(feature = "online"))]
use disabled::{make, refresh, restore, start, status, stop};
