//! The resource proxy: fetches the sub-resources of the agent's replica (images, fonts,
//! stylesheets, media) on the server's side, so that the replica never loads anything from the
//! customer's site or its CDNs directly, and falls back to the customer's own browser for what
//! the server cannot fetch.
//!
//! - [`policy`]: which URLs may be fetched (allowed origins, allowed external domains, public
//!   addresses only unless configured, checked at every redirect hop and on resolution).
//! - [`cache`]: the bounded cache of fetched responses, honouring HTTP caching headers.
//! - [`css`]: rewriting of stylesheets' `url()` and `@import` references to the proxy.
//! - [`uploads`]: the resources customers' pages upload when asked (`resourceRequest`), in a
//!   bounded cache shared by sessions, and the proxy requests waiting for them.
//! - [`serve`]: what is sent to the agent (passive types only, strict headers).
//! - [`tls`]: the client's TLS for `https:` (rustls with ring, certificates verified against the
//!   system's trust store and `--proxy-ca-file`), and the names of TLS failures.
//!
//! The HTTP side (authentication of the agent, routes) is `crate::http::resources`. Requests
//! upstream carry no cookie, no credentials and no header of the agent's request; the client has
//! no proxy settings, follows no redirect by itself and resolves names through
//! [`policy::PublicResolver`], for `http:` and `https:` alike (the TLS connector wraps the same
//! resolving connector). Called by that handler only; it holds no session state.

pub mod cache;
pub mod css;
pub mod policy;
pub mod serve;
pub mod tls;
pub mod uploads;

use crate::config::ConfigError;
use crate::metrics::Metrics;
use bytes::{Bytes, BytesMut};
use cache::{Cached, Lookup, ResourceCache};
use policy::{Policy, PublicResolver, Refusal};
use reqwest::header::{
    ACCEPT, CONTENT_TYPE, IF_MODIFIED_SINCE, IF_NONE_MATCH, LOCATION, USER_AGENT,
};
use rustls::pki_types::CertificateDer;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// Redirects followed at most per request (each hop checked again).
pub const MAX_REDIRECTS: usize = 5;

/// The knobs of the proxy (from [`crate::Config`]).
#[derive(Debug, Clone)]
pub struct ResourceSettings {
    pub policy: Policy,
    /// Largest resource fetched or uploaded.
    pub max_bytes: usize,
    /// Time allowed for one fetch (all redirect hops and the body), and for a customer's upload.
    pub timeout: Duration,
    /// Bound of the fetched-resource cache, and of the upload cache, each.
    pub cache_bytes: usize,
    /// CA certificates trusted for `https:` besides the system's (`--proxy-ca-file`).
    pub extra_roots: Vec<CertificateDer<'static>>,
}

impl TryFrom<&crate::Config> for ResourceSettings {
    type Error = ConfigError;

    /// Reads `--proxy-ca-file` (a missing or invalid file is a configuration error).
    fn try_from(c: &crate::Config) -> Result<Self, ConfigError> {
        Ok(Self {
            policy: Policy {
                allowed_origins: c.allowed_origins.clone(),
                external_domains: c.allowed_external_domains.clone(),
                allow_private: c.proxy_allow_private,
            },
            max_bytes: c.resource_max_bytes,
            timeout: c.resource_timeout,
            cache_bytes: c.resource_cache_bytes,
            extra_roots: c.proxy_ca_certificates()?,
        })
    }
}

/// Why the proxy's HTTP client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("TLS configuration: {0}")]
    Tls(#[from] rustls::Error),
    #[error(transparent)]
    Http(#[from] reqwest::Error),
}

/// Why a resource could not be had. Each maps to one HTTP status (see `crate::http`).
#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchError {
    /// `403 notAllowed`.
    #[error("{0}")]
    NotAllowed(Refusal),
    /// `413`.
    #[error("the resource is larger than {0} bytes")]
    TooLarge(usize),
    /// `504`.
    #[error("the resource did not arrive within {0:?}")]
    Timeout(Duration),
    /// `502`: the upstream answered with an error, could not be reached (TLS failures included),
    /// or redirected too often.
    #[error("{0}")]
    Upstream(String),
}

impl FetchError {
    /// Whether the customer's browser might have the resource when the server cannot fetch it
    /// (it has the page's credentials and reaches hosts the server does not). Not for resources
    /// that are too large: an upload would be too.
    pub fn customer_may_help(&self) -> bool {
        match self {
            Self::NotAllowed(_) | Self::Timeout(_) | Self::Upstream(_) => true,
            Self::TooLarge(_) => false,
        }
    }
}

/// The proxy: HTTP client, policy, caches. One per server.
#[derive(Debug)]
pub struct Resources {
    client: reqwest::Client,
    pub settings: ResourceSettings,
    cache: ResourceCache,
    pub uploads: uploads::Uploads,
    metrics: Arc<Metrics>,
}

