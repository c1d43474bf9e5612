//! The simulated context service behind the HTTP layer: tokens, contexts,
//! signatures and idempotency keys, all in bounded memory.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use serde_json::json;
use sha2::{Digest, Sha256};
use vitale::codec::model::Timestamp;
use vitale::verify::Signer as _;
use vitale::verify::token::{Context, ContextId};
use vitale_http::wire::{self, OpenRequest, RightsRequest, SignAnswer, SignRequest};

use super::Fault;
use super::http::{Request, Response};
use super::rights;
use super::token::{TokenClaims, TokenIssuer};
use crate::Error;
use crate::people::Household;
use crate::seed::{KeyPair, Seed};

/// Most contexts kept at once (open, closed or expired ones are dropped
/// first when full).
pub(crate) const MAX_CONTEXTS: usize = 10_000;
/// Most used tokens remembered (expired ones are dropped first).
pub(crate) const MAX_USED_TOKENS: usize = 100_000;
/// Most idempotency keys remembered (the oldest is dropped).
pub(crate) const MAX_IDEMPOTENCY_KEYS: usize = 4_096;
/// Longest token lifetime the token endpoint grants, in seconds.
pub(crate) const MAX_TOKEN_LIFETIME_SECS: u64 = 3_600;

/// Which operation a request was, for the statistics.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Operation {
    Open,
    Restore,
    Close,
    Sign,
    Rights,
    Token,
    TrustList,
    Other,
}

struct Entry {
    household: usize,
    channel: vitale::codec::model::Channel,
    valid_until: Timestamp,
    closed: bool,
}

struct Remembered {
    fingerprint: [u8; 32],
    response: Response,
}

#[derive(Default)]
struct Store {
    contexts: HashMap<String, Entry>,
    opened: u64,
    issued: u64,
    used_tokens: HashMap<(u8, u64), u64>,
    keys: HashMap<String, Remembered>,
    key_order: VecDeque<String>,
}

/// The service's state.
pub(crate) struct Service {
    seed: Seed,
    issuer: TokenIssuer,
    signer: KeyPair,
    households: Vec<Household>,
    context_lifetime_secs: u64,
    store: Mutex<Store>,
    trust_list: Mutex<Option<Vec<u8>>>,
}

/// An error answer `{"error": {"code", "message"}}` (`code` is one of
/// this module's snake_case literals).
pub(crate) fn refuse(status: u16, code: &'static str, message: &str) -> Response {
    Response {
        status,
        body: serde_json::to_vec(&json!({ "error": { "code": code, "message": message } }))
            .unwrap_or_default(),
    }
}

impl Service {
    pub(crate) fn new(
        seed: &Seed,
        households: Vec<Household>,
        context_lifetime_secs: u64,
    ) -> Result<Service, Error> {
        Ok(Service {
            seed: seed.clone(),
            issuer: TokenIssuer::new(seed),
            signer: seed.key_pair("sim/online/context-signer")?,
            households,
            context_lifetime_secs,
            store: Mutex::new(Store::default()),
            trust_list: Mutex::new(None),
        })
    }

    pub(crate) fn set_trust_list(&self, cbor: Option<Vec<u8>>) {
        if let Ok(mut list) = self.trust_list.lock() {
            *list = cbor;
        }
    }

    fn trust_list(&self) -> Response {
        match self.trust_list.lock().ok().and_then(|l| l.clone()) {
            Some(body) => Response { status: 200, body },
            None => refuse(404, "not_found", "no trust list served"),
        }
    }

    pub(crate) fn issuer(&self) -> &TokenIssuer {
        &self.issuer
    }

    pub(crate) fn signer(&self) -> &KeyPair {
        &self.signer
    }

    pub(crate) fn households(&self) -> &[Household] {
        &self.households
    }

    /// Which operation a request is, from its method and path.
    pub(crate) fn operation(request: &Request) -> Operation {
        let segments: Vec<&str> = request.path.split('/').collect();
        match (request.method.as_str(), segments.as_slice()) {
            ("POST", ["", "v1", "contexts"]) => Operation::Open,
            ("GET", ["", "v1", "contexts", _]) => Operation::Restore,
            ("DELETE", ["", "v1", "contexts", _]) => Operation::Close,
            ("POST", ["", "v1", "contexts", _, "signatures"]) => Operation::Sign,
            ("POST", ["", "v1", "rights"]) => Operation::Rights,
            ("POST", ["", "sim", "v1", "tokens"]) => Operation::Token,
            ("GET", ["", "v1", "trust-list"]) => Operation::TrustList,
            _ => Operation::Other,
        }
    }

