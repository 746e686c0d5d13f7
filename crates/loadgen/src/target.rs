//! The two kinds of server a load runs against, and how one session's pair of sockets (customer,
//! agent) is opened on each. For cobrowse that is the real handshake of `docs/PROTOCOL.md`:
//! `POST /cobrowse/rest/live/sessions` with an allowed `Origin`, the customer socket's `hello` →
//! `welcome`, `restrictions`, the agent socket (login cookie) `join` → `joined`, and the customer's
//! `agentJoined` + `snapshotRequest`. The bare relay pairs two sockets by path.

use anyhow::{Context, anyhow, bail};
use cobrowse_protocol::{
    AgentToServer, CreatedSession, CustomerToServer, Hello, Join, PROTOCOL_VERSION, PageInfo,
    ServerToAgent, ServerToCustomer,
};
use futures_util::{SinkExt, StreamExt};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// The client sockets' settings: tungstenite's defaults, unless [`use_small_buffers`] was called.
static CLIENT_CONFIG: std::sync::OnceLock<WebSocketConfig> = std::sync::OnceLock::new();

/// Gives this process's client sockets a 4 KiB read buffer instead of tungstenite's 128 KiB: a
/// soak worker holds thousands of sockets. Call before the first connection.
pub fn use_small_buffers() {
    let _ = CLIENT_CONFIG.set(WebSocketConfig::default().read_buffer_size(4096));
}

/// Upper bound of every handshake step.
const STEP: Duration = Duration::from_secs(30);

/// One session: the customer's socket (sends frames) and the agent's (receives them).
pub struct Pair {
    pub customer: Socket,
    pub agent: Socket,
}

/// Where the pairs are opened.
#[derive(Debug, Clone)]
pub enum Target {
    /// A cobrowse server at `base` (`http://host:port`); `cookies[i]` is the login of the agent of
    /// session `i` (an agent holds one session at a time).
    Cobrowse {
        base: String,
        origin: String,
        cookies: Vec<String>,
    },
    /// The bare relay of [`crate::bare`] at `addr` (`host:port`).
    Bare { addr: String },
}

impl Target {
    pub fn name(&self) -> &'static str {
        match self {
            Target::Cobrowse { .. } => "ours",
            Target::Bare { .. } => "bare",
        }
    }

    /// How many pairs can be open at once.
    pub fn capacity(&self) -> usize {
        match self {
            Target::Cobrowse { cookies, .. } => cookies.len(),
            Target::Bare { .. } => usize::MAX,
        }
    }

    /// Opens pair `index` (unique among the pairs open at once).
    pub async fn open(&self, index: usize, http: &reqwest::Client) -> anyhow::Result<Pair> {
        match self {
            Target::Cobrowse {
                base,
                origin,
                cookies,
            } => {
                let cookie = cookies
                    .get(index)
                    .ok_or_else(|| anyhow!("no agent login for session {index}"))?;
                open_cobrowse(base, origin, cookie, http).await
            }
            Target::Bare { addr } => {
                let customer = connect(&format!("ws://{addr}/pair/{index}/c"), None).await?;
                let agent = connect(&format!("ws://{addr}/pair/{index}/a"), None).await?;
                Ok(Pair { customer, agent })
            }
        }
    }
}

