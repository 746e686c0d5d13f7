//! Server configuration: built-in defaults, an optional TOML file, `COBROWSE_*` environment
//! variables and command-line flags, in increasing order of precedence (flag > env > file >
//! default). Clap handles flag-over-env; [`Config::load`] lays the result over the file and the
//! defaults.
//!
//! Durations are written `500ms`, `30s`, `10m`, `2h` or a bare number of seconds; sizes are
//! written `512KiB`, `16MiB`, `1GiB` (also `K`, `M`, `G`, binary) or a bare number of bytes.
//!
//! Invariants of a [`Config`] once built: every allowed origin is normalised
//! (`scheme://host[:port]`, lowercase, default port omitted); `max_frame_bytes` is at least a frame
//! header; `agent_queue_bytes` is not zero; every timer is at most [`MAX_TIMER`] (so that adding it
//! to an `Instant` cannot overflow and panic a session or socket task) and `ping_interval` is not
//! zero (a zero interval panics the socket writer).
//!
//! No field holds a secret (a public URL with credentials in it is refused), so `Debug` is derived;
//! a secret added later must be wrapped in a type whose `Debug` prints `<hidden>`.

use axum::http::Uri;
use cobrowse_protocol::FRAME_HEADER_LEN;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Longest accepted timer (grace periods, timeouts, intervals): a year.
pub const MAX_TIMER: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// Name of the SQLite database file inside the data directory.
pub const DATABASE_FILE: &str = "cobrowse.db";

/// Everything the server needs to run. Build it with [`Config::new`] (defaults, used by tests) or
/// [`Config::load`] (flags, environment, file).
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to bind (used by `main`; `run` receives an already bound listener).
    pub listen: SocketAddr,
    /// Directory of the SQLite database; created if missing.
    pub data_dir: PathBuf,
    /// Normalised origins allowed to create sessions and open customer sockets, besides the
    /// server's own origin.
    pub allowed_origins: Vec<String>,
    /// The server's public URL; when absent the own origin is `http://` + the request's `Host`.
    pub public_url: Option<PublicUrl>,
    /// How long a session waits for the customer's page to come back.
    pub customer_grace: Duration,
    /// How long a session waits for the agent's desktop to come back.
    pub agent_grace: Duration,
    /// How long a session waits for an agent to join, from its creation.
    pub idle_timeout: Duration,
    /// Largest binary frame (header included) forwarded; larger ones get `frameTooLarge`.
    pub max_frame_bytes: usize,
    /// Bound, in bytes, of the frames waiting for one agent socket.
    pub agent_queue_bytes: usize,
    /// Time allowed for the first message (`hello` / `join`) on a socket.
    pub handshake_timeout: Duration,
    /// Interval of the WebSocket pings the server sends.
    pub ping_interval: Duration,
    /// A socket that sends nothing (not even a pong) for this long, or accepts no write for this
    /// long, is considered dead.
    pub socket_timeout: Duration,
    /// How long a socket the server closed waits for the peer's close frame before the TCP
    /// connection is dropped (dropping it with unread input resets it, and the peer may lose the
    /// last messages).
    pub close_linger: Duration,
    /// How long an ended session's token is remembered (answers `sessionEnded`, not reused).
    pub tombstone_ttl: Duration,
    /// How many ended sessions are remembered at most (oldest forgotten first).
    pub max_tombstones: usize,
    /// How many sessions may be live at once; creating more answers `503` (a bound on memory
    /// against a flood of session creations: each lives at least the customer grace period).
    pub max_live_sessions: usize,
    /// Minimum interval between snapshot requests asked for by the agent (`requestSnapshot`).
    pub snapshot_request_interval: Duration,
    /// Lifetime of a login (the `cobrowse_auth` cookie).
    pub login_ttl: Duration,
    /// Host names (lowercase, no port) the resource proxy may fetch from besides the allowed
    /// origins, with their subdomains (CDNs).
    pub allowed_external_domains: Vec<String>,
    /// Whether the resource proxy may fetch from private, loopback and link-local addresses.
    pub proxy_allow_private: bool,
    /// PEM file of CA certificates the resource proxy trusts for `https:` besides the system's
    /// trust store; read at startup ([`Config::proxy_ca_certificates`]).
    pub proxy_ca_file: Option<PathBuf>,
    /// Largest resource the proxy fetches or a customer uploads.
    pub resource_max_bytes: usize,
    /// Time allowed for one proxied fetch (redirects and body), and for a customer's upload.
    pub resource_timeout: Duration,
    /// Bound of the proxy's cache of fetched resources, and of its cache of uploads, each.
    pub resource_cache_bytes: usize,
}

