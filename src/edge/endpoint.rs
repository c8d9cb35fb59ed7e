//! The Edge API base URL: production by default, `--endpoint` to override, plain http only on
//! loopback so a token is never sent in the clear over a network.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use reqwest::Url;

use super::ops;

/// A checked base URL, without a trailing slash (operation paths start with one).
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint {
    base: String,
}

/// Why a base URL cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum EndpointError {
    #[error(
        "`{given}` is not a URL: give the Edge API base URL, e.g. {}",
        ops::DEFAULT_BASE_URL
    )]
    NotAUrl {
        given: String,
        #[source]
        source: UrlParseError,
    },
    #[error(
        "refusing plain http to `{host}`: the token would cross the network unencrypted; use \
         https, or http only for a loopback address (127.0.0.1, ::1, localhost)"
    )]
    InsecureRemote { host: String },
    #[error(
        "`{scheme}` is not http or https: give the Edge API base URL, e.g. {}",
        ops::DEFAULT_BASE_URL
    )]
    UnsupportedScheme { scheme: String },
    #[error(
        "the endpoint URL must not contain a user name or password: the token is read from \
         CHILI_PIPER_API_KEY or --token-file"
    )]
    CredentialsInUrl,
    #[error("the endpoint URL must not have a query or fragment: give only the base URL")]
    QueryOrFragment,
}

/// `url`'s parse error, named through reqwest's re-exported `Url` (no direct `url` dependency).
pub type UrlParseError = <Url as std::str::FromStr>::Err;

impl Endpoint {
    /// Production: `https://fire.chilipiper.com/api/fire-edge`.
    pub fn production() -> Endpoint {
        Endpoint::parse(ops::DEFAULT_BASE_URL).expect("the production base URL is valid https")
    }

    /// Checks a base URL given by the user.
    pub fn parse(given: &str) -> Result<Endpoint, EndpointError> {
        let url = Url::parse(given.trim()).map_err(|source| EndpointError::NotAUrl {
            given: given.to_string(),
            source,
        })?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(EndpointError::CredentialsInUrl);
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(EndpointError::QueryOrFragment);
        }
        match url.scheme() {
            "https" => {}
            "http" => {
                if !is_loopback(&url) {
                    return Err(EndpointError::InsecureRemote {
                        host: url.host_str().unwrap_or_default().to_string(),
                    });
                }
            }
            other => {
                return Err(EndpointError::UnsupportedScheme {
                    scheme: other.to_string(),
                });
            }
        }
        let base = url.as_str().trim_end_matches('/').to_string();
        Ok(Endpoint { base })
    }

    /// The base URL, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.base
    }

    /// Whether the host is a loopback address or `localhost`: the only place plain http may
    /// go, and where no proxy is used.
    pub fn is_loopback(&self) -> bool {
        Url::parse(&self.base).is_ok_and(|url| is_loopback(&url))
    }

    /// The host when it is a name rather than an address (`localhost`), as the URL spells it.
    pub fn domain(&self) -> Option<String> {
        let url = Url::parse(&self.base).ok()?;
        url.domain().map(str::to_string)
    }

    /// Whether requests go over TLS.
    pub fn is_https(&self) -> bool {
        self.base.starts_with("https://")
    }
}

/// 127.0.0.0/8, ::1 (and IPv4-mapped loopback), or the name `localhost`.
fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    // IPv6 hosts come bracketed (`[::1]`); names may carry a trailing root dot.
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let host = host.trim_end_matches('.');
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(address)) => address.is_loopback(),
        Ok(IpAddr::V6(address)) => is_loopback_ipv6(address),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

fn is_loopback_ipv6(address: Ipv6Addr) -> bool {
    address.is_loopback()
        || address
            .to_ipv4_mapped()
            .is_some_and(|mapped: Ipv4Addr| mapped.is_loopback())
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base)
    }
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Endpoint({})", self.base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_is_the_default_and_https() {
        let endpoint = Endpoint::production();
        assert_eq!(endpoint.as_str(), ops::DEFAULT_BASE_URL);
        assert!(endpoint.is_https());
    }

    #[test]
    fn plain_http_is_accepted_on_loopback_only() {
        for ok in [
            "http://127.0.0.1:4010/api/fire-edge",
            "http://127.8.9.10/api/fire-edge/",
            "http://[::1]:4010/api/fire-edge",
            "http://localhost:4010/api/fire-edge",
            "http://LOCALHOST./api/fire-edge",
            "http://[::ffff:127.0.0.1]:1/x",
        ] {
            let endpoint = Endpoint::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert!(!endpoint.as_str().ends_with('/'), "{endpoint}");
            assert!(endpoint.is_loopback(), "{endpoint}");
        }
        for refused in [
            "http://fire.chilipiper.com/api/fire-edge",
            "http://10.0.0.1/api/fire-edge",
            "http://localhost.example.com/api/fire-edge",
            "http://[2001:db8::1]/api/fire-edge",
            "http://0.0.0.0:4010/api/fire-edge",
        ] {
            let error = Endpoint::parse(refused).unwrap_err();
            assert!(
                matches!(error, EndpointError::InsecureRemote { .. }),
                "{refused}: {error}"
            );
            assert!(error.to_string().contains("use https"), "{error}");
        }
    }

    #[test]
    fn odd_urls_are_refused_with_a_reason() {
        assert!(matches!(
            Endpoint::parse("ftp://127.0.0.1/x"),
            Err(EndpointError::UnsupportedScheme { .. })
        ));
        assert!(matches!(
            Endpoint::parse("not a url"),
            Err(EndpointError::NotAUrl { .. })
        ));
        assert!(matches!(
            Endpoint::parse("https://user:secret@fire.chilipiper.com/api/fire-edge"),
            Err(EndpointError::CredentialsInUrl)
        ));
        assert!(matches!(
            Endpoint::parse("https://fire.chilipiper.com/api/fire-edge?x=1"),
            Err(EndpointError::QueryOrFragment)
        ));
    }
}
