//! cobrowse server: REST API, login, customer and agent WebSockets, the per-session relay and the
//! embedded browser bundles.
//!
//! [`run`] is the whole server, used by `main` and by the integration tests alike: it opens the
//! database, creates the first administrator when there is no user, serves on the given listener
//! until `shutdown` resolves, then ends every live session with `serverShutdown` and returns.
//!
//! Modules: [`config`] (settings), [`store`] (users, logins, API keys and restrictions in
//! SQLite), [`auth`] (password and cookie hashing), [`accounts`] (user administration for the
//! CLI), [`apikeys`] (integration keys), `restriction` (the DOM restriction model, the live set
//! sent to customers, inspect tickets), `http` (routes), `ws` (sockets), `session` (registry and
//! one actor per session), `chat` (chats that can be a session's primary media), `resource` (the
//! replica's resource proxy and customer uploads), `metrics`.

// Tests may unwrap: a panic there is a test failure with a backtrace, which is what we want.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod accounts;
pub mod apikeys;
pub mod auth;
mod chat;
pub mod config;
mod http;
mod metrics;
mod resource;
mod restriction;
mod session;
pub mod store;
mod ws;

pub use config::{Config, ConfigError, ServeArgs};

use axum::serve::ListenerExt as _;
use std::future::Future;
use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};

/// How long shutdown waits for sessions to end and sockets to flush their last messages.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Why the server could not start or stopped abnormally.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Account(#[from] accounts::AccountError),
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot start the resource proxy's HTTP client: {0}")]
    ResourceClient(#[from] resource::ClientError),
}

/// Shared state of the running server, handed to every handler and socket task.
pub(crate) struct App {
    pub config: Config,
    pub store: Arc<dyn store::Store>,
    pub sessions: Arc<session::Registry>,
    /// The chats (primary media of co-browse sessions).
    pub chats: chat::ChatHub,
    pub metrics: Arc<metrics::Metrics>,
    pub hashing: auth::Hashing,
    pub sockets: Arc<ws::SocketTracker>,
    /// The DOM restrictions: changes, and the enabled set published to session actors.
    pub restrictions: Arc<restriction::live::Restrictions>,
    /// The replica's resource proxy: HTTP client, caches, customer uploads.
    pub resources: resource::Resources,
    /// Outstanding one-time inspect tickets.
    pub inspect: restriction::inspect::InspectTickets,
    // Channel: set to `true` once every session has ended during shutdown; socket tasks still
    // open (handshakes in progress) then close. A watch: late subscribers see the state.
    pub closing: tokio::sync::watch::Sender<bool>,
    /// The address the listener is bound to (fallback for URLs when a request has no `Host`).
    pub local_addr: SocketAddr,
}

/// Runs the server on `listener` until `shutdown` resolves.
///
/// Prints to stdout, once ready: `created administrator "admin" with password: ...` on the
/// first start (empty user table), then `cobrowse listening on http://ADDR`.
pub async fn run(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    config.validate()?;
    let metrics = Arc::new(metrics::Metrics::default());
    // Before anything is created: a bad --proxy-ca-file is a configuration error.
    let resources = resource::Resources::new(
        resource::ResourceSettings::try_from(&config)?,
        metrics.clone(),
    )?;
    let store: Arc<dyn store::Store> = Arc::new(store::SqliteStore::open(&config.data_dir).await?);
    let hashing = auth::Hashing::default();
    hashing.warm_up();
    let local_addr = listener.local_addr()?;
    if let Some(password) = accounts::ensure_admin(store.as_ref(), &hashing).await? {
        announce(&format!(
            "created administrator \"{}\" with password: {password}",
            accounts::FIRST_ADMIN
        ))?;
    }
    let restrictions = Arc::new(restriction::live::Restrictions::load(store.clone()).await?);
    let sessions = Arc::new(session::Registry::new(
        session::SessionSettings::from(&config),
        metrics.clone(),
        restrictions.subscribe(),
    ));
    let chats = chat::ChatHub::start(
        chat::ChatSettings::from(&config),
        store.clone(),
        sessions.clone(),
    )
    .await?;
    let app = Arc::new(App {
        resources,
        sessions,
        chats,
        restrictions,
        inspect: restriction::inspect::InspectTickets::default(),
        config,
        store,
        metrics,
        hashing,
        sockets: Arc::new(ws::SocketTracker::default()),
        closing: tokio::sync::watch::Sender::new(false),
        local_addr,
    });
    announce(&format!("cobrowse listening on http://{local_addr}"))?;
    tracing::info!(%local_addr, "listening");

    // Channel: tells axum to stop accepting once sessions and sockets are done.
    let (stop_http, http_stopped) = tokio::sync::oneshot::channel::<()>();
    let router = http::router(app.clone());
    let mut server = tokio::spawn(
        // Peer addresses: chats are limited per IP address. No Nagle delay: frames are relayed as
        // they come (a small frame must not wait for the previous one's ACK).
        axum::serve(
            Accept::new(listener).tap_io(|tcp| {
                if let Err(e) = tcp.set_nodelay(true) {
                    tracing::debug!(error = %e, "TCP_NODELAY not set");
                }
            }),
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = http_stopped.await;
        })
        .into_future(),
    );
    tokio::select! {
        () = shutdown => {}
        result = &mut server => {
            // The server stopped by itself: an accept loop failure.
            return match result {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(Error::Io(e)),
                Err(e) => Err(Error::Io(std::io::Error::other(e))),
            };
        }
    }
    tracing::info!("shutting down");
    // Sessions first, so both parties of each are told `serverShutdown` before sockets close.
    app.sessions.shutdown(SHUTDOWN_GRACE).await;
    app.chats.shutdown(SHUTDOWN_GRACE).await;
    app.closing.send_replace(true);
    app.sockets.wait_idle(SHUTDOWN_GRACE).await;
    let _ = stop_http.send(());
    match tokio::time::timeout(SHUTDOWN_GRACE, &mut server).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(e))) => return Err(Error::Io(e)),
        Ok(Err(e)) => return Err(Error::Io(std::io::Error::other(e))),
        Err(_) => {
            tracing::warn!("HTTP connections still open after the shutdown deadline");
            server.abort();
        }
    }
    Ok(())
}

