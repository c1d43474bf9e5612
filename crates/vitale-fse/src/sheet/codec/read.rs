//! Reading the parts of a decoded sheet: the card read, the lines, the
//! deductions, and [`Fields`], a CBOR map read field by field.

use vitale_codec::cbor::Value;

use super::codes::{parse_exemption, parse_reason};
use crate::Error;
use crate::act::Act;
use crate::money::{Cents, Rate};
use crate::pricing::{Deduction, LineAmounts};
use crate::sheet::{CardRead, MAX_LINES};

pub(super) fn read_card(v: &Value) -> Result<CardRead, Error> {
    let c = Fields::of(v, "card")?;
    match c.text("kind")? {
        "offline" => {
            c.only(&[
                "kind",
                "issuer_kid",
                "credential_id",
                "presented_at",
                "presentation_digest",
            ])?;
            let kid: [u8; 8] = c
                .bytes("issuer_kid")?
                .try_into()
                .map_err(|_| Error::Encoding("issuer_kid"))?;
            let id = c.bytes("credential_id")?;
            if id.is_empty() || id.len() > 64 {
                return Err(Error::Encoding("credential_id"));
            }
            let at = c.text("presented_at")?;
            vitale_model::Timestamp::parse_rfc3339(at).ok_or(Error::Encoding("presented_at"))?;
            let digest: [u8; 32] = c
                .bytes("presentation_digest")?
                .try_into()
                .map_err(|_| Error::Encoding("presentation_digest"))?;
            Ok(CardRead::Offline {
                issuer_kid: kid,
                credential_id: id.to_vec(),
                presented_at: at.to_owned(),
                presentation_digest: digest,
            })
        }
        "online" => {
            c.only(&["kind", "context_id", "service"])?;
            let id = c.text("context_id")?;
            vitale_verify::token::ContextId::new(id).ok_or(Error::Encoding("context_id"))?;
            let service = c.text("service")?;
            if service.is_empty() || service.len() > 128 {
                return Err(Error::Encoding("service"));
            }
            Ok(CardRead::Online {
                context_id: id.to_owned(),
                service: service.to_owned(),
            })
        }
        _ => Err(Error::Encoding("card kind")),
    }
}

pub(super) fn read_line(v: &Value) -> Result<LineAmounts, Error> {
    let l = Fields::of(v, "line")?;
    l.only(&[
        "act",
        "unit_price",
        "base",
        "extra_fee",
        "fee",
        "amo_rate",
        "rate_reason",
        "amo",
        "amc",
        "patient",
        "source",
    ])?;
    let act: Act = l.text("act")?.parse().map_err(|_| Error::Encoding("act"))?;
    if act.to_string() != l.text("act")? {
        return Err(Error::Encoding("act not in canonical form"));
    }
    let rate = u16::try_from(l.uint("amo_rate")?)
        .ok()
        .and_then(Rate::from_basis_points)
        .ok_or(Error::Encoding("amo_rate"))?;
    let source = l.text("source")?;
    if source.is_empty() || source.len() > crate::tariff::MAX_SOURCE {
        return Err(Error::Encoding("source"));
    }
    let line = LineAmounts {
        act,
        unit_price: l.cents("unit_price")?,
        base: l.cents("base")?,
        extra_fee: l.cents("extra_fee")?,
        fee: l.cents("fee")?,
        amo_rate: rate,
        rate_reason: parse_reason(l.text("rate_reason")?).ok_or(Error::Encoding("rate_reason"))?,
        amo: l.cents("amo")?,
        amc: l.cents("amc")?,
        patient: l.cents("patient")?,
        tariff_source: source.to_owned(),
    };
    if line.base.percent(line.amo_rate) != line.amo {
        return Err(Error::InconsistentAmounts);
    }
    Ok(line)
}

pub(super) fn read_deduction(v: &Value) -> Result<Deduction, Error> {
    let d = Fields::of(v, "deduction")?;
    if d.opt("exempt").is_some() {
        d.only(&["exempt"])?;
        return parse_exemption(d.text("exempt")?)
            .map(Deduction::Exempt)
            .ok_or(Error::Encoding("exempt"));
    }
    d.only(&["count", "amount", "source"])?;
    let count = usize::try_from(d.uint("count")?)
        .ok()
        .filter(|c| *c <= MAX_LINES)
        .ok_or(Error::Encoding("count"))?;
    let source = d.text("source")?;
    if source.is_empty() || source.len() > crate::tariff::MAX_SOURCE {
        return Err(Error::Encoding("source"));
    }
    Ok(Deduction::Applied {
        count,
        amount: d.cents("amount")?,
        source: source.to_owned(),
    })
}

/// A CBOR map with text keys, read field by field.
pub(super) struct Fields<'a>(&'a [(Value, Value)]);

impl<'a> Fields<'a> {
    pub(super) fn of(v: &'a Value, what: &'static str) -> Result<Self, Error> {
        match v {
            Value::Map(entries) => Ok(Fields(entries)),
            _ => Err(Error::Encoding(what)),
        }
    }
    pub(super) fn opt(&self, key: &str) -> Option<&'a Value> {
        self.0
            .iter()
            .find(|(k, _)| matches!(k, Value::Text(t) if t == key))
            .map(|(_, v)| v)
    }
    pub(super) fn get(&self, key: &'static str) -> Result<&'a Value, Error> {
        self.opt(key).ok_or(Error::Encoding(key))
    }
    pub(super) fn text(&self, key: &'static str) -> Result<&'a str, Error> {
        match self.get(key)? {
            Value::Text(t) => Ok(t),
            _ => Err(Error::Encoding(key)),
        }
    }
    pub(super) fn bytes(&self, key: &'static str) -> Result<&'a [u8], Error> {
        match self.get(key)? {
            Value::Bytes(b) => Ok(b),
            _ => Err(Error::Encoding(key)),
        }
    }
    pub(super) fn uint(&self, key: &'static str) -> Result<u64, Error> {
        match self.get(key)? {
            Value::Integer(i) => u64::try_from(*i).map_err(|_| Error::Encoding(key)),
            _ => Err(Error::Encoding(key)),
        }
    }
    pub(super) fn bool(&self, key: &'static str) -> Result<bool, Error> {
        match self.get(key)? {
            Value::Bool(b) => Ok(*b),
            _ => Err(Error::Encoding(key)),
        }
    }
    pub(super) fn cents(&self, key: &'static str) -> Result<Cents, Error> {
        u32::try_from(self.uint(key)?)
            .ok()
            .and_then(Cents::new)
            .ok_or(Error::Encoding(key))
    }
    /// Refuses keys not in `known` (every known key is read by the caller).
    pub(super) fn only(&self, known: &[&str]) -> Result<(), Error> {
        let ok = self
            .0
            .iter()
            .all(|(k, _)| matches!(k, Value::Text(t) if known.contains(&t.as_str())));
        if ok {
            Ok(())
        } else {
            Err(Error::Encoding("unknown field"))
        }
    }
}
