//! Which comune a request is for, decided from its host name: each comune
//! is served at `<slug>.<base domain>`.

mod proxies;

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::slug::{SlugError, TenantSlug};

pub use proxies::{TrustedProxies, TrustedProxiesError, effective_host};

/// Why a configured base domain is unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseDomainError {
    #[error("the base domain is empty: expected a host name such as mensa.example.it")]
    Empty,
    #[error(
        "the base domain {domain:?} is an IP address: expected a host name such as mensa.example.it"
    )]
    IpLiteral { domain: String },
    #[error("bad label {label:?} in the base domain: {source}")]
    BadLabel { label: String, source: SlugError },
}

/// Why a host does not name a tenant. Every variant means "no such
/// comune here" (a 404), but they are kept apart so logs say why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostError {
    #[error("host {host:?} is the base domain itself: expected <comune>.{host}")]
    NoTenant { host: String },
    #[error("host {host:?} is not under the base domain {base_domain:?}")]
    NotUnderBaseDomain { host: String, base_domain: String },
    #[error(
        "host {host:?} has more than one label before the base domain: expected <comune>.<base domain>"
    )]
    NestedSubdomain { host: String },
    #[error("host {host:?} is an IP address: tenants are only reachable by name")]
    IpLiteral { host: String },
    #[error("host {host:?} is malformed: {reason}")]
    Malformed { host: String, reason: String },
}

/// Maps Host header values to tenant slugs under one base domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostResolver {
    /// Lowercase, no trailing dot, every label a valid DNS label.
    base_domain: String,
}

impl HostResolver {
    /// `base_domain` is e.g. `localhost` in development or
    /// `mensa.example.it` in production; case and a trailing dot are ignored.
    pub fn new(base_domain: &str) -> Result<Self, BaseDomainError> {
        let trimmed = base_domain.trim();
        let domain = trimmed.strip_suffix('.').unwrap_or(trimmed);
        if domain.is_empty() {
            return Err(BaseDomainError::Empty);
        }
        if domain.parse::<Ipv4Addr>().is_ok() {
            return Err(BaseDomainError::IpLiteral {
                domain: domain.to_owned(),
            });
        }
        for label in domain.split('.') {
            TenantSlug::parse(label).map_err(|source| BaseDomainError::BadLabel {
                label: label.to_owned(),
                source,
            })?;
        }
        Ok(Self {
            base_domain: domain.to_ascii_lowercase(),
        })
    }

    pub fn base_domain(&self) -> &str {
        &self.base_domain
    }