/// How long the accept loop waits before it tries again after an error that refusing a
/// connection did not clear (bounded: a server out of file descriptors must not spin).
const ACCEPT_RETRY: Duration = Duration::from_millis(100);
/// At most one log line per this period about connections refused for lack of descriptors.
const ACCEPT_REPORT_EVERY: Duration = Duration::from_secs(10);
/// What a connection refused for lack of file descriptors is told before it is closed.
const OUT_OF_FILES_RESPONSE: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

/// The listener `axum::serve` accepts from: a clear, bounded behaviour when the process reaches
/// its limit of open files (`ulimit -n`).
///
/// Out of descriptors, `accept` fails with `EMFILE` and the pending connection stays in the
/// kernel's backlog: axum's own loop logs the error and retries every second, so every client
/// beyond the limit hangs until a descriptor is freed. Here a spare descriptor is kept open
/// (`/dev/null`); when `accept` fails for lack of descriptors, the spare is closed, the pending
/// connection accepted with its slot, answered `503` and closed, and the spare reopened. Clients
/// beyond the limit get a prompt refusal, sockets already open are untouched, the refusals are
/// logged at most once per [`ACCEPT_REPORT_EVERY`] with the limit, and the server accepts again
/// as soon as sockets close. When the spare cannot be reopened (another task took the slot), the
/// loop waits [`ACCEPT_RETRY`] between attempts instead of spinning.
struct Accept {
    listener: TcpListener,
    spare: Option<std::fs::File>,
    /// The process's limit of open files, read at start (for the log).
    limit: Option<u64>,
    refused: u64,
    reported: Option<std::time::Instant>,
}

impl Accept {
    fn new(listener: TcpListener) -> Self {
        Self {
            listener,
            spare: std::fs::File::open("/dev/null").ok(),
            limit: open_files_limit(),
            refused: 0,
            reported: None,
        }
    }

    /// Refuses one pending connection with the spare descriptor's slot; `false` if there was no
    /// spare to give up.
    async fn refuse_one(&mut self) -> bool {
        let Some(spare) = self.spare.take() else {
            return false;
        };
        drop(spare);
        if let Ok(Ok((tcp, _))) = tokio::time::timeout(ACCEPT_RETRY, self.listener.accept()).await {
            // Best effort: the socket's send buffer is empty, so a short answer fits at once.
            let _ = tcp.try_write(OUT_OF_FILES_RESPONSE);
            drop(tcp);
            self.refused += 1;
        }
        self.spare = std::fs::File::open("/dev/null").ok();
        true
    }

    fn report(&mut self, error: &std::io::Error) {
        let now = std::time::Instant::now();
        if self
            .reported
            .is_some_and(|at| now.duration_since(at) < ACCEPT_REPORT_EVERY)
        {
            return;
        }
        self.reported = Some(now);
        let limit = self
            .limit
            .map_or_else(|| "unknown".to_owned(), |l| l.to_string());
        tracing::error!(
            %error,
            open_files_limit = %limit,
            refused_so_far = self.refused,
            "cannot accept connections: the process has run out of file descriptors \
             (raise `ulimit -n`); new connections are answered 503 until sockets close"
        );
    }
}

impl axum::serve::Listener for Accept {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        loop {
            match self.listener.accept().await {
                Ok((tcp, addr)) => {
                    if self.spare.is_none() {
                        self.spare = std::fs::File::open("/dev/null").ok();
                    }
                    return (tcp, addr);
                }
                Err(e) if is_out_of_files(&e) => {
                    self.report(&e);
                    if !self.refuse_one().await {
                        tokio::time::sleep(ACCEPT_RETRY).await;
                    }
                }
                // A connection that died in the backlog: nothing to do.
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::ConnectionAborted
                            | std::io::ErrorKind::ConnectionReset
                            | std::io::ErrorKind::ConnectionRefused
                    ) => {}
                Err(e) => {
                    tracing::error!(error = %e, "accept failed");
                    tokio::time::sleep(ACCEPT_RETRY).await;
                }
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }
}

/// `EMFILE` (the process's limit) or `ENFILE` (the system's).
fn is_out_of_files(e: &std::io::Error) -> bool {
    // Linux errno values; elsewhere the raw codes differ and only the message is less precise.
    const ENFILE: i32 = 23;
    const EMFILE: i32 = 24;
    matches!(e.raw_os_error(), Some(EMFILE | ENFILE))
}

/// The soft limit of open files of this process, from `/proc/self/limits` (Linux).
fn open_files_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// Prints one line to stdout and flushes it (harnesses read these lines).
fn announce(line: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()
}
