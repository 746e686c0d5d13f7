//! Messages of the interactive session: both parties' mouse pointers, the Pointer/Write mode and the
//! customer's consent, the agent's input performed by the customer's browser, and navigation by the
//! agent. The customer's browser is the authority: it drops input that arrives outside Write Mode
//! or targets a node it does not know, whatever the server sends; the server drops it too.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A DOM node id of the customer's capture mirror (see docs/PROTOCOL.md, "DOM frames").
pub type NodeId = u32;

/// A point in the customer's document, in CSS pixels from the top-left corner of the document (not
/// of the viewport), so that it stays on the same content when either side scrolls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PagePoint {
    pub x: i32,
    pub y: i32,
}

/// Who may act on the page. Every session starts in `pointer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Mode {
    /// The agent can only point (and mark a spot with a click).
    #[default]
    Pointer,
    /// The customer allowed the agent to click, type and navigate, performed by the customer's
    /// browser.
    Write,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ModeChanged {
    pub mode: Mode,
}

/// The customer's answer to a Write Mode request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ModeResponse {
    pub allow: bool,
}

/// Keyboard modifier state of a key event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Modifiers {
    pub shift: bool,
    pub ctrl: bool,
    pub alt: bool,
    pub meta: bool,
}

/// One action of the agent on the replica, to be performed by the customer's browser on the real
/// element (Write Mode only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum AgentInput {
    /// A click on `target` at `point`.
    Click { target: NodeId, point: PagePoint },
    /// A key press on the focused `target`: printable keys insert text, and Enter, Tab, Backspace,
    /// Delete and the arrow keys do what they do in a browser.
    Key {
        target: NodeId,
        key: String,
        code: String,
        modifiers: Modifiers,
    },
    /// The value of an input, textarea or select was set (paste, autofill, select change).
    SetValue { target: NodeId, value: String },
    /// A checkbox or radio button was checked or unchecked.
    SetChecked { target: NodeId, checked: bool },
    /// `target` received focus.
    Focus { target: NodeId },
    /// `target` (the document: id 1) was scrolled to `point`.
    Scroll { target: NodeId, point: PagePoint },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AgentInputMessage {
    pub input: AgentInput,
}

/// What navigation the agent asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum NavCommand {
    Back,
    Forward,
    Refresh,
    Url,
}

/// A navigation of the customer's tab, asked by the agent (Write Mode only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Navigate {
    pub command: NavCommand,
    /// The absolute URL, only with `command: "url"`; it must belong to an allowed origin.
    pub url: Option<String>,
}

/// A navigation could not happen (no history in that direction, URL not allowed or missing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NavigationFailed {
    pub command: NavCommand,
    /// Human-readable English explanation.
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_is_tagged_by_kind_with_camel_case_fields() {
        let m = AgentInputMessage {
            input: AgentInput::SetChecked {
                target: 7,
                checked: true,
            },
        };
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"input":{"kind":"setChecked","target":7,"checked":true}}"#
        );
        let key = r#"{"kind":"key","target":3,"key":"a","code":"KeyA","modifiers":{"shift":false,"ctrl":false,"alt":false,"meta":false}}"#;
        assert!(matches!(
            serde_json::from_str::<AgentInput>(key).unwrap(),
            AgentInput::Key { target: 3, .. }
        ));
    }

    #[test]
    fn navigate_without_url() {
        let n: Navigate = serde_json::from_str(r#"{"command":"back","url":null}"#).unwrap();
        assert_eq!(n.command, NavCommand::Back);
    }
}
