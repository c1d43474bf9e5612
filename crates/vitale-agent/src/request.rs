//! What the agent parses itself: query strings and the JSON bodies of the
//! API (`docs/agent.md`). Every parser has a size limit; a fuzz target
//! (`fuzz/fuzz_targets/agent_request.rs`) drives them all through
//! [`parse_any`].

use serde::Deserialize;
use vitale::billing::json::VisitJson;

/// Longest query string read.
pub const MAX_QUERY: usize = 1024;

/// Most parameters in a query string.
const MAX_PARAMS: usize = 8;

/// A query string's parameters (`width=640&height=480`), percent-decoding
/// not needed: every value the API takes is ASCII letters, digits and `-`.
/// `None` when it is too long, has too many parameters, a parameter twice
/// or a character outside that set.
pub fn parse_query(query: &str) -> Option<Vec<(&str, &str)>> {
    if query.len() > MAX_QUERY {
        return None;
    }
    let mut params: Vec<(&str, &str)> = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let plain = |s: &str| {
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        if !plain(name) || !plain(value) || params.iter().any(|(n, _)| *n == name) {
            return None;
        }
        params.push((name, value));
        if params.len() > MAX_PARAMS {
            return None;
        }
    }
    Some(params)
}

/// A parameter of a parsed query.
pub fn param<'a>(params: &[(&'a str, &'a str)], name: &str) -> Option<&'a str> {
    params.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// `POST /v1/read/line`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct LineRequest {
    /// The scanner line as typed.
    pub line: String,
}

/// `POST /v1/rights`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RightsRequest {
    /// The card, by the id a read answered.
    pub card_id: String,
    /// The beneficiary's rank (*rang*).
    pub rank: u8,
    /// The reference date, `YYYY-MM-DD`; default: today.
    #[serde(default)]
    pub date: Option<String>,
}

/// `POST /v1/bill`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BillRequest {
    /// The card, by the id a read answered.
    pub card_id: String,
    /// The visit, the C ABI's shape.
    pub visit: VisitJson,
}

/// `POST /v1/nfc/read`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct NfcReadRequest {
    /// The reader's name; `null`: the first reader.
    #[serde(default)]
    pub reader: Option<String>,
    /// How long to wait for a phone, milliseconds (default 60000, at most
    /// 600000).
    #[serde(default)]
    pub timeout_ms: Option<u64>,
}

/// `POST /v1/nfc/cancel`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct NfcCancelRequest {
    /// The job id `POST /v1/nfc/read` answered.
    pub job: String,
}

/// A JSON body, at most `limit` bytes; `Err` says why in words without
/// the body's content.
pub fn parse_json<T: for<'de> Deserialize<'de>>(body: &[u8], limit: usize) -> Result<T, String> {
    if body.len() > limit {
        return Err(format!("body longer than {limit} bytes"));
    }
    serde_json::from_slice(body).map_err(|e| {
        // serde_json's message names the position and what was expected,
        // never the value read.
        format!("invalid JSON body: {}", e.classify_text())
    })
}

/// The fuzz target's entry: the first byte picks a parser, the rest is its
/// input. Never panics.
pub fn parse_any(data: &[u8]) -> bool {
    let Some((which, rest)) = data.split_first() else {
        return false;
    };
    const LIMIT: usize = 64 * 1024;
    match which % 6 {
        0 => core::str::from_utf8(rest)
            .ok()
            .and_then(parse_query)
            .is_some(),
        1 => parse_json::<LineRequest>(rest, LIMIT).is_ok(),
        2 => parse_json::<RightsRequest>(rest, LIMIT).is_ok(),
        3 => parse_json::<BillRequest>(rest, LIMIT)
            .is_ok_and(|b| b.visit.request(time::Date::MIN).is_ok()),
        4 => parse_json::<NfcReadRequest>(rest, LIMIT).is_ok(),
        _ => parse_json::<NfcCancelRequest>(rest, LIMIT).is_ok(),
    }
}

/// serde_json's error category as text.
trait Classify {
    fn classify_text(&self) -> String;
}

impl Classify for serde_json::Error {
    fn classify_text(&self) -> String {
        use serde_json::error::Category;
        let what = match self.classify() {
            Category::Io => "unreadable",
            Category::Syntax => "syntax error",
            Category::Data => "wrong field or type",
            Category::Eof => "truncated",
        };
        format!("{what} at line {} column {}", self.line(), self.column())
    }
}

#[cfg(test)]
mod tests;
