//! Reference HTTPS bindings of the vitale-sdk's online traits.
//!
//! The official ApCV specification is not public. This crate speaks the
//! SDK's own JSON protocol, normative in `docs/online.md`; a vendor
//! holding the official specification implements the same traits
//! ([`vitale_verify::token::ContextService`]) over the official services
//! instead, and nothing else changes. The same goes for the rights service
//! ([`vitale_adri::RightsService`]).
//!
//! * [`HttpClient`] — a blocking HTTPS client ([`ureq`] over rustls with
//!   the `ring` provider): the pinned CA as the only trust anchor, an
//!   optional client certificate, connect/read/total [`Timeouts`],
//!   bounded retries with jittered exponential backoff ([`RetryPolicy`])
//!   only for calls that may be sent twice ([`Idempotency`]) and only on
//!   transient failures, a response size limit, and a `tracing` span per
//!   call that holds no personal data;
//! * [`HttpContextService`] — the `token` profile's context service
//!   (*contexte ApCV*: open, restore, close, sign the FSE hash);
//! * [`HttpRightsService`] — the rights service (ADRi,
//!   [`vitale_adri::RightsService`]);
//! * [`wire`] — the protocol's JSON bodies and their bounded parsers, for
//!   clients and for servers (the simulator uses them);
//! * [`HttpError`] — every failure, each with a stable [`HttpError::kind`].
//!
//! ```no_run
//! use std::sync::Arc;
//! use std::time::Duration;
//! use vitale_adri::{BillingNumber, ProfessionalIdentity, SpecialtyCode};
//! use vitale_http::{BaseUrl, ClientConfig, HttpClient, HttpContextService, PinnedCa};
//! use vitale_http::{RetryPolicy, Timeouts};
//! use vitale_verify::token::TokenVerifier;
//!
//! let ca = PinnedCa::from_pem(&std::fs::read("/etc/vitale/ca.pem")?)?;
//! let config = ClientConfig::new(BaseUrl::parse("https://contexts.example:8443")?, ca)
//!     .with_timeouts(Timeouts::new(
//!         Duration::from_secs(3),
//!         Duration::from_secs(10),
//!         Duration::from_secs(20),
//!     ))
//!     .with_retry(RetryPolicy::new(3, Duration::from_millis(200), Duration::from_secs(2)));
//! let professional =
//!     ProfessionalIdentity::new(BillingNumber::parse("991234567")?, SpecialtyCode::parse("01")?);
//! let service = HttpContextService::new(HttpClient::new(config), professional);
//! let verifier = TokenVerifier::new(Arc::new(service));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
mod config;
mod context;
mod error;
mod rights;
pub mod wire;

pub use client::{Answer, Call, HttpClient, Idempotency, Method};
pub use config::{BaseUrl, ClientConfig, ClientIdentity, PinnedCa, RetryPolicy, Timeouts};
pub use context::{HttpContextService, context_error, context_path, http_error};
pub use error::{HttpError, ServiceCode, TimeoutPhase};
pub use rights::{HttpRightsService, rights_error, rights_http_error};
/// The professional's identity sent with each call (`vitale-adri`'s type).
pub use vitale_adri::ProfessionalIdentity;

/// The TLS library, so that users name the same version.
pub use rustls;
