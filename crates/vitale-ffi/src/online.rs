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

    /// Where an HTTPS service is and how to reach it.
    pub(crate) struct Endpoint<'a> {
        /// `https://host:port/base`.
        pub(crate) url: &'a str,
        /// The CA certificate(s) to pin, PEM.
        pub(crate) ca_pem: &'a str,
        /// Upper bound on one call, seconds (default 10).
        pub(crate) timeout_secs: Option<u64>,
        /// Upper bound on reaching the service (TCP connection and TLS
        /// handshake), seconds (default 5, or `timeout_secs` when lower).
        pub(crate) connect_timeout_secs: Option<u64>,
        /// A client certificate chain (PEM), for mutual TLS.
        pub(crate) client_cert_pem: Option<&'a str>,
        /// The client certificate's key (PEM).
        pub(crate) client_key_pem: Option<&'a str>,
    }

    /// Default upper bound on one call.
    const DEFAULT_TIMEOUT_SECS: u64 = 10;
    /// Default upper bound on reaching the service.
    const DEFAULT_CONNECT_TIMEOUT_SECS: u64 = 5;

    /// An HTTPS client of the reference binding: base URL, pinned CA,
    /// timeouts and an optional client certificate (`what` names the
    /// argument in messages).
    pub(crate) fn http_client(endpoint: &Endpoint<'_>, what: &str) -> Result<HttpClient, Failure> {
        let field = |name: &str| format!("{what}.{name}");
        let base = BaseUrl::parse(endpoint.url).map_err(|e| Failure::options(&field("url"), e))?;
        let ca = PinnedCa::from_pem(endpoint.ca_pem.as_bytes())
            .map_err(|e| Failure::options(&field("ca_pem"), e))?;
        let secs = endpoint.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS);
        if secs == 0 || secs > 3_600 {
            return Err(Failure::options(&field("timeout_secs"), "from 1 to 3600"));
        }
        let connect = match endpoint.connect_timeout_secs {
            None => DEFAULT_CONNECT_TIMEOUT_SECS.min(secs),
            Some(c) if (1..=secs).contains(&c) => c,
            Some(_) => {
                return Err(Failure::options(
                    &field("connect_timeout_secs"),
                    "from 1 to timeout_secs",
                ));
            }
        };
        let total = Duration::from_secs(secs);
        let mut config = ClientConfig::new(base, ca).with_timeouts(Timeouts::new(
            Duration::from_secs(connect),
            total,
            total,
        ));
        match (endpoint.client_cert_pem, endpoint.client_key_pem) {
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
        Ok(HttpClient::new(config))
    }

    /// The HTTPS client and the professional of `service`.
    pub(crate) fn client(
        service: &OnlineService,
        what: &str,
    ) -> Result<(HttpClient, ProfessionalIdentity), Failure> {
        let field = |name: &str| format!("{what}.{name}");
        let endpoint = Endpoint {
            url: &service.url,
            ca_pem: &service.ca_pem,
            timeout_secs: service.timeout_secs,
            connect_timeout_secs: service.connect_timeout_secs,
            client_cert_pem: service.client_cert_pem.as_deref(),
            client_key_pem: service.client_key_pem.as_deref(),
        };
        let client = http_client(&endpoint, what)?;
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
            client,
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
pub(crate) use enabled::{Endpoint, client, http_client, token_verifier};