    /// Answers a request at `now`, under `fault` (the faults of the
    /// service's logic: `expired_context` opens contexts already expired,
    /// `rights_closed` and `unknown_patient` change rights answers).
    pub(crate) fn handle(
        &self,
        request: &Request,
        now: Timestamp,
        fault: Option<Fault>,
    ) -> Response {
        let expired = fault == Some(Fault::ExpiredContext);
        let operation = Self::operation(request);
        let Ok(mut store) = self.store.lock() else {
            return refuse(500, "internal", "state lock poisoned");
        };
        let keyed = matches!(operation, Operation::Open | Operation::Sign);
        let key = match (&request.idempotency_key, keyed) {
            (Some(key), true) if !wire::is_idempotency_key(key) => {
                return refuse(400, "bad_request", "invalid Idempotency-Key");
            }
            (Some(key), true) => Some(key.clone()),
            _ => None,
        };
        let fingerprint: [u8; 32] = Sha256::new()
            .chain_update(request.method.as_bytes())
            .chain_update([0])
            .chain_update(request.path.as_bytes())
            .chain_update([0])
            .chain_update(&request.body)
            .finalize()
            .into();
        if let Some(remembered) = key.as_ref().and_then(|k| store.keys.get(k)) {
            if remembered.fingerprint == fingerprint {
                return remembered.response.clone();
            }
            return refuse(
                422,
                "idempotency_key_reused",
                "this Idempotency-Key was used for another request",
            );
        }
        let segments: Vec<&str> = request.path.split('/').collect();
        let response = match (operation, segments.as_slice()) {
            (Operation::Open, _) => self.open(&mut store, &request.body, now, expired),
            (Operation::Restore, [.., id]) => self.restore(&store, id, now),
            (Operation::Close, [.., id]) => close(&mut store, id),
            (Operation::Sign, [.., id, _]) => self.sign(&store, id, &request.body, now),
            (Operation::Token, _) => self.token_endpoint(&mut store, &request.body, now),
            (Operation::Rights, _) => self.rights(&request.body, fault),
            (Operation::TrustList, _) => self.trust_list(),
            _ if segments.get(1) == Some(&"v1") || segments.get(1) == Some(&"sim") => {
                refuse(404, "not_found", "no such endpoint or method")
            }
            _ => refuse(404, "not_found", "no such endpoint"),
        };
        if let Some(key) = key
            && response.status < 500
        {
            if store.key_order.len() >= MAX_IDEMPOTENCY_KEYS
                && let Some(oldest) = store.key_order.pop_front()
            {
                store.keys.remove(&oldest);
            }
            store.key_order.push_back(key.clone());
            store.keys.insert(
                key,
                Remembered {
                    fingerprint,
                    response: response.clone(),
                },
            );
        }
        response
    }

    fn context(&self, id: &str, entry: &Entry) -> Option<Context> {
        let household = self.households.get(entry.household)?;
        Some(Context::new(
            ContextId::new(id)?,
            entry.valid_until,
            entry.channel,
            household.insured.clone(),
            household.beneficiaries.clone(),
        ))
    }

    fn open(&self, store: &mut Store, body: &[u8], now: Timestamp, expired: bool) -> Response {
        let Ok(request) = OpenRequest::parse(body) else {
            return refuse(400, "bad_request", "invalid open request");
        };
        let Some(claims) = self.issuer.check(&request.token) else {
            return refuse(422, "token_refused", "unknown token");
        };
        if claims.expires_at <= now || usize::from(claims.household) >= self.households.len() {
            return refuse(422, "token_refused", "expired or unknown token");
        }
        let used = (claims.household, claims.serial);
        if store.used_tokens.contains_key(&used) {
            return refuse(422, "token_refused", "token already used");
        }
        if store.used_tokens.len() >= MAX_USED_TOKENS {
            store.used_tokens.retain(|_, expires| *expires > now.unix());
        }
        if store.contexts.len() >= MAX_CONTEXTS {
            store
                .contexts
                .retain(|_, e| !e.closed && e.valid_until > now);
        }
        if store.used_tokens.len() >= MAX_USED_TOKENS || store.contexts.len() >= MAX_CONTEXTS {
            return refuse(503, "busy", "too many contexts");
        }
        store.used_tokens.insert(used, claims.expires_at.unix());
        store.opened += 1;
        let random: [u8; 12] = self
            .seed
            .derive_bytes(&format!("sim/online/context/{}", store.opened));
        let id = format!("ctx-{}", vitale::codec::hex::encode(&random));
        let valid_until = if expired {
            Timestamp::from_unix(now.unix().saturating_sub(1))
        } else {
            now.checked_add_secs(self.context_lifetime_secs)
        };
        let (Some(valid_until), Some(channel)) =
            (valid_until, wire::parse_channel(&request.channel))
        else {
            return refuse(500, "internal", "time out of range");
        };
        let entry = Entry {
            household: usize::from(claims.household),
            channel,
            valid_until,
            closed: false,
        };
        let Some(context) = self.context(&id, &entry) else {
            return refuse(500, "internal", "context");
        };
        store.contexts.insert(id, entry);
        Response {
            status: 201,
            body: wire::context_json(&context),
        }
    }

    fn restore(&self, store: &Store, id: &str, now: Timestamp) -> Response {
        match live(store, id, now) {
            Ok((id, entry)) => match self.context(&id, entry) {
                Some(context) => Response {
                    status: 200,
                    body: wire::context_json(&context),
                },
                None => refuse(500, "internal", "context"),
            },
            Err(response) => response,
        }
    }

