//! [`HttpRightsService`]: the rights service (ADRi) over the reference
//! protocol (`docs/online.md` §3.5).

use std::sync::Arc;

use vitale_adri::{
    ProfessionalIdentity, RefusalCode, Rights, RightsError, RightsQuery, RightsService,
};

use crate::client::{Call, HttpClient, Idempotency, Method};
use crate::error::HttpError;
use crate::wire::{self, RightsRequest};

/// The reference binding of [`RightsService`]: `POST /v1/rights` with
/// the query and the professional, the answer in the rights model's JSON
/// shape (`docs/rights.md` §5). A read: retried like every idempotent
/// call (the NIR travels in the body, never in the URL).
///
/// Failures map onto [`RightsError`]: the service's codes
/// `patient_unknown` and `professional_unauthorised` to their variants,
/// any other refusal code to [`RightsError::RightsRefused`] (when it fits
/// a [`RefusalCode`]); a malformed or oversized answer to
/// [`RightsError::InvalidAnswer`]; everything else to
/// [`RightsError::Unavailable`] with the [`HttpError`] as its source.
#[derive(Clone, Debug)]
pub struct HttpRightsService {
    client: HttpClient,
    professional: ProfessionalIdentity,
}

impl HttpRightsService {
    /// A service reached by `client`, for `professional`.
    pub fn new(client: HttpClient, professional: ProfessionalIdentity) -> Self {
        HttpRightsService {
            client,
            professional,
        }
    }

    /// The client.
    pub fn client(&self) -> &HttpClient {
        &self.client
    }
}

/// Maps a transport failure onto the rights trait's error (see
/// [`HttpRightsService`]).
pub fn rights_error(e: HttpError) -> RightsError {
    match &e {
        HttpError::Refused { code, .. } => match code.as_str() {
            "patient_unknown" => RightsError::PatientUnknown,
            "professional_unauthorised" => RightsError::Unauthorised,
            other => match RefusalCode::new(other) {
                Some(code) => RightsError::RightsRefused(code),
                None => RightsError::Unavailable(Arc::new(e)),
            },
        },
        HttpError::MalformedAnswer { .. } | HttpError::TooLarge { .. } => {
            RightsError::InvalidAnswer
        }
        _ => RightsError::Unavailable(Arc::new(e)),
    }
}

/// The HTTP failure behind a [`RightsError::Unavailable`] that this
/// binding returned.
pub fn rights_http_error(e: &RightsError) -> Option<&HttpError> {
    match e {
        RightsError::Unavailable(source) => source.downcast_ref::<HttpError>(),
        _ => None,
    }
}

impl RightsService for HttpRightsService {
    fn name(&self) -> &str {
        self.client.config().base_url().host()
    }

    fn rights(&self, query: &RightsQuery) -> Result<Rights, RightsError> {
        let request = RightsRequest {
            professional: self.professional.clone(),
            query: query.clone(),
        };
        let body = serde_json::to_vec(&request).map_err(|_| RightsError::InvalidAnswer)?;
        let answer = self
            .client
            .call(&Call {
                operation: "rights",
                method: Method::Post,
                path: "/v1/rights",
                body: Some(&body),
                idempotency: Idempotency::Idempotent,
            })
            .map_err(rights_error)?;
        wire::parse_rights(&answer.body).map_err(rights_error)
    }
}
