//! The simulator's certificates, made with `rcgen` at start: a CA that
//! clients pin and the server certificate it signs (for `127.0.0.1`,
//! `::1` and `localhost`); a second, unknown CA and its server certificate
//! (fault `unknown_ca`); and, when the server asks for client
//! certificates, a client CA and a client certificate.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::WebPkiClientVerifier;

use crate::Error;

fn pki(what: &'static str) -> impl Fn(rcgen::Error) -> Error {
    move |_| Error::Online(what)
}

/// A CA: its certificate (PEM and DER) and the issuer that signs with it.
struct Ca {
    pem: String,
    der: CertificateDer<'static>,
    issuer: Issuer<'static, KeyPair>,
}

impl Ca {
    fn new(name: &str) -> Result<Ca, Error> {
        let key = KeyPair::generate().map_err(pki("CA key"))?;
        let mut params = CertificateParams::new(Vec::<String>::new()).map_err(pki("CA"))?;
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let cert = params.self_signed(&key).map_err(pki("CA certificate"))?;
        Ok(Ca {
            pem: cert.pem(),
            der: cert.der().clone(),
            issuer: Issuer::new(params, key),
        })
    }

    /// A leaf certificate and its key, signed by this CA.
    fn leaf(
        &self,
        names: Vec<String>,
        usage: ExtendedKeyUsagePurpose,
    ) -> Result<
        (
            String,
            String,
            CertificateDer<'static>,
            PrivateKeyDer<'static>,
        ),
        Error,
    > {
        let key = KeyPair::generate().map_err(pki("leaf key"))?;
        let mut params = CertificateParams::new(names).map_err(pki("leaf names"))?;
        params
            .distinguished_name
            .push(DnType::CommonName, "vitale-sim");
        params.extended_key_usages = vec![usage];
        let cert = params
            .signed_by(&key, &self.issuer)
            .map_err(pki("leaf certificate"))?;
        let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        Ok((cert.pem(), key.serialize_pem(), cert.der().clone(), key_der))
    }
}

/// The PEM files a client needs.
#[derive(Clone, PartialEq, Eq)]
pub struct PkiFiles {
    /// The CA to pin (`ca.pem`).
    pub ca_pem: String,
    /// The client certificate and key (`client.pem`, `client-key.pem`),
    /// when the server asks for one.
    pub client: Option<(String, String)>,
}

impl core::fmt::Debug for PkiFiles {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PkiFiles")
            .field("client", &self.client.is_some())
            .finish_non_exhaustive()
    }
}

/// The server's TLS configurations.
pub(crate) struct Pki {
    pub(crate) files: PkiFiles,
    /// Certificate from the pinned CA.
    pub(crate) normal: Arc<rustls::ServerConfig>,
    /// Certificate from a CA no client pins (fault `unknown_ca`).
    pub(crate) unknown_ca: Arc<rustls::ServerConfig>,
}

impl Pki {
    pub(crate) fn generate(require_client_cert: bool) -> Result<Pki, Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let names = vec!["127.0.0.1".into(), "::1".into(), "localhost".into()];
        let ca = Ca::new("vitale-sim test CA (not for production)")?;
        let other = Ca::new("vitale-sim unknown CA")?;
        let (_, _, cert, key) = ca.leaf(names.clone(), ExtendedKeyUsagePurpose::ServerAuth)?;
        let (_, _, other_cert, other_key) =
            other.leaf(names, ExtendedKeyUsagePurpose::ServerAuth)?;
        let mut client = None;
        let builder = || {
            rustls::ServerConfig::builder_with_provider(provider.clone())
                .with_safe_default_protocol_versions()
                .map_err(|_| Error::Online("TLS versions"))
        };
        let verifier = if require_client_cert {
            let client_ca = Ca::new("vitale-sim client CA")?;
            let (pem, key_pem, _, _) = client_ca.leaf(
                vec!["workstation.invalid".into()],
                ExtendedKeyUsagePurpose::ClientAuth,
            )?;
            client = Some((pem, key_pem));
            let mut roots = rustls::RootCertStore::empty();
            roots
                .add(client_ca.der.clone())
                .map_err(|_| Error::Online("client CA"))?;
            Some(
                WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                    .build()
                    .map_err(|_| Error::Online("client verifier"))?,
            )
        } else {
            None
        };
        let config = |cert: CertificateDer<'static>, key: PrivateKeyDer<'static>| {
            let b = builder()?;
            let b = match &verifier {
                Some(v) => b.with_client_cert_verifier(v.clone()),
                None => b.with_no_client_auth(),
            };
            b.with_single_cert(vec![cert], key)
                .map(Arc::new)
                .map_err(|_| Error::Online("server certificate"))
        };
        Ok(Pki {
            files: PkiFiles {
                ca_pem: ca.pem.clone(),
                client,
            },
            normal: config(cert, key)?,
            unknown_ca: config(other_cert, other_key)?,
        })
    }
}
