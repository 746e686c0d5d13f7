//! Pointers, the Pointer/Write mode and its consent, agent input and navigation, end to end.

#![allow(clippy::unwrap_used)]

mod common;

use cobrowse_protocol::{
    AgentInput, AgentInputMessage, AgentToServer, CustomerPresence, CustomerToServer, ErrorCode,
    Mode, ModeChanged, ModeResponse, NavCommand, Navigate, NavigationFailed, POINTER_MOVE_TAG,
    PagePoint, PointerMoves, ServerToAgent, ServerToCustomer, SnapshotReason,
};
use common::{Active, TestServer, active, hello, snapshot_request};

fn point(x: i32, y: i32) -> PagePoint {
    PagePoint { x, y }
}

fn click(target: u32) -> AgentToServer {
    AgentToServer::Input(AgentInputMessage {
        input: AgentInput::Click {
            target,
            point: point(10, 20),
        },
    })
}

fn navigate(command: NavCommand, url: Option<&str>) -> AgentToServer {
    AgentToServer::Navigate(Navigate {
        command,
        url: url.map(str::to_owned),
    })
}

/// Agent asks, customer allows: both are told `write`.
async fn enter_write_mode(s: &mut Active) {
    s.agent.send(&AgentToServer::RequestWriteMode).await;
    assert_eq!(
        s.customer.recv().await,
        ServerToCustomer::ModeUpgradeRequested
    );
    s.customer
        .send(&CustomerToServer::ModeResponse(ModeResponse {
            allow: true,
        }))
        .await;
    let write = ModeChanged { mode: Mode::Write };
    assert_eq!(
        s.customer.recv().await,
        ServerToCustomer::ModeChanged(write)
    );
    assert_eq!(s.agent.recv().await, ServerToAgent::ModeChanged(write));
}

/// Proves the customer received nothing before: a pointer move sent now arrives next.
async fn customer_got_nothing(s: &mut Active) {
    s.agent.send(&AgentToServer::Pointer(point(-1, -1))).await;
    assert_eq!(
        s.customer.recv().await,
        ServerToCustomer::AgentPointer(point(-1, -1))
    );
}

