//! [`HttpContextService`]: the `token` profile's [`ContextService`] over
//! the reference protocol (`docs/online.md` §3).

use std::sync::Arc;

use vitale_codec::TokenText;
use vitale_codec::model::Channel;
use vitale_ins::Nir;
use vitale_verify::token::{Context, ContextError, ContextId, ContextService};

use crate::client::{Call, HttpClient, Idempotency, Method};
use crate::error::HttpError;
use vitale_adri::ProfessionalIdentity;

use crate::wire::{self, OpenRequest, SignAnswer, SignRequest};

/// The reference binding of [`ContextService`]: contexts (*contextes
/// ApCV*) opened, restored, closed and used for signing over HTTPS, on
/// behalf of one professional.
///
/// | operation | request | retried |
/// |---|---|---|
/// | `open` | `POST /v1/contexts` | yes, under an `Idempotency-Key` |
/// | `restore` | `GET /v1/contexts/{id}` | yes |
/// | `close` | `DELETE /v1/contexts/{id}` | yes |
/// | `sign_hash` | `POST /v1/contexts/{id}/signatures` | yes, under an `Idempotency-Key` |
///
/// Failures map onto [`ContextError`]: the service's codes
/// `token_refused`, `unknown_context`, `context_expired` and
/// `professional_unauthorised` to their variants; a malformed or oversized
/// answer to [`ContextError::InvalidAnswer`]; everything else (timeout,
/// unreachable, TLS, HTTP status, another code) to
/// [`ContextError::Unavailable`] with the [`HttpError`] as its source.
///
/// ```no_run
/// use std::sync::Arc;
/// use vitale_adri::{BillingNumber, ProfessionalIdentity, SpecialtyCode};
/// use vitale_http::{BaseUrl, ClientConfig, HttpClient, HttpContextService, PinnedCa};
/// use vitale_verify::token::TokenVerifier;
///
/// let ca = PinnedCa::from_pem(&std::fs::read("ca.pem")?)?;
/// let config = ClientConfig::new(BaseUrl::parse("https://contexts.example")?, ca);
/// let professional =
///     ProfessionalIdentity::new(BillingNumber::parse("991234567")?, SpecialtyCode::parse("01")?);
/// let service = HttpContextService::new(HttpClient::new(config), professional);
/// let verifier = TokenVerifier::new(Arc::new(service));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct HttpContextService {
    client: HttpClient,
    professional: ProfessionalIdentity,
}

impl HttpContextService {
    /// A service reached by `client`, for `professional`.
    pub fn new(client: HttpClient, professional: ProfessionalIdentity) -> Self {
        HttpContextService {
            client,
            professional,
        }
    }

    /// The client.
    pub fn client(&self) -> &HttpClient {
        &self.client
    }

    /// The professional.
    pub fn professional(&self) -> &ProfessionalIdentity {
        &self.professional
    }
}

/// `/v1/contexts/{id}` with the id percent-encoded where it is not
/// unreserved (`:`), and a dot-only id fully encoded (no `.`/`..` path
/// segment).
pub fn context_path(id: &ContextId) -> String {
    let text = id.as_str();
    let dots_only = text.bytes().all(|b| b == b'.');
    let mut path = String::from("/v1/contexts/");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_~".contains(&b) || (b == b'.' && !dots_only) {
            path.push(char::from(b));
        } else {
            path.push_str(&format!("%{b:02X}"));
        }
    }
    path
}

/// Maps a transport failure onto the trait's error (see
/// [`HttpContextService`]).
pub fn context_error(e: HttpError) -> ContextError {
    match &e {
        HttpError::Refused { code, .. } => match code.as_str() {
            "token_refused" => ContextError::TokenRefused,
            "unknown_context" => ContextError::UnknownContext,
            "context_expired" => ContextError::ContextExpired,
            "professional_unauthorised" => ContextError::Unauthorised,
            _ => ContextError::Unavailable(Arc::new(e)),
        },
        HttpError::MalformedAnswer { .. } | HttpError::TooLarge { .. } => {
            ContextError::InvalidAnswer
        }
        _ => ContextError::Unavailable(Arc::new(e)),
    }
}

/// The HTTP failure behind a [`ContextError::Unavailable`] that this
/// binding returned (timeout, TLS, status…), to tell the operator more
/// than "unavailable".
pub fn http_error(e: &ContextError) -> Option<&HttpError> {
    match e {
        ContextError::Unavailable(source) => source.downcast_ref::<HttpError>(),
        _ => None,
    }
}

impl ContextService for HttpContextService {
    fn name(&self) -> &str {
        self.client.config().base_url().host()
    }

    fn open(&self, token: &TokenText, channel: Channel) -> Result<Context, ContextError> {
        let request = OpenRequest {
            token: token.as_str().to_owned(),
            channel: wire::channel_name(channel).to_owned(),
            professional: self.professional.clone(),
        };
        let body = serde_json::to_vec(&request).map_err(|_| ContextError::InvalidAnswer)?;
        let answer = self
            .client
            .call(&Call {
                operation: "open_context",
                method: Method::Post,
                path: "/v1/contexts",
                body: Some(&body),
                idempotency: Idempotency::WithKey,
            })
            .map_err(context_error)?;
        wire::parse_context(&answer.body).map_err(context_error)
    }

    fn restore(&self, id: &ContextId) -> Result<Context, ContextError> {
        let path = context_path(id);
        let answer = self
            .client
            .call(&Call {
                operation: "restore_context",
                method: Method::Get,
                path: &path,
                body: None,
                idempotency: Idempotency::Idempotent,
            })
            .map_err(context_error)?;
        wire::parse_context(&answer.body).map_err(context_error)
    }

    fn close(&self, id: &ContextId) -> Result<(), ContextError> {
        let path = context_path(id);
        self.client
            .call(&Call {
                operation: "close_context",
                method: Method::Delete,
                path: &path,
                body: None,
                idempotency: Idempotency::Idempotent,
            })
            .map(|_| ())
            .map_err(context_error)
    }

    fn sign_hash(
        &self,
        id: &ContextId,
        insured: &Nir,
        digest: &[u8; 32],
    ) -> Result<Vec<u8>, ContextError> {
        let path = format!("{}/signatures", context_path(id));
        let body = serde_json::to_vec(&SignRequest::new(insured.clone(), digest))
            .map_err(|_| ContextError::InvalidAnswer)?;
        let answer = self
            .client
            .call(&Call {
                operation: "sign_hash",
                method: Method::Post,
                path: &path,
                body: Some(&body),
                idempotency: Idempotency::WithKey,
            })
            .map_err(context_error)?;
        SignAnswer::parse(&answer.body).map_err(context_error)
    }
}

#[cfg(test)]
mod tests;
