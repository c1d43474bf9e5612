//! The online services' clients (feature `online`): the `token` profile's
//! context service and the rights service, over the reference HTTPS
//! binding (`vitale::http`, `docs/online.md`).

#[cfg(feature = "online")]
mod enabled {
    use std::sync::Arc;
    use std::time::Duration;

    use vitale::adri::{BillingNumber, ProfessionalIdentity, Rpps, SpecialtyCode};
    use vitale::http::{
        BaseUrl, ClientConfig, ClientIdentity, HttpClient, HttpContextService, PinnedCa, Timeouts,
    };
    use vitale::verify::token::TokenVerifier;

    use crate::boundary::Failure;
    use crate::options::OnlineService;

    /// Default upper bound on one call.
    const DEFAULT_TIMEOUT_SECS: u64 = 10;

    /// The HTTPS client and the professional of `service`.
    pub(crate) fn client(
        service: &OnlineService,
        what: &str,
    ) -> Result<(HttpClient, ProfessionalIdentity), Failure> {
        let field = |name: &str| format!("{what}.{name}");
        let base = BaseUrl::parse(&service.url).map_err(|e| Failure::options(&field("url"), e))?;
        let ca = PinnedCa::from_pem(service.ca_pem.as_bytes())
            .map_err(|e| Failure::options(&field("ca_pem"), e))?;
        let total = Duration::from_secs(service.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS));
        let mut config = ClientConfig::new(base, ca).with_timeouts(Timeouts::new(
            total.min(Duration::from_secs(5)),
            total,
            total,
        ));
        match (&service.client_cert_pem, &service.client_key_pem) {
            (Some(cert), Some(key)) => {
                let identity = ClientIdentity::from_pem(cert.as_bytes(), key.as_bytes())
                    .map_err(|e| Failure::options(&field("client_cert_pem"), e))?;
                config = config.with_client_identity(identity);
            }
            (None, None) => {}
            _ => {
                return Err(Failure::options(
                    what,
                    "client_cert_pem and client_key_pem go together",
                ));
            }
        }
        let billing = BillingNumber::parse(&service.billing_number)
            .map_err(|e| Failure::options(&field("billing_number"), e))?;
        let specialty = SpecialtyCode::parse(&service.specialty)
            .map_err(|e| Failure::options(&field("specialty"), e))?;
        let rpps = service
            .rpps
            .as_deref()
            .map(Rpps::parse)
            .transpose()
            .map_err(|e| Failure::options(&field("rpps"), e))?;
        Ok((
            HttpClient::new(config),
            ProfessionalIdentity::new(billing, specialty).with_rpps(rpps),
        ))
    }

    /// The token verifier over the context service of `service`.
    pub(crate) fn token_verifier(service: &OnlineService) -> Result<TokenVerifier, Failure> {
        let (client, professional) = client(service, "context_service")?;
        Ok(TokenVerifier::new(Arc::new(HttpContextService::new(
            client,
            professional,
        ))))
    }
}

#[cfg(feature = "online")]
pub(crate) use enabled::{client, token_verifier};
