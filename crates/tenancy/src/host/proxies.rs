//! Which peers may tell us the original Host via X-Forwarded-Host.
//!
//! Behind a reverse proxy the Host header names the proxy's upstream, so
//! the tenant must come from X-Forwarded-Host. But anyone can send that
//! header: if it were honoured from every peer, a client of one comune could
//! pick another comune's data just by setting it. So it is believed only
//! from peers listed here.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// Why a trusted-proxies list does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrustedProxiesError {
    #[error(
        "{entry:?} in the trusted proxies is not an IP address: expected e.g. 10.0.0.1, 10.0.0.0/8 or ::1/128"
    )]
    BadAddress { entry: String },
    #[error(
        "bad prefix length in trusted proxy network {entry:?}: expected a number from 0 to {max}"
    )]
    BadPrefix { entry: String, max: u8 },
    #[error(
        "trusted proxy network {entry:?} has bits set after its prefix: expected the network address, e.g. 10.0.0.0/8"
    )]
    HostBitsSet { entry: String },
}

/// One CIDR network, with the address already masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Network {
    V4 { base: u32, prefix: u8 },
    V6 { base: u128, prefix: u8 },
}

impl Network {
    fn contains(self, peer: IpAddr) -> bool {
        // A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d; they
        // must match the IPv4 networks an operator would naturally write.
        match (self, peer.to_canonical()) {
            (Self::V4 { base, prefix }, IpAddr::V4(peer)) => {
                u32::from(peer) & mask_v4(prefix) == base
            }
            (Self::V6 { base, prefix }, IpAddr::V6(peer)) => {
                u128::from(peer) & mask_v6(prefix) == base
            }
            _ => false,
        }
    }
}

fn mask_v4(prefix: u8) -> u32 {
    let host_bits = 32u32.saturating_sub(u32::from(prefix));
    // Shifting by the full width is None, which is the /0 mask.
    u32::MAX.checked_shl(host_bits).unwrap_or(0)
}

fn mask_v6(prefix: u8) -> u128 {
    let host_bits = 128u32.saturating_sub(u32::from(prefix));
    u128::MAX.checked_shl(host_bits).unwrap_or(0)
}

fn parse_network(entry: &str) -> Result<Network, TrustedProxiesError> {
    let (address, prefix) = match entry.split_once('/') {
        Some((address, prefix)) => (address.trim(), Some(prefix.trim())),
        None => (entry, None),
    };
    let address: IpAddr = address
        .parse()
        .map_err(|_| TrustedProxiesError::BadAddress {
            entry: entry.to_owned(),
        })?;
    let max: u8 = if address.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        None => max,
        Some(text) => text
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| text.parse::<u8>().ok())
            .flatten()
            .filter(|&p| p <= max)
            .ok_or_else(|| TrustedProxiesError::BadPrefix {
                entry: entry.to_owned(),
                max,
            })?,
    };
    let host_bits_set = || TrustedProxiesError::HostBitsSet {
        entry: entry.to_owned(),
    };
    match address {
        IpAddr::V4(v4) => {
            let base = u32::from(v4);
            if base & mask_v4(prefix) != base {
                return Err(host_bits_set());
            }
            Ok(Network::V4 { base, prefix })
        }
        IpAddr::V6(v6) => {
            let base = u128::from(v6);
            if base & mask_v6(prefix) != base {
                return Err(host_bits_set());
            }
            // ::ffff:10.0.0.0/104 means 10.0.0.0/8; store it that way since
            // peers are compared in their canonical (IPv4) form.
            match (v6.to_ipv4_mapped(), prefix.checked_sub(96)) {
                (Some(v4), Some(v4_prefix)) => Ok(Network::V4 {
                    base: u32::from(v4),
                    prefix: v4_prefix,
                }),
                _ => Ok(Network::V6 { base, prefix }),
            }
        }
    }
}

/// The reverse proxies whose X-Forwarded-Host is believed. Empty (the
/// default) trusts nobody, which is the safe setting without a proxy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies {
    networks: Vec<Network>,
    /// The entries as written, for Display.
    entries: Vec<String>,
}

