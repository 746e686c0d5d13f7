//! Test harness shared by the integration tests: a real server ([`cobrowse_server::run`]) on a
//! `127.0.0.1:0` listener with a temporary data directory and three users, an HTTP client, and
//! typed WebSocket clients for the customer and the agent.
//!
//! Nothing here sleeps to synchronise: every wait is for a message, bounded by [`WAIT`].

#![allow(dead_code)]

use cobrowse_protocol::{
    AgentToServer, CreatedSession, CustomerToServer, FrameHeader, FrameKind, Hello, Join,
    PROTOCOL_VERSION, PageInfo, Role, ServerToAgent, ServerToCustomer, SessionToken,
};
use cobrowse_server::Config;
use cobrowse_server::store::SqliteStore;
use cobrowse_server::store::Store;
use futures_util::{SinkExt, StreamExt};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt::Debug;
use std::marker::PhantomData;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{HeaderValue, StatusCode};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// Upper bound of every wait for something the server should do promptly.
pub const WAIT: Duration = Duration::from_secs(10);
/// Password of the users the harness creates.
pub const PASSWORD: &str = "correct horse battery staple";
/// Users created in every test server: two agents and an administrator.
pub const AGENT1: &str = "agent1";
pub const AGENT2: &str = "agent2";
pub const ADMIN: &str = "boss";

/// An argon2id hash of [`PASSWORD`] with the smallest parameters. The parameters travel in the
/// hash, so logins verify it cheaply: tests do not spend their time hashing. (The server's own
/// hashing, with default parameters, is tested in `auth.rs` and by the CLI tests.)
fn cheap_hash() -> String {
    use argon2::password_hash::PasswordHasher;
    let params = argon2::Params::new(8, 1, 1, None).unwrap();
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password(PASSWORD.as_bytes())
        .unwrap()
        .to_string()
}