#[tokio::test]
async fn pointers_are_relayed_both_ways() {
    let server = TestServer::start().await;
    let mut s = active(&server).await;
    s.agent.send(&AgentToServer::Pointer(point(3, 4))).await;
    s.agent.send(&AgentToServer::Mark(point(5, 6))).await;
    s.agent.send(&AgentToServer::PointerLeave).await;
    assert_eq!(
        s.customer.recv().await,
        ServerToCustomer::AgentPointer(point(3, 4))
    );
    assert_eq!(
        s.customer.recv().await,
        ServerToCustomer::AgentMark(point(5, 6))
    );
    assert_eq!(s.customer.recv().await, ServerToCustomer::AgentPointerLeave);
    s.customer
        .send(&CustomerToServer::Pointer(point(700, 1200)))
        .await;
    s.customer.send(&CustomerToServer::PointerLeave).await;
    assert_eq!(
        s.agent.recv().await,
        ServerToAgent::CustomerPointer(point(700, 1200))
    );
    assert_eq!(s.agent.recv().await, ServerToAgent::CustomerPointerLeave);
    // The wire shape, as documented.
    s.customer
        .send_text(r#"{"type":"pointer","x":1,"y":2}"#)
        .await;
    assert_eq!(
        s.agent.recv().await,
        ServerToAgent::CustomerPointer(point(1, 2))
    );
    server.stop().await;
}

#[tokio::test]
async fn binary_pointer_moves_reach_the_agent_as_points() {
    let server = TestServer::start().await;
    let mut s = active(&server).await;
    let mut moves = PointerMoves::default();
    for (x, y) in [(700, 1200), (737, 1190), (-5, 3)] {
        s.customer.send_binary(moves.encode(point(x, y))).await;
        assert_eq!(
            s.agent.recv().await,
            ServerToAgent::CustomerPointer(point(x, y))
        );
    }
    // The documented bytes: from (-5, 3), +20 and -2 (zigzag 40 and 3).
    s.customer.send_binary(vec![POINTER_MOVE_TAG, 40, 3]).await;
    assert_eq!(
        s.agent.recv().await,
        ServerToAgent::CustomerPointer(point(15, 1))
    );
    // A bad move is refused (non-fatal `badFrame`), reaches nobody and moves nothing.
    for bad in [
        vec![POINTER_MOVE_TAG, 0x80],
        vec![POINTER_MOVE_TAG, 2, 2, 2],
    ] {
        s.customer.send_binary(bad).await;
        match s.customer.recv().await {
            ServerToCustomer::Error(e) => assert_eq!(e.code, ErrorCode::BadFrame),
            other => panic!("unexpected {other:?}"),
        }
    }
    s.customer.send_binary(vec![POINTER_MOVE_TAG, 2, 0]).await;
    assert_eq!(
        s.agent.recv().await,
        ServerToAgent::CustomerPointer(point(16, 1))
    );
    // A new socket of the customer starts again from (0, 0).
    let mut again = server.customer_for(&s.session).await;
    again.send_binary(vec![POINTER_MOVE_TAG, 2, 4]).await;
    loop {
        match s.agent.recv().await {
            ServerToAgent::CustomerPointer(p) => break assert_eq!(p, point(1, 2)),
            ServerToAgent::CustomerStatus(_) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn a_flood_of_pointer_moves_is_capped() {
    let server = TestServer::start().await;
    let mut s = active(&server).await;
    for i in 0..300 {
        s.agent.send(&AgentToServer::Pointer(point(i, i))).await;
    }
    s.agent.send(&AgentToServer::RequestWriteMode).await;
    let mut pointers = 0;
    loop {
        match s.customer.recv().await {
            ServerToCustomer::AgentPointer(_) => pointers += 1,
            ServerToCustomer::ModeUpgradeRequested => break,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!((1..=120).contains(&pointers), "{pointers} pointer moves");
    server.stop().await;
}

#[tokio::test]
async fn write_mode_accepted_forwards_input_until_downgraded() {
    let server = TestServer::start().await;
    let mut s = active(&server).await;
    // A duplicate request while one is pending is ignored.
    s.agent.send(&AgentToServer::RequestWriteMode).await;
    s.agent.send(&AgentToServer::RequestWriteMode).await;
    assert_eq!(
        s.customer.recv().await,
        ServerToCustomer::ModeUpgradeRequested
    );
    s.customer
        .send(&CustomerToServer::ModeResponse(ModeResponse {
            allow: true,
        }))
        .await;
    let write = ModeChanged { mode: Mode::Write };
    assert_eq!(
        s.customer.recv().await,
        ServerToCustomer::ModeChanged(write)
    );
    assert_eq!(s.agent.recv().await, ServerToAgent::ModeChanged(write));

    s.agent.send(&click(42)).await;
    assert_eq!(
        s.customer.recv().await,
        ServerToCustomer::AgentInput(AgentInputMessage {
            input: AgentInput::Click {
                target: 42,
                point: point(10, 20)
            }
        })
    );

    s.customer.send(&CustomerToServer::DowngradeMode).await;
    let pointer = ModeChanged {
        mode: Mode::Pointer,
    };
    assert_eq!(
        s.customer.recv().await,
        ServerToCustomer::ModeChanged(pointer)
    );
    assert_eq!(s.agent.recv().await, ServerToAgent::ModeChanged(pointer));
    s.agent.send(&click(42)).await;
    match s.agent.recv().await {
        ServerToAgent::Error(e) => assert_eq!(e.code, ErrorCode::NotInWriteMode),
        other => panic!("expected notInWriteMode, got {other:?}"),
    }
    customer_got_nothing(&mut s).await;
    server.stop().await;
}

#[tokio::test]
async fn a_declined_request_forwards_nothing() {
    let server = TestServer::start().await;
    let mut s = active(&server).await;
    s.agent.send(&AgentToServer::RequestWriteMode).await;
    assert_eq!(
        s.customer.recv().await,
        ServerToCustomer::ModeUpgradeRequested
    );
    s.customer
        .send(&CustomerToServer::ModeResponse(ModeResponse {
            allow: false,
        }))
        .await;
    assert_eq!(s.agent.recv().await, ServerToAgent::ModeRequestDeclined);
    s.agent.send(&click(1)).await;
    match s.agent.recv().await {
        ServerToAgent::Error(e) => assert_eq!(e.code, ErrorCode::NotInWriteMode),
        other => panic!("expected notInWriteMode, got {other:?}"),
    }
    customer_got_nothing(&mut s).await;
    server.stop().await;
}

#[tokio::test]
async fn input_and_navigation_in_pointer_mode_are_dropped() {
    let server = TestServer::start().await;
    let mut s = active(&server).await;
    // A forged client: raw JSON, node ids nobody has.
    let forged = [
        r#"{"type":"input","input":{"kind":"setValue","target":999999,"value":"x"}}"#,
        r#"{"type":"input","input":{"kind":"key","target":4000000000,"key":"a","code":"KeyA","modifiers":{"shift":false,"ctrl":false,"alt":false,"meta":false}}}"#,
        r#"{"type":"navigate","command":"url","url":"https://shop.example/"}"#,
        r#"{"type":"navigate","command":"back","url":null}"#,
    ];
    for text in forged {
        s.agent.send_text(text).await;
        match s.agent.recv().await {
            ServerToAgent::Error(e) => assert_eq!(e.code, ErrorCode::NotInWriteMode, "{text}"),
            other => panic!("expected notInWriteMode for {text}, got {other:?}"),
        }
    }
    // A response without a request changes nothing either.
    s.customer
        .send(&CustomerToServer::ModeResponse(ModeResponse {
            allow: true,
        }))
        .await;
    s.agent.send(&click(2)).await;
    assert!(matches!(s.agent.recv().await, ServerToAgent::Error(_)));
    customer_got_nothing(&mut s).await;
    server.stop().await;
}

#[tokio::test]
async fn losing_the_agent_socket_returns_to_pointer_mode() {
    let server = TestServer::start().await;
    let mut s = active(&server).await;
    enter_write_mode(&mut s).await;
    let Active {
        session,
        mut customer,
        agent,
        cookie,
    } = s;
    agent.drop_connection();
    assert_eq!(customer.recv().await, ServerToCustomer::AgentDisconnected);
    assert_eq!(
        customer.recv().await,
        ServerToCustomer::ModeChanged(ModeChanged {
            mode: Mode::Pointer
        })
    );
    // The agent comes back: pointer mode, said in `joined`.
    let mut agent = server.agent_socket(&cookie).await;
    agent.send(&common::join(&session.token)).await;
    match agent.recv().await {
        ServerToAgent::Joined(j) => assert_eq!(j.mode, Mode::Pointer),
        other => panic!("expected joined, got {other:?}"),
    }
    assert_eq!(customer.recv().await, ServerToCustomer::AgentJoined);
    server.stop().await;
}

#[tokio::test]
async fn a_customer_reconnect_keeps_write_mode() {
    let server = TestServer::start().await;
    let mut s = active(&server).await;
    enter_write_mode(&mut s).await;
    let Active {
        session,
        mut customer,
        mut agent,
        ..
    } = s;
    customer.send(&CustomerToServer::Unloading).await;
    customer.close().await;
    let mut customer =
        common::Customer::connect(&server.ws_url("/cobrowse/ws/customer"), &[]).await;
    customer.send(&hello(&session)).await;
    match customer.recv().await {
        ServerToCustomer::Welcome(w) => {
            assert_eq!(w.mode, Mode::Write);
            assert!(w.agent_present);
        }
        other => panic!("expected welcome, got {other:?}"),
    }
    common::expect_restrictions(&mut customer).await;
    assert_eq!(
        customer.recv().await,
        snapshot_request(SnapshotReason::CustomerReconnected)
    );
    // The agent saw the page go and come back, and may still act.
    loop {
        match agent.recv().await {
            ServerToAgent::CustomerStatus(st) if st.customer == CustomerPresence::Connected => {
                break;
            }
            ServerToAgent::CustomerStatus(_) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    agent.send(&click(9)).await;
    assert!(matches!(
        customer.recv().await,
        ServerToCustomer::AgentInput(_)
    ));
    server.stop().await;
}

#[tokio::test]
async fn navigation_only_to_allowed_origins_in_write_mode() {
    let server = TestServer::start_with(|c| {
        c.allowed_origins.push("https://shop.example".into());
    })
    .await;
    let mut s = active(&server).await;
    enter_write_mode(&mut s).await;

    for bad in [
        "https://evil.example/phish",
        "javascript:alert(1)",
        "/relative",
        "http://shop.example/",
    ] {
        s.agent.send(&navigate(NavCommand::Url, Some(bad))).await;
        match s.agent.recv().await {
            ServerToAgent::NavigationFailed(f) => assert_eq!(f.command, NavCommand::Url, "{bad}"),
            other => panic!("expected navigationFailed for {bad}, got {other:?}"),
        }
        // The customer's page learns that a navigation failed, never the refused URL.
        match s.customer.recv().await {
            ServerToCustomer::NavigationRefused(f) => {
                assert_eq!(f.command, NavCommand::Url, "{bad}");
                assert!(
                    !f.reason.contains(bad),
                    "{bad} leaked to the customer: {}",
                    f.reason
                );
            }
            other => panic!("expected navigationRefused for {bad}, got {other:?}"),
        }
    }
    s.agent.send(&navigate(NavCommand::Url, None)).await;
    assert!(matches!(
        s.agent.recv().await,
        ServerToAgent::NavigationFailed(_)
    ));
    assert!(matches!(
        s.customer.recv().await,
        ServerToCustomer::NavigationRefused(_)
    ));
    customer_got_nothing(&mut s).await;

    let allowed = "https://shop.example/checkout?step=2";
    s.agent
        .send(&navigate(NavCommand::Url, Some(allowed)))
        .await;
    assert_eq!(
        s.customer.recv().await,
        ServerToCustomer::Navigate(Navigate {
            command: NavCommand::Url,
            url: Some(allowed.to_owned())
        })
    );
    let own = format!("{}/demo/", server.origin());
    s.agent.send(&navigate(NavCommand::Url, Some(&own))).await;
    assert_eq!(
        s.customer.recv().await,
        ServerToCustomer::Navigate(Navigate {
            command: NavCommand::Url,
            url: Some(own.clone())
        })
    );
    // `url` is ignored for the other commands.
    s.agent
        .send(&navigate(NavCommand::Back, Some("https://evil.example/")))
        .await;
    assert_eq!(
        s.customer.recv().await,
        ServerToCustomer::Navigate(Navigate {
            command: NavCommand::Back,
            url: None
        })
    );

    // The customer cannot go back: the agent is told.
    let failed = NavigationFailed {
        command: NavCommand::Back,
        reason: "no history".to_owned(),
    };
    s.customer
        .send(&CustomerToServer::NavigationFailed(failed.clone()))
        .await;
    assert_eq!(
        s.agent.recv().await,
        ServerToAgent::NavigationFailed(failed)
    );
    server.stop().await;
}
