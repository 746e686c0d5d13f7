//! Chats against the real server: opening, accepting, messages in order, `{start:TOKEN}` links
//! a co-browse session that ends with the chat, persistence for the chat's life only, limits and
//! bad input.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use cobrowse_protocol::{
    AgentChatSend, AgentToChat, ChatEndReason, ChatHello, ChatRef, ChatSend, ChatSender, ChatState,
    ChatToAgent, ChatToCustomer, CreatedChat, CustomerToChat, EndReason, ErrorCode,
    PROTOCOL_VERSION,
};
use cobrowse_server::store::{SqliteStore, Store};
use common::*;
use std::time::Duration;

type ChatCustomer = Client<CustomerToChat, ChatToCustomer>;
type ChatAgentSocket = Client<AgentToChat, ChatToAgent>;

async fn open_chat(server: &TestServer, name: &str) -> CreatedChat {
    let response = server
        .http
        .post(server.url("/cobrowse/rest/chats"))
        .header("origin", server.origin())
        .json(&serde_json::json!({ "name": name }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        server.origin().as_str()
    );
    response.json().await.unwrap()
}

fn chat_hello(chat: &CreatedChat, secret: &str) -> CustomerToChat {
    CustomerToChat::Hello(ChatHello {
        protocol_version: PROTOCOL_VERSION,
        chat_id: chat.chat_id.clone(),
        secret: secret.to_owned(),
    })
}

async fn chat_customer(server: &TestServer, chat: &CreatedChat) -> ChatCustomer {
    assert_eq!(chat.socket_url, server.ws_url("/cobrowse/ws/chat/customer"));
    let mut customer = ChatCustomer::connect(&chat.socket_url, &[]).await;
    customer.send(&chat_hello(chat, &chat.secret)).await;
    match customer.recv().await {
        ChatToCustomer::Welcome(w) => assert_eq!(w.chat_id, chat.chat_id),
        other => panic!("expected welcome, got {other:?}"),
    }
    customer
}

async fn chat_agent(server: &TestServer, cookie: &str) -> ChatAgentSocket {
    ChatAgentSocket::connect(
        &server.ws_url("/cobrowse/ws/chat/agent"),
        &[("cookie", cookie)],
    )
    .await
}

/// Reads agent messages until `pick` returns something.
async fn agent_until<T>(
    agent: &mut ChatAgentSocket,
    mut pick: impl FnMut(ChatToAgent) -> Option<T>,
) -> T {
    loop {
        if let Some(t) = pick(agent.recv().await) {
            return t;
        }
    }
}

fn send(text: &str) -> CustomerToChat {
    CustomerToChat::Send(ChatSend {
        text: text.to_owned(),
    })
}

async fn customer_message(customer: &mut ChatCustomer) -> cobrowse_protocol::ChatMessage {
    match customer.recv().await {
        ChatToCustomer::Message(m) => m.message,
        other => panic!("expected a message, got {other:?}"),
    }
}

#[tokio::test]
async fn a_chat_carries_messages_links_cobrowse_and_ends_it() {
    let server = TestServer::start().await;
    let cookie = server.login(AGENT1).await;
    let mut agent = chat_agent(&server, &cookie).await;
    let chat = open_chat(&server, " Ann ").await;
    let mut customer = chat_customer(&server, &chat).await;

    // The agent sees the chat waiting (with the trimmed name), accepts it.
    let waiting = agent_until(&mut agent, |m| match m {
        ChatToAgent::Chats(l) if !l.waiting.is_empty() => Some(l.waiting),
        _ => None,
    })
    .await;
    assert_eq!(waiting[0].chat_id, chat.chat_id);
    assert_eq!(waiting[0].customer, "Ann");
    assert_eq!(waiting[0].state, ChatState::Waiting);
    customer.send(&send("Hello, I need help")).await;
    let first = customer_message(&mut customer).await;
    assert_eq!((first.seq, first.sender), (1, ChatSender::Customer));
    agent
        .send(&AgentToChat::Accept(ChatRef {
            chat_id: chat.chat_id.clone(),
        }))
        .await;
    match customer.recv().await {
        ChatToCustomer::AgentJoined(j) => assert_eq!(j.agent, AGENT1),
        other => panic!("expected agentJoined, got {other:?}"),
    }
    let conversation = agent_until(&mut agent, |m| match m {
        ChatToAgent::Conversation(c) => Some(c),
        _ => None,
    })
    .await;
    assert_eq!(conversation.chat.state, ChatState::Active);
    assert_eq!(conversation.history, vec![first]);

    // Messages in order, both ways, with sender and time.
    agent
        .send(&AgentToChat::Send(AgentChatSend {
            chat_id: chat.chat_id.clone(),
            text: "Hi Ann".into(),
        }))
        .await;
    let reply = customer_message(&mut customer).await;
    assert_eq!(
        (reply.seq, reply.sender, reply.name.as_str()),
        (2, ChatSender::Agent, AGENT1)
    );
    assert!(reply.at > 1_700_000_000_000);
    for n in 0..5 {
        customer.send(&send(&format!("line {n}"))).await;
    }
    let mut seqs = Vec::new();
    while seqs.len() < 6 {
        if let ChatToAgent::Message(m) = agent.recv().await {
            seqs.push((m.message.seq, m.message.text));
        }
    }
    assert_eq!(seqs[0], (2, "Hi Ann".to_owned()));
    for (i, (seq, text)) in seqs[1..].iter().enumerate() {
        assert_eq!(
            (*seq, text.as_str()),
            (3 + i as u32, format!("line {i}").as_str())
        );
    }

    // A reconnecting customer (next page) gets the whole history.
    let mut again = ChatCustomer::connect(&chat.socket_url, &[]).await;
    again.send(&chat_hello(&chat, &chat.secret)).await;
    match again.recv().await {
        ChatToCustomer::Welcome(w) => {
            assert_eq!(w.state, ChatState::Active);
            assert_eq!(w.history.len(), 7);
            assert_eq!(w.agent.as_deref(), Some(AGENT1));
        }
        other => panic!("expected welcome, got {other:?}"),
    }
    // The old socket was replaced.
    let (frame, _) = customer.until_closed().await;
    assert_eq!(u16::from(frame.unwrap().code), 4000);
    let mut customer = again;

    // `{start:TOKEN}` of a live co-browse session links it; the agent's copy says so.
    let (session, mut cobrowse_customer) = server.customer().await;
    customer
        .send(&send(&format!("{{start:{}}}", session.token.as_str())))
        .await;
    let start = agent_until(&mut agent, |m| match m {
        ChatToAgent::Message(m) => Some(m.message),
        _ => None,
    })
    .await;
    assert_eq!(start.cobrowse.as_ref(), Some(&session.token));
    // A `{start:…}` of no live session is plain text.
    customer.send(&send("{start:000000001}")).await;
    let plain = agent_until(&mut agent, |m| match m {
        ChatToAgent::Message(m) => Some(m.message),
        _ => None,
    })
    .await;
    assert_eq!(plain.cobrowse, None);

    // The conversation is stored while the chat lives.
    let store = SqliteStore::open(server.data_dir()).await.unwrap();
    assert_eq!(store.chat_history(&chat.chat_id).await.unwrap().len(), 9);

    // The agent ends the chat: both told, the customer's socket closed, the linked session ended.
    agent
        .send(&AgentToChat::End(ChatRef {
            chat_id: chat.chat_id.clone(),
        }))
        .await;
    let seen = customer.expect_close(1000, "chatEnded").await;
    assert!(
        seen.iter().any(
            |m| matches!(m, ChatToCustomer::ChatEnded(e) if e.reason == ChatEndReason::AgentEnded)
        ),
        "{seen:?}"
    );
    agent_until(&mut agent, |m| match m {
        ChatToAgent::ChatEnded(e) if e.chat_id == chat.chat_id => Some(()),
        _ => None,
    })
    .await;
    let ended = cobrowse_customer.expect_close(1000, "sessionEnded").await;
    assert!(
        ended.contains(&customer_ended(EndReason::EndedByIntegration)),
        "{ended:?}"
    );
    // The conversation is gone.
    assert!(store.chat_history(&chat.chat_id).await.unwrap().is_empty());
    // And the chat cannot be joined again.
    let mut late = ChatCustomer::connect(&chat.socket_url, &[]).await;
    late.send(&chat_hello(&chat, &chat.secret)).await;
    late.expect_close(1008, "notFound").await;
    server.stop().await;
}

#[tokio::test]
async fn bad_input_is_refused_and_the_chat_goes_on() {
    let server = TestServer::start().await;
    // Origins.
    let response = server
        .http
        .post(server.url("/cobrowse/rest/chats"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let response = server
        .http
        .post(server.url("/cobrowse/rest/chats"))
        .header("origin", server.origin())
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(
        try_connect(
            &server.ws_url("/cobrowse/ws/chat/agent"),
            &[("origin", &server.origin())]
        )
        .await
        .err(),
        Some(http_status(401))
    );

    // Wrong secret: fatal. Right secret afterwards still works.
    let chat = open_chat(&server, "").await;
    let mut wrong = ChatCustomer::connect(&chat.socket_url, &[]).await;
    wrong.send(&chat_hello(&chat, "nope")).await;
    wrong.expect_close(1008, "unauthenticated").await;
    let mut customer = chat_customer(&server, &chat).await;

    // Garbage, binary, oversized and empty texts: errors, socket and chat kept.
    customer.send_text("{\"type\":\"dance\"}").await;
    assert!(
        matches!(customer.recv().await, ChatToCustomer::Error(e) if e.code == ErrorCode::BadMessage)
    );
    customer.send_binary(vec![1, 2, 3]).await;
    assert!(
        matches!(customer.recv().await, ChatToCustomer::Error(e) if e.code == ErrorCode::UnexpectedMessage)
    );
    customer.send(&send(&"x".repeat(2001))).await;
    assert!(
        matches!(customer.recv().await, ChatToCustomer::Error(e) if e.code == ErrorCode::BadMessage)
    );
    customer.send(&send("   ")).await;
    assert!(
        matches!(customer.recv().await, ChatToCustomer::Error(e) if e.code == ErrorCode::BadMessage)
    );
    let ok = customer_message(&mut {
        customer.send(&send("still here")).await;
        customer
    })
    .await;
    assert_eq!(ok.seq, 1);

    // Another agent cannot write into someone else's chat.
    let cookie1 = server.login(AGENT1).await;
    let cookie2 = server.login(AGENT2).await;
    let mut agent1 = chat_agent(&server, &cookie1).await;
    let mut agent2 = chat_agent(&server, &cookie2).await;
    agent1
        .send(&AgentToChat::Accept(ChatRef {
            chat_id: chat.chat_id.clone(),
        }))
        .await;
    agent_until(&mut agent1, |m| {
        matches!(m, ChatToAgent::Conversation(_)).then_some(())
    })
    .await;
    agent2
        .send(&AgentToChat::Send(AgentChatSend {
            chat_id: chat.chat_id.clone(),
            text: "mine now".into(),
        }))
        .await;
    let refused = agent_until(&mut agent2, |m| match m {
        ChatToAgent::Error(e) => Some(e),
        _ => None,
    })
    .await;
    assert_eq!(refused.code, ErrorCode::Forbidden);
    agent2
        .send(&AgentToChat::Accept(ChatRef {
            chat_id: chat.chat_id.clone(),
        }))
        .await;
    let taken = agent_until(&mut agent2, |m| match m {
        ChatToAgent::Error(e) => Some(e),
        _ => None,
    })
    .await;
    assert_eq!(taken.code, ErrorCode::SessionTaken);

    // A flood is cut by the rate limit (the burst goes through, then rateLimited).
    let mut limited = false;
    for n in 0..40 {
        agent1
            .send(&AgentToChat::Send(AgentChatSend {
                chat_id: chat.chat_id.clone(),
                text: format!("flood {n}"),
            }))
            .await;
    }
    for _ in 0..40 {
        if let ChatToAgent::Error(e) = agent1.recv().await {
            assert_eq!(e.code, ErrorCode::RateLimited);
            limited = true;
            break;
        }
    }
    assert!(limited, "40 messages at once must hit the rate limit");
    server.stop().await;
}

fn http_status(code: u16) -> tokio_tungstenite::tungstenite::http::StatusCode {
    tokio_tungstenite::tungstenite::http::StatusCode::from_u16(code).unwrap()
}

#[tokio::test]
async fn chats_per_address_are_limited_and_left_chats_end() {
    let server = TestServer::start_with(|c| c.customer_grace = Duration::from_millis(300)).await;
    let mut chats = Vec::new();
    for _ in 0..10 {
        chats.push(open_chat(&server, "x").await);
    }
    let response = server
        .http
        .post(server.url("/cobrowse/rest/chats"))
        .header("origin", server.origin())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rateLimited");

    // A chat whose customer never connects ends after the grace period, and makes room.
    let cookie = server.login(AGENT1).await;
    let mut agent = chat_agent(&server, &cookie).await;
    agent_until(&mut agent, |m| match m {
        ChatToAgent::Chats(l) if l.waiting.is_empty() => Some(()),
        _ => None,
    })
    .await;
    let chat = open_chat(&server, "late").await;
    let customer = chat_customer(&server, &chat).await;
    customer.close().await;
    agent_until(&mut agent, |m| match m {
        ChatToAgent::Chats(l) if l.waiting.is_empty() => Some(()),
        _ => None,
    })
    .await;
    server.stop().await;
}
