//! The limits that keep one caller from exhausting the API (OWASP GraphQL cheat sheet,
//! ASVS 4.3.1): query depth and complexity, page sizes, uploads, and request rates per
//! credential and per address.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphqlLimits {
    pub max_depth: usize,
    /// Each field costs 1, list fields their page size times their children.
    pub max_complexity: usize,
    pub max_upload_bytes: usize,
    /// Requests per minute of one credential (token or API key).
    pub per_credential_per_minute: u32,
    /// Requests per minute from one address, logged in or not.
    pub per_address_per_minute: u32,
    /// "Did you mean …?" hints in validation errors: useful in development, a map of
    /// the schema for an attacker in production.
    pub suggestions: bool,
    /// Whether `GET /graphql` serves GraphiQL: a developer's tool, off in production
    /// unless asked for.
    pub graphiql: bool,
}

impl Default for GraphqlLimits {
    fn default() -> Self {
        GraphqlLimits {
            max_depth: 12,
            max_complexity: 2_000,
            max_upload_bytes: 10 * 1024 * 1024,
            per_credential_per_minute: 600,
            per_address_per_minute: 1_200,
            suggestions: false,
            graphiql: false,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Token buckets per key: a steady rate with bursts up to a minute's allowance.
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<RateKey, Bucket>>,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub enum RateKey {
    Credential(String),
    Address(IpAddr),
}

const MAX_TRACKED: usize = 200_000;

impl RateLimiter {
    /// Takes one request from the key's bucket; `Err` holds how long to wait.
    pub fn take(&self, key: RateKey, per_minute: u32) -> Result<(), Duration> {
        if per_minute == 0 {
            return Ok(());
        }
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        let now = Instant::now();
        let capacity = f64::from(per_minute);
        let rate = capacity / 60.0;
        if buckets.len() >= MAX_TRACKED {
            // Full buckets are the same as no bucket: forget them.
            buckets
                .retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * rate < capacity);
        }
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        bucket.tokens =
            (bucket.tokens + now.duration_since(bucket.at).as_secs_f64() * rate).min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / rate))
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::net::Ipv4Addr;

    use super::*;

    #[test]
    fn allows_a_minute_of_burst_then_refuses() {
        let limiter = RateLimiter::default();
        let key = || RateKey::Address(IpAddr::V4(Ipv4Addr::LOCALHOST));
        for _ in 0..5 {
            assert!(limiter.take(key(), 5).is_ok());
        }
        let wait = limiter.take(key(), 5).unwrap_err();
        assert!(wait > Duration::from_secs(5) && wait <= Duration::from_secs(12));
        // Another key has its own bucket; zero means no limit.
        assert!(limiter.take(RateKey::Credential("x".into()), 5).is_ok());
        assert!(limiter.take(key(), 0).is_ok());
    }
}