/// Makes ring the process's default rustls crypto provider, once. The test clients need one:
/// reqwest is built with rustls but no provider of its own (the server's proxy configures its
/// provider explicitly), and a client built without a default provider panics.
pub fn install_crypto_provider() {
    // An error only says a provider is installed already (by another test of this binary).
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A running server.
pub struct TestServer {
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    dir: tempfile::TempDir,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), cobrowse_server::Error>>>,
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Starts a server whose configuration `adjust` may change (short timeouts, limits).
    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = SqliteStore::open(dir.path()).await.unwrap();
            let hash = cheap_hash();
            for (name, role) in [
                (AGENT1, Role::Agent),
                (AGENT2, Role::Agent),
                (ADMIN, Role::Admin),
            ] {
                store.create_user(name, role, &hash).await.unwrap();
            }
        }
        Self::launch(dir, adjust).await
    }

    /// Stops the server and starts a new one (on another port) with the same data directory.
    pub async fn restart(mut self) -> Self {
        self.halt().await;
        Self::launch(self.dir, |_| {}).await
    }

    async fn launch(dir: tempfile::TempDir, adjust: impl FnOnce(&mut Config)) -> Self {
        let mut config = Config::new(dir.path());
        // Test clients often stop reading before the server stops: do not wait long for their
        // close frames.
        config.close_linger = Duration::from_millis(100);
        adjust(&mut config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (shutdown, stop) = oneshot::channel::<()>();
        let task = tokio::spawn(cobrowse_server::run(config, listener, async {
            let _ = stop.await;
        }));
        install_crypto_provider();
        Self {
            addr,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            dir,
            shutdown: Some(shutdown),
            task: Some(task),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn ws_url(&self, path: &str) -> String {
        format!("ws://{}{path}", self.addr)
    }

    /// The server's own origin.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The Prometheus text of `/metrics`.
    pub async fn metrics(&self) -> String {
        let response = self.http.get(self.url("/metrics")).send().await.unwrap();
        response.text().await.unwrap()
    }

    /// `POST /cobrowse/rest/live/sessions` from the server's own origin.
    pub async fn create_session(&self) -> CreatedSession {
        let response = self
            .http
            .post(self.url("/cobrowse/rest/live/sessions"))
            .header("origin", self.origin())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        response.json().await.unwrap()
    }

    /// Logs `user` in and returns the `cobrowse_auth` cookie (`name=value`).
    pub async fn login(&self, user: &str) -> String {
        let response = self
            .http
            .post(self.url("/cobrowse/rest/auth/login"))
            .json(&serde_json::json!({"username": user, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "login of {user}");
        let set_cookie = response.headers()["set-cookie"].to_str().unwrap();
        set_cookie.split(';').next().unwrap().to_owned()
    }

    /// A customer socket for `session`, after `hello`, `welcome` and `restrictions`.
    pub async fn customer_for(&self, session: &CreatedSession) -> Customer {
        let mut customer = Customer::connect(&self.ws_url("/cobrowse/ws/customer"), &[]).await;
        customer.send(&hello(session)).await;
        match customer.recv().await {
            ServerToCustomer::Welcome(w) => assert_eq!(w.token, session.token),
            other => panic!("expected welcome, got {other:?}"),
        }
        expect_restrictions(&mut customer).await;
        customer
    }

    /// A new session and its customer socket.
    pub async fn customer(&self) -> (CreatedSession, Customer) {
        let session = self.create_session().await;
        let customer = self.customer_for(&session).await;
        (session, customer)
    }

    /// An agent socket with `cookie`, not yet joined.
    pub async fn agent_socket(&self, cookie: &str) -> Agent {
        Agent::connect(&self.ws_url("/cobrowse/ws/agent"), &[("cookie", cookie)]).await
    }

    /// An agent socket with `cookie`, joined to `token` (the `joined` answer is consumed).
    pub async fn agent_join(&self, cookie: &str, token: &SessionToken) -> Agent {
        let mut agent = self.agent_socket(cookie).await;
        agent.send(&join(token)).await;
        match agent.recv().await {
            ServerToAgent::Joined(j) => assert_eq!(&j.token, token),
            other => panic!("expected joined, got {other:?}"),
        }
        agent
    }

    /// Triggers the shutdown and waits for `run` to return.
    pub async fn stop(mut self) {
        self.halt().await;
    }

    async fn halt(&mut self) {
        if let Some(s) = self.shutdown.take() {
            let _ = s.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(WAIT, task)
                .await
                .expect("server stops in time")
                .unwrap()
                .unwrap();
        }
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// Creates an API key named `name` in the server's database and returns the key.
    pub async fn api_key(&self, name: &str) -> String {
        let store = SqliteStore::open(self.data_dir()).await.unwrap();
        cobrowse_server::apikeys::create(&store, name)
            .await
            .unwrap()
    }

    /// `DELETE /cobrowse/rest/live/sessions/{token}` with `Authorization: Bearer <key>` (no
    /// header when `key` is `None`).
    pub async fn end_session(&self, token: &str, key: Option<&str>) -> reqwest::Response {
        let mut request = self
            .http
            .delete(self.url(&format!("/cobrowse/rest/live/sessions/{token}")));
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        request.send().await.unwrap()
    }
}

/// The `restrictions` message that follows every `welcome`.
pub async fn expect_restrictions(
    customer: &mut Customer,
) -> cobrowse_protocol::RestrictionsMessage {
    match customer.recv().await {
        ServerToCustomer::Restrictions(r) => r,
        other => panic!("expected restrictions, got {other:?}"),
    }
}

pub fn page(url: &str) -> PageInfo {
    PageInfo {
        url: url.to_owned(),
        title: "Test page".to_owned(),
    }
}

pub fn hello(session: &CreatedSession) -> CustomerToServer {
    CustomerToServer::Hello(Hello {
        protocol_version: PROTOCOL_VERSION,
        token: session.token.clone(),
        secret: session.secret.clone(),
        page: page("https://shop.example/cart"),
    })
}

pub fn join(token: &SessionToken) -> AgentToServer {
    AgentToServer::Join(Join {
        protocol_version: PROTOCOL_VERSION,
        token: token.clone(),
    })
}

/// A DOM frame: header + payload.
pub fn frame(kind: FrameKind, seq: u32, payload: &[u8]) -> Vec<u8> {
    let header = FrameHeader {
        kind,
        flags: 0,
        seq,
        raw_len: u32::try_from(payload.len()).unwrap(),
    };
    let mut bytes = header.encode().to_vec();
    bytes.extend_from_slice(payload);
    bytes
}

/// What a test client receives.
#[derive(Debug)]
pub enum Event<R> {
    Message(R),
    Frame(Vec<u8>),
    Closed(Option<CloseFrame>),
}

/// A typed WebSocket client: sends `S`, receives `R`.
pub struct Client<S, R> {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    _types: PhantomData<(S, R)>,
}

pub type Customer = Client<CustomerToServer, ServerToCustomer>;
pub type Agent = Client<AgentToServer, ServerToAgent>;

/// Tries to open a socket; `Err(status)` when the upgrade is refused.
pub async fn try_connect(
    url: &str,
    headers: &[(&'static str, &str)],
) -> Result<WebSocketStream<MaybeTlsStream<TcpStream>>, StatusCode> {
    let mut request = url.into_client_request().unwrap();
    for (name, value) in headers {
        request
            .headers_mut()
            .insert(*name, HeaderValue::from_str(value).unwrap());
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((ws, _)) => Ok(ws),
        Err(tungstenite::Error::Http(response)) => Err(response.status()),
        Err(e) => panic!("cannot connect to {url}: {e}"),
    }
}

impl<S: Serialize, R: DeserializeOwned + Debug> Client<S, R> {
    pub async fn connect(url: &str, headers: &[(&'static str, &str)]) -> Self {
        let ws = try_connect(url, headers)
            .await
            .unwrap_or_else(|status| panic!("upgrade refused: {status}"));
        Self {
            ws,
            _types: PhantomData,
        }
    }

    pub async fn send(&mut self, message: &S) {
        self.send_text(&serde_json::to_string(message).unwrap())
            .await;
    }

    pub async fn send_text(&mut self, text: &str) {
        self.ws.send(Message::text(text)).await.unwrap();
    }

    pub async fn send_binary(&mut self, bytes: Vec<u8>) {
        self.ws.send(Message::binary(bytes)).await.unwrap();
    }

    /// The next message, frame or close (pings and pongs skipped), within [`WAIT`].
    pub async fn next_event(&mut self) -> Event<R> {
        loop {
            let message = tokio::time::timeout(WAIT, self.ws.next())
                .await
                .expect("nothing received in time");
            let message = match message {
                None => return Event::Closed(None),
                Some(Err(
                    tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed,
                )) => return Event::Closed(None),
                Some(Err(tungstenite::Error::Protocol(_) | tungstenite::Error::Io(_))) => {
                    return Event::Closed(None);
                }
                Some(Err(e)) => panic!("socket error: {e}"),
                Some(Ok(m)) => m,
            };
            match message {
                Message::Text(text) => {
                    let parsed = serde_json::from_str(text.as_str())
                        .unwrap_or_else(|e| panic!("undecodable message {text}: {e}"));
                    return Event::Message(parsed);
                }
                Message::Binary(bytes) => return Event::Frame(bytes.to_vec()),
                Message::Close(frame) => return Event::Closed(frame),
                Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => {}
            }
        }
    }

    /// The next control message; panics on a frame or a close.
    pub async fn recv(&mut self) -> R {
        match self.next_event().await {
            Event::Message(m) => m,
            other => panic!("expected a message, got {other:?}"),
        }
    }

    /// The next binary frame; panics on anything else.
    pub async fn recv_frame(&mut self) -> Vec<u8> {
        match self.next_event().await {
            Event::Frame(f) => f,
            other => panic!("expected a frame, got {other:?}"),
        }
    }

    /// Reads until the socket closes; returns the close frame and the messages seen before it.
    pub async fn until_closed(&mut self) -> (Option<CloseFrame>, Vec<R>) {
        let mut seen = Vec::new();
        loop {
            match self.next_event().await {
                Event::Message(m) => seen.push(m),
                Event::Frame(_) => {}
                Event::Closed(frame) => return (frame, seen),
            }
        }
    }

    /// Expects exactly `messages` then a close with `code` and `reason`.
    pub async fn expect_close(&mut self, code: u16, reason: &str) -> Vec<R> {
        let (frame, seen) = self.until_closed().await;
        let frame = frame.unwrap_or_else(|| panic!("closed without a close frame after {seen:?}"));
        assert_eq!(u16::from(frame.code), code, "close code (after {seen:?})");
        assert_eq!(frame.reason.as_str(), reason, "close reason");
        seen
    }

    /// Sends a close frame and drops the socket.
    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }

    /// Drops the TCP connection without a close frame.
    pub fn drop_connection(self) {
        drop(self);
    }
}

/// Wire name of an error code (also the close reason of fatal errors).
pub fn code_name(code: cobrowse_protocol::ErrorCode) -> String {
    serde_json::to_value(code)
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

/// Expects a fatal error `code` on a customer socket: the error, then a close 1008.
pub async fn expect_fatal_customer(customer: &mut Customer, code: cobrowse_protocol::ErrorCode) {
    let seen = customer.expect_close(1008, &code_name(code)).await;
    assert!(
        matches!(seen.as_slice(), [ServerToCustomer::Error(e)] if e.code == code),
        "expected only error {code:?}, got {seen:?}"
    );
}

/// Expects a fatal error `code` on an agent socket: the error, then a close 1008.
pub async fn expect_fatal_agent(agent: &mut Agent, code: cobrowse_protocol::ErrorCode) {
    let seen = agent.expect_close(1008, &code_name(code)).await;
    assert!(
        matches!(seen.as_slice(), [ServerToAgent::Error(e)] if e.code == code),
        "expected only error {code:?}, got {seen:?}"
    );
}

pub fn snapshot_request(reason: cobrowse_protocol::SnapshotReason) -> ServerToCustomer {
    ServerToCustomer::SnapshotRequest(cobrowse_protocol::SnapshotRequest { reason })
}

pub fn customer_ended(reason: cobrowse_protocol::EndReason) -> ServerToCustomer {
    ServerToCustomer::SessionEnded(cobrowse_protocol::SessionEnded { reason })
}

pub fn agent_ended(reason: cobrowse_protocol::EndReason) -> ServerToAgent {
    ServerToAgent::SessionEnded(cobrowse_protocol::SessionEnded { reason })
}

/// An active session: customer connected, `AGENT1` joined, and the customer's `agentJoined` and
/// `snapshotRequest` consumed.
pub struct Active {
    pub session: CreatedSession,
    pub customer: Customer,
    pub agent: Agent,
    pub cookie: String,
}

pub async fn active(server: &TestServer) -> Active {
    // Log in first: hashing is slow, and short session timers start when the session is created.
    let cookie = server.login(AGENT1).await;
    let (session, mut customer) = server.customer().await;
    let agent = server.agent_join(&cookie, &session.token).await;
    assert_eq!(customer.recv().await, ServerToCustomer::AgentJoined);
    assert_eq!(
        customer.recv().await,
        snapshot_request(cobrowse_protocol::SnapshotReason::AgentJoined)
    );
    Active {
        session,
        customer,
        agent,
        cookie,
    }
}