impl Resources {
    pub fn new(settings: ResourceSettings, metrics: Arc<Metrics>) -> Result<Self, ClientError> {
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls::client_config(&settings.extra_roots)?)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .connect_timeout(settings.timeout)
            .dns_resolver(PublicResolver {
                allow_private: settings.policy.allow_private,
            })
            .build()?;
        Ok(Self {
            client,
            cache: ResourceCache::new(settings.cache_bytes),
            uploads: uploads::Uploads::new(settings.cache_bytes, settings.max_bytes),
            settings,
            metrics,
        })
    }

    /// The resource at `url`, from the cache when fresh, else fetched (and revalidated when the
    /// cache has a validator).
    pub async fn fetch(&self, url: &Url) -> Result<Cached, FetchError> {
        let validators = match self.cache.lookup(url.as_str()) {
            Lookup::Fresh(cached) => {
                Metrics::inc(&self.metrics.resources_cached);
                return Ok(cached);
            }
            Lookup::Stale {
                etag,
                last_modified,
            } => Some((etag, last_modified)),
            Lookup::Missing => None,
        };
        let limit = self.settings.timeout;
        let result = match tokio::time::timeout(limit, self.fetch_uncached(url, validators)).await {
            Ok(result) => result,
            Err(_) => Err(FetchError::Timeout(limit)),
        };
        match &result {
            Ok(_) => Metrics::inc(&self.metrics.resources_fetched),
            Err(FetchError::NotAllowed(_)) => Metrics::inc(&self.metrics.resources_refused),
            Err(_) => Metrics::inc(&self.metrics.resources_failed),
        }
        result
    }

    async fn fetch_uncached(
        &self,
        url: &Url,
        validators: Option<(Option<String>, Option<String>)>,
    ) -> Result<Cached, FetchError> {
        let mut current = url.clone();
        for hop in 0..=MAX_REDIRECTS {
            self.settings
                .policy
                .check_url(&current)
                .map_err(FetchError::NotAllowed)?;
            let mut request = self
                .client
                .get(current.as_str())
                .header(ACCEPT, "*/*")
                .header(USER_AGENT, "cobrowse-resource-proxy");
            if hop == 0
                && let Some((etag, last_modified)) = &validators
            {
                if let Some(etag) = etag {
                    request = request.header(IF_NONE_MATCH, etag);
                }
                if let Some(date) = last_modified {
                    request = request.header(IF_MODIFIED_SINCE, date);
                }
            }
            let mut response = request.send().await.map_err(|e| classify(&e, &current))?;
            let status = response.status();
            if status == reqwest::StatusCode::NOT_MODIFIED && hop == 0 && validators.is_some() {
                return self
                    .cache
                    .revalidated(url.as_str(), response.headers())
                    .ok_or_else(|| {
                        FetchError::Upstream("the cached copy was evicted; try again".to_owned())
                    });
            }
            if status.is_redirection() {
                let next = response
                    .headers()
                    .get(LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|l| current.join(l).ok())
                    .ok_or_else(|| {
                        FetchError::Upstream(format!(
                            "{} answered {status} without a usable Location",
                            host(&current)
                        ))
                    })?;
                current = next;
                continue;
            }
            if !status.is_success() {
                return Err(FetchError::Upstream(format!(
                    "{} answered {status}",
                    host(&current)
                )));
            }
            let max = self.settings.max_bytes;
            if response
                .content_length()
                .is_some_and(|n| n > u64::try_from(max).unwrap_or(u64::MAX))
            {
                return Err(FetchError::TooLarge(max));
            }
            let mut body = BytesMut::new();
            while let Some(chunk) = response.chunk().await.map_err(|e| classify(&e, &current))? {
                if body.len() + chunk.len() > max {
                    return Err(FetchError::TooLarge(max));
                }
                body.extend_from_slice(&chunk);
            }
            let content_type = response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(essence)
                .unwrap_or_default();
            let cached = Cached {
                final_url: current.to_string(),
                content_type,
                body: Bytes::from(body),
            };
            self.cache.store(url.as_str(), &cached, response.headers());
            return Ok(cached);
        }
        Err(FetchError::Upstream(format!(
            "more than {MAX_REDIRECTS} redirects"
        )))
    }
}

/// `type/subtype` of a `Content-Type`, lowercase, without parameters.
pub fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn host(url: &Url) -> String {
    url.host_str().unwrap_or_default().to_owned()
}

/// Maps a client error to a [`FetchError`]: a refusal of the resolver (private address) is
/// `NotAllowed`, a timeout is `Timeout`, a TLS failure `Upstream` saying what failed (see
/// [`tls::describe`]), anything else `Upstream`.
fn classify(error: &reqwest::Error, url: &Url) -> FetchError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(refusal) = e.downcast_ref::<Refusal>() {
            return FetchError::NotAllowed(refusal.clone());
        }
        source = e.source();
    }
    if error.is_timeout() {
        return FetchError::Timeout(Duration::ZERO);
    }
    if let Some(tls_error) = tls::find_error(error) {
        tracing::debug!(error = ?error, "resource fetch failed: TLS");
        return FetchError::Upstream(tls::describe(tls_error, &host(url)));
    }
    tracing::debug!(error = ?error, "resource fetch failed");
    FetchError::Upstream(format!("cannot reach {}", host(url)))
}
