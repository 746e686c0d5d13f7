//! The interactive part of a session: both pointers, the Pointer/Write mode with the customer's
//! consent, agent input and navigation.
//!
//! Owns the transitions of `Session::mode` and `Session::write_request_pending`
//! (docs/PROTOCOL.md, "Modes and consent"):
//! - `pointer` + agent `requestWriteMode` → pending, customer `modeUpgradeRequested` (a request
//!   while one is pending, or in `write` mode, is ignored);
//! - pending + customer `modeResponse {allow: true}` → `write`, both told `modeChanged`;
//!   `{allow: false}` → agent `modeRequestDeclined`; an answer with nothing pending is ignored;
//! - `write` + customer `downgradeMode` → `pointer`, both told;
//! - agent socket lost → `pointer`, the customer told `modeChanged {pointer}` (also when only a
//!   request was pending, so that its consent dialog closes).
//!
//! Agent `input` and `navigate` are forwarded only in `write` mode; otherwise the agent gets the
//! non-fatal error `notInWriteMode` and the customer nothing. Pointer traffic is lossy: it is
//! skipped, never a reason to drop a socket, when the receiving control channel is half full (the
//! next move supersedes it). Called by the session loop in `actor/mod.rs`.

use super::Session;
use crate::session::{AgentAction, AgentNavigate, CustomerAction, Outbound, SocketLink};
use cobrowse_protocol::{
    AgentInputMessage, ErrorCode, ErrorMessage, Mode, ModeChanged, NavCommand, Navigate,
    NavigationFailed, ServerToAgent, ServerToCustomer,
};
use serde::Serialize;

impl Session {
    pub(super) fn on_customer_action(&mut self, action: CustomerAction) {
        match action {
            CustomerAction::Pointer(point) => {
                self.send_agent_lossy(&ServerToAgent::CustomerPointer(point));
            }
            CustomerAction::PointerLeave => {
                self.send_agent_lossy(&ServerToAgent::CustomerPointerLeave);
            }
            CustomerAction::ModeResponse { allow } => {
                if !self.write_request_pending {
                    return;
                }
                self.write_request_pending = false;
                if allow {
                    tracing::info!("write mode allowed by the customer");
                    self.set_mode(Mode::Write);
                } else {
                    tracing::info!("write mode declined by the customer");
                    self.send_agent(&ServerToAgent::ModeRequestDeclined);
                }
            }
            CustomerAction::DowngradeMode => match self.mode {
                Mode::Write => {
                    tracing::info!("write mode revoked by the customer");
                    self.set_mode(Mode::Pointer);
                }
                Mode::Pointer => {}
            },
            CustomerAction::NavigationFailed(failed) => {
                self.send_agent(&ServerToAgent::NavigationFailed(*failed));
            }
        }
    }

    pub(super) fn on_agent_action(&mut self, action: AgentAction) {
        match action {
            AgentAction::Pointer(point) => {
                self.send_customer_lossy(&ServerToCustomer::AgentPointer(point));
            }
            AgentAction::PointerLeave => {
                self.send_customer_lossy(&ServerToCustomer::AgentPointerLeave);
            }
            AgentAction::Mark(point) => {
                self.send_customer_lossy(&ServerToCustomer::AgentMark(point));
            }
            AgentAction::RequestWriteMode => match self.mode {
                Mode::Pointer if !self.write_request_pending => {
                    tracing::info!("write mode requested by the agent");
                    self.write_request_pending = true;
                    // Without a customer socket now, the customer is asked when it comes back
                    // (see `on_customer_hello`).
                    self.send_customer(&ServerToCustomer::ModeUpgradeRequested);
                }
                // A duplicate while pending, or already in Write Mode: nothing to ask.
                Mode::Pointer | Mode::Write => {}
            },
            AgentAction::Input(input) => match self.mode {
                Mode::Write => self.send_input(*input),
                Mode::Pointer => self.not_in_write_mode("input"),
            },
            AgentAction::Navigate(request) => match self.mode {
                Mode::Write => {
                    let AgentNavigate { navigate, refusal } = *request;
                    self.navigate(navigate, refusal);
                }
                Mode::Pointer => self.not_in_write_mode("navigate"),
            },
        }
    }

