//! The token verifier against an in-memory context service that keeps its
//! contexts like a real one would (open, restore, close, expiry).

use std::collections::HashMap;
use std::sync::Mutex;

use vitale_ins::{BirthDate, Sex};
use vitale_model::{
    Beneficiary, BirthRank, ManagementCode, Organisation, PersonName, QualityCode, Rank,
};

use super::*;

struct Fixed(u64);
impl Clock for Fixed {
    fn now(&self) -> Timestamp {
        Timestamp::from_unix(self.0).unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

/// Opens one context per known token, valid 30 minutes from `opened_at`.
struct Service {
    tokens: HashMap<String, (Insured, Beneficiaries)>,
    open: Mutex<HashMap<String, Context>>,
    opened_at: u64,
    down: bool,
}

impl ContextService for Service {
    fn name(&self) -> &str {
        "in-memory"
    }
    fn open(&self, token: &TokenText, channel: Channel) -> Result<Context, ContextError> {
        if self.down {
            return Err(ContextError::unavailable(std::io::Error::other(
                "connection refused",
            )));
        }
        let (insured, beneficiaries) = self
            .tokens
            .get(token.as_str())
            .ok_or(ContextError::TokenRefused)?;
        let mut open = self.open.lock().map_err(|_| ContextError::InvalidAnswer)?;
        let id = ContextId::new(&format!("ctx-{}", open.len() + 1))
            .ok_or(ContextError::InvalidAnswer)?;
        let valid_until =
            Timestamp::from_unix(self.opened_at + 1800).ok_or(ContextError::InvalidAnswer)?;
        let context = Context::new(
            id,
            valid_until,
            channel,
            insured.clone(),
            beneficiaries.clone(),
        );
        open.insert(context.id.as_str().to_owned(), context.clone());
        Ok(context)
    }
    fn restore(&self, id: &ContextId) -> Result<Context, ContextError> {
        let open = self.open.lock().map_err(|_| ContextError::InvalidAnswer)?;
        open.get(id.as_str())
            .cloned()
            .ok_or(ContextError::UnknownContext)
    }
    fn close(&self, id: &ContextId) -> Result<(), ContextError> {
        let mut open = self.open.lock().map_err(|_| ContextError::InvalidAnswer)?;
        open.remove(id.as_str())
            .map(|_| ())
            .ok_or(ContextError::UnknownContext)
    }
    fn sign_hash(
        &self,
        id: &ContextId,
        _: &Nir,
        digest: &[u8; 32],
    ) -> Result<Vec<u8>, ContextError> {
        self.restore(id)?;
        Ok(digest.to_vec())
    }
}

const TOKEN: &str = "TOKEN-0123456789-ABCDEF";
const T0: u64 = 1_795_334_400;

fn service(down: bool) -> Arc<Service> {
    let insured = Insured::new(
        Nir::parse("184037510821010").unwrap(),
        Organisation::new("01", "751", "0001").unwrap(),
        ManagementCode::new("10").unwrap(),
    );
    let b = Beneficiary::new(
        Rank::new(1).unwrap(),
        QualityCode::new(0).unwrap(),
        PersonName::new("MARTIN").unwrap(),
        PersonName::new("JEAN").unwrap(),
        Sex::Male,
        BirthDate::parse("19840315").unwrap(),
        BirthRank::new(1).unwrap(),
    );
    let list = Beneficiaries::new(vec![b]).unwrap();
    Arc::new(Service {
        tokens: HashMap::from([(TOKEN.to_owned(), (insured, list))]),
        open: Mutex::new(HashMap::new()),
        opened_at: T0,
        down,
    })
}

fn token(text: &str) -> TokenText {
    TokenText::parse(text).unwrap()
}

#[test]
fn a_known_token_gives_a_card_with_online_provenance() {
    let service = service(false);
    let verifier = TokenVerifier::new(service.clone()).with_clock(Fixed(T0 + 5));
    let card = verifier.verify(&token(TOKEN), Channel::Qr).unwrap();
    assert_eq!(card.insured().nir().as_str(), "184037510821010");
    assert_eq!(card.beneficiaries().len(), 1);
    let online = card.provenance().online().unwrap();
    assert_eq!(online.context_id().as_str(), "ctx-1");
    assert_eq!(online.service(), "in-memory");
    assert_eq!(online.valid_until().unix(), T0 + 1800);
    assert_eq!(card.provenance().channel(), Channel::Qr);
    assert_eq!(card.provenance().verified_at().unix(), T0 + 5);
    assert!(card.provenance().offline().is_none());
    // The same context restored (after a restart), then closed.
    let again = verifier.restore(online.context_id()).unwrap();
    assert_eq!(again.insured(), card.insured());
    service.close(online.context_id()).unwrap();
    assert_eq!(
        verifier.restore(online.context_id()).unwrap_err().kind(),
        "context_unknown"
    );
}

#[test]
fn each_failure_has_its_kind() {
    let verifier = TokenVerifier::new(service(false)).with_clock(Fixed(T0));
    let unknown = verifier.verify(&token("SOMEONE-ELSES-TOKEN"), Channel::Nfc);
    assert_eq!(unknown.unwrap_err().kind(), "token_refused");

    let late = TokenVerifier::new(service(false)).with_clock(Fixed(T0 + 1800));
    assert_eq!(
        late.verify(&token(TOKEN), Channel::Qr).unwrap_err(),
        Error::Context(ContextError::ContextExpired)
    );

    let down = TokenVerifier::new(service(true));
    let e = down.verify(&token(TOKEN), Channel::Qr).unwrap_err();
    assert_eq!(e.kind(), "context_unavailable");
    let source = std::error::Error::source(&e).and_then(std::error::Error::source);
    assert_eq!(
        source.map(ToString::to_string).as_deref(),
        Some("connection refused")
    );
}

#[test]
fn context_ids_are_validated() {
    assert!(ContextId::new("a1-B2_c3.d4~e5:f6").is_some());
    for bad in ["", "has space", "é", &"x".repeat(129)] {
        assert!(ContextId::new(bad).is_none(), "{bad}");
    }
}