/// The server's public URL, reduced to what the server uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    /// Normalised origin, e.g. `https://cobrowse.example.com`.
    pub origin: String,
    /// `host[:port]` as written (lowercase).
    pub authority: String,
    /// Whether the scheme is https (cookies get `Secure`, sockets are `wss:`).
    pub secure: bool,
}

impl Config {
    /// The defaults, with the given data directory.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: data_dir.into(),
            allowed_origins: Vec::new(),
            public_url: None,
            customer_grace: Duration::from_secs(30),
            agent_grace: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(10 * 60),
            max_frame_bytes: 16 * 1024 * 1024,
            agent_queue_bytes: 8 * 1024 * 1024,
            handshake_timeout: Duration::from_secs(10),
            ping_interval: Duration::from_secs(20),
            socket_timeout: Duration::from_secs(60),
            close_linger: Duration::from_secs(2),
            tombstone_ttl: Duration::from_secs(10 * 60),
            max_tombstones: 100_000,
            max_live_sessions: 100_000,
            snapshot_request_interval: Duration::from_millis(500),
            login_ttl: Duration::from_secs(12 * 60 * 60),
            allowed_external_domains: Vec::new(),
            proxy_allow_private: false,
            proxy_ca_file: None,
            resource_max_bytes: 10 * 1024 * 1024,
            resource_timeout: Duration::from_secs(10),
            resource_cache_bytes: 64 * 1024 * 1024,
        }
    }

    /// Builds the configuration from flags and environment (`args`, already merged by clap), the
    /// TOML file they name, and the defaults.
    pub fn load(args: &ServeArgs) -> Result<Self, ConfigError> {
        let file = match &args.config {
            Some(path) => FileConfig::read(path)?,
            None => FileConfig::default(),
        };
        let data_dir = args
            .data_dir
            .clone()
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("./data"));
        let mut config = Self::new(data_dir);
        if let Some(listen) = args.listen.or(file.listen) {
            config.listen = listen;
        }
        let origins = if args.allowed_origins.is_empty() {
            file.allowed_origins.unwrap_or_default()
        } else {
            args.allowed_origins.clone()
        };
        config.allowed_origins = origins
            .iter()
            .map(|o| o.trim())
            .filter(|o| !o.is_empty())
            .map(|o| normalize_origin(o).ok_or_else(|| ConfigError::Origin(o.to_owned())))
            .collect::<Result<_, _>>()?;
        let domains = if args.allowed_external_domains.is_empty() {
            file.allowed_external_domains.unwrap_or_default()
        } else {
            args.allowed_external_domains.clone()
        };
        config.allowed_external_domains = domains
            .iter()
            .map(|d| d.trim())
            .filter(|d| !d.is_empty())
            .map(|d| normalize_domain(d).ok_or_else(|| ConfigError::Domain(d.to_owned())))
            .collect::<Result<_, _>>()?;
        config.proxy_allow_private =
            args.proxy_allow_private || file.proxy_allow_private.unwrap_or(false);
        config.proxy_ca_file = args.proxy_ca_file.clone().or(file.proxy_ca_file);
        if let Some(url) = args.public_url.clone().or(file.public_url) {
            config.public_url = Some(PublicUrl::parse(&url)?);
        }
        let duration =
            |flag: Option<Duration>, file: Option<DurationValue>, key: &'static str| match (
                flag, file,
            ) {
                (Some(d), _) => Ok(Some(d)),
                (None, Some(v)) => v.get().map(Some).map_err(|e| ConfigError::Value(key, e)),
                (None, None) => Ok(None),
            };
        let size =
            |flag: Option<usize>, file: Option<SizeValue>, key: &'static str| match (flag, file) {
                (Some(d), _) => Ok(Some(d)),
                (None, Some(v)) => v.get().map(Some).map_err(|e| ConfigError::Value(key, e)),
                (None, None) => Ok(None),
            };
        if let Some(d) = duration(args.customer_grace, file.customer_grace, "customer-grace")? {
            config.customer_grace = d;
        }
        if let Some(d) = duration(args.agent_grace, file.agent_grace, "agent-grace")? {
            config.agent_grace = d;
        }
        if let Some(d) = duration(args.idle_timeout, file.idle_timeout, "idle-timeout")? {
            config.idle_timeout = d;
        }
        if let Some(n) = size(
            args.max_frame_bytes,
            file.max_frame_bytes,
            "max-frame-bytes",
        )? {
            config.max_frame_bytes = n;
        }
        if let Some(n) = size(
            args.agent_queue_bytes,
            file.agent_queue_bytes,
            "agent-queue-bytes",
        )? {
            config.agent_queue_bytes = n;
        }
        if let Some(n) = size(
            args.resource_max_bytes,
            file.resource_max_bytes,
            "resource-max-bytes",
        )? {
            config.resource_max_bytes = n;
        }
        if let Some(n) = size(
            args.resource_cache_bytes,
            file.resource_cache_bytes,
            "resource-cache-bytes",
        )? {
            config.resource_cache_bytes = n;
        }
        if let Some(d) = duration(
            args.resource_timeout,
            file.resource_timeout,
            "resource-timeout",
        )? {
            config.resource_timeout = d;
        }
        config.validate()?;
        Ok(config)
    }

    /// Checks the invariants listed in the module documentation.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.max_frame_bytes < FRAME_HEADER_LEN || self.max_frame_bytes > 1 << 30 {
            return Err(ConfigError::Value(
                "max-frame-bytes",
                format!("must be between {FRAME_HEADER_LEN} bytes and 1GiB"),
            ));
        }
        if self.agent_queue_bytes == 0 {
            return Err(ConfigError::Value(
                "agent-queue-bytes",
                "must not be zero".to_owned(),
            ));
        }
        let timers = [
            ("customer-grace", self.customer_grace),
            ("agent-grace", self.agent_grace),
            ("idle-timeout", self.idle_timeout),
            ("snapshot-request-interval", self.snapshot_request_interval),
            ("tombstone-ttl", self.tombstone_ttl),
            ("handshake-timeout", self.handshake_timeout),
            ("ping-interval", self.ping_interval),
            ("socket-timeout", self.socket_timeout),
            ("close-linger", self.close_linger),
            ("resource-timeout", self.resource_timeout),
        ];
        for (name, value) in timers {
            if value > MAX_TIMER {
                return Err(ConfigError::Value(
                    name,
                    "must be at most a year".to_owned(),
                ));
            }
        }
        if self.resource_timeout.is_zero() {
            return Err(ConfigError::Value(
                "resource-timeout",
                "must not be zero".to_owned(),
            ));
        }
        if self.ping_interval.is_zero() {
            return Err(ConfigError::Value(
                "ping-interval",
                "must not be zero".to_owned(),
            ));
        }
        Ok(())
    }

    /// Path of the SQLite database.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join(DATABASE_FILE)
    }

    /// The certificates of [`Config::proxy_ca_file`] (none without one). The file must be
    /// readable and hold at least one PEM `CERTIFICATE` block, each a CA certificate rustls can
    /// use as a trust anchor; other PEM blocks (a key) are ignored.
    pub fn proxy_ca_certificates(&self) -> Result<Vec<CertificateDer<'static>>, ConfigError> {
        let Some(path) = &self.proxy_ca_file else {
            return Ok(Vec::new());
        };
        let bad = |message: String| ConfigError::ProxyCaFile {
            path: path.clone(),
            message,
        };
        let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
        let certificates = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad(format!("not a PEM file ({e})")))?;
        if certificates.is_empty() {
            return Err(bad(
                "no certificate in it (expected PEM `BEGIN CERTIFICATE` blocks)".to_owned(),
            ));
        }
        for (n, certificate) in certificates.iter().enumerate() {
            rustls::RootCertStore::empty()
                .add(certificate.clone())
                .map_err(|e| bad(format!("certificate {} is not usable ({e})", n + 1)))?;
        }
        Ok(certificates)
    }
}

