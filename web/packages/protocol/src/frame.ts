/**
 * Binary DOM frame codec (see docs/PROTOCOL.md, "DOM frames"). The Rust side of the header lives in
 * crates/protocol/src/frame.rs; both must agree byte for byte.
 *
 * Layout: 12-byte header (big-endian) then the payload, UTF-8 JSON, deflate-raw compressed when
 * flag bit 0 is set.
 */

export const FRAME_HEADER_LEN = 12;
export const FRAME_VERSION = 1;
export const FLAG_DEFLATE = 0b1;

export const FrameKind = { Full: 1, Incremental: 2 } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

export interface FrameHeader {
  kind: FrameKind;
  flags: number;
  seq: number;
  rawLen: number;
}

export function encodeHeader(h: FrameHeader, into: Uint8Array): void {
  const v = new DataView(into.buffer, into.byteOffset, FRAME_HEADER_LEN);
  v.setUint8(0, FRAME_VERSION);
  v.setUint8(1, h.kind);
  v.setUint8(2, h.flags);
  v.setUint8(3, 0);
  v.setUint32(4, h.seq >>> 0, false);
  v.setUint32(8, h.rawLen >>> 0, false);
}

export function decodeHeader(bytes: Uint8Array): FrameHeader | null {
  if (bytes.byteLength < FRAME_HEADER_LEN) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, FRAME_HEADER_LEN);
  const kind = v.getUint8(1);
  const flags = v.getUint8(2);
  if (v.getUint8(0) !== FRAME_VERSION || (kind !== 1 && kind !== 2)) return null;
  if ((flags & ~FLAG_DEFLATE) !== 0 || v.getUint8(3) !== 0) return null;
  return { kind: kind as FrameKind, flags, seq: v.getUint32(4, false), rawLen: v.getUint32(8, false) };
}

/**
 * Payloads at or above this many bytes are compressed. Smaller ones are left to the WebSocket's
 * own compression (`permessage-deflate`, negotiated by the customer socket with a 4 KiB window):
 * it compresses them against the messages before, which a payload compressed on its own cannot.
 */
export const COMPRESS_THRESHOLD = 4096;

async function pipeThrough(
  data: Uint8Array<ArrayBuffer>,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array<ArrayBuffer>> {
  const buf = await new Response(new Blob([data]).stream().pipeThrough(stream)).arrayBuffer();
  return new Uint8Array(buf);
}

/** Builds a frame: header + payload, compressing when large and `CompressionStream` exists. */
export async function encodeFrame(kind: FrameKind, seq: number, payload: unknown): Promise<Uint8Array<ArrayBuffer>> {
  const raw = new TextEncoder().encode(JSON.stringify(payload));
  let body = raw;
  let flags = 0;
  if (raw.byteLength >= COMPRESS_THRESHOLD && typeof CompressionStream === 'function') {
    body = await pipeThrough(raw, new CompressionStream('deflate-raw'));
    flags = FLAG_DEFLATE;
  }
  const out = new Uint8Array(FRAME_HEADER_LEN + body.byteLength);
  encodeHeader({ kind, flags, seq, rawLen: raw.byteLength }, out);
  out.set(body, FRAME_HEADER_LEN);
  return out;
}

/** Parses a frame; returns null when the header is invalid. */
export async function decodeFrame(bytes: Uint8Array<ArrayBuffer>): Promise<{ header: FrameHeader; payload: unknown } | null> {
  const header = decodeHeader(bytes);
  if (!header) return null;
  let body = bytes.subarray(FRAME_HEADER_LEN);
  if (header.flags & FLAG_DEFLATE) body = await pipeThrough(body, new DecompressionStream('deflate-raw'));
  return { header, payload: JSON.parse(new TextDecoder().decode(body)) };
}
