//! The resource proxy against real loopback HTTP and HTTPS servers: allowed hosts served and
//! cached, refusals (hosts, addresses, redirects), limits (size, time), passive types only,
//! stylesheet rewriting, authentication, the customer's upload when the server cannot fetch, and
//! certificate verification (a test CA made at test time, trusted through `proxy_ca_file`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use cobrowse_protocol::{CustomerToServer, ErrorCode, ResourceDeclined, ServerToCustomer};
use common::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n fake image bytes";

/// What the upstream site saw: requests per path, and every `Cookie` header.
#[derive(Default)]
struct Seen {
    hits: HashMap<String, usize>,
    cookies: Vec<String>,
    conditional: usize,
}

struct Site {
    addr: SocketAddr,
    /// `http` or `https`.
    scheme: &'static str,
    seen: Arc<Mutex<Seen>>,
}

impl Site {
    fn origin(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }
    fn hits(&self, path: &str) -> usize {
        self.seen
            .lock()
            .unwrap()
            .hits
            .get(path)
            .copied()
            .unwrap_or(0)
    }
}

/// A real HTTP server on loopback with the routes the tests need.
async fn site() -> Site {
    serve_site(None).await
}

/// The same site over HTTPS, with the certificate (and key) of `tls`.
async fn https_site(tls: Arc<rustls::ServerConfig>) -> Site {
    serve_site(Some(tls)).await
}

async fn serve_site(tls: Option<Arc<rustls::ServerConfig>>) -> Site {
    let scheme = if tls.is_some() { "https" } else { "http" };
    let seen = Arc::new(Mutex::new(Seen::default()));
    let record = {
        let seen = seen.clone();
        move |path: &str, headers: &HeaderMap| {
            let mut s = seen.lock().unwrap();
            *s.hits.entry(path.to_owned()).or_default() += 1;
            if let Some(c) = headers.get("cookie") {
                s.cookies.push(c.to_str().unwrap().to_owned());
            }
            if headers.contains_key("if-none-match") {
                s.conditional += 1;
            }
        }
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let r = record.clone();
    let app = Router::new().route(
        "/{*path}",
        get(move |uri: axum::http::Uri, headers: HeaderMap| {
            let r = r.clone();
            async move {
                let path = uri.path().to_owned();
                r(&path, &headers);
                respond(&path, &headers, scheme, addr).await
            }
        }),
    );
    match tls {
        None => tokio::spawn(async move { axum::serve(listener, app).await.unwrap() }),
        Some(config) => tokio::spawn(async move {
            let listener = TlsListener {
                tcp: listener,
                acceptor: tokio_rustls::TlsAcceptor::from(config),
            };
            axum::serve(listener, app).await.unwrap();
        }),
    };
    Site { addr, scheme, seen }
}

/// A TCP listener whose connections are TLS, for `axum::serve`.
struct TlsListener {
    tcp: tokio::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, SocketAddr) {
        loop {
            let Ok((tcp, addr)) = self.tcp.accept().await else {
                continue;
            };
            // A handshake the client aborts (a certificate it does not trust) is no connection:
            // wait for the next. One at a time is enough for these tests.
            if let Ok(tls) = self.acceptor.accept(tcp).await {
                return (tls, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.tcp.local_addr()
    }
}

/// A certificate authority made for one test (named `name`), and a server certificate it issued
/// for `localhost` and `127.0.0.1`.
struct TestCa {
    /// The CA certificate, PEM (what `proxy_ca_file` names).
    file: tempfile::NamedTempFile,
    /// The TLS configuration of a site with the issued certificate.
    site: Arc<rustls::ServerConfig>,
}

impl TestCa {
    fn new(name: &str) -> Self {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
            KeyPair, KeyUsagePurpose,
        };
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.distinguished_name
            .push(DnType::CommonName, format!("cobrowse test CA {name}"));
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_key = KeyPair::generate().unwrap();
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca, ca_key);

        let mut leaf =
            CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
        leaf.distinguished_name
            .push(DnType::CommonName, "localhost");
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let leaf_key = KeyPair::generate().unwrap();
        let leaf_cert = leaf.signed_by(&leaf_key, &issuer).unwrap();

        let site = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf_cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
        )
        .unwrap();
        let mut file = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut file, ca_cert.pem().as_bytes()).unwrap();
        Self {
            file,
            site: Arc::new(site),
        }
    }
}

