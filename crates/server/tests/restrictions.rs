//! DOM restrictions against the real server: the REST API (CRUD, validation, who may call it,
//! the audit log), inspect tickets, the OpenAPI document, and the rules customers receive.

#![allow(clippy::unwrap_used)]

mod common;

use cobrowse_protocol::{
    ApiError, AuditAction, AuditLog, ErrorCode, InspectLink, InspectRules, Restriction,
    RestrictionKind, RestrictionList, ServerToCustomer,
};
use common::*;
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{Value, json};

const RESTRICTIONS: &str = "/cobrowse/rest/restrictions";

/// How a test authenticates.
enum Auth {
    None,
    Cookie(String),
    Key(String),
}

fn request(server: &TestServer, auth: &Auth, method: Method, path: &str) -> RequestBuilder {
    let builder = server.http.request(method, server.url(path));
    match auth {
        Auth::None => builder,
        Auth::Cookie(cookie) => builder.header("cookie", cookie),
        Auth::Key(key) => builder.bearer_auth(key),
    }
}

async fn send(
    server: &TestServer,
    auth: &Auth,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Response {
    let mut builder = request(server, auth, method, path);
    if let Some(body) = body {
        builder = builder.json(&body);
    }
    builder.send().await.unwrap()
}

async fn admin(server: &TestServer) -> Auth {
    Auth::Cookie(server.login(ADMIN).await)
}

/// Expects an error answer with `status` and `code`; returns its message.
async fn expect_error(response: Response, status: u16, code: ErrorCode) -> String {
    assert_eq!(response.status(), status);
    let body: ApiError = response.json().await.unwrap();
    assert_eq!(body.error.code, code, "{}", body.error.message);
    body.error.message
}

async fn list(server: &TestServer, auth: &Auth) -> Vec<Restriction> {
    let response = send(server, auth, Method::GET, RESTRICTIONS, None).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    response
        .json::<RestrictionList>()
        .await
        .unwrap()
        .restrictions
}

async fn audit(server: &TestServer, auth: &Auth, query: &str) -> AuditLog {
    let path = format!("{RESTRICTIONS}/audit{query}");
    let response = send(server, auth, Method::GET, &path, None).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn crud_round_trip_with_audit() {
    let server = TestServer::start().await;
    let auth = admin(&server).await;

    // The demo seed.
    let seeded = list(&server, &auth).await;
    assert_eq!(
        seeded
            .iter()
            .map(|r| (r.selector.as_str(), r.kind, r.group.as_str()))
            .collect::<Vec<_>>(),
        [
            ("#card, #cvv", RestrictionKind::Mask, "Demo shop"),
            (".account-number", RestrictionKind::Mask, "Demo shop"),
        ]
    );
    assert!(
        seeded
            .iter()
            .all(|r| r.url_pattern.as_deref() == Some("/demo/")
                && r.enabled
                && r.updated_by == "system")
    );

    // Create: defaults applied, values normalised.
    let response = send(
        &server,
        &auth,
        Method::POST,
        RESTRICTIONS,
        Some(json!({"selector": "  .ssn, input[name=ssn i] ", "kind": "control"})),
    )
    .await;
    assert_eq!(response.status(), 201);
    let created: Restriction = {
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let created: Restriction = response.json().await.unwrap();
        assert_eq!(location, format!("{RESTRICTIONS}/{}", created.id));
        created
    };
    assert_eq!(created.selector, ".ssn, input[name=ssn i]");
    assert_eq!(created.kind, RestrictionKind::Control);
    assert_eq!(created.group, "Default");
    assert_eq!(created.description, "");
    assert_eq!(created.url_pattern, None);
    assert!(created.enabled);
    assert_eq!(created.updated_by, ADMIN);
    let path = format!("{RESTRICTIONS}/{}", created.id);
    let got: Restriction = send(&server, &auth, Method::GET, &path, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(got, created);
    // Listed by group: "Default" before "Demo shop".
    assert_eq!(list(&server, &auth).await.first(), Some(&created));

    // PUT replaces every field; absent optional fields take their defaults again.
    let response = send(
        &server,
        &auth,
        Method::PUT,
        &path,
        Some(
            json!({"selector": "#ssn", "kind": "mask", "group": "Accounts",
                    "description": "Social security number", "urlPattern": "^https://",
                    "enabled": false}),
        ),
    )
    .await;
    assert_eq!(response.status(), 200);
    let replaced: Restriction = response.json().await.unwrap();
    assert_eq!(
        (
            replaced.selector.as_str(),
            replaced.kind,
            replaced.group.as_str(),
            replaced.url_pattern.as_deref(),
            replaced.enabled
        ),
        (
            "#ssn",
            RestrictionKind::Mask,
            "Accounts",
            Some("^https://"),
            false
        )
    );
    assert_eq!(replaced.created_at, created.created_at);

    // PATCH changes only what it carries; `urlPattern: null` means every page.
    let response = send(
        &server,
        &auth,
        Method::PATCH,
        &path,
        Some(json!({"enabled": true, "urlPattern": null})),
    )
    .await;
    assert_eq!(response.status(), 200);
    let patched: Restriction = response.json().await.unwrap();
    assert!(patched.enabled);
    assert_eq!(patched.url_pattern, None);
    assert_eq!(patched.description, "Social security number");
    assert_eq!(patched.group, "Accounts");

    // DELETE, then it is gone.
    let response = send(&server, &auth, Method::DELETE, &path, None).await;
    assert_eq!(response.status(), 204);
    for method in [Method::GET, Method::DELETE] {
        let response = send(&server, &auth, method, &path, None).await;
        expect_error(response, 404, ErrorCode::NotFound).await;
    }
    let response = send(
        &server,
        &auth,
        Method::PATCH,
        &path,
        Some(json!({"enabled": false})),
    )
    .await;
    expect_error(response, 404, ErrorCode::NotFound).await;
    let response = send(
        &server,
        &auth,
        Method::GET,
        &format!("{RESTRICTIONS}/x1"),
        None,
    )
    .await;
    expect_error(response, 404, ErrorCode::NotFound).await;

    // The audit log, newest first, with the restriction before and after each change.
    let log = audit(&server, &auth, "").await;
    let summary: Vec<(AuditAction, &str, i64)> = log
        .entries
        .iter()
        .map(|e| (e.action, e.actor.as_str(), e.restriction_id))
        .collect();
    let id = created.id;
    assert_eq!(
        summary,
        [
            (AuditAction::Delete, ADMIN, id),
            (AuditAction::Update, ADMIN, id),
            (AuditAction::Update, ADMIN, id),
            (AuditAction::Create, ADMIN, id),
            (AuditAction::Create, "system", seeded[1].id),
            (AuditAction::Create, "system", seeded[0].id),
        ]
    );
    let [delete, patch, put, create, ..] = log.entries.as_slice() else {
        panic!("four entries at least");
    };
    assert_eq!(
        (delete.before.as_ref(), delete.after.as_ref()),
        (Some(&patched), None)
    );
    assert_eq!(
        (patch.before.as_ref(), patch.after.as_ref()),
        (Some(&replaced), Some(&patched))
    );
    assert_eq!(
        (put.before.as_ref(), put.after.as_ref()),
        (Some(&created), Some(&replaced))
    );
    assert_eq!(
        (create.before.as_ref(), create.after.as_ref()),
        (None, Some(&created))
    );
    assert_eq!(log.entries[4].after.as_ref(), seeded.get(1));
    assert_eq!(audit(&server, &auth, "?limit=2").await.entries.len(), 2);
    let response = send(
        &server,
        &auth,
        Method::GET,
        &format!("{RESTRICTIONS}/audit?limit=lots"),
        None,
    )
    .await;
    let message = expect_error(response, 400, ErrorCode::BadMessage).await;
    assert!(message.starts_with("limit: "), "{message}");
    server.stop().await;
}

#[tokio::test]
async fn invalid_restrictions_are_refused_with_the_field_and_the_reason() {
    let server = TestServer::start().await;
    let auth = admin(&server).await;
    let cases = [
        (
            json!({"selector": "a[", "kind": "mask"}),
            r#"selector "a[": unexpected end of input"#,
        ),
        (
            json!({"selector": "div::before", "kind": "mask"}),
            r#"selector "div::before": pseudo-elements are not allowed"#,
        ),
        (
            json!({"selector": "..x", "kind": "mask"}),
            r#"selector "..x": "#,
        ),
        (
            json!({"selector": "", "kind": "mask"}),
            r#"selector "": empty selector"#,
        ),
        (
            json!({"selector": "a", "kind": "mask", "urlPattern": "("}),
            r#"urlPattern "(": "#,
        ),
        (
            json!({"selector": "a", "kind": "mask", "urlPattern": "*a"}),
            r#"urlPattern "*a": "#,
        ),
        (
            json!({"selector": "a".repeat(1001), "kind": "mask"}),
            "selector: at most 1000 characters allowed (1001 given)",
        ),
        (
            json!({"selector": "a", "kind": "mask", "description": "d".repeat(501)}),
            "description: at most 500 characters allowed (501 given)",
        ),
        (
            json!({"selector": "a", "kind": "mask", "group": " "}),
            "group: must have 1 to 100 characters (empty given)",
        ),
    ];
    for (body, expected) in cases {
        let response = send(&server, &auth, Method::POST, RESTRICTIONS, Some(body)).await;
        let message = expect_error(response, 400, ErrorCode::InvalidRestriction).await;
        assert!(
            message.starts_with(expected),
            "{message:?} for {expected:?}"
        );
    }
    // The same rules for PUT and PATCH.
    let path = format!("{RESTRICTIONS}/1");
    let response = send(
        &server,
        &auth,
        Method::PATCH,
        &path,
        Some(json!({"urlPattern": "["})),
    )
    .await;
    expect_error(response, 400, ErrorCode::InvalidRestriction).await;
    let response = send(
        &server,
        &auth,
        Method::PUT,
        &path,
        Some(json!({"selector": ":hovering", "kind": "mask"})),
    )
    .await;
    let message = expect_error(response, 400, ErrorCode::InvalidRestriction).await;
    assert_eq!(
        message,
        r#"selector ":hovering": unknown pseudo-class ":hovering""#
    );
    // Malformed bodies.
    let response = send(
        &server,
        &auth,
        Method::POST,
        RESTRICTIONS,
        Some(json!({"selector": "a", "kind": "hide"})),
    )
    .await;
    expect_error(response, 400, ErrorCode::BadMessage).await;
    let response = request(&server, &auth, Method::POST, RESTRICTIONS)
        .body("selector=a")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    expect_error(response, 415, ErrorCode::BadMessage).await;
    // Nothing was stored, nothing audited.
    assert_eq!(list(&server, &auth).await.len(), 2);
    assert_eq!(audit(&server, &auth, "").await.entries.len(), 2);
    server.stop().await;
}

#[tokio::test]
async fn only_administrators_may_use_the_api() {
    let server = TestServer::start().await;
    let agent = Auth::Cookie(server.login(AGENT1).await);
    let valid = json!({"selector": "a", "kind": "mask"});
    let routes = [
        (Method::GET, RESTRICTIONS.to_owned(), None),
        (Method::POST, RESTRICTIONS.to_owned(), Some(valid.clone())),
        (Method::GET, format!("{RESTRICTIONS}/1"), None),
        (
            Method::PUT,
            format!("{RESTRICTIONS}/1"),
            Some(valid.clone()),
        ),
        (Method::PATCH, format!("{RESTRICTIONS}/1"), Some(json!({}))),
        (Method::DELETE, format!("{RESTRICTIONS}/1"), None),
        (Method::GET, format!("{RESTRICTIONS}/audit"), None),
        (
            Method::POST,
            format!("{RESTRICTIONS}/inspect"),
            Some(json!({"url": server.url("/demo/")})),
        ),
    ];
    for (method, path, body) in &routes {
        let response = send(&server, &Auth::None, method.clone(), path, body.clone()).await;
        expect_error(response, 401, ErrorCode::Unauthenticated).await;
        let response = send(&server, &agent, method.clone(), path, body.clone()).await;
        let message = expect_error(response, 403, ErrorCode::Forbidden).await;
        assert_eq!(message, "only administrators can manage DOM restrictions");
        let bad_key = Auth::Key("cbk_not-a-key".into());
        let response = send(&server, &bad_key, method.clone(), path, body.clone()).await;
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        expect_error(response, 401, ErrorCode::Unauthenticated).await;
    }
    // Authentication comes before the body: an anonymous bad body is still 401.
    let response = request(&server, &Auth::None, Method::POST, RESTRICTIONS)
        .body("not json")
        .send()
        .await
        .unwrap();
    expect_error(response, 401, ErrorCode::Unauthenticated).await;

    // An administrator's cookie from another origin is refused.
    let auth = admin(&server).await;
    let response = request(&server, &auth, Method::POST, RESTRICTIONS)
        .header("origin", "http://evil.example")
        .json(&valid)
        .send()
        .await
        .unwrap();
    expect_error(response, 403, ErrorCode::Forbidden).await;
    let response = request(&server, &auth, Method::POST, RESTRICTIONS)
        .header("origin", server.origin())
        .json(&valid)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);

    // The editor's login refuses agents, creating no login; administrators get in.
    let login = |user: &str, role: &str| {
        server
            .http
            .post(server.url("/cobrowse/rest/auth/login"))
            .json(&json!({"username": user, "password": PASSWORD, "requiredRole": role}))
            .send()
    };
    let response = login(AGENT1, "admin").await.unwrap();
    assert!(response.headers().get("set-cookie").is_none());
    let message = expect_error(response, 403, ErrorCode::Forbidden).await;
    assert_eq!(
        message,
        "only administrators can use the DOM Restrictions Editor"
    );
    let response = login(AGENT1, "agent").await.unwrap();
    assert_eq!(response.status(), 200);
    let response = login(ADMIN, "admin").await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("set-cookie").is_some());
    // A wrong password is still 401, whatever the role asked for.
    let response = server
        .http
        .post(server.url("/cobrowse/rest/auth/login"))
        .json(&json!({"username": AGENT1, "password": "wrong", "requiredRole": "admin"}))
        .send()
        .await
        .unwrap();
    expect_error(response, 401, ErrorCode::Unauthenticated).await;
    server.stop().await;
}

#[tokio::test]
async fn api_keys_manage_restrictions_as_code() {
    let server = TestServer::start().await;
    let key = Auth::Key(server.api_key("terraform").await);
    let response = send(
        &server,
        &key,
        Method::POST,
        RESTRICTIONS,
        Some(json!({"selector": "#iban", "kind": "mask", "group": "Banking"})),
    )
    .await;
    assert_eq!(response.status(), 201);
    let created: Restriction = response.json().await.unwrap();
    assert_eq!(created.updated_by, "apikey:terraform");
    let log = audit(&server, &key, "?limit=1").await;
    assert_eq!(log.entries.len(), 1);
    assert_eq!(log.entries[0].actor, "apikey:terraform");
    assert_eq!(log.entries[0].action, AuditAction::Create);
    assert_eq!(log.entries[0].after.as_ref(), Some(&created));
    // A bad key is refused even next to an administrator's cookie.
    let Auth::Cookie(cookie) = admin(&server).await else {
        unreachable!()
    };
    let response = request(
        &server,
        &Auth::Key("cbk_wrong".into()),
        Method::GET,
        RESTRICTIONS,
    )
    .header("cookie", cookie)
    .send()
    .await
    .unwrap();
    expect_error(response, 401, ErrorCode::Unauthenticated).await;
    server.stop().await;
}

#[tokio::test]
async fn inspect_tickets_are_one_time_and_cors() {
    let server =
        TestServer::start_with(|c| c.allowed_origins = vec!["https://shop.example".into()]).await;
    let auth = admin(&server).await;
    let inspect = format!("{RESTRICTIONS}/inspect");
    for url in [
        "https://evil.example/",
        "javascript:alert(1)",
        "/demo/",
        "https://user:pw@shop.example/",
    ] {
        let response = send(
            &server,
            &auth,
            Method::POST,
            &inspect,
            Some(json!({ "url": url })),
        )
        .await;
        let message = expect_error(response, 400, ErrorCode::BadMessage).await;
        assert!(message.starts_with("url: "), "{url}: {message}");
    }
    let response = send(
        &server,
        &auth,
        Method::POST,
        &inspect,
        Some(json!({"url": "https://shop.example/checkout?step=2#pay"})),
    )
    .await;
    assert_eq!(response.status(), 200);
    let link: InspectLink = response.json().await.unwrap();
    let ticket = link
        .url
        .strip_prefix("https://shop.example/checkout?step=2#pay&gcb-inspect=")
        .unwrap_or_else(|| panic!("unexpected link {}", link.url))
        .to_owned();
    assert_eq!(ticket.len(), 43);
    let now = cobrowse_server::store::unix_now();
    assert!((now + 295..=now + 305).contains(&link.expires_at));

    // Disable a seed rule: the overlay gets only enabled restrictions.
    let response = send(
        &server,
        &auth,
        Method::PATCH,
        &format!("{RESTRICTIONS}/2"),
        Some(json!({"enabled": false})),
    )
    .await;
    assert_eq!(response.status(), 200);

    let redeem = |origin: &'static str| {
        server
            .http
            .post(server.url(&format!("{inspect}/{ticket}")))
            .header("origin", origin)
            .send()
    };
    // Preflight and a foreign origin: refused without spending the ticket.
    let preflight = server
        .http
        .request(Method::OPTIONS, server.url(&format!("{inspect}/{ticket}")))
        .header("origin", "https://shop.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 204);
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    let response = redeem("https://evil.example").await.unwrap();
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    expect_error(response, 403, ErrorCode::Forbidden).await;

    let response = redeem("https://shop.example").await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    let rules: InspectRules = response.json().await.unwrap();
    assert_eq!(
        rules
            .restrictions
            .iter()
            .map(|r| (r.id, r.description.as_str()))
            .collect::<Vec<_>>(),
        [(1, "Card number and security code on the checkout page")]
    );
    // Spent: 404, readable by the page.
    let response = redeem("https://shop.example").await.unwrap();
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    expect_error(response, 404, ErrorCode::NotFound).await;
    let response = server
        .http
        .post(server.url(&format!("{inspect}/made-up")))
        .header("origin", "https://shop.example")
        .send()
        .await
        .unwrap();
    expect_error(response, 404, ErrorCode::NotFound).await;
    server.stop().await;
}

#[tokio::test]
async fn openapi_describes_what_the_server_serves() {
    let server = TestServer::start().await;
    let response = server
        .http
        .get(server.url("/cobrowse/rest/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let doc: Value = response.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    // Every operation of the document exists on the server: it answers with an API error (or the
    // document itself), never the router's plain 404 or 405.
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let concrete = path.replace("{id}", "1").replace("{ticket}", "t");
        for method in ["get", "post", "put", "patch", "delete", "options"] {
            if !item[method].is_object() {
                continue;
            }
            operations += 1;
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = server
                .http
                .request(method.clone(), server.url(&concrete))
                .header("origin", server.origin())
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            assert_ne!(status, 405, "{method} {path}");
            let text = response.text().await.unwrap();
            assert!(
                status != 404 || text.contains(r#""code":"notFound""#),
                "{method} {path}: {status} {text}"
            );
        }
    }
    assert_eq!(operations, 12);
    server.stop().await;
}

#[tokio::test]
async fn customers_receive_the_rules_after_welcome_and_on_every_change() {
    let server = TestServer::start().await;
    let auth = admin(&server).await;
    let session = server.create_session().await;
    let mut customer = Customer::connect(&server.ws_url("/cobrowse/ws/customer"), &[]).await;
    customer.send(&hello(&session)).await;
    assert!(matches!(
        customer.recv().await,
        ServerToCustomer::Welcome(_)
    ));
    let first = expect_restrictions(&mut customer).await;
    assert_eq!(
        first
            .rules
            .iter()
            .map(|r| r.selector.as_str())
            .collect::<Vec<_>>(),
        ["#card, #cvv", ".account-number"]
    );

    let response = send(
        &server,
        &auth,
        Method::POST,
        RESTRICTIONS,
        Some(json!({"selector": ".balance", "kind": "control", "urlPattern": "^https://"})),
    )
    .await;
    assert_eq!(response.status(), 201);
    let created: Restriction = response.json().await.unwrap();
    let second = expect_restrictions(&mut customer).await;
    assert!(second.version > first.version);
    let rule = second.rules.last().unwrap();
    assert_eq!(
        (
            rule.id,
            rule.selector.as_str(),
            rule.kind,
            rule.url_pattern.as_deref()
        ),
        (
            created.id,
            ".balance",
            RestrictionKind::Control,
            Some("^https://")
        )
    );
    assert_eq!(second.rules.len(), 3);

    // An agent joins: the rules came before any snapshot request, and the next page of the
    // customer gets the current rules right after its welcome.
    let cookie = server.login(AGENT1).await;
    let _agent = server.agent_join(&cookie, &session.token).await;
    assert_eq!(customer.recv().await, ServerToCustomer::AgentJoined);
    assert_eq!(
        customer.recv().await,
        snapshot_request(cobrowse_protocol::SnapshotReason::AgentJoined)
    );
    let response = send(
        &server,
        &auth,
        Method::DELETE,
        &format!("{RESTRICTIONS}/1"),
        None,
    )
    .await;
    assert_eq!(response.status(), 204);
    let third = expect_restrictions(&mut customer).await;
    assert!(third.version > second.version);
    assert_eq!(third.rules.len(), 2);
    customer.close().await;
    let mut next_page = Customer::connect(&server.ws_url("/cobrowse/ws/customer"), &[]).await;
    next_page.send(&hello(&session)).await;
    assert!(matches!(
        next_page.recv().await,
        ServerToCustomer::Welcome(_)
    ));
    assert_eq!(expect_restrictions(&mut next_page).await, third);
    assert_eq!(
        next_page.recv().await,
        snapshot_request(cobrowse_protocol::SnapshotReason::CustomerReconnected)
    );
    server.stop().await;
}

#[tokio::test]
async fn restrictions_survive_a_restart() {
    let server = TestServer::start().await;
    let auth = admin(&server).await;
    let response = send(
        &server,
        &auth,
        Method::POST,
        RESTRICTIONS,
        Some(json!({"selector": "#secret", "kind": "mask", "enabled": false})),
    )
    .await;
    assert_eq!(response.status(), 201);
    let before = list(&server, &auth).await;
    let server = server.restart().await;
    let auth = admin(&server).await;
    assert_eq!(list(&server, &auth).await, before);
    assert_eq!(audit(&server, &auth, "").await.entries.len(), 3);
    // Customers get the enabled ones (the seed), from version 1 again.
    let (_, mut customer) = {
        let session = server.create_session().await;
        let mut customer = Customer::connect(&server.ws_url("/cobrowse/ws/customer"), &[]).await;
        customer.send(&hello(&session)).await;
        assert!(matches!(
            customer.recv().await,
            ServerToCustomer::Welcome(_)
        ));
        (session, customer)
    };
    let rules = expect_restrictions(&mut customer).await;
    assert_eq!(rules.version, 1);
    assert_eq!(rules.rules.len(), 2);
    server.stop().await;
}

#[tokio::test]
async fn the_editor_is_served_under_admin() {
    let server = TestServer::start().await;
    let response = server.http.get(server.url("/admin")).send().await.unwrap();
    assert_eq!(response.status(), 308);
    assert_eq!(response.headers()["location"], "/admin/");
    let built = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../web/dist/admin/index.html")
        .is_file();
    if built {
        let response = server.http.get(server.url("/admin/")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let h = response.headers();
        assert!(h["content-type"].to_str().unwrap().starts_with("text/html"));
        assert_eq!(h["referrer-policy"], "no-referrer");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    }
    server.stop().await;
}
