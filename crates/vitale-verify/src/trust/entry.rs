//! The checks of one issuer key entry, common to both forms.

use vitale_codec::model::{Timestamp, ValidityWindow};
use x509_cert::der::{Decode as _, Encode as _};

use super::{IssuerKey, IssuerKeyDraft, KeyMaterial, MAX_LABEL_CHARS, kid_of_spki};
use crate::{Error, KeyError, KeyUsage, PublicKey, TrustListError};

/// A signed payload, decoded but not yet checked: the list's header fields
/// and its entries with the kid each declares.
pub(super) struct Parsed {
    pub(super) sequence: u64,
    pub(super) issued_at: Timestamp,
    pub(super) expires_at: Timestamp,
    pub(super) entries: Vec<([u8; 8], IssuerKeyDraft)>,
}

/// The key of an entry: its SPKI DER and, for a certificate, the
/// certificate's validity in Unix seconds (`notBefore`, `notAfter`, both
/// inclusive).
pub(super) struct Material {
    spki: Vec<u8>,
    certificate_validity: Option<(u64, u64)>,
}

impl Material {
    /// The kid this key must be listed under.
    pub(super) fn kid(&self) -> [u8; 8] {
        kid_of_spki(&self.spki)
    }
}

/// Extracts the SPKI from the key material; an SPKI is taken as is (it is
/// parsed by [`check`]), a certificate must parse.
pub(super) fn material(material: &KeyMaterial) -> Result<Material, TrustListError> {
    match material {
        KeyMaterial::Spki(der) => Ok(Material {
            spki: der.clone(),
            certificate_validity: None,
        }),
        KeyMaterial::Certificate(der) => {
            let certificate = x509_cert::Certificate::from_der(der)
                .map_err(|_| TrustListError::BadCertificate)?;
            let tbs = certificate.tbs_certificate();
            let spki = tbs
                .subject_public_key_info()
                .to_der()
                .map_err(|_| TrustListError::BadCertificate)?;
            let validity = tbs.validity();
            let not_before = validity.not_before.to_unix_duration().as_secs();
            let not_after = validity.not_after.to_unix_duration().as_secs();
            Ok(Material {
                spki,
                certificate_validity: Some((not_before, not_after)),
            })
        }
    }
}

/// Checks one entry against the kid it declares.
pub(super) fn check(kid: [u8; 8], draft: IssuerKeyDraft) -> Result<IssuerKey, TrustListError> {
    let IssuerKeyDraft {
        material: key_material,
        not_before,
        expires_at,
        usages,
        label,
    } = draft;
    let material = material(&key_material)?;
    let key = PublicKey::from_spki_der(&material.spki).map_err(|e| match e {
        Error::InvalidPublicKey(reason) => TrustListError::BadKey(reason),
        _ => TrustListError::BadKey(KeyError::MalformedSpki),
    })?;
    if material.kid() != kid {
        return Err(TrustListError::KidMismatch);
    }
    let validity = ValidityWindow::new(not_before, expires_at).ok_or(TrustListError::Malformed)?;
    if let Some((cert_not_before, cert_not_after)) = material.certificate_validity {
        // The entry's window must lie within the certificate's; X.509's
        // notAfter is inclusive, our expires_at is exclusive.
        if not_before.unix() < cert_not_before
            || expires_at.unix() > cert_not_after.saturating_add(1)
        {
            return Err(TrustListError::BadCertificate);
        }
    }
    check_usages(&usages)?;
    if let Some(label) = &label {
        check_label(label)?;
    }
    Ok(IssuerKey {
        kid,
        key,
        validity,
        usages,
        label,
    })
}

/// 1 to 3 usages, strictly increasing by code (hence no duplicates).
pub(super) fn check_usages(usages: &[KeyUsage]) -> Result<(), TrustListError> {
    let increasing = usages.windows(2).all(|pair| match pair {
        [a, b] => a.code() < b.code(),
        _ => false,
    });
    if usages.is_empty() || usages.len() > 3 || !increasing {
        return Err(TrustListError::Malformed);
    }
    Ok(())
}

/// 1 to [`MAX_LABEL_CHARS`] characters, none a control character.
pub(super) fn check_label(label: &str) -> Result<(), TrustListError> {
    let chars = label.chars().count();
    if chars == 0 || chars > MAX_LABEL_CHARS || label.chars().any(char::is_control) {
        return Err(TrustListError::Malformed);
    }
    Ok(())
}
