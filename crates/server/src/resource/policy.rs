//! Which URLs the resource proxy may fetch: the scheme, the host (an allowed origin or an allowed
//! external domain) and the addresses the host resolves to (public only, unless private access
//! is configured).
//!
//! The address check happens in [`PublicResolver`], the HTTP client's DNS resolver: the client
//! connects only to the addresses the check passed, so a host cannot resolve to a public address
//! for the check and a private one for the connection. IP-literal hosts never reach a resolver;
//! [`Policy::check_url`] checks them itself. Every redirect hop goes through both again.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use url::Url;

/// What the proxy may fetch (from [`crate::Config`]).
#[derive(Debug, Clone)]
pub struct Policy {
    /// Normalised origins (`scheme://host[:port]`) of the customer sites.
    pub allowed_origins: Vec<String>,
    /// Lowercase host names; a host matches when it equals one or is a subdomain of one.
    pub external_domains: Vec<String>,
    /// Whether private, loopback and link-local addresses may be fetched (dev setups, tests).
    pub allow_private: bool,
}

/// Why a URL may not be fetched by the server.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("only http and https URLs can be fetched")]
    Scheme,
    #[error("host {0} is neither an allowed origin nor an allowed external domain")]
    Host(String),
    #[error("host {0} is not a public address")]
    PrivateAddress(String),
}

impl Policy {
    /// Checks a URL before a request (and before every redirect hop): scheme, host, and the
    /// address when the host is an IP literal. Host names' addresses are checked on resolution.
    pub fn check_url(&self, url: &Url) -> Result<(), Refusal> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Refusal::Scheme);
        }
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        if host.is_empty() || !url.username().is_empty() || url.password().is_some() {
            return Err(Refusal::Host(host));
        }
        let origin = url.origin().ascii_serialization();
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let external = self.external_domains.iter().any(|d| {
            bare == d
                || bare
                    .strip_suffix(d.as_str())
                    .is_some_and(|p| p.ends_with('.'))
        });
        if !external && !self.allowed_origins.contains(&origin) {
            return Err(Refusal::Host(host));
        }
        if let Ok(ip) = bare.parse::<IpAddr>()
            && !self.allow_private
            && !is_public(ip)
        {
            return Err(Refusal::PrivateAddress(host));
        }
        Ok(())
    }
}

/// Whether an address is globally routable: not loopback, private, link-local, shared (CGNAT),
/// unspecified, multicast, broadcast, documentation, benchmarking or reserved; IPv4-mapped and
/// NAT64 IPv6 addresses are judged by their IPv4 address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let s = v6.segments();
            // NAT64 well-known prefix 64:ff9b::/96.
            if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
                let [a, b] = s[6].to_be_bytes();
                let [c, d] = s[7].to_be_bytes();
                return is_public_v4(Ipv4Addr::new(a, b, c, d));
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (s[0] & 0xffc0) == 0xfec0 // site-local fec0::/10 (deprecated)
                || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
                || s[0..6] == [0, 0, 0, 0, 0, 0]) // IPv4-compatible (deprecated)
        }
    }
}

fn is_public_v4(v4: Ipv4Addr) -> bool {
    let [a, b, c, _] = v4.octets();
    !(v4.is_private()
        || v4.is_loopback()
        || v4.is_link_local()
        || v4.is_unspecified()
        || v4.is_broadcast()
        || v4.is_multicast()
        || v4.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space 100.64/10
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking 198.18/15
        || a >= 240) // reserved
}

/// The HTTP client's resolver: the system's, keeping only public addresses (all of them when
/// private access is allowed). A host with no public address fails with [`Refusal`].
#[derive(Debug, Clone, Copy)]
pub struct PublicResolver {
    pub allow_private: bool,
}

impl reqwest::dns::Resolve for PublicResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let usable: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| allow_private || is_public(a.ip()))
                .collect();
            if usable.is_empty() {
                return Err(Box::new(Refusal::PrivateAddress(host)) as _);
            }
            Ok(Box::new(usable.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(allow_private: bool) -> Policy {
        Policy {
            allowed_origins: vec![
                "https://shop.example".into(),
                "http://127.0.0.1:8000".into(),
            ],
            external_domains: vec!["cdn.example".into()],
            allow_private,
        }
    }

    fn check(p: &Policy, u: &str) -> Result<(), Refusal> {
        p.check_url(&Url::parse(u).unwrap())
    }

    #[test]
    fn hosts_and_schemes() {
        let p = policy(false);
        assert_eq!(check(&p, "https://shop.example/a.png"), Ok(()));
        assert_eq!(check(&p, "https://img.cdn.example/a.png"), Ok(()));
        assert_eq!(check(&p, "http://cdn.example:8080/a.png"), Ok(()));
        assert!(matches!(
            check(&p, "http://shop.example/a.png"),
            Err(Refusal::Host(_))
        ));
        assert!(matches!(
            check(&p, "https://evilcdn.example/"),
            Err(Refusal::Host(_))
        ));
        assert!(matches!(
            check(&p, "https://u:p@shop.example/"),
            Err(Refusal::Host(_))
        ));
        assert_eq!(check(&p, "ftp://shop.example/a"), Err(Refusal::Scheme));
        assert!(matches!(
            check(&p, "http://127.0.0.1:8000/a"),
            Err(Refusal::PrivateAddress(_))
        ));
        assert_eq!(check(&policy(true), "http://127.0.0.1:8000/a"), Ok(()));
    }

    #[test]
    fn public_addresses() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "64:ff9b::a00:1",
            "2001:db8::1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }
}