    /// The tenant named by `host`, the value of a request's Host header
    /// (or of a trusted X-Forwarded-Host, see [`effective_host`]).
    pub fn slug_for_host(&self, host: &str) -> Result<TenantSlug, HostError> {
        let original = host;
        let malformed = |reason: &str| HostError::Malformed {
            host: original.to_owned(),
            reason: reason.to_owned(),
        };
        let ip_literal = || HostError::IpLiteral {
            host: original.to_owned(),
        };

        let host = host.trim();
        if host.is_empty() {
            return Err(malformed("it is empty; expected <comune>.<base domain>"));
        }
        if let Some(rest) = host.strip_prefix('[') {
            let (address, after) = rest
                .split_once(']')
                .ok_or_else(|| malformed("'[' without a closing ']'"))?;
            if address.parse::<Ipv6Addr>().is_err() {
                return Err(malformed("the bracketed part is not an IPv6 address"));
            }
            if !after.is_empty() {
                after
                    .strip_prefix(':')
                    .and_then(valid_port)
                    .ok_or_else(|| malformed("expected ':<port>' after the IPv6 address"))?;
            }
            return Err(ip_literal());
        }

        let name = match host.split_once(':') {
            None => host,
            Some((name, port)) if !port.contains(':') => {
                valid_port(port).ok_or_else(|| malformed("the port is not a number 0-65535"))?;
                name
            }
            // Several colons: an unbracketed IPv6 address, or garbage.
            Some(_) if host.parse::<Ipv6Addr>().is_ok() => return Err(ip_literal()),
            Some(_) => return Err(malformed("too many ':'")),
        };
        // A trailing dot is the fully qualified spelling of the same name.
        let name = name.strip_suffix('.').unwrap_or(name);
        if name.is_empty() {
            return Err(malformed("there is no name before the port"));
        }
        if name.parse::<Ipv4Addr>().is_ok() {
            return Err(ip_literal());
        }
        if let Some(c) = name
            .chars()
            .find(|&c| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
        {
            return Err(malformed(&format!(
                "bad character {c:?}; expected letters, digits, '-' and '.'"
            )));
        }
        let name = name.to_ascii_lowercase();
        if name.split('.').any(str::is_empty) {
            return Err(malformed("it has an empty label ('..' or a leading '.')"));
        }

        if name == self.base_domain {
            return Err(HostError::NoTenant { host: name });
        }
        // Requiring the dot stops `evilmensa.example.it` from counting as
        // being under `mensa.example.it`.
        let Some(subdomain) = name
            .strip_suffix(self.base_domain.as_str())
            .and_then(|prefix| prefix.strip_suffix('.'))
        else {
            return Err(HostError::NotUnderBaseDomain {
                host: name,
                base_domain: self.base_domain.clone(),
            });
        };
        // Only one level: `a.b.<base>` is no comune, and accepting it as `b`
        // (or `a`) would give one tenant many names.
        if subdomain.contains('.') {
            return Err(HostError::NestedSubdomain { host: name });
        }
        TenantSlug::parse(subdomain).map_err(|e| malformed(&e.to_string()))
    }
}

/// The port after ':' in a Host header; empty is allowed by RFC 9110's
/// grammar (`port = *DIGIT`).
fn valid_port(port: &str) -> Option<()> {
    if port.is_empty() {
        return Some(());
    }
    if !port.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    port.parse::<u16>().ok().map(|_| ())
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

    fn localhost() -> HostResolver {
        HostResolver::new("localhost").unwrap()
    }

    fn slug(resolver: &HostResolver, host: &str) -> String {
        resolver
            .slug_for_host(host)
            .unwrap_or_else(|e| panic!("{host}: {e}"))
            .as_str()
            .to_owned()
    }

    #[test]
    fn resolves_a_tenant_under_localhost() {
        let r = localhost();
        assert_eq!(
            slug(&r, "sancascianovaldipesa.localhost:8080"),
            "sancascianovaldipesa"
        );
        assert_eq!(
            slug(&r, "SanCascianoValDiPesa.LOCALHOST"),
            "sancascianovaldipesa"
        );
        assert_eq!(slug(&r, "greve.localhost."), "greve");
        assert_eq!(slug(&r, "greve.localhost.:8080"), "greve");
        assert_eq!(slug(&r, "greve.localhost:"), "greve");
        assert_eq!(slug(&r, " greve-in-chianti.localhost "), "greve-in-chianti");
    }

    #[test]
    fn resolves_a_tenant_under_a_multi_label_base_domain() {
        let r = HostResolver::new("Mensa.Example.IT.").unwrap();
        assert_eq!(r.base_domain(), "mensa.example.it");
        assert_eq!(slug(&r, "greve.mensa.example.it:443"), "greve");
        assert!(matches!(
            r.slug_for_host("mensa.example.it"),
            Err(HostError::NoTenant { .. })
        ));
        assert!(matches!(
            r.slug_for_host("greve.example.it"),
            Err(HostError::NotUnderBaseDomain { .. })
        ));
        assert!(matches!(
            r.slug_for_host("evilmensa.example.it"),
            Err(HostError::NotUnderBaseDomain { .. })
        ));
    }

    #[test]
    fn rejects_ip_literals() {
        let r = localhost();
        for host in [
            "127.0.0.1:8080",
            "127.0.0.1",
            "10.1.2.3.",
            "[::1]:8080",
            "[::1]",
            "[2001:db8::1]:",
            "::1",
            "2001:db8::1",
        ] {
            assert_eq!(
                r.slug_for_host(host),
                Err(HostError::IpLiteral {
                    host: host.to_owned()
                }),
                "{host}"
            );
        }
    }

    #[test]
    fn rejects_the_bare_base_domain() {
        let r = localhost();
        for host in ["localhost:8080", "localhost", "LOCALHOST.", "localhost.:80"] {
            assert_eq!(
                r.slug_for_host(host),
                Err(HostError::NoTenant {
                    host: "localhost".to_owned()
                }),
                "{host}"
            );
        }
    }

    #[test]
    fn rejects_nested_subdomains() {
        assert_eq!(
            localhost().slug_for_host("a.b.localhost"),
            Err(HostError::NestedSubdomain {
                host: "a.b.localhost".to_owned()
            })
        );
        assert!(matches!(
            localhost().slug_for_host("www.greve.localhost:8080"),
            Err(HostError::NestedSubdomain { .. })
        ));
    }

    #[test]
    fn rejects_other_domains() {
        let r = localhost();
        assert_eq!(
            r.slug_for_host("nowhere.example.com"),
            Err(HostError::NotUnderBaseDomain {
                host: "nowhere.example.com".to_owned(),
                base_domain: "localhost".to_owned()
            })
        );
        assert!(matches!(
            r.slug_for_host("greve.notlocalhost"),
            Err(HostError::NotUnderBaseDomain { .. })
        ));
    }

    #[test]
    fn rejects_malformed_hosts() {
        let r = localhost();
        for host in [
            "",
            "   ",
            ":8080",
            "greve.localhost:http",
            "greve.localhost:99999",
            "greve.localhost:-1",
            "gre_ve.localhost",
            "grève.localhost",
            "user@greve.localhost",
            "greve..localhost",
            ".localhost",
            "-greve.localhost",
            "greve-.localhost",
            "[::1",
            "[greve]:80",
            "[::1]x",
            "a:b:c",
            "greve.localhost/path",
            "greve.localhost..",
        ] {
            assert!(
                matches!(r.slug_for_host(host), Err(HostError::Malformed { .. })),
                "{host:?} -> {:?}",
                r.slug_for_host(host)
            );
        }
        let long = format!("{}.localhost", "a".repeat(64));
        assert!(matches!(
            r.slug_for_host(&long),
            Err(HostError::Malformed { .. })
        ));
    }

    #[test]
    fn error_messages_say_what_was_wrong() {
        let err = localhost().slug_for_host("gre_ve.localhost").unwrap_err();
        assert_eq!(
            err.to_string(),
            "host \"gre_ve.localhost\" is malformed: bad character '_'; expected letters, digits, '-' and '.'"
        );
    }

    #[test]
    fn rejects_bad_base_domains() {
        assert_eq!(HostResolver::new(""), Err(BaseDomainError::Empty));
        assert_eq!(HostResolver::new("."), Err(BaseDomainError::Empty));
        assert!(matches!(
            HostResolver::new("127.0.0.1"),
            Err(BaseDomainError::IpLiteral { .. })
        ));
        assert!(matches!(
            HostResolver::new("mensa..it"),
            Err(BaseDomainError::BadLabel { .. })
        ));
        assert!(matches!(
            HostResolver::new("mensa.example.it:443"),
            Err(BaseDomainError::BadLabel { .. })
        ));
    }

    proptest! {
        #[test]
        fn any_valid_slug_resolves_with_any_port(
            label in "[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?",
            port in proptest::option::of(any::<u16>()),
            upper in any::<bool>(),
        ) {
            // An all-digit label under "localhost" is still a name, not an IP.
            let mut host = format!("{label}.localhost");
            if upper {
                host = host.to_ascii_uppercase();
            }
            if let Some(port) = port {
                host = format!("{host}:{port}");
            }
            let slug = localhost().slug_for_host(&host).unwrap();
            prop_assert_eq!(slug.as_str(), label.as_str());
        }

        #[test]
        fn any_input_is_handled_without_panicking(s in "\\PC{0,40}") {
            if let Ok(slug) = localhost().slug_for_host(&s) {
                prop_assert!(!slug.as_str().contains('.'));
            }
        }
    }
}
