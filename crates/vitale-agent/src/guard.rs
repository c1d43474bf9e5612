//! The checks every request goes through before it reaches the SDK
//! (`docs/security.md`): the Host header (DNS rebinding), the Origin
//! allowlist, the CORS and Private Network Access preflight answers, and
//! the rate limit.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

/// Whether `host` (the request's `Host` header) names the agent itself:
/// `127.0.0.1:PORT`, `localhost:PORT` or `[::1]:PORT`. Any other name —
/// `attacker.example:PORT` resolving to 127.0.0.1 after a DNS rebinding —
/// is refused.
pub(crate) fn host_allowed(host: Option<&[u8]>, port: u16) -> bool {
    let Some(host) = host.and_then(|h| core::str::from_utf8(h).ok()) else {
        return false;
    };
    let Some((name, p)) = host.rsplit_once(':') else {
        return false;
    };
    p.parse::<u16>().ok() == Some(port)
        && !p.starts_with('+')
        && (name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost") || name == "[::1]")
}

/// The origins of the agent's own page on `port`.
pub(crate) fn own_origins(port: u16) -> [String; 3] {
    [
        format!("http://127.0.0.1:{port}"),
        format!("http://localhost:{port}"),
        format!("http://[::1]:{port}"),
    ]
}

/// Whether a request's `Origin` may call the API: the agent's own page, or
/// one of the configured origins, compared exactly (no wildcard, no
/// suffix matching). `null` (sandboxed frames, `file:` pages) is never
/// allowed.
pub(crate) fn origin_allowed(origin: &[u8], port: u16, allowed: &[String]) -> bool {
    let Ok(origin) = core::str::from_utf8(origin) else {
        return false;
    };
    own_origins(port).iter().any(|o| o == origin) || allowed.iter().any(|o| o == origin)
}

/// A token bucket per client (peer address and Origin): `burst` requests
/// at once, refilled at `rate` per second. The table is bounded: beyond
/// [`RateLimiter::MAX_CLIENTS`] the full buckets are forgotten first, then
/// every bucket (a flood of fake origins cannot grow memory).
#[derive(Debug)]
pub(crate) struct RateLimiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<(IpAddr, Vec<u8>), Bucket>>,
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimiter {
    /// Most clients tracked.
    pub(crate) const MAX_CLIENTS: usize = 1024;

    /// Longest Origin kept as a key (longer ones share one bucket).
    const MAX_KEY: usize = 256;

    pub(crate) fn new(rate_per_second: u32, burst: u32) -> Self {
        RateLimiter {
            rate: f64::from(rate_per_second),
            burst: f64::from(burst),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from the client's bucket: `Ok` when allowed, else
    /// `Err(seconds)` to wait before the next one.
    pub(crate) fn take(
        &self,
        peer: IpAddr,
        origin: Option<&[u8]>,
        now: Instant,
    ) -> Result<(), u64> {
        let origin = origin.filter(|o| o.len() <= Self::MAX_KEY).unwrap_or(b"-");
        let mut buckets = match self.buckets.lock() {
            Ok(b) => b,
            Err(poisoned) => poisoned.into_inner(),
        };
        if buckets.len() >= Self::MAX_CLIENTS && !buckets.contains_key(&(peer, origin.to_vec())) {
            let (rate, burst) = (self.rate, self.burst);
            buckets.retain(|_, b| refilled(*b, now, rate, burst) < burst);
            if buckets.len() >= Self::MAX_CLIENTS {
                buckets.clear();
            }
        }
        let bucket = buckets.entry((peer, origin.to_vec())).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        let tokens = refilled(*bucket, now, self.rate, self.burst);
        if tokens >= 1.0 {
            *bucket = Bucket {
                tokens: tokens - 1.0,
                at: now,
            };
            Ok(())
        } else {
            *bucket = Bucket { tokens, at: now };
            // At least one second; `rate` is at least 1 (Config::check).
            let wait = ((1.0 - tokens) / self.rate).ceil();
            Err(if wait.is_finite() && wait >= 1.0 {
                wait as u64
            } else {
                1
            })
        }
    }
}

fn refilled(b: Bucket, now: Instant, rate: f64, burst: f64) -> f64 {
    let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
    (b.tokens + elapsed * rate).min(burst)
}

#[cfg(test)]
mod tests;
