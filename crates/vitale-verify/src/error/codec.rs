//! Codec failures as verification errors: most are [`Error::Malformed`],
//! those a vendor must tell apart get their own variant.

use super::{AlgorithmLabel, Error};

impl From<vitale_codec::Error> for Error {
    /// Codec errors become [`Error::Malformed`], except those a vendor must
    /// tell apart, wherever they occur — in the presentation or in the
    /// credential or delegation it embeds
    /// ([`vitale_codec::Error::innermost`]): an unsupported or missing
    /// algorithm, an unknown critical header, a header the profile does not
    /// allow, a non-empty unprotected header, an input above its size limit
    /// ([`Error::TooLarge`]), an unsupported version, and a presentation
    /// living longer than the format allows
    /// ([`Error::PresentationLifetime`]).
    fn from(e: vitale_codec::Error) -> Self {
        classify(e.innermost()).unwrap_or(Error::Malformed(e))
    }
}

/// The [`Error`] of a codec failure that has its own kind, if it has one.
fn classify(e: &vitale_codec::Error) -> Option<Error> {
    use vitale_codec::Error as Codec;
    use vitale_codec::base45::Base45Error;
    use vitale_codec::cbor::CborError;
    use vitale_codec::cose::CoseError;
    use vitale_codec::{ModelError, TextError};
    Some(match e {
        Codec::Cose(CoseError::UnsupportedAlgorithm(label)) => {
            Error::UnsupportedAlgorithm(match label.parse::<i64>() {
                Ok(id) => AlgorithmLabel::Cose(id),
                Err(_) => AlgorithmLabel::Text,
            })
        }
        Codec::Cose(CoseError::MissingAlgorithm) => {
            Error::UnsupportedAlgorithm(AlgorithmLabel::Absent)
        }
        Codec::Cose(CoseError::UnknownCriticalHeader(_)) => Error::UnknownCriticalHeader,
        Codec::Cose(CoseError::UnexpectedHeader(_)) => Error::UnexpectedHeader,
        Codec::Cose(CoseError::UnprotectedHeader) => Error::UnprotectedHeader,
        Codec::Cbor(CborError::TooLarge { size, limit })
        | Codec::Cose(CoseError::Cbor(CborError::TooLarge { size, limit })) => Error::TooLarge {
            size: *size,
            limit: *limit,
        },
        Codec::Text(
            TextError::TextTooLong { len, max }
            | TextError::PresentationTooLarge { len, max }
            | TextError::Base45(Base45Error::TooLong { len, max }),
        ) => Error::TooLarge {
            size: *len,
            limit: *max,
        },
        Codec::Model(ModelError::UnsupportedVersion(version)) => {
            Error::UnsupportedVersion { version: *version }
        }
        Codec::Model(ModelError::PresentationLifetime { secs }) => {
            Error::PresentationLifetime { secs: *secs }
        }
        _ => return None,
    })
}