    fn navigate(&mut self, navigate: Navigate, refusal: Option<String>) {
        let Navigate { command, url } = navigate;
        let url = match command {
            NavCommand::Url => match (url, refusal) {
                (Some(url), None) => Some(url),
                (Some(_), Some(reason)) => return self.navigation_failed(command, reason),
                (None, _) => {
                    return self.navigation_failed(command, "`url` is missing".to_owned());
                }
            },
            // The URL only means something with `command: "url"`.
            NavCommand::Back | NavCommand::Forward | NavCommand::Refresh => None,
        };
        self.send_customer(&ServerToCustomer::Navigate(Navigate { command, url }));
    }

    /// A navigation refused here: the agent is told why, and the customer's page is told that a
    /// navigation failed (never the refused URL) so that it fires `onNavigationFailed`.
    fn navigation_failed(&mut self, command: NavCommand, reason: String) {
        let failed = NavigationFailed { command, reason };
        self.send_customer(&ServerToCustomer::NavigationRefused(failed.clone()));
        self.send_agent(&ServerToAgent::NavigationFailed(failed));
    }

    fn not_in_write_mode(&mut self, what: &str) {
        self.send_agent(&ServerToAgent::Error(ErrorMessage {
            code: ErrorCode::NotInWriteMode,
            message: format!("`{what}` is only allowed in Write Mode; dropped"),
        }));
    }

    /// Sets the mode and tells both parties.
    fn set_mode(&mut self, mode: Mode) {
        self.mode = mode;
        let changed = ModeChanged { mode };
        self.send_customer(&ServerToCustomer::ModeChanged(changed));
        self.send_agent(&ServerToAgent::ModeChanged(changed));
    }

    /// The agent's socket is gone (closed, dead or dropped): back to Pointer Mode.
    pub(super) fn agent_lost_for_interaction(&mut self) {
        let pending = std::mem::take(&mut self.write_request_pending);
        if pending || self.mode == Mode::Write {
            self.mode = Mode::Pointer;
            self.send_customer(&ServerToCustomer::ModeChanged(ModeChanged {
                mode: Mode::Pointer,
            }));
        }
    }

    /// Agent input for the customer, held back while the customer's control channel is three
    /// quarters full: an agent (or a forged client) flooding input cannot make the session drop the
    /// customer's socket. The agent is told that input was dropped.
    fn send_input(&mut self, input: AgentInputMessage) {
        let Some(link) = &self.customer else {
            return;
        };
        if link.control.capacity() <= link.control.max_capacity() / 4 {
            self.send_agent_lossy(&ServerToAgent::Error(ErrorMessage {
                code: ErrorCode::RateLimited,
                message: "the customer's page is not keeping up; input dropped".to_owned(),
            }));
            return;
        }
        self.send_customer(&ServerToCustomer::AgentInput(input));
    }

    fn send_customer_lossy(&self, message: &ServerToCustomer) {
        if let Some(link) = &self.customer {
            send_lossy(link, message);
        }
    }

    fn send_agent_lossy(&self, message: &ServerToAgent) {
        if let Some(conn) = self.agent_conn() {
            send_lossy(&conn.link.socket, message);
        }
    }
}

/// Queues a pointer message unless the socket's control channel is half full: pointer moves are
/// superseded by the next one, and the other half stays free for messages that matter.
fn send_lossy(link: &SocketLink, message: &impl Serialize) {
    if link.control.capacity() <= link.control.max_capacity() / 2 {
        return;
    }
    match serde_json::to_string(message) {
        Ok(text) => {
            // Full or closed: the message is skipped; the socket is handled by other sends.
            let _ = link.control.try_send(Outbound::Text(text));
        }
        Err(e) => tracing::error!(error = %e, "cannot serialise a message"),
    }
}