impl PublicUrl {
    /// Parses `http(s)://host[:port][/]`.
    pub fn parse(url: &str) -> Result<Self, ConfigError> {
        let bad = || ConfigError::PublicUrl(url.to_owned());
        let uri: Uri = url.trim().parse().map_err(|_| bad())?;
        let origin = normalize_origin(url.trim()).ok_or_else(bad)?;
        let authority = uri.authority().ok_or_else(bad)?;
        if authority.as_str().contains('@') {
            return Err(bad());
        }
        Ok(Self {
            secure: origin.starts_with("https://"),
            authority: authority.as_str().to_ascii_lowercase(),
            origin,
        })
    }
}

/// Normalises a web origin: `scheme://host[:port]` with scheme `http` or `https`, lowercase, the
/// default port removed, no path (a lone `/` is accepted), no credentials. `None` when `s` is not
/// such an origin (including the opaque origin `null`).
pub fn normalize_origin(s: &str) -> Option<String> {
    let uri: Uri = s.parse().ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let authority = uri.authority()?;
    if authority.as_str().contains('@') || uri.query().is_some() {
        return None;
    }
    if !matches!(uri.path(), "" | "/") {
        return None;
    }
    let host = authority.host().to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    Some(match authority.port_u16() {
        Some(port) if port != default_port => format!("{scheme}://{host}:{port}"),
        _ => format!("{scheme}://{host}"),
    })
}