async fn respond(
    path: &str,
    headers: &HeaderMap,
    scheme: &str,
    addr: SocketAddr,
) -> axum::response::Response {
    let png = [("content-type", "image/png")];
    match path {
        "/img.png" => (png, [("cache-control", "max-age=60")], PNG).into_response(),
        "/nostore.png" => (png, [("cache-control", "no-store")], PNG).into_response(),
        "/etag.png" => {
            if headers.get("if-none-match").is_some_and(|v| v == "\"v1\"") {
                (StatusCode::NOT_MODIFIED, [("etag", "\"v1\"")]).into_response()
            } else {
                (
                    png,
                    [("cache-control", "no-cache"), ("etag", "\"v1\"")],
                    PNG,
                )
                    .into_response()
            }
        }
        "/page.html" => {
            ([("content-type", "text/html")], "<script>alert(1)</script>").into_response()
        }
        "/app.js" => ([("content-type", "text/javascript")], "alert(1)").into_response(),
        "/noext" => PNG.into_response(),
        "/css/site.css" => (
            [("content-type", "text/css; charset=utf-8")],
            "@import \"print.css\";\nbody { background: url(../img.png); }\n",
        )
            .into_response(),
        "/big.png" => (png, vec![0u8; 4096]).into_response(),
        "/slow.png" => std::future::pending().await,
        "/to-img" => (StatusCode::FOUND, [("location", "/img.png")]).into_response(),
        "/to-elsewhere" => (
            StatusCode::FOUND,
            [(
                "location",
                format!("{scheme}://127.0.0.2:{}/img.png", addr.port()),
            )],
        )
            .into_response(),
        "/loop" => (StatusCode::FOUND, [("location", "/loop")]).into_response(),
        "/private.png" => {
            if headers.get("cookie").is_some_and(|c| c == "login=yes") {
                (png, PNG).into_response()
            } else {
                StatusCode::FORBIDDEN.into_response()
            }
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A server whose allowed origin is the site, with private addresses allowed (all on loopback).
async fn server_for(site: &Site) -> TestServer {
    let origin = site.origin();
    TestServer::start_with(move |c| {
        c.allowed_origins = vec![origin];
        c.proxy_allow_private = true;
        c.resource_max_bytes = 1024;
        c.resource_timeout = Duration::from_millis(500);
    })
    .await
}

fn proxy_url(server: &TestServer, token: &str, url: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(url.as_bytes()).collect();
    server.url(&format!("/cobrowse/resource/{token}?url={encoded}"))
}

async fn get_as(server: &TestServer, cookie: &str, token: &str, url: &str) -> reqwest::Response {
    server
        .http
        .get(proxy_url(server, token, url))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

async fn expect_api_error(response: reqwest::Response, status: u16, code: ErrorCode) -> String {
    assert_eq!(response.status(), status);
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], code_name(code), "{body}");
    body["error"]["message"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn allowed_resources_are_served_cached_and_revalidated() {
    let site = site().await;
    let server = server_for(&site).await;
    let a = active(&server).await;
    let token = a.session.token.as_str();

    let response = get_as(&server, &a.cookie, token, &site.url("/img.png")).await;
    assert_eq!(response.status(), 200);
    let h = response.headers().clone();
    assert_eq!(h["content-type"], "image/png");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .starts_with("default-src 'none'")
    );
    assert!(h.get("set-cookie").is_none());
    assert_eq!(response.bytes().await.unwrap(), PNG);
    // Fresh for 60 s: the second request is not fetched again.
    let again = get_as(&server, &a.cookie, token, &site.url("/img.png")).await;
    assert_eq!(again.bytes().await.unwrap(), PNG);
    assert_eq!(site.hits("/img.png"), 1);

    // no-store: fetched every time.
    for _ in 0..2 {
        let r = get_as(&server, &a.cookie, token, &site.url("/nostore.png")).await;
        assert_eq!(r.status(), 200);
    }
    assert_eq!(site.hits("/nostore.png"), 2);

    // no-cache with an ETag: revalidated (If-None-Match, 304), served from the cache.
    for _ in 0..2 {
        let r = get_as(&server, &a.cookie, token, &site.url("/etag.png")).await;
        assert_eq!(r.bytes().await.unwrap(), PNG);
    }
    assert_eq!(site.hits("/etag.png"), 2);
    assert_eq!(site.seen.lock().unwrap().conditional, 1);

    // A redirect within the allowed origin is followed.
    let r = get_as(&server, &a.cookie, token, &site.url("/to-img")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap(), PNG);

    // The agent's cookie never goes upstream.
    assert!(site.seen.lock().unwrap().cookies.is_empty());

    let metrics = server.metrics().await;
    assert!(
        metrics.contains("cobrowse_resources_total{result=\"cached\"} 1"),
        "{metrics}"
    );
}

#[tokio::test]
async fn active_content_is_never_served_as_such() {
    let site = site().await;
    let server = server_for(&site).await;
    let a = active(&server).await;
    let token = a.session.token.as_str();
    for path in ["/page.html", "/app.js"] {
        let r = get_as(&server, &a.cookie, token, &site.url(path)).await;
        assert_eq!(r.status(), 200);
        assert_eq!(
            r.headers()["content-type"],
            "application/octet-stream",
            "{path}"
        );
        assert_eq!(r.headers()["content-disposition"], "attachment", "{path}");
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    }
    // No type: guessed from the extension only when passive.
    let r = get_as(&server, &a.cookie, token, &site.url("/noext")).await;
    assert_eq!(r.headers()["content-type"], "application/octet-stream");
}

#[tokio::test]
async fn stylesheet_references_go_through_the_proxy() {
    let site = site().await;
    let server = server_for(&site).await;
    let a = active(&server).await;
    stylesheet_is_rewritten(&server, &a.cookie, a.session.token.as_str(), &site).await;
}

/// The site's stylesheet comes through the proxy with its references resolved against its URL
/// (whatever the scheme) and rewritten to the proxy, and a rewritten reference works.
async fn stylesheet_is_rewritten(server: &TestServer, cookie: &str, token: &str, site: &Site) {
    let r = get_as(server, cookie, token, &site.url("/css/site.css")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/css; charset=utf-8");
    let css = r.text().await.unwrap();
    let proxied = |path: &str| {
        let encoded: String =
            url::form_urlencoded::byte_serialize(site.url(path).as_bytes()).collect();
        format!("/cobrowse/resource/{token}?url={encoded}")
    };
    let img = proxied("/img.png");
    assert!(
        css.contains(&format!("background: url(\"{img}\")")),
        "{css}"
    );
    let print = proxied("/css/print.css");
    assert!(css.contains(&format!("@import url(\"{print}\")")), "{css}");
    // The rewritten reference works.
    let r = server
        .http
        .get(server.url(&img))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.bytes().await.unwrap(), PNG);
}

#[tokio::test]
async fn other_hosts_private_addresses_and_bad_redirects_are_refused() {
    let site = site().await;
    let server = server_for(&site).await;
    let a = active(&server).await;
    let token = a.session.token.as_str();
    // Another port of the same host is another origin.
    let r = get_as(&server, &a.cookie, token, "http://127.0.0.1:9/img.png").await;
    let message = expect_api_error(r, 403, ErrorCode::NotAllowed).await;
    assert!(
        message.starts_with("host 127.0.0.1 is neither"),
        "{message}"
    );
    // A redirect to a host that is not allowed is refused at that hop.
    let r = get_as(&server, &a.cookie, token, &site.url("/to-elsewhere")).await;
    let message = expect_api_error(r, 403, ErrorCode::NotAllowed).await;
    assert!(message.contains("127.0.0.2"), "{message}");
    assert_eq!(site.hits("/img.png"), 0);
    // Redirects are bounded.
    let r = get_as(&server, &a.cookie, token, &site.url("/loop")).await;
    let message = expect_api_error(r, 502, ErrorCode::UpstreamFailed).await;
    assert!(message.contains("redirects"), "{message}");
    // Only http(s) and blob: URLs.
    let r = get_as(&server, &a.cookie, token, "file:///etc/passwd").await;
    expect_api_error(r, 400, ErrorCode::BadMessage).await;

    // Private access off: an IP literal and a name resolving to loopback are both refused,
    // whatever the allowed origins say.
    let port = site.addr.port();
    let strict = TestServer::start_with(move |c| {
        c.allowed_origins = vec![
            format!("http://127.0.0.1:{port}"),
            format!("http://localhost:{port}"),
        ];
        c.resource_timeout = Duration::from_millis(500);
    })
    .await;
    let cookie = strict.login(AGENT1).await;
    let (session, _customer) = strict.customer().await;
    let _agent = strict.agent_join(&cookie, &session.token).await;
    let token = session.token.as_str();
    for url in [
        site.url("/img.png"),
        format!("http://localhost:{port}/img.png"),
    ] {
        let r = get_as(&strict, &cookie, token, &url).await;
        let message = expect_api_error(r, 403, ErrorCode::NotAllowed).await;
        assert!(message.contains("is not a public address"), "{message}");
    }
    assert_eq!(site.hits("/img.png"), 0);
}

#[tokio::test]
async fn oversized_and_slow_resources_are_refused() {
    let site = site().await;
    let server = server_for(&site).await;
    let a = active(&server).await;
    let token = a.session.token.as_str();
    let r = get_as(&server, &a.cookie, token, &site.url("/big.png")).await;
    let message = expect_api_error(r, 413, ErrorCode::TooLarge).await;
    assert!(message.contains("1024 bytes"), "{message}");
    // The customer is asked for a slow one too (it may have it); it does not answer here.
    let r = get_as(&server, &a.cookie, token, &site.url("/slow.png")).await;
    let message = expect_api_error(r, 504, ErrorCode::UpstreamTimeout).await;
    assert!(message.contains("did not provide it"), "{message}");
}

#[tokio::test]
async fn only_the_agent_of_the_live_session_may_use_the_proxy() {
    let site = site().await;
    let server = server_for(&site).await;
    let a = active(&server).await;
    let token = a.session.token.as_str();
    let url = site.url("/img.png");
    // No cookie (the customer, anybody): 401.
    let r = server
        .http
        .get(proxy_url(&server, token, &url))
        .send()
        .await
        .unwrap();
    expect_api_error(r, 401, ErrorCode::Unauthenticated).await;
    // Another agent, not in this session: 403.
    let other = server.login(AGENT2).await;
    let r = get_as(&server, &other, token, &url).await;
    expect_api_error(r, 403, ErrorCode::Forbidden).await;
    // A token that is not a session.
    let r = get_as(&server, &a.cookie, "000000000", &url).await;
    expect_api_error(r, 403, ErrorCode::Forbidden).await;
    // After the session ended: 403.
    a.agent.close().await;
    let mut customer = a.customer;
    customer
        .send(&cobrowse_protocol::CustomerToServer::Exit)
        .await;
    customer.until_closed().await;
    let r = get_as(&server, &a.cookie, token, &url).await;
    expect_api_error(r, 403, ErrorCode::Forbidden).await;
    assert_eq!(site.hits("/img.png"), 0);
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A server allowing the site (on loopback) that waits `timeout` for the customer's answers.
async fn server_asking_customers(site: &Site, timeout: Duration) -> TestServer {
    let origin = site.origin();
    TestServer::start_with(move |c| {
        c.allowed_origins = vec![origin];
        c.proxy_allow_private = true;
        c.resource_timeout = timeout;
    })
    .await
}

/// The agent's proxy request for `url`, in a task (it may wait for the customer's answer).
fn spawn_get(
    server: &TestServer,
    cookie: &str,
    token: &str,
    url: &str,
) -> tokio::task::JoinHandle<reqwest::Response> {
    let request = server
        .http
        .get(proxy_url(server, token, url))
        .header("cookie", cookie);
    tokio::spawn(async move { request.send().await.unwrap() })
}

#[tokio::test]
async fn what_the_server_cannot_fetch_the_customer_uploads() {
    let site = site().await;
    // Long enough for the test's customer to answer on a loaded machine.
    let server = server_asking_customers(&site, Duration::from_secs(20)).await;
    let mut a = active(&server).await;
    let token = a.session.token.to_string();
    let url = site.url("/private.png");
    let request = spawn_get(&server, &a.cookie, &token, &url);
    let ticket = match a.customer.recv().await {
        ServerToCustomer::ResourceRequest(r) => {
            assert_eq!(r.url, url);
            r.ticket
        }
        other => panic!("expected resourceRequest, got {other:?}"),
    };
    let upload = |body: &'static [u8], hash: String| {
        server
            .http
            .post(server.url(&format!(
                "/cobrowse/resource/upload/{ticket}?sha256={hash}&type=image%2Fpng"
            )))
            .header("origin", site.origin())
            .body(body)
            .send()
    };
    // A body that does not match its hash is refused; the request still waits.
    let r = upload(PNG, sha256_hex(b"other")).await.unwrap();
    expect_api_error(r, 400, ErrorCode::BadMessage).await;
    let r = upload(PNG, sha256_hex(PNG)).await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        site.origin().as_str()
    );
    let served = request.await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.bytes().await.unwrap(), PNG);
    // The ticket is spent.
    let r = upload(PNG, sha256_hex(PNG)).await.unwrap();
    expect_api_error(r, 404, ErrorCode::NotFound).await;

    // Another session of the same site: the hash alone is enough for content the server has.
    let cookie2 = server.login(AGENT2).await;
    let (session2, mut customer2) = server.customer().await;
    let _agent2 = server.agent_join(&cookie2, &session2.token).await;
    let request = spawn_get(&server, &cookie2, session2.token.as_str(), &url);
    let ticket = loop {
        if let ServerToCustomer::ResourceRequest(r) = customer2.recv().await {
            break r.ticket;
        }
    };
    let r = server
        .http
        .post(server.url(&format!(
            "/cobrowse/resource/upload/{ticket}?sha256={}",
            sha256_hex(PNG)
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(request.await.unwrap().bytes().await.unwrap(), PNG);
    // The server's own fetches carried no cookie.
    assert!(site.seen.lock().unwrap().cookies.is_empty());
    assert_eq!(site.hits("/private.png"), 2);
}

/// The customer's next `error`, skipping anything else it is told meanwhile.
async fn next_error(customer: &mut Customer) -> cobrowse_protocol::ErrorMessage {
    loop {
        if let ServerToCustomer::Error(e) = customer.recv().await {
            return e;
        }
    }
}

fn declined(ticket: &str) -> CustomerToServer {
    CustomerToServer::ResourceDeclined(ResourceDeclined {
        ticket: ticket.to_owned(),
    })
}

/// The agent of `a` asks the proxy for `url`, which the server cannot fetch; the customer is asked
/// and declines. The answer must come within a few seconds (servers here wait far longer for an
/// upload); with the declined ticket.
async fn declined_request(
    server: &TestServer,
    a: &mut Active,
    url: &str,
) -> (reqwest::Response, String) {
    let request = spawn_get(server, &a.cookie, a.session.token.as_str(), url);
    let ticket = customer_asked_for(&mut a.customer, url).await;
    a.customer.send(&declined(&ticket)).await;
    let answered = tokio::time::timeout(Duration::from_secs(5), request)
        .await
        .expect("a declined request is answered before the resource timeout")
        .unwrap();
    (answered, ticket)
}

#[tokio::test]
async fn a_declined_request_is_answered_at_once_and_only_its_session_may_decline() {
    let site = site().await;
    // Far longer than `declined_request` waits for the answer: an answer proves nobody waited
    // for the timeout.
    let server = server_asking_customers(&site, Duration::from_secs(30)).await;
    let mut a = active(&server).await;
    let token = a.session.token.to_string();
    let url = site.url("/private.png");
    let upload = |ticket: &str| {
        server
            .http
            .post(server.url(&format!(
                "/cobrowse/resource/upload/{ticket}?sha256={}&type=image%2Fpng",
                sha256_hex(PNG)
            )))
            .body(PNG)
            .send()
    };

    // Another session's customer cannot decline this session's ticket, and an unknown ticket is
    // nothing: both ignored without a word, the ticket still open (the upload is taken after them).
    let request = spawn_get(&server, &a.cookie, &token, &url);
    let ticket = customer_asked_for(&mut a.customer, &url).await;
    let cookie2 = server.login(AGENT2).await;
    let (session2, mut customer2) = server.customer().await;
    let _agent2 = server.agent_join(&cookie2, &session2.token).await;
    customer2.send(&declined(&ticket)).await;
    a.customer.send(&declined("no-such-ticket")).await;
    // Malformed: the usual `badMessage`, the socket and the session go on. Each socket's reader
    // takes its messages in order, so once these are answered the declines before them are done.
    customer2
        .send_text(r#"{"type":"resourceDeclined","ticket":7}"#)
        .await;
    a.customer.send_text(r#"{"type":"resourceDeclined"}"#).await;
    assert_eq!(next_error(&mut customer2).await.code, ErrorCode::BadMessage);
    let e = next_error(&mut a.customer).await;
    assert_eq!(e.code, ErrorCode::BadMessage);
    assert!(e.message.contains("ticket"), "{e:?}");
    assert_eq!(upload(&ticket).await.unwrap().status(), 204);
    let served = request.await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.bytes().await.unwrap(), PNG);

    // The page declines: the proxy answers at once with its own error, as after the timeout.
    let (answered, ticket) = declined_request(&server, &mut a, &url).await;
    let message = expect_api_error(answered, 502, ErrorCode::UpstreamFailed).await;
    assert!(message.contains("answered 403 Forbidden"), "{message}");
    assert!(
        message.contains("the customer's page did not provide it either"),
        "{message}"
    );
    // The ticket is spent: a late upload is refused like any spent ticket, and declining it again
    // changes nothing.
    let r = upload(&ticket).await.unwrap();
    expect_api_error(r, 404, ErrorCode::NotFound).await;
    a.customer.send(&declined(&ticket)).await;

    // A `blob:` URL (never fetched by the server): its error, `403 notAllowed`, at once too.
    let blob = format!(
        "blob:{}/4f6e1b2c-0000-4000-8000-000000000000",
        site.origin()
    );
    let (answered, _) = declined_request(&server, &mut a, &blob).await;
    expect_api_error(answered, 403, ErrorCode::NotAllowed).await;

    let metrics = server.metrics().await;
    assert!(
        metrics.contains("cobrowse_resources_total{result=\"declined\"} 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("cobrowse_resources_total{result=\"uploaded\"} 1"),
        "{metrics}"
    );
    // Both sessions live on: their customers are still heard.
    a.customer.send_text("{}").await;
    assert_eq!(
        next_error(&mut a.customer).await.code,
        ErrorCode::BadMessage
    );
    customer2.send_text("{}").await;
    assert_eq!(next_error(&mut customer2).await.code, ErrorCode::BadMessage);
}

#[tokio::test]
async fn without_a_customer_to_ask_the_error_comes_at_once() {
    let site = site().await;
    // Far longer than the test: an answer proves nobody waited for an upload.
    let server = server_asking_customers(&site, Duration::from_secs(600)).await;
    let a = active(&server).await;
    let token = a.session.token.to_string();
    a.customer.drop_connection();
    // The agent hears the customer is gone once the server noticed.
    let mut agent = a.agent;
    loop {
        if let cobrowse_protocol::ServerToAgent::CustomerStatus(s) = agent.recv().await
            && s.customer == cobrowse_protocol::CustomerPresence::Disconnected
        {
            break;
        }
    }
    let r = get_as(&server, &a.cookie, &token, &site.url("/private.png")).await;
    let message = expect_api_error(r, 502, ErrorCode::UpstreamFailed).await;
    assert!(message.contains("answered 403 Forbidden"), "{message}");
}

#[tokio::test]
async fn the_servers_own_files_are_served_without_a_request() {
    // Default settings: no private addresses. The server listens on loopback, yet its own files
    // (the demo shop of the quick start) reach the replica: they come from the embedded files.
    let server = TestServer::start_with(|c| c.resource_timeout = Duration::from_millis(300)).await;
    let a = active(&server).await;
    let token = a.session.token.as_str();

    let css = get_as(&server, &a.cookie, token, &server.url("/demo/demo.css")).await;
    assert_eq!(css.status(), 200);
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    assert!(
        css.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .starts_with("default-src 'none'")
    );
    assert!(!css.text().await.unwrap().is_empty());

    let page = get_as(&server, &a.cookie, token, &server.url("/demo/")).await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-type"], "application/octet-stream");
    assert_eq!(page.headers()["content-disposition"], "attachment");

    let missing = get_as(&server, &a.cookie, token, &server.url("/demo/nope.png")).await;
    expect_api_error(missing, 404, ErrorCode::NotFound).await;
    // Nothing of the server's own but its files: the API is no file.
    let api = get_as(&server, &a.cookie, token, &server.url("/metrics")).await;
    expect_api_error(api, 404, ErrorCode::NotFound).await;

    // Another loopback origin is still refused without --proxy-allow-private (after asking the
    // customer, who does not answer here).
    let other = get_as(&server, &a.cookie, token, "http://127.0.0.1:9/x.png").await;
    assert_eq!(other.status(), 403);
}

/// A server allowing `origins` (private addresses too: everything is on loopback) that trusts the
/// CA of `ca` besides the system's trust store.
async fn server_trusting(ca: Option<&TestCa>, origins: Vec<String>) -> TestServer {
    let ca_file = ca.map(|ca| ca.file.path().to_owned());
    TestServer::start_with(move |c| {
        c.allowed_origins = origins;
        c.proxy_allow_private = true;
        c.proxy_ca_file = ca_file;
        c.resource_max_bytes = 1024;
        c.resource_timeout = Duration::from_millis(500);
    })
    .await
}

/// The customer's page is asked for `url`; the request's ticket.
async fn customer_asked_for(customer: &mut Customer, url: &str) -> String {
    loop {
        if let ServerToCustomer::ResourceRequest(r) = customer.recv().await {
            assert_eq!(r.url, url);
            return r.ticket;
        }
    }
}

#[tokio::test]
async fn https_resources_are_verified_served_cached_and_rewritten() {
    let ca = TestCa::new("trusted");
    let site = https_site(ca.site.clone()).await;
    let port = site.addr.port();
    let by_name = format!("https://localhost:{port}");
    let server = server_trusting(Some(&ca), vec![site.origin(), by_name.clone()]).await;
    let a = active(&server).await;
    let token = a.session.token.as_str();

    // By address (the certificate's IP address) and by name (its DNS name).
    for url in [site.url("/img.png"), format!("{by_name}/img.png")] {
        let r = get_as(&server, &a.cookie, token, &url).await;
        assert_eq!(r.status(), 200, "{url}");
        assert_eq!(r.headers()["content-type"], "image/png");
        assert_eq!(r.bytes().await.unwrap(), PNG);
    }
    // Fresh for 60 s: not fetched again (the cache is keyed by URL: one fetch per URL above).
    let r = get_as(&server, &a.cookie, token, &site.url("/img.png")).await;
    assert_eq!(r.bytes().await.unwrap(), PNG);
    assert_eq!(site.hits("/img.png"), 2);

    // A stylesheet's references are resolved against its https: URL and go through the proxy.
    stylesheet_is_rewritten(&server, &a.cookie, token, &site).await;

    // A redirect within the origin is followed.
    let r = get_as(&server, &a.cookie, token, &site.url("/to-img")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap(), PNG);
    assert!(site.seen.lock().unwrap().cookies.is_empty());
}

#[tokio::test]
async fn https_with_an_untrusted_certificate_fails_and_asks_the_customer() {
    let trusted = TestCa::new("trusted");
    let unknown = TestCa::new("unknown");
    // The certificate of this site comes from a CA the proxy does not trust.
    let site = https_site(unknown.site.clone()).await;
    let server = server_trusting(Some(&trusted), vec![site.origin()]).await;
    let mut a = active(&server).await;
    let token = a.session.token.to_string();
    let url = site.url("/img.png");
    let r = get_as(&server, &a.cookie, &token, &url).await;
    let message = expect_api_error(r, 502, ErrorCode::UpstreamFailed).await;
    assert!(
        message.starts_with("TLS error with 127.0.0.1: certificate not trusted"),
        "{message}"
    );
    assert!(message.contains("did not provide it"), "{message}");
    // Like any upstream failure, the customer's browser may have it: it was asked.
    customer_asked_for(&mut a.customer, &url).await;
    assert_eq!(site.hits("/img.png"), 0);

    // The test CA is trusted only through proxy_ca_file: the system's trust store alone refuses
    // a site whose certificate it issued.
    let site = https_site(trusted.site.clone()).await;
    let server = server_trusting(None, vec![site.origin()]).await;
    let a = active(&server).await;
    let r = get_as(
        &server,
        &a.cookie,
        a.session.token.as_str(),
        &site.url("/img.png"),
    )
    .await;
    let message = expect_api_error(r, 502, ErrorCode::UpstreamFailed).await;
    assert!(message.contains("certificate not trusted"), "{message}");
    assert_eq!(site.hits("/img.png"), 0);
}

#[tokio::test]
async fn https_redirects_and_addresses_are_checked_like_http() {
    let ca = TestCa::new("trusted");
    let site = https_site(ca.site.clone()).await;
    let server = server_trusting(Some(&ca), vec![site.origin()]).await;
    let a = active(&server).await;
    let token = a.session.token.as_str();
    // A redirect to a host that is not allowed is refused at that hop.
    let r = get_as(&server, &a.cookie, token, &site.url("/to-elsewhere")).await;
    let message = expect_api_error(r, 403, ErrorCode::NotAllowed).await;
    assert!(
        message.starts_with("host 127.0.0.2 is neither"),
        "{message}"
    );
    assert_eq!(site.hits("/to-elsewhere"), 1);
    assert_eq!(site.hits("/img.png"), 0);

    // Private access off: an IP literal (the policy's check) and a name resolving to loopback
    // (the client's resolver, used for https: too) are both refused before any connection.
    let port = site.addr.port();
    let ca_file = ca.file.path().to_owned();
    let strict = TestServer::start_with(move |c| {
        c.allowed_origins = vec![
            format!("https://127.0.0.1:{port}"),
            format!("https://localhost:{port}"),
        ];
        c.proxy_ca_file = Some(ca_file);
        c.resource_timeout = Duration::from_millis(500);
    })
    .await;
    let a = active(&strict).await;
    for url in [
        site.url("/img.png"),
        format!("https://localhost:{port}/img.png"),
    ] {
        let r = get_as(&strict, &a.cookie, a.session.token.as_str(), &url).await;
        let message = expect_api_error(r, 403, ErrorCode::NotAllowed).await;
        assert!(message.contains("is not a public address"), "{message}");
    }
    assert_eq!(site.hits("/img.png"), 0);
}

#[tokio::test]
async fn a_missing_or_invalid_proxy_ca_file_is_a_startup_error() {
    let dir = tempfile::tempdir().unwrap();
    let invalid = dir.path().join("ca.pem");
    std::fs::write(&invalid, "not a certificate\n").unwrap();
    for (file, expected) in [
        (dir.path().join("missing.pem"), "missing.pem"),
        (invalid, "no certificate"),
    ] {
        let mut config = cobrowse_server::Config::new(dir.path());
        config.proxy_ca_file = Some(file);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        match cobrowse_server::run(config, listener, std::future::pending()).await {
            Err(cobrowse_server::Error::Config(
                error @ cobrowse_server::ConfigError::ProxyCaFile { .. },
            )) => {
                let message = error.to_string();
                assert!(
                    message.starts_with("cannot use the proxy CA file"),
                    "{message}"
                );
                assert!(message.contains(expected), "{message}");
            }
            other => panic!("expected a proxy CA file error, got {other:?}"),
        }
    }
    // Refused before anything was created.
    assert!(
        !dir.path()
            .join(cobrowse_server::config::DATABASE_FILE)
            .exists()
    );
}