impl TrustedProxies {
    /// Parses a comma-separated list of addresses and CIDR networks, e.g.
    /// `10.0.0.0/8,127.0.0.1,::1/128`. Blank entries are skipped so an
    /// empty setting means "no proxies".
    pub fn parse(list: &str) -> Result<Self, TrustedProxiesError> {
        let mut proxies = Self::default();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            proxies.networks.push(parse_network(entry)?);
            proxies.entries.push(entry.to_owned());
        }
        Ok(proxies)
    }

    /// Whether `peer`, the address of the TCP connection, is a trusted proxy.
    pub fn trusts(&self, peer: IpAddr) -> bool {
        self.networks.iter().any(|network| network.contains(peer))
    }

    pub fn is_empty(&self) -> bool {
        self.networks.is_empty()
    }
}

impl fmt::Display for TrustedProxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.entries.join(","))
    }
}

impl FromStr for TrustedProxies {
    type Err = TrustedProxiesError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// The host a request was addressed to: the first X-Forwarded-Host value
/// when the peer is a trusted proxy, the Host header otherwise.
///
/// A trusted proxy must overwrite (not append to) X-Forwarded-Host, or a
/// client could still choose the first value.
pub fn effective_host<'a>(
    host_header: Option<&'a str>,
    forwarded_host: Option<&'a str>,
    peer: IpAddr,
    trusted: &TrustedProxies,
) -> Option<&'a str> {
    if trusted.trusts(peer) {
        let forwarded = forwarded_host
            .and_then(|value| value.split(',').next())
            .map(str::trim)
            .filter(|value| !value.is_empty());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    host_header
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]

    use super::*;
    use proptest::prelude::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn standard() -> TrustedProxies {
        TrustedProxies::parse("10.0.0.0/8,127.0.0.1,::1/128").unwrap()
    }

    #[test]
    fn matches_addresses_and_networks() {
        let t = standard();
        assert!(t.trusts(ip("10.0.0.1")));
        assert!(t.trusts(ip("10.255.255.255")));
        assert!(!t.trusts(ip("11.0.0.0")));
        assert!(!t.trusts(ip("9.255.255.255")));
        assert!(t.trusts(ip("127.0.0.1")));
        assert!(!t.trusts(ip("127.0.0.2")));
        assert!(t.trusts(ip("::1")));
        assert!(!t.trusts(ip("::2")));
        assert!(!t.trusts(ip("192.168.1.1")));
        assert_eq!(t.to_string(), "10.0.0.0/8,127.0.0.1,::1/128");
    }

    #[test]
    fn ipv4_mapped_peers_match_ipv4_networks() {
        let t = standard();
        assert!(t.trusts(ip("::ffff:10.0.0.1")));
        assert!(t.trusts(ip("::ffff:127.0.0.1")));
        assert!(!t.trusts(ip("::ffff:11.0.0.1")));
        // A mapped network is the same as its IPv4 form.
        let mapped = TrustedProxies::parse("::ffff:192.168.0.0/112").unwrap();
        assert!(mapped.trusts(ip("192.168.3.4")));
        assert!(mapped.trusts(ip("::ffff:192.168.3.4")));
        assert!(!mapped.trusts(ip("192.169.0.1")));
    }

    #[test]
    fn ipv6_networks() {
        let t = TrustedProxies::parse(" fd00::/8 , 2001:db8:1::/48").unwrap();
        assert!(t.trusts(ip("fd12:3456::1")));
        assert!(t.trusts(ip("2001:db8:1:ffff::1")));
        assert!(!t.trusts(ip("2001:db8:2::1")));
        assert!(!t.trusts(ip("10.0.0.1")));
    }

    #[test]
    fn zero_prefix_trusts_the_whole_family() {
        let t = TrustedProxies::parse("0.0.0.0/0").unwrap();
        assert!(t.trusts(ip("203.0.113.9")));
        assert!(!t.trusts(ip("2001:db8::1")));
        let t = TrustedProxies::parse("::/0").unwrap();
        assert!(t.trusts(ip("2001:db8::1")));
    }

    #[test]
    fn empty_list_trusts_nobody() {
        for text in ["", " ", ",", " , "] {
            let t = TrustedProxies::parse(text).unwrap();
            assert!(t.is_empty());
            assert!(!t.trusts(ip("127.0.0.1")));
        }
        assert!(!TrustedProxies::default().trusts(ip("::1")));
    }

    #[test]
    fn rejects_bad_entries() {
        assert_eq!(
            TrustedProxies::parse("10.0.0.0/8,proxy.local"),
            Err(TrustedProxiesError::BadAddress {
                entry: "proxy.local".to_owned()
            })
        );
        assert!(matches!(
            "10.0.0.256".parse::<TrustedProxies>(),
            Err(TrustedProxiesError::BadAddress { .. })
        ));
        assert_eq!(
            TrustedProxies::parse("10.0.0.0/33"),
            Err(TrustedProxiesError::BadPrefix {
                entry: "10.0.0.0/33".to_owned(),
                max: 32
            })
        );
        for entry in ["::/129", "10.0.0.0/", "10.0.0.0/+8", "10.0.0.0/x"] {
            assert!(
                matches!(
                    TrustedProxies::parse(entry),
                    Err(TrustedProxiesError::BadPrefix { .. })
                ),
                "{entry}"
            );
        }
        assert_eq!(
            TrustedProxies::parse("10.0.0.1/8"),
            Err(TrustedProxiesError::HostBitsSet {
                entry: "10.0.0.1/8".to_owned()
            })
        );
    }

    #[test]
    fn forwarded_host_is_used_only_from_trusted_peers() {
        let t = standard();
        let host = Some("proxy-upstream:8080");
        let forwarded = Some("greve.mensa.example.it");
        assert_eq!(
            effective_host(host, forwarded, ip("10.0.0.5"), &t),
            Some("greve.mensa.example.it")
        );
        // A client talking to us directly cannot choose another comune.
        assert_eq!(
            effective_host(
                Some("greve.mensa.example.it"),
                Some("impruneta.mensa.example.it"),
                ip("203.0.113.7"),
                &t
            ),
            Some("greve.mensa.example.it")
        );
        assert_eq!(
            effective_host(host, forwarded, ip("::ffff:10.0.0.1"), &t),
            Some("greve.mensa.example.it")
        );
        assert_eq!(
            effective_host(host, forwarded, ip("10.0.0.5"), &TrustedProxies::default()),
            host
        );
    }

    #[test]
    fn forwarded_host_takes_the_first_value_trimmed() {
        let t = standard();
        assert_eq!(
            effective_host(
                None,
                Some(" greve.localhost , proxy.internal"),
                ip("127.0.0.1"),
                &t
            ),
            Some("greve.localhost")
        );
        // Present but empty: fall back to Host rather than resolve nothing.
        assert_eq!(
            effective_host(Some("greve.localhost"), Some(" ,x"), ip("127.0.0.1"), &t),
            Some("greve.localhost")
        );
        assert_eq!(
            effective_host(Some("greve.localhost"), None, ip("127.0.0.1"), &t),
            Some("greve.localhost")
        );
        assert_eq!(effective_host(None, None, ip("127.0.0.1"), &t), None);
        assert_eq!(
            effective_host(None, Some("greve.localhost"), ip("8.8.8.8"), &t),
            None
        );
    }

    proptest! {
        #[test]
        fn ipv4_membership_matches_prefix_comparison(
            network in any::<u32>(), peer in any::<u32>(), prefix in 0u8..=32,
        ) {
            let base = network & mask_v4(prefix);
            let entry = format!("{}/{prefix}", Ipv4Addr::from(base));
            let t = TrustedProxies::parse(&entry).unwrap();
            let expected = prefix == 0
                || (base >> (32 - u32::from(prefix))) == (peer >> (32 - u32::from(prefix)));
            prop_assert_eq!(t.trusts(IpAddr::V4(Ipv4Addr::from(peer))), expected);
            prop_assert_eq!(t.trusts(IpAddr::V6(Ipv4Addr::from(peer).to_ipv6_mapped())), expected);
        }

        #[test]
        fn ipv6_network_contains_its_own_addresses(
            network in any::<u128>(), host in any::<u128>(), prefix in 0u8..=128,
        ) {
            let base = network & mask_v6(prefix);
            // Skip the mapped range: it is folded into IPv4 on purpose.
            prop_assume!(Ipv6Addr::from(base).to_ipv4_mapped().is_none() || prefix < 96);
            let t = TrustedProxies::parse(&format!("{}/{prefix}", Ipv6Addr::from(base))).unwrap();
            let peer = base | (host & !mask_v6(prefix));
            prop_assume!(Ipv6Addr::from(peer).to_ipv4_mapped().is_none());
            prop_assert!(t.trusts(IpAddr::V6(Ipv6Addr::from(peer))));
        }

        #[test]
        fn any_input_is_handled_without_panicking(s in "\\PC{0,40}") {
            let _ = TrustedProxies::parse(&s);
        }
    }
}