/// Normalises an allowed external domain: a host name, lowercase, without a leading `*.` or `.`
/// (subdomains are always included). `None` when `s` is not a bare host name (scheme, port,
/// path, credentials, or an IP address are refused: allow addresses by origin instead).
pub fn normalize_domain(s: &str) -> Option<String> {
    let d = s
        .trim()
        .trim_start_matches("*.")
        .trim_start_matches('.')
        .to_ascii_lowercase();
    let valid = !d.is_empty()
        && d.len() <= 253
        && d.parse::<std::net::IpAddr>().is_err()
        && d.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    valid.then_some(d)
}

/// Flags of `cobrowse serve`, each with its environment variable. Everything is optional here so
/// that the TOML file can fill what the command line leaves out.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ServeArgs {
    /// TOML configuration file (keys are the flag names: listen, data-dir, allowed-origins, ...).
    #[arg(long, env = "COBROWSE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080]; port 0 picks a free port.
    #[arg(long, env = "COBROWSE_LISTEN", value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Directory of the database [default: ./data]; created if missing.
    #[arg(long, env = "COBROWSE_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Origin allowed to embed the customer SDK (repeatable; the environment variable is
    /// comma-separated). The server's own origin is always allowed.
    #[arg(
        long = "allowed-origin",
        env = "COBROWSE_ALLOWED_ORIGINS",
        value_name = "ORIGIN",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,
    /// Public URL of this server (its own origin), e.g. https://cobrowse.example.com. Needed
    /// behind a TLS-terminating proxy; without it the origin is http:// + the Host header.
    #[arg(long, env = "COBROWSE_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// How long a session waits for the customer's page to reconnect [default: 30s].
    #[arg(long, env = "COBROWSE_CUSTOMER_GRACE", value_name = "DURATION", value_parser = parse_duration)]
    pub customer_grace: Option<Duration>,
    /// How long a session waits for the agent to reconnect [default: 60s].
    #[arg(long, env = "COBROWSE_AGENT_GRACE", value_name = "DURATION", value_parser = parse_duration)]
    pub agent_grace: Option<Duration>,
    /// How long a session waits for an agent to join [default: 10m].
    #[arg(long, env = "COBROWSE_IDLE_TIMEOUT", value_name = "DURATION", value_parser = parse_duration)]
    pub idle_timeout: Option<Duration>,
    /// Largest DOM frame forwarded, header included [default: 16MiB].
    #[arg(long, env = "COBROWSE_MAX_FRAME_BYTES", value_name = "SIZE", value_parser = parse_size)]
    pub max_frame_bytes: Option<usize>,
    /// Bound of the frames queued for one agent before it is resynced [default: 8MiB].
    #[arg(long, env = "COBROWSE_AGENT_QUEUE_BYTES", value_name = "SIZE", value_parser = parse_size)]
    pub agent_queue_bytes: Option<usize>,
    /// Domain the resource proxy may fetch from besides the allowed origins, subdomains
    /// included, e.g. a CDN (repeatable; the environment variable is comma-separated).
    #[arg(
        long = "allowed-external-domain",
        env = "COBROWSE_ALLOWED_EXTERNAL_DOMAINS",
        value_name = "DOMAIN",
        value_delimiter = ','
    )]
    pub allowed_external_domains: Vec<String>,
    /// Let the resource proxy fetch from private, loopback and link-local addresses (dev
    /// setups and tests where the site runs on such an address).
    #[arg(long, env = "COBROWSE_PROXY_ALLOW_PRIVATE")]
    pub proxy_allow_private: bool,
    /// PEM file of CA certificates the resource proxy trusts for https besides the system's
    /// (an enterprise's internal CA).
    #[arg(long, env = "COBROWSE_PROXY_CA_FILE", value_name = "FILE")]
    pub proxy_ca_file: Option<PathBuf>,
    /// Largest resource the proxy fetches or a customer uploads [default: 10MiB].
    #[arg(long, env = "COBROWSE_RESOURCE_MAX_BYTES", value_name = "SIZE", value_parser = parse_size)]
    pub resource_max_bytes: Option<usize>,
    /// Time allowed for a proxied fetch, and for a customer's upload [default: 10s].
    #[arg(long, env = "COBROWSE_RESOURCE_TIMEOUT", value_name = "DURATION", value_parser = parse_duration)]
    pub resource_timeout: Option<Duration>,
    /// Bound of the resource proxy's caches (fetched, uploaded), each [default: 64MiB].
    #[arg(long, env = "COBROWSE_RESOURCE_CACHE_BYTES", value_name = "SIZE", value_parser = parse_size)]
    pub resource_cache_bytes: Option<usize>,
}

