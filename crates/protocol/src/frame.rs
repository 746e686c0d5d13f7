//! The header of binary DOM frames. The server reads only this header (to validate, to know a
//! full snapshot from an incremental batch during a resync); the payload is opaque to it.
//!
//! Layout (12 bytes, integers big-endian):
//!
//! | offset | size | field                                                        |
//! |--------|------|--------------------------------------------------------------|
//! | 0      | 1    | frame format version, `1`                                    |
//! | 1      | 1    | kind: `1` full snapshot, `2` incremental batch               |
//! | 2      | 1    | flags: bit 0 = payload is deflate-raw compressed; others `0` |
//! | 3      | 1    | reserved, `0`                                                |
//! | 4      | 4    | sequence number                                              |
//! | 8      | 4    | length of the payload once decompressed                      |

/// Length of the header in bytes.
pub const FRAME_HEADER_LEN: usize = 12;
/// The only frame format version.
pub const FRAME_VERSION: u8 = 1;
/// Flag bit: the payload is compressed with deflate-raw (RFC 1951).
pub const FLAG_DEFLATE: u8 = 0b0000_0001;

/// What a frame's payload holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameKind {
    /// A full snapshot of the page: replaces everything the viewer had.
    Full,
    /// A batch of operations on the last snapshot.
    Incremental,
}

/// A parsed frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameHeader {
    pub kind: FrameKind,
    pub flags: u8,
    pub seq: u32,
    pub raw_len: u32,
}

/// Why a binary frame was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("frame shorter than its {FRAME_HEADER_LEN}-byte header")]
    TooShort,
    #[error("unknown frame format version {0}")]
    Version(u8),
    #[error("unknown frame kind {0}")]
    Kind(u8),
    #[error("unknown flag bits {0:#04x}")]
    Flags(u8),
    #[error("reserved byte is not zero")]
    Reserved,
}

impl FrameHeader {
    /// Parses the header at the start of `bytes`.
    pub fn parse(bytes: &[u8]) -> Result<Self, FrameError> {
        let Some(h) = bytes.get(..FRAME_HEADER_LEN) else {
            return Err(FrameError::TooShort);
        };
        if h[0] != FRAME_VERSION {
            return Err(FrameError::Version(h[0]));
        }
        let kind = match h[1] {
            1 => FrameKind::Full,
            2 => FrameKind::Incremental,
            k => return Err(FrameError::Kind(k)),
        };
        if h[2] & !FLAG_DEFLATE != 0 {
            return Err(FrameError::Flags(h[2]));
        }
        if h[3] != 0 {
            return Err(FrameError::Reserved);
        }
        Ok(Self {
            kind,
            flags: h[2],
            seq: u32::from_be_bytes([h[4], h[5], h[6], h[7]]),
            raw_len: u32::from_be_bytes([h[8], h[9], h[10], h[11]]),
        })
    }

    /// Encodes the header (used by test clients and tools; browsers build it in TypeScript).
    pub fn encode(&self) -> [u8; FRAME_HEADER_LEN] {
        let mut h = [0u8; FRAME_HEADER_LEN];
        h[0] = FRAME_VERSION;
        h[1] = match self.kind {
            FrameKind::Full => 1,
            FrameKind::Incremental => 2,
        };
        h[2] = self.flags;
        h[4..8].copy_from_slice(&self.seq.to_be_bytes());
        h[8..12].copy_from_slice(&self.raw_len.to_be_bytes());
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let h = FrameHeader {
            kind: FrameKind::Incremental,
            flags: FLAG_DEFLATE,
            seq: 0x0102_0304,
            raw_len: 77,
        };
        assert_eq!(FrameHeader::parse(&h.encode()), Ok(h));
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(FrameHeader::parse(&[1, 1, 0]), Err(FrameError::TooShort));
        let mut b = FrameHeader {
            kind: FrameKind::Full,
            flags: 0,
            seq: 0,
            raw_len: 0,
        }
        .encode();
        b[0] = 9;
        assert_eq!(FrameHeader::parse(&b), Err(FrameError::Version(9)));
        b[0] = 1;
        b[1] = 3;
        assert_eq!(FrameHeader::parse(&b), Err(FrameError::Kind(3)));
        b[1] = 1;
        b[2] = 2;
        assert_eq!(FrameHeader::parse(&b), Err(FrameError::Flags(2)));
        b[2] = 0;
        b[3] = 1;
        assert_eq!(FrameHeader::parse(&b), Err(FrameError::Reserved));
    }
}