    fn sign(&self, store: &Store, id: &str, body: &[u8], now: Timestamp) -> Response {
        let (id, entry) = match live(store, id, now) {
            Ok(found) => found,
            Err(response) => return response,
        };
        let Ok(request) = SignRequest::parse(body) else {
            return refuse(400, "bad_request", "invalid signature request");
        };
        let insured = self
            .households
            .get(entry.household)
            .map(|h| h.insured.nir());
        if insured != Some(&request.insured_nir) {
            return refuse(
                422,
                "insured_mismatch",
                "another insured person than the context's",
            );
        }
        let Ok(digest) = request.digest_bytes() else {
            return refuse(400, "bad_request", "invalid digest");
        };
        let _ = id;
        match self.signer.signer().sign_digest(&digest) {
            Ok(signature) => Response {
                status: 200,
                body: serde_json::to_vec(&SignAnswer::new(&signature.to_bytes()))
                    .unwrap_or_default(),
            },
            Err(_) => refuse(500, "internal", "signing failed"),
        }
    }

    /// `POST /v1/rights`: the rights of a beneficiary of the households.
    fn rights(&self, body: &[u8], fault: Option<Fault>) -> Response {
        let Ok(request) = RightsRequest::parse(body) else {
            return refuse(400, "bad_request", "invalid rights request");
        };
        let unknown = || refuse(404, "patient_unknown", "no such beneficiary");
        if fault == Some(Fault::UnknownPatient) {
            return unknown();
        }
        let query = &request.query;
        let Some((household, beneficiary)) = rights::find(&self.households, query.beneficiary())
        else {
            return unknown();
        };
        let closed = fault == Some(Fault::RightsClosed);
        match rights::rights_for(
            &self.seed,
            household,
            beneficiary,
            query.reference_date(),
            closed,
        )
        .ok()
        .and_then(|r| r.to_json().ok())
        {
            Some(body) => Response { status: 200, body },
            None => refuse(500, "internal", "rights"),
        }
    }

    /// `POST /sim/v1/tokens` `{"household": n, "lifetime_secs": s}` (both
    /// optional: 0 and 120).
    fn token_endpoint(&self, store: &mut Store, body: &[u8], now: Timestamp) -> Response {
        let value: serde_json::Value = if body.is_empty() {
            json!({})
        } else {
            match serde_json::from_slice(body) {
                Ok(v) => v,
                Err(_) => return refuse(400, "bad_request", "invalid JSON"),
            }
        };
        let household = value.get("household").map_or(Some(0), |v| v.as_u64());
        let lifetime = value.get("lifetime_secs").map_or(Some(120), |v| v.as_u64());
        let (Some(household), Some(lifetime)) = (household, lifetime) else {
            return refuse(
                400,
                "bad_request",
                "household and lifetime_secs are numbers",
            );
        };
        let Ok(household) = u8::try_from(household) else {
            return refuse(422, "unknown_household", "no such household");
        };
        if usize::from(household) >= self.households.len()
            || !(1..=MAX_TOKEN_LIFETIME_SECS).contains(&lifetime)
        {
            return refuse(
                422,
                "unknown_household",
                "no such household, or lifetime out of range",
            );
        }
        // Serials from the server live in the upper half, those of
        // `vitale sim present` (its counter) in the lower.
        store.issued += 1;
        let serial = (1u64 << 63) | store.issued;
        let token = now.checked_add_secs(lifetime).and_then(|expires_at| {
            self.issuer
                .issue(TokenClaims {
                    household,
                    serial,
                    expires_at,
                })
                .ok()
        });
        match token {
            Some(token) => Response {
                status: 201,
                body: serde_json::to_vec(&json!({ "token": token.as_str() })).unwrap_or_default(),
            },
            None => refuse(500, "internal", "token"),
        }
    }
}

/// Percent-decodes a path segment (`%XX` only).
fn decode_segment(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = segment.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The open context `id` at `now`, or the refusal to send.
fn live<'a>(store: &'a Store, id: &str, now: Timestamp) -> Result<(String, &'a Entry), Response> {
    let unknown = || refuse(404, "unknown_context", "no such context");
    let id = decode_segment(id).ok_or_else(unknown)?;
    let entry = store.contexts.get(&id).ok_or_else(unknown)?;
    if entry.closed {
        return Err(unknown());
    }
    if entry.valid_until <= now {
        return Err(refuse(
            410,
            "context_expired",
            "the context's validity has ended",
        ));
    }
    Ok((id, entry))
}

/// Closing a closed or expired context succeeds (the call is idempotent);
/// only an id never opened is unknown.
fn close(store: &mut Store, id: &str) -> Response {
    let entry = decode_segment(id).and_then(|id| store.contexts.get_mut(&id));
    match entry {
        Some(entry) => {
            entry.closed = true;
            Response {
                status: 204,
                body: Vec::new(),
            }
        }
        None => refuse(404, "unknown_context", "no such context"),
    }
}

#[cfg(test)]
mod tests;
