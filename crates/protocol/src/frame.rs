//! Binary messages of the customer socket: DOM frames, whose first byte is [`FRAME_VERSION`], and
//! pointer moves, whose first byte is [`POINTER_MOVE_TAG`].
//!
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

/// First byte of a pointer move: the customer's pointer as a binary message, `POINTER_MOVE_TAG`
/// then `dx` and `dy`, each a zigzag LEB128 varint (1 to 5 bytes), the move from the previous
/// pointer move of the same socket (from `(0, 0)` for its first). Three bytes for a usual move,
/// where the JSON `pointer` message costs about 34 (and, compressed by the socket, about 10
/// against 4: its coordinate digits do not compress). Coordinates add up modulo 2^32, so that
/// every move between two 32-bit points has its encoding. The server turns it into the agent's
/// `customerPointer {x, y}`.
pub const POINTER_MOVE_TAG: u8 = 0x70;

/// Why a pointer move was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PointerMoveError {
    #[error("a pointer move must start with {POINTER_MOVE_TAG:#04x}")]
    Tag,
    #[error("a pointer move ends inside a number")]
    Truncated,
    #[error("a number of a pointer move is longer than 5 bytes or over 32 bits")]
    Overlong,
    #[error("a pointer move has bytes after its two numbers")]
    Trailing,
}

/// The pointer of one socket, as its moves add up: decodes (or encodes) each pointer move
/// against the point before. One per socket; a new socket starts again from `(0, 0)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PointerMoves {
    last: crate::PagePoint,
}

impl PointerMoves {
    /// The point `bytes` (a whole pointer move) moves to. An invalid move changes nothing.
    pub fn decode(&mut self, bytes: &[u8]) -> Result<crate::PagePoint, PointerMoveError> {
        let Some((&POINTER_MOVE_TAG, rest)) = bytes.split_first() else {
            return Err(PointerMoveError::Tag);
        };
        let (dx, rest) = read_zigzag(rest)?;
        let (dy, rest) = read_zigzag(rest)?;
        if !rest.is_empty() {
            return Err(PointerMoveError::Trailing);
        }
        self.last = crate::PagePoint {
            x: self.last.x.wrapping_add(dx),
            y: self.last.y.wrapping_add(dy),
        };
        Ok(self.last)
    }

    /// The pointer move to `p` (used by test clients and tools; browsers build it in TypeScript).
    pub fn encode(&mut self, p: crate::PagePoint) -> Vec<u8> {
        let mut out = vec![POINTER_MOVE_TAG];
        for d in [p.x.wrapping_sub(self.last.x), p.y.wrapping_sub(self.last.y)] {
            let mut z = ((d << 1) ^ (d >> 31)) as u32;
            while z >= 0x80 {
                out.push((z as u8 & 0x7f) | 0x80);
                z >>= 7;
            }
            out.push(z as u8);
        }
        self.last = p;
        out
    }
}

/// A zigzag LEB128 varint of at most 5 bytes holding 32 bits, and what follows it.
fn read_zigzag(bytes: &[u8]) -> Result<(i32, &[u8]), PointerMoveError> {
    let mut z: u64 = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if i == 5 {
            return Err(PointerMoveError::Overlong);
        }
        z |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            let Ok(z) = u32::try_from(z) else {
                return Err(PointerMoveError::Overlong);
            };
            let d = ((z >> 1) as i32) ^ -((z & 1) as i32);
            return Ok((d, &bytes[i + 1..]));
        }
    }
    Err(PointerMoveError::Truncated)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PagePoint;

    #[test]
    fn pointer_moves_round_trip_as_deltas() {
        let points = [
            (523, 412),
            (560, 409),
            (-3, 0),
            (i32::MAX, i32::MIN),
            (0, 0),
            (64, -65),
        ];
        let (mut enc, mut dec) = (PointerMoves::default(), PointerMoves::default());
        for (x, y) in points {
            let bytes = enc.encode(PagePoint { x, y });
            assert_eq!(dec.decode(&bytes), Ok(PagePoint { x, y }), "{bytes:?}");
        }
        // A small move is three bytes: the tag and one byte per coordinate.
        let mut m = PointerMoves::default();
        m.encode(PagePoint { x: 500, y: 300 });
        assert_eq!(
            m.encode(PagePoint { x: 537, y: 290 }),
            vec![POINTER_MOVE_TAG, 74, 19]
        );
    }

    #[test]
    fn pointer_moves_refuse_garbage_and_keep_their_point() {
        let mut m = PointerMoves::default();
        assert_eq!(
            m.decode(&[POINTER_MOVE_TAG, 20, 40]),
            Ok(PagePoint { x: 10, y: 20 })
        );
        assert_eq!(m.decode(&[]), Err(PointerMoveError::Tag));
        assert_eq!(m.decode(&[1, 2, 2]), Err(PointerMoveError::Tag));
        assert_eq!(
            m.decode(&[POINTER_MOVE_TAG]),
            Err(PointerMoveError::Truncated)
        );
        assert_eq!(
            m.decode(&[POINTER_MOVE_TAG, 2, 0x80]),
            Err(PointerMoveError::Truncated)
        );
        assert_eq!(
            m.decode(&[POINTER_MOVE_TAG, 2, 2, 2]),
            Err(PointerMoveError::Trailing)
        );
        let six = [POINTER_MOVE_TAG, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0];
        assert_eq!(m.decode(&six), Err(PointerMoveError::Overlong));
        let over32 = [POINTER_MOVE_TAG, 0xff, 0xff, 0xff, 0xff, 0x7f, 0];
        assert_eq!(m.decode(&over32), Err(PointerMoveError::Overlong));
        assert_eq!(
            m.decode(&[POINTER_MOVE_TAG, 2, 0]),
            Ok(PagePoint { x: 11, y: 20 })
        );
    }

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