/// The TOML file. Keys are the flag names.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FileConfig {
    listen: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    allowed_origins: Option<Vec<String>>,
    public_url: Option<String>,
    customer_grace: Option<DurationValue>,
    agent_grace: Option<DurationValue>,
    idle_timeout: Option<DurationValue>,
    max_frame_bytes: Option<SizeValue>,
    agent_queue_bytes: Option<SizeValue>,
    allowed_external_domains: Option<Vec<String>>,
    proxy_allow_private: Option<bool>,
    proxy_ca_file: Option<PathBuf>,
    resource_max_bytes: Option<SizeValue>,
    resource_timeout: Option<DurationValue>,
    resource_cache_bytes: Option<SizeValue>,
}

impl FileConfig {
    fn read(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.to_owned(),
            message: e.to_string(),
        })
    }
}

/// A duration in the file: a number of seconds or a string such as `"30s"`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum DurationValue {
    Seconds(u64),
    Text(String),
}

impl DurationValue {
    fn get(self) -> Result<Duration, String> {
        match self {
            Self::Seconds(s) => Ok(Duration::from_secs(s)),
            Self::Text(t) => parse_duration(&t),
        }
    }
}

/// A size in the file: a number of bytes or a string such as `"16MiB"`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SizeValue {
    Bytes(usize),
    Text(String),
}

