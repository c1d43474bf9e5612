#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::sync::Mutex;

use time::macros::date;
use vitale_ins::Nir;

use super::{RefusalCode, RightsError, RightsService};
use crate::fixtures::{builder, open};
use crate::{BeneficiaryId, Rights, RightsQuery};

/// A service over an in-memory table, failing on demand: enough to check
/// that the trait is object-safe and its errors travel as documented.
struct Table {
    known: Nir,
    fail: Mutex<Option<RightsError>>,
}

impl RightsService for Table {
    fn name(&self) -> &str {
        "table"
    }

    fn rights(&self, query: &RightsQuery) -> Result<Rights, RightsError> {
        if let Some(e) = self
            .fail
            .lock()
            .map_err(|_| RightsError::InvalidAnswer)?
            .take()
        {
            return Err(e);
        }
        match query.beneficiary() {
            BeneficiaryId::CertifiedNir(nir) if *nir == self.known => {
                Ok(builder().amo_period(open(date!(2026 - 01 - 01))).build()?)
            }
            _ => Err(RightsError::PatientUnknown),
        }
    }
}

fn query(nir: &str) -> RightsQuery {
    RightsQuery::new(
        date!(2026 - 11 - 21),
        BeneficiaryId::CertifiedNir(Nir::parse(nir).unwrap()),
    )
    .unwrap()
}

#[test]
fn a_service_is_a_shareable_trait_object() {
    let service: std::sync::Arc<dyn RightsService> = std::sync::Arc::new(Table {
        known: Nir::parse("184037510821010").unwrap(),
        fail: Mutex::new(None),
    });
    let rights = service.rights(&query("184037510821010")).unwrap();
    assert!(rights.on(date!(2026 - 11 - 21)).is_amo_open());
    assert_eq!(
        service.rights(&query("283052A00100125")).unwrap_err(),
        RightsError::PatientUnknown
    );
}

#[test]
fn errors_have_stable_kinds_and_keep_the_refusal_code() {
    let refused = RightsError::RightsRefused(RefusalCode::new("ADR-0042").unwrap());
    let cases = [
        (RightsError::PatientUnknown, "patient_unknown"),
        (refused.clone(), "rights_refused"),
        (RightsError::Unauthorised, "rights_unauthorised"),
        (RightsError::InvalidAnswer, "rights_invalid_answer"),
        (
            RightsError::unavailable(std::io::Error::other("timeout")),
            "rights_unavailable",
        ),
    ];
    for (e, kind) in cases {
        assert_eq!(e.kind(), kind);
    }
    assert!(refused.to_string().contains("ADR-0042"));
    assert_ne!(
        refused,
        RightsError::RightsRefused(RefusalCode::new("ADR-0043").unwrap())
    );
    // Sources are shared and not compared.
    assert_eq!(
        RightsError::unavailable(std::io::Error::other("a")),
        RightsError::unavailable(std::io::Error::other("b"))
    );
    let unavailable = RightsError::unavailable(std::io::Error::other("x"));
    assert!(std::error::Error::source(&unavailable).is_some());
}

#[test]
fn a_failing_backend_travels_as_its_error() {
    let service = Table {
        known: Nir::parse("184037510821010").unwrap(),
        fail: Mutex::new(Some(RightsError::Unauthorised)),
    };
    assert_eq!(
        service.rights(&query("184037510821010")).unwrap_err(),
        RightsError::Unauthorised
    );
    assert!(service.rights(&query("184037510821010")).is_ok());
}

#[test]
fn refusal_codes_are_codes() {
    assert!(RefusalCode::new("ADR_01.2:x-y").is_some());
    for bad in ["", "a b", "é", "x\n", &"A".repeat(33)] {
        assert!(RefusalCode::new(bad).is_none(), "{bad:?}");
    }
    assert_eq!(RefusalCode::new("A1").unwrap().as_str(), "A1");
}

#[test]
fn an_invalid_answer_maps_to_invalid_answer() {
    let e: RightsError = crate::Error::Invalid("x").into();
    assert_eq!(e, RightsError::InvalidAnswer);
}
