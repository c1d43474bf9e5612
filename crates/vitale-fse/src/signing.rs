//! Hashing and signing a care sheet, in two phases.
//!
//! [`CareSheet::prepare`] encodes the sheet (deterministic CBOR) and hashes
//! it (SHA-256): the digest is "the hash of the FSE". It is then signed
//! either by a [`Signer`] (the `open` profile: the professional's software
//! P-256 key, or an HSM or card behind the trait) or by the online context
//! service (the `token` profile: `ContextService::sign_hash`, which public
//! integrator code calls *signerVitale*). The result, [`SignedSheet`],
//! carries the exact bytes that were signed, so the signature can be
//! checked later; any change to a signed sheet makes the check fail.

use sha2::{Digest, Sha256};
use vitale_codec::cbor::{self, Value};
use vitale_verify::token::{ContextId, ContextService};
use vitale_verify::{PublicKey, Signature, SignatureBackend, Signer};

use crate::Error;
use crate::sheet::{CareSheet, MAX_SHEET_BYTES};

/// Largest signed sheet (the sheet plus the signature and its label).
pub const MAX_SIGNED_BYTES: usize = MAX_SHEET_BYTES + 1024;

/// A sheet encoded and hashed, ready to be signed.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SheetToSign {
    sheet: CareSheet,
    cbor: Vec<u8>,
    digest: [u8; 32],
}

impl CareSheet {
    /// Encodes and hashes the sheet (phase one).
    pub fn prepare(self) -> SheetToSign {
        let cbor = self.to_cbor();
        let digest = Sha256::digest(&cbor).into();
        SheetToSign {
            sheet: self,
            cbor,
            digest,
        }
    }
}

/// How a sheet was signed.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum SheetSignature {
    /// ES256 by a [`Signer`]: `r ‖ s` over SHA-256 of the sheet, and the
    /// signer's key identifier when it knows it.
    Es256 {
        /// The signature.
        signature: Signature,
        /// The key identifier (first 8 bytes of SHA-256 of the key's SPKI).
        kid: Option<[u8; 8]>,
    },
    /// By an online context service over the sheet's digest; the bytes are
    /// the service's, opaque to the SDK (only the service can check them).
    Context {
        /// The context under which the service signed.
        context_id: ContextId,
        /// The service's signature bytes (at most 1 KiB).
        signature: Vec<u8>,
    },
}

impl SheetToSign {
    /// The sheet.
    pub fn sheet(&self) -> &CareSheet {
        &self.sheet
    }

    /// The encoded sheet: the bytes the digest is taken over.
    pub fn cbor(&self) -> &[u8] {
        &self.cbor
    }

    /// SHA-256 of [`SheetToSign::cbor`]: what a remote signer signs.
    pub fn digest(&self) -> &[u8; 32] {
        &self.digest
    }

    /// Signs with a [`Signer`] (phase two, `open` profile).
    ///
    /// # Errors
    /// [`Error::Signing`] when the signer fails.
    pub fn sign(self, signer: &dyn Signer) -> Result<SignedSheet, Error> {
        let signature = signer
            .sign_digest(&self.digest)
            .map_err(|e| Error::Signing(e.to_string()))?;
        Ok(self.complete(SheetSignature::Es256 {
            signature,
            kid: signer.kid(),
        }))
    }

    /// Has the context service sign the digest for the sheet's insured
    /// person (phase two, `token` profile).
    ///
    /// # Errors
    /// [`Error::Signing`] when the service fails or answers more than
    /// 1 KiB.
    pub fn sign_with_context(
        self,
        service: &dyn ContextService,
        context: &ContextId,
    ) -> Result<SignedSheet, Error> {
        let signature = service
            .sign_hash(context, &self.sheet.patient.insured_nir, &self.digest)
            .map_err(|e| Error::Signing(e.kind().to_owned()))?;
        if signature.is_empty() || signature.len() > 1024 {
            return Err(Error::Signing("context service signature size".to_owned()));
        }
        Ok(self.complete(SheetSignature::Context {
            context_id: context.clone(),
            signature,
        }))
    }

    /// Attaches a signature made elsewhere over [`SheetToSign::digest`]
    /// (phase two, any signer). [`SignedSheet::verify`] checks ES256 ones.
    pub fn complete(self, signature: SheetSignature) -> SignedSheet {
        let how = match &signature {
            SheetSignature::Es256 { .. } => "es256",
            SheetSignature::Context { .. } => "context",
        };
        tracing::info!(invoice = %self.sheet.number, signature = how, "care sheet signed");
        SignedSheet {
            sheet: self.sheet,
            cbor: self.cbor,
            signature,
        }
    }
}