impl SizeValue {
    fn get(self) -> Result<usize, String> {
        match self {
            Self::Bytes(n) => Ok(n),
            Self::Text(t) => parse_size(&t),
        }
    }
}

/// Parses `500ms`, `30s`, `10m`, `2h` or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, unit) = s.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a duration (e.g. 30s, 10m, 500ms)"))?;
    let d = match unit.trim() {
        "" | "s" => Duration::from_secs(n),
        "ms" => Duration::from_millis(n),
        "m" | "min" => Duration::from_secs(n.saturating_mul(60)),
        "h" => Duration::from_secs(n.saturating_mul(3600)),
        _ => return Err(format!("`{s}` is not a duration (e.g. 30s, 10m, 500ms)")),
    };
    Ok(d)
}

/// Parses `512KiB`, `16MiB`, `1GiB` (`K`, `M`, `G` are binary too) or a bare number of bytes.
pub fn parse_size(s: &str) -> Result<usize, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, unit) = s.split_at(split);
    let n: usize = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a size (e.g. 16MiB, 512KiB)"))?;
    let factor: usize = match unit.trim() {
        "" | "B" => 1,
        "K" | "KiB" | "k" => 1 << 10,
        "M" | "MiB" => 1 << 20,
        "G" | "GiB" => 1 << 30,
        _ => return Err(format!("`{s}` is not a size (e.g. 16MiB, 512KiB)")),
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("`{s}` is too large"))
}

