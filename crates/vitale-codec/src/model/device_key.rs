//! The phone's device key, as a COSE_Key (RFC 9052 §7, RFC 9053 §7.1.1).

use crate::cbor::Value;
use crate::cbor::item::Item;
use crate::model::ModelError;
use crate::model::fields::{Fields, map};

/// COSE_Key labels and values used here (RFC 9052 §7.1, RFC 9053 §7.1).
const KTY: i64 = 1;
const KTY_EC2: u64 = 2;
const CRV: i64 = -1;
const CRV_P256: u64 = 1;
const X: i64 = -2;
const Y: i64 = -3;

/// A P-256 public key carried as a COSE_Key of type EC2:
/// `{1: 2, -1: 1, -2: x, -3: y}` where `y` is the 32-byte coordinate or,
/// for a compressed point, the sign bit as a boolean (RFC 9053 §7.1.1).
///
/// The codec checks the shape only; whether the point is on the curve is
/// checked when the key is used (`vitale-verify`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum DeviceKey {
    /// Both coordinates.
    Uncompressed {
        /// x coordinate, big-endian.
        x: [u8; 32],
        /// y coordinate, big-endian.
        y: [u8; 32],
    },
    /// x and the sign (parity) of y.
    Compressed {
        /// x coordinate, big-endian.
        x: [u8; 32],
        /// Whether y is odd (`true` in COSE).
        y_odd: bool,
    },
}

impl DeviceKey {
    /// From a SEC1 point (`04‖x‖y` or `02/03‖x`); `None` otherwise.
    pub fn from_sec1(point: &[u8]) -> Option<Self> {
        match point.split_first()? {
            (4, rest) if rest.len() == 64 => {
                let (x, y) = rest.split_at(32);
                Some(DeviceKey::Uncompressed {
                    x: x.try_into().ok()?,
                    y: y.try_into().ok()?,
                })
            }
            (tag @ (2 | 3), rest) => Some(DeviceKey::Compressed {
                x: rest.try_into().ok()?,
                y_odd: *tag == 3,
            }),
            _ => None,
        }
    }

    /// The SEC1 encoding: `04‖x‖y` or `02/03‖x`.
    pub fn to_sec1(&self) -> Vec<u8> {
        match self {
            DeviceKey::Uncompressed { x, y } => [&[4u8][..], x, y].concat(),
            DeviceKey::Compressed { x, y_odd } => [&[2 + u8::from(*y_odd)][..], x].concat(),
        }
    }

    pub(crate) fn from_item(item: Item<'_>) -> Result<Self, ModelError> {
        let mut f = Fields::new("device key", item)?;
        if f.uint(KTY)? != KTY_EC2 {
            return Err(f.invalid(KTY, "key type must be EC2"));
        }
        if f.uint(CRV)? != CRV_P256 {
            return Err(f.invalid(CRV, "curve must be P-256"));
        }
        let x = f.fixed_bytes::<32>(X)?;
        let y = f.required(Y)?;
        let key = match (y.as_bytes(), y.as_bool()) {
            (Some(y), _) => DeviceKey::Uncompressed {
                x,
                y: y.try_into().map_err(|_| f.invalid(Y, "wrong length"))?,
            },
            (None, Some(y_odd)) => DeviceKey::Compressed { x, y_odd },
            (None, None) => return Err(f.wrong_type(Y, "bstr or bool")),
        };
        f.finish()?;
        Ok(key)
    }

    pub(crate) fn to_value(self) -> Value {
        let (x, y) = match self {
            DeviceKey::Uncompressed { x, y } => (x, Value::Bytes(y.to_vec())),
            DeviceKey::Compressed { x, y_odd } => (x, Value::Bool(y_odd)),
        };
        map([
            (KTY, Some(Value::from(KTY_EC2))),
            (CRV, Some(Value::from(CRV_P256))),
            (X, Some(Value::Bytes(x.to_vec()))),
            (Y, Some(y)),
        ])
    }
}