/// The HTTP client of the REST calls (plain `http://`).
pub fn http_client() -> anyhow::Result<reqwest::Client> {
    // An error only says a provider is installed already. reqwest needs one when its features
    // unify with the server's `rustls-no-provider` (a workspace build), though it never uses TLS
    // here.
    let _ = rustls::crypto::ring::default_provider().install_default();
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

/// Logs `user` in and returns the `cobrowse_auth` cookie (`name=value`).
pub async fn login(
    http: &reqwest::Client,
    base: &str,
    user: &str,
    password: &str,
) -> anyhow::Result<String> {
    let response = http
        .post(format!("{base}/cobrowse/rest/auth/login"))
        .json(&serde_json::json!({"username": user, "password": password}))
        .send()
        .await?;
    if response.status() != 200 {
        bail!("login of {user}: {}", response.status());
    }
    let set_cookie = response
        .headers()
        .get("set-cookie")
        .context("login answered no cookie")?
        .to_str()?;
    Ok(set_cookie.split(';').next().unwrap_or_default().to_owned())
}

async fn connect(url: &str, cookie: Option<&str>) -> anyhow::Result<Socket> {
    let mut request = url.into_client_request()?;
    if let Some(cookie) = cookie {
        request
            .headers_mut()
            .insert("cookie", HeaderValue::from_str(cookie)?);
    }
    // TCP_NODELAY, as browsers set it: the figures are the server's, not Nagle's.
    let connecting =
        tokio_tungstenite::connect_async_with_config(request, CLIENT_CONFIG.get().copied(), true);
    let (ws, _) = tokio::time::timeout(STEP, connecting)
        .await
        .with_context(|| format!("connecting to {url}: timed out"))?
        .with_context(|| format!("connecting to {url}"))?;
    Ok(ws)
}

async fn send_json<T: serde::Serialize>(ws: &mut Socket, message: &T) -> anyhow::Result<()> {
    ws.send(Message::text(serde_json::to_string(message)?))
        .await?;
    Ok(())
}

/// The next text message (pings and frames skipped), decoded.
async fn recv_json<T: serde::de::DeserializeOwned>(ws: &mut Socket) -> anyhow::Result<T> {
    loop {
        let message = tokio::time::timeout(STEP, ws.next())
            .await
            .context("no message in time")?
            .context("socket closed")??;
        match message {
            Message::Text(text) => return Ok(serde_json::from_str(text.as_str())?),
            Message::Close(frame) => bail!("socket closed: {frame:?}"),
            Message::Binary(_) | Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => {}
        }
    }
}

async fn open_cobrowse(
    base: &str,
    origin: &str,
    cookie: &str,
    http: &reqwest::Client,
) -> anyhow::Result<Pair> {
    let response = http
        .post(format!("{base}/cobrowse/rest/live/sessions"))
        .header("origin", origin)
        .send()
        .await?;
    if response.status() != 201 {
        bail!("creating a session: {}", response.status());
    }
    let session: CreatedSession = response.json().await?;
    let mut customer = connect(&session.socket_url, None).await?;
    send_json(
        &mut customer,
        &CustomerToServer::Hello(Hello {
            protocol_version: PROTOCOL_VERSION,
            token: session.token.clone(),
            secret: session.secret.clone(),
            page: PageInfo {
                url: "https://shop.example/loadgen".to_owned(),
                title: "Load generator".to_owned(),
            },
        }),
    )
    .await?;
    match recv_json(&mut customer).await? {
        ServerToCustomer::Welcome(_) => {}
        other => bail!("expected welcome, got {other:?}"),
    }
    let ws_base = base.replacen("http", "ws", 1);
    let mut agent = connect(&format!("{ws_base}/cobrowse/ws/agent"), Some(cookie)).await?;
    send_json(
        &mut agent,
        &AgentToServer::Join(Join {
            protocol_version: PROTOCOL_VERSION,
            token: session.token.clone(),
        }),
    )
    .await?;
    match recv_json(&mut agent).await? {
        ServerToAgent::Joined(_) => {}
        other => bail!("expected joined, got {other:?}"),
    }
    // `restrictions` and `agentJoined` come first; the customer captures on `snapshotRequest`.
    loop {
        match recv_json(&mut customer).await? {
            ServerToCustomer::SnapshotRequest(_) => break,
            ServerToCustomer::Restrictions(_) | ServerToCustomer::AgentJoined => {}
            other => bail!("expected snapshotRequest, got {other:?}"),
        }
    }
    Ok(Pair { customer, agent })
}

impl Pair {
    /// Ends the session: the customer says `exit` (cobrowse) and both sockets are closed; waits
    /// for the agent's socket to close so that the agent may join another session at once.
    pub async fn finish(mut self, target: &Target) {
        if matches!(target, Target::Cobrowse { .. }) {
            let _ = send_json(&mut self.customer, &CustomerToServer::Exit).await;
            // The agent hears `sessionEnded` then the close: its claim is released by then.
            let _ = tokio::time::timeout(STEP, async {
                while let Some(Ok(message)) = self.agent.next().await {
                    if matches!(message, Message::Close(_)) {
                        break;
                    }
                }
            })
            .await;
        }
        let _ = self.customer.close(None).await;
        let _ = self.agent.close(None).await;
    }
}