/// Why the configuration could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid configuration file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("`{0}` is not an origin (expected http(s)://host[:port])")]
    Origin(String),
    #[error("`{0}` is not a domain name (expected e.g. cdn.example.com)")]
    Domain(String),
    #[error("`{0}` is not a public URL (expected http(s)://host[:port], no path, no credentials)")]
    PublicUrl(String),
    #[error("invalid {0}: {1}")]
    Value(&'static str, String),
    #[error("cannot use the proxy CA file {path}: {message}")]
    ProxyCaFile { path: PathBuf, message: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_sizes() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("45"), Ok(Duration::from_secs(45)));
        assert!(parse_duration("s").is_err());
        assert!(parse_duration("3 days").is_err());
        assert_eq!(parse_size("16MiB"), Ok(16 << 20));
        assert_eq!(parse_size("512K"), Ok(512 << 10));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("1TB").is_err());
    }

    #[test]
    fn timers_that_would_overflow_an_instant_are_refused() {
        // `--customer-grace 10000000000000000000` used to be accepted, and every session actor
        // then panicked adding it to `Instant::now()`, leaving the session live forever.
        let mut config = Config::new("/tmp/x");
        config.customer_grace = parse_duration("10000000000000000000").unwrap();
        assert!(matches!(
            config.validate(),
            Err(ConfigError::Value("customer-grace", _))
        ));
        config.customer_grace = MAX_TIMER;
        assert!(config.validate().is_ok());
        config.ping_interval = Duration::ZERO;
        assert!(matches!(
            config.validate(),
            Err(ConfigError::Value("ping-interval", _))
        ));
    }

    #[test]
    fn origins_are_normalised() {
        let n = |s| normalize_origin(s);
        assert_eq!(
            n("https://Shop.Example"),
            Some("https://shop.example".into())
        );
        assert_eq!(
            n("https://shop.example:443/"),
            Some("https://shop.example".into())
        );
        assert_eq!(
            n("http://shop.example:8080"),
            Some("http://shop.example:8080".into())
        );
        assert_eq!(n("http://a/path"), None);
        assert_eq!(n("null"), None);
        assert_eq!(n("ftp://a"), None);
        assert_eq!(n("http://u:p@a"), None);
    }

    #[test]
    fn precedence_flag_env_file_default() {
        let dir = std::env::temp_dir().join(format!("cobrowse-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("cobrowse.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:9000\"\ncustomer-grace = \"5s\"\nagent-grace = 7\n\
             allowed-origins = [\"https://shop.example\"]\nmax-frame-bytes = \"1MiB\"\n",
        )
        .unwrap();
        let args = ServeArgs {
            config: Some(file.clone()),
            agent_grace: Some(Duration::from_secs(1)),
            ..ServeArgs::default()
        };
        let c = Config::load(&args).unwrap();
        assert_eq!(c.listen, "127.0.0.1:9000".parse().unwrap());
        assert_eq!(c.customer_grace, Duration::from_secs(5));
        assert_eq!(c.agent_grace, Duration::from_secs(1));
        assert_eq!(c.idle_timeout, Duration::from_secs(600));
        assert_eq!(c.max_frame_bytes, 1 << 20);
        assert_eq!(c.allowed_origins, vec!["https://shop.example".to_owned()]);
        std::fs::write(&file, "bogus = 1\n").unwrap();
        assert!(matches!(
            Config::load(&args),
            Err(ConfigError::Parse { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn external_domains_are_normalised() {
        assert_eq!(
            normalize_domain("*.CDN.example"),
            Some("cdn.example".into())
        );
        assert_eq!(normalize_domain(".cdn.example"), Some("cdn.example".into()));
        assert_eq!(normalize_domain("https://cdn.example"), None);
        assert_eq!(normalize_domain("cdn.example:8080"), None);
        assert_eq!(normalize_domain("10.0.0.1"), None);
        let dir = std::env::temp_dir().join(format!("cobrowse-domains-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("cobrowse.toml");
        std::fs::write(
            &file,
            "allowed-external-domains = [\"Fonts.example\"]\nproxy-allow-private = true\n\
             resource-timeout = \"3s\"\nresource-max-bytes = \"1MiB\"\n\
             proxy-ca-file = \"/etc/cobrowse/ca.pem\"\n",
        )
        .unwrap();
        let args = ServeArgs {
            config: Some(file),
            ..ServeArgs::default()
        };
        let c = Config::load(&args).unwrap();
        assert_eq!(c.allowed_external_domains, vec!["fonts.example".to_owned()]);
        assert!(c.proxy_allow_private);
        assert_eq!(c.resource_timeout, Duration::from_secs(3));
        assert_eq!(c.resource_max_bytes, 1 << 20);
        assert_eq!(c.proxy_ca_file, Some(PathBuf::from("/etc/cobrowse/ca.pem")));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_proxy_ca_file_must_hold_usable_certificates() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::new(dir.path());
        assert!(config.proxy_ca_certificates().unwrap().is_empty());
        let message = |config: &Config| match config.proxy_ca_certificates() {
            Err(e @ ConfigError::ProxyCaFile { .. }) => e.to_string(),
            other => panic!("expected a ProxyCaFile error, got {other:?}"),
        };
        config.proxy_ca_file = Some(dir.path().join("missing.pem"));
        assert!(message(&config).contains("missing.pem"));
        let file = dir.path().join("ca.pem");
        config.proxy_ca_file = Some(file.clone());
        std::fs::write(&file, "just text\n").unwrap();
        assert!(message(&config).contains("no certificate"));
        std::fs::write(
            &file,
            "-----BEGIN CERTIFICATE-----\n!!not base64!!\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        assert!(message(&config).contains("not a PEM file"));
        // Valid PEM, but not a certificate inside.
        std::fs::write(
            &file,
            "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        assert!(message(&config).contains("certificate 1 is not usable"));
        let ca = rcgen::CertificateParams::new(Vec::<String>::new())
            .unwrap()
            .self_signed(&rcgen::KeyPair::generate().unwrap())
            .unwrap();
        std::fs::write(&file, ca.pem()).unwrap();
        assert_eq!(
            config.proxy_ca_certificates().unwrap(),
            vec![ca.der().clone()]
        );
    }

    #[test]
    fn public_url() {
        let p = PublicUrl::parse("https://Co.Example.com/").unwrap();
        assert_eq!(p.origin, "https://co.example.com");
        assert_eq!(p.authority, "co.example.com");
        assert!(p.secure);
        assert!(PublicUrl::parse("https://u:p@co.example.com").is_err());
        assert!(PublicUrl::parse("https://co.example.com/app").is_err());
    }
}
