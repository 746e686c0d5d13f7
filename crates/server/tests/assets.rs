//! The embedded browser bundles of `web/dist/` (which may not be built yet).

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use std::path::Path;

fn dist(path: &str) -> bool {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../web/dist")
        .join(path)
        .is_file()
}

#[tokio::test]
async fn missing_assets_are_404_and_directories_redirect() {
    let server = TestServer::start().await;
    let get = |path: &str| server.http.get(server.url(path)).send();
    assert_eq!(
        get("/cobrowse/js/no-such-file.js").await.unwrap().status(),
        404
    );
    let root = get("/").await.unwrap();
    assert!(root.status().is_redirection());
    assert_eq!(root.headers()["location"], "/demo/");
    let agent = get("/agent").await.unwrap();
    assert!(agent.status().is_redirection());
    assert_eq!(agent.headers()["location"], "/agent/");
    server.stop().await;
}

#[tokio::test]
async fn bundles_are_served_with_their_type_when_built() {
    let server = TestServer::start().await;
    if dist("cobrowse/js/gcb.min.js") {
        let response = server
            .http
            .get(server.url("/cobrowse/js/gcb.min.js"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let content_type = response.headers()["content-type"].to_str().unwrap();
        assert!(content_type.contains("javascript"), "{content_type}");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        let etag = response.headers()["etag"].clone();
        let revalidated = server
            .http
            .get(server.url("/cobrowse/js/gcb.min.js"))
            .header("if-none-match", etag)
            .send()
            .await
            .unwrap();
        assert_eq!(revalidated.status(), 304);
    }
    if dist("agent/index.html") {
        let response = server.http.get(server.url("/agent/")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let h = response.headers();
        assert!(h["content-type"].to_str().unwrap().starts_with("text/html"));
        assert_eq!(h["cache-control"], "no-cache");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    }
    server.stop().await;
}
