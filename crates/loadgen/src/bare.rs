//! The baseline: a bare tokio-tungstenite relay. One listener; a socket opened at
//! `/pair/{id}/c` (customer) and one at `/pair/{id}/a` (agent) make a pair, and every binary
//! message from the customer is forwarded to the agent. Default `WebSocketConfig` (the settings
//! axum's `WebSocketUpgrade` uses unless told otherwise), no authentication, no parsing, no
//! queue: the physical limit of a relay written with the same libraries on the same machine.
//! Run in a process of its own (`cobrowse-loadgen bare-relay`) so that its CPU time and memory are
//! read from `/proc` like the server's.

use futures_util::{SinkExt, StreamExt};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};

type Waiting = HashMap<String, (char, WebSocketStream<TcpStream>)>;

/// Accepts sockets until the process ends.
pub async fn serve(listener: TcpListener) -> anyhow::Result<()> {
    // Mutex: the first socket of each pair waits here for its partner; held only to insert or
    // take, never across an await.
    let waiting: Arc<Mutex<Waiting>> = Arc::default();
    loop {
        let (stream, _) = listener.accept().await?;
        let waiting = waiting.clone();
        tokio::spawn(async move {
            let _ = stream.set_nodelay(true);
            let mut path = String::new();
            // The callback's error type is tungstenite's (a whole HTTP response); it never fails.
            #[allow(clippy::result_large_err)]
            let ws = tokio_tungstenite::accept_hdr_async(
                stream,
                |request: &Request, response: Response| {
                    path = request.uri().path().to_owned();
                    Ok(response)
                },
            )
            .await;
            let Ok(ws) = ws else { return };
            let Some((id, role)) = parse(&path) else {
                return;
            };
            let partner = {
                let mut waiting = waiting
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                match waiting.remove(&id) {
                    Some(partner) => Some(partner),
                    None => {
                        waiting.insert(id, (role, ws));
                        return;
                    }
                }
            };
            if let Some((partner_role, partner)) = partner {
                let (customer, agent) = if role == 'c' && partner_role == 'a' {
                    (ws, partner)
                } else {
                    (partner, ws)
                };
                relay(customer, agent).await;
            }
        });
    }
}

fn parse(path: &str) -> Option<(String, char)> {
    let rest = path.strip_prefix("/pair/")?;
    let (id, role) = rest.rsplit_once('/')?;
    match role {
        "c" => Some((id.to_owned(), 'c')),
        "a" => Some((id.to_owned(), 'a')),
        _ => None,
    }
}

/// Forwards the customer's binary messages to the agent until either side closes.
async fn relay(customer: WebSocketStream<TcpStream>, agent: WebSocketStream<TcpStream>) {
    let (mut customer_tx, mut customer_rx) = customer.split();
    let (mut agent_tx, mut agent_rx) = agent.split();
    let forward = async {
        while let Some(Ok(message)) = customer_rx.next().await {
            match message {
                Message::Binary(_) => {
                    if agent_tx.send(message).await.is_err() {
                        break;
                    }
                }
                Message::Close(_) => break,
                Message::Text(_) | Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => {}
            }
        }
    };
    // The agent sends nothing; reading its socket answers its pings and sees its close.
    let agent_side = async { while let Some(Ok(_)) = agent_rx.next().await {} };
    tokio::select! {
        () = forward => {}
        () = agent_side => {}
    }
    let _ = customer_tx.close().await;
    let _ = agent_tx.close().await;
}