/// A signed care sheet: the signed bytes and the signature.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SignedSheet {
    sheet: CareSheet,
    cbor: Vec<u8>,
    signature: SheetSignature,
}

impl SignedSheet {
    /// The sheet.
    pub fn sheet(&self) -> &CareSheet {
        &self.sheet
    }

    /// The signature.
    pub fn signature(&self) -> &SheetSignature {
        &self.signature
    }

    /// The sheet's deterministic CBOR: the bytes that were hashed and
    /// signed.
    pub fn signed_bytes(&self) -> &[u8] {
        &self.cbor
    }

    /// SHA-256 of the signed sheet bytes.
    pub fn digest(&self) -> [u8; 32] {
        Sha256::digest(&self.cbor).into()
    }

    /// The signed sheet as CBOR: `[sheet bytes, "es256", signature, kid or
    /// null]` or `[sheet bytes, "context", signature, context id]`.
    pub fn to_cbor(&self) -> Vec<u8> {
        let (label, sig, extra) = match &self.signature {
            SheetSignature::Es256 { signature, kid } => (
                "es256",
                signature.to_bytes().to_vec(),
                kid.map_or(Value::Null, |k| Value::Bytes(k.to_vec())),
            ),
            SheetSignature::Context {
                context_id,
                signature,
            } => (
                "context",
                signature.clone(),
                Value::Text(context_id.as_str().to_owned()),
            ),
        };
        let value = Value::Array(vec![
            Value::Bytes(self.cbor.clone()),
            Value::Text(label.to_owned()),
            Value::Bytes(sig),
            extra,
        ]);
        cbor::encode(&value).unwrap_or_default()
    }

    /// Reads a signed sheet (the sheet is decoded with all its checks; the
    /// signature is **not** checked: call [`SignedSheet::verify`]).
    ///
    /// # Errors
    /// [`Error::Encoding`], or the sheet's own decoding errors.
    pub fn from_cbor(bytes: &[u8]) -> Result<SignedSheet, Error> {
        let value = cbor::decode(bytes, MAX_SIGNED_BYTES, 2).map_err(|_| {
            Error::Encoding("signed sheet: not deterministic CBOR within the limits")
        })?;
        let Value::Array(items) = value else {
            return Err(Error::Encoding("signed sheet: not an array"));
        };
        let [
            Value::Bytes(cbor),
            Value::Text(label),
            Value::Bytes(sig),
            extra,
        ] = items.as_slice()
        else {
            return Err(Error::Encoding("signed sheet: shape"));
        };
        let signature = match (label.as_str(), extra) {
            ("es256", kid) => SheetSignature::Es256 {
                signature: Signature::from_slice(sig)
                    .map_err(|_| Error::Encoding("signed sheet: signature"))?,
                kid: match kid {
                    Value::Null => None,
                    Value::Bytes(k) => Some(
                        k.as_slice()
                            .try_into()
                            .map_err(|_| Error::Encoding("signed sheet: kid"))?,
                    ),
                    _ => return Err(Error::Encoding("signed sheet: kid")),
                },
            },
            ("context", Value::Text(id)) if !sig.is_empty() && sig.len() <= 1024 => {
                SheetSignature::Context {
                    context_id: ContextId::new(id)
                        .ok_or(Error::Encoding("signed sheet: context id"))?,
                    signature: sig.clone(),
                }
            }
            _ => return Err(Error::Encoding("signed sheet: signature kind")),
        };
        let sheet = CareSheet::from_cbor(cbor)?;
        Ok(SignedSheet {
            sheet,
            cbor: cbor.clone(),
            signature,
        })
    }

    /// Checks an ES256 signature with the signer's public key.
    ///
    /// # Errors
    /// [`Error::SignatureInvalid`] when it does not verify, or when the
    /// sheet was signed by a context service (whose signature only the
    /// service can check).
    pub fn verify(
        &self,
        key: &PublicKey,
        backend: &dyn SignatureBackend,
    ) -> Result<&CareSheet, Error> {
        match &self.signature {
            SheetSignature::Es256 { signature, .. } => backend
                .verify_es256(key, &self.cbor, signature)
                .map(|()| &self.sheet)
                .map_err(|_| Error::SignatureInvalid),
            SheetSignature::Context { .. } => Err(Error::SignatureInvalid),
        }
    }
}
