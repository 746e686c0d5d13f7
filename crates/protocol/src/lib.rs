//! The cobrowse wire protocol: typed control messages for each role and direction, identifiers,
//! error codes, the protocol version and the binary DOM frame header.
//!
//! This crate is pure data: no I/O, no async runtime. The server decodes only the enum of the role a
//! socket belongs to (`CustomerToServer` on a customer socket, `AgentToServer` on an agent socket),
//! so a message meant for the other role is a decoding error, never an accident. Every enum is
//! tagged by a string (`"type"`), never by declaration order, so adding a variant never changes
//! the meaning of an existing one.
//!
//! TypeScript types are generated from these definitions with ts-rs (`cargo test -p
//! cobrowse-protocol` writes them to `web/packages/protocol/src/generated/`) and committed; the test
//! command fails when the committed copy is stale. `docs/PROTOCOL.md` documents every message.

// Tests may unwrap: a panic there is a test failure with a backtrace, which is what we want.
#![cfg_attr(test, allow(clippy::unwrap_used))]

mod chat;
mod frame;
mod ids;
mod interaction;
mod messages;
mod rest;
mod restriction;

pub use chat::*;
pub use frame::{
    FLAG_DEFLATE, FRAME_HEADER_LEN, FRAME_VERSION, FrameError, FrameHeader, FrameKind,
    POINTER_MOVE_TAG, PointerMoveError, PointerMoves,
};
pub use ids::{SessionToken, TokenError};
pub use interaction::*;
pub use messages::*;
pub use rest::*;
pub use restriction::*;

/// Version of the control protocol. The first message on every socket carries it; the server closes
/// a socket whose version differs with [`ErrorCode::ProtocolVersion`].
pub const PROTOCOL_VERSION: u32 = 1;
