//! The crate's error type: why a value cannot be a rights value.

/// Why a query, an answer or an identifier cannot be built or read.
///
/// No variant carries the refused value, so errors never leak personal
/// data; [`Error::kind`] gives a stable snake_case code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A field's value is out of its domain (`0` names the field and the
    /// rule, never the value).
    #[error("invalid {0}")]
    Invalid(&'static str),
    /// A list holds more entries than the answer allows.
    #[error("{what}: {found} entries, at most {max} allowed")]
    TooMany {
        /// Which list.
        what: &'static str,
        /// How many were given.
        found: usize,
        /// The limit.
        max: usize,
    },
    /// A period ends before it starts.
    #[error("{0}: ends before it starts")]
    PeriodReversed(&'static str),
    /// Two periods that must not overlap do (e.g. C2S and AME).
    #[error("{0}: overlapping periods")]
    Overlap(&'static str),
    /// A JSON document is larger than the limit, refused before parsing.
    #[error("JSON document of {found} bytes, at most {max} allowed")]
    TooLarge {
        /// Size of the document.
        found: usize,
        /// The limit.
        max: usize,
    },
    /// A JSON document could not be read (syntax, shape or a refused
    /// value). Only the position is kept: the parser's own message may
    /// quote the input, which can be personal data.
    #[error("malformed rights JSON at line {line}, column {column}")]
    Json {
        /// Line of the failure (1-based; 0 at end of input).
        line: usize,
        /// Column of the failure (1-based).
        column: usize,
    },
    /// An identity value (NIR, birth date…) is invalid.
    #[error(transparent)]
    Identity(#[from] vitale_ins::Error),
    /// A card-domain value (organisation, rank, AMC…) is invalid.
    #[error(transparent)]
    Model(#[from] vitale_model::Error),
}

impl Error {
    /// The stable snake_case kind of this error.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Invalid(_) => "rights_invalid_value",
            Error::TooMany { .. } => "rights_too_many_entries",
            Error::PeriodReversed(_) => "rights_period_reversed",
            Error::Overlap(_) => "rights_periods_overlap",
            Error::TooLarge { .. } => "rights_json_too_large",
            Error::Json { .. } => "rights_json_malformed",
            Error::Identity(_) => "rights_identity_invalid",
            Error::Model(_) => "rights_model_invalid",
        }
    }
}
