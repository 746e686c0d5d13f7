/**
 * Binary messages of the customer socket: DOM frames (see docs/PROTOCOL.md, "DOM frames") and
 * pointer moves ("Pointers"). The Rust side lives in crates/protocol/src/frame.rs; both must agree
 * byte for byte.
 *
 * DOM frame layout: 12-byte header (big-endian) then the payload, UTF-8 JSON, deflate-raw
 * compressed when flag bit 0 is set.
 */

import type { PagePoint } from './generated/index';

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
 * own compression (`permessage-deflate`, negotiated by the customer socket with a 4 KiB window),
 * which runs in the browser's network process, off the page's main thread, and compresses them
 * against the messages before, which a payload compressed on its own cannot. Up to 16 KiB its
 * small window loses little (a 6 KB snapshot of the demo shop: 1,094 bytes against deflate-raw's
 * 1,085; a 12 KB one of the Bootstrap docs: 2,113 against 2,031), while a `CompressionStream`
 * costs the page's main thread about 0.3 ms per frame; larger payloads compress much better with
 * deflate's 32 KiB window (104 KB of the Markdown docs: 8.1 KiB against 11.3).
 */
export const COMPRESS_THRESHOLD = 16 * 1024;

/** `data` through a (de)compression stream, written and read by hand (no `Blob`/`Response` round trip). */
async function pipeThrough(
  data: Uint8Array<ArrayBuffer>,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array<ArrayBuffer>> {
  const writer = stream.writable.getWriter();
  const ignore = () => {};
  writer.write(data).catch(ignore);
  writer.close().catch(ignore);
  return concat(await readAll(stream.readable.getReader()));
}

async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<Uint8Array<ArrayBuffer>[]> {
  const out: Uint8Array<ArrayBuffer>[] = [];
  for (;;) {
    const r = await reader.read();
    if (r.done) return out;
    out.push(r.value as Uint8Array<ArrayBuffer>);
  }
}

/** The chunks one after the other, after `FRAME_HEADER_LEN` free bytes when `header`. */
function concat(chunks: Uint8Array<ArrayBuffer>[], header = 0): Uint8Array<ArrayBuffer> {
  if (header === 0 && chunks.length === 1) return chunks[0] as Uint8Array<ArrayBuffer>;
  let size = header;
  for (const b of chunks) size += b.byteLength;
  const out = new Uint8Array(size);
  let at = header;
  for (const b of chunks) {
    out.set(b, at);
    at += b.byteLength;
  }
  return out;
}

/** How to build a large frame in parts (`encodeFrameParts`). */
export interface PartOptions {
  /**
   * Objects and arrays whose JSON is written member by member (and, inside such an object, its
   * arrays element by element), so that no single `JSON.stringify` call writes all of a large tree.
   */
  readonly split?: ReadonlySet<object>;
  /**
   * Asked after every part of about `PART_CHARS` characters (text encoded, handed to the
   * compressor): `null` to go on at once, or a promise to wait for (the caller yields to the event
   * loop) that resolves to false to give the frame up (`encodeFrameParts` then resolves to null).
   */
  readonly pause?: () => Promise<boolean> | null;
  /** Writes one value as JSON (default `JSON.stringify`; the SDK's guards a patched page's `toJSON`). */
  readonly stringify?: (value: unknown) => string | undefined;
}

/** JSON text is encoded and compressed in parts of about this many characters. */
const PART_CHARS = 32 * 1024;

/** The JSON text of `value` in parts (see `PartOptions.split`); the same text as `JSON.stringify`'s, keys in their order. */
function* jsonParts(value: unknown, split: ReadonlySet<object>, stringify: (v: unknown) => string | undefined): Generator<string> {
  /** Open containers: the value, its keys (null for an array), the next member, members written. */
  const stack: { v: unknown; keys: string[] | null; i: number; n: number }[] = [];
  let next: unknown = value;
  let has = true;
  let prefix = '';
  for (;;) {
    if (has) {
      has = false;
      const parent = stack[stack.length - 1];
      if (typeof next === 'object' && next !== null && (split.has(next) || (Array.isArray(next) && parent?.keys != null))) {
        const arr = Array.isArray(next);
        stack.push({ v: next, keys: arr ? null : Object.keys(next), i: 0, n: 0 });
        yield prefix + (arr ? '[' : '{');
      } else {
        yield prefix + (stringify(next) ?? 'null');
      }
    }
    const top = stack[stack.length - 1];
    if (top === undefined) return;
    if (top.keys === null) {
      const a = top.v as unknown[];
      if (top.i < a.length) {
        prefix = top.i > 0 ? ',' : '';
        next = a[top.i++];
        has = true;
        continue;
      }
    } else {
      while (top.i < top.keys.length) {
        const k = top.keys[top.i++] as string;
        const x = (top.v as Record<string, unknown>)[k];
        if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
        prefix = (top.n++ > 0 ? ',' : '') + JSON.stringify(k) + ':';
        next = x;
        has = true;
        break;
      }
      if (has) continue;
    }
    stack.pop();
    yield top.keys === null ? ']' : '}';
  }
}

/** A deflate-raw compressor fed chunk by chunk, its output collected as it comes. */
function compressor(): { write(b: Uint8Array<ArrayBuffer>): Promise<void>; end(): Promise<Uint8Array<ArrayBuffer>[]>; abort(): void } {
  const cs = new CompressionStream('deflate-raw');
  const writer = cs.writable.getWriter();
  const reader = cs.readable.getReader();
  const read = readAll(reader);
  read.catch(() => {});
  const ignore = () => {};
  return {
    // Resolves once the chunk went through deflate (which runs on this thread).
    write: (b) => writer.write(b).catch(ignore),
    end: async () => {
      await writer.close();
      return read;
    },
    abort: () => void writer.abort().catch(ignore),
  };
}

/**
 * The UTF-8 bytes of `text`. `encodeInto` a buffer of the text's length first (exact for ASCII, as
 * JSON mostly is), the rest, if any, into one of its worst case (3 bytes per UTF-16 unit): in
 * Chromium several times faster than `encode` on large texts (0.5 against 2.5 ms for 450 KB).
 */
function utf8(encoder: TextEncoder, text: string): Uint8Array<ArrayBuffer> {
  const head = new Uint8Array(text.length);
  const { read, written } = encoder.encodeInto(text, head);
  if (read === text.length) return written === head.length ? head : head.subarray(0, written);
  const tail = new Uint8Array((text.length - read) * 3);
  const rest = encoder.encodeInto(text.slice(read), tail);
  return concat([head.subarray(0, written), tail.subarray(0, rest.written)]);
}

/**
 * Builds a frame: header + payload, compressing when large and `CompressionStream` exists. A frame
 * that is not compressed is returned at once (the JSON written, encoded and framed in this call:
 * a small frame costs its sender no promise hops); a compressed one as a promise. `stringify`:
 * as `PartOptions.stringify`.
 */
export function encodeFrame(
  kind: FrameKind,
  seq: number,
  payload: unknown,
  stringify: (value: unknown) => string | undefined = JSON.stringify,
): Uint8Array<ArrayBuffer> | Promise<Uint8Array<ArrayBuffer>> {
  const raw = utf8(new TextEncoder(), stringify(payload) ?? 'null');
  if (raw.byteLength >= COMPRESS_THRESHOLD && typeof CompressionStream === 'function') return compressedFrame(kind, seq, raw);
  const out = concat([raw], FRAME_HEADER_LEN);
  encodeHeader({ kind, flags: 0, seq, rawLen: raw.byteLength }, out);
  return out;
}

/** The frame of payload bytes `raw`, compressed. */
async function compressedFrame(kind: FrameKind, seq: number, raw: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const zip = compressor();
  void zip.write(raw);
  const out = concat(await zip.end(), FRAME_HEADER_LEN);
  encodeHeader({ kind, flags: FLAG_DEFLATE, seq, rawLen: raw.byteLength }, out);
  return out;
}

/**
 * `encodeFrame` for large payloads, in parts: the JSON is written, encoded and compressed a part
 * at a time (`PartOptions`), with `pause` asked between parts, so that no single task does all of
 * a multi-megabyte frame. The bytes are the same as `encodeFrame`'s (compressed ones may differ
 * in how deflate split its blocks). Null when `pause` gave the frame up.
 */
export async function encodeFrameParts(
  kind: FrameKind,
  seq: number,
  payload: unknown,
  opts: PartOptions = {},
): Promise<Uint8Array<ArrayBuffer> | null> {
  const stringify = opts.stringify ?? JSON.stringify;
  const encoder = new TextEncoder();
  const canCompress = typeof CompressionStream === 'function';
  let raw: Uint8Array<ArrayBuffer>[] = [];
  let rawLen = 0;
  let zip: ReturnType<typeof compressor> | null = null;
  let text = '';
  /** Encodes `text`; compressed (awaited: deflate's time counts in the slice) once large enough. */
  const encode = async () => {
    const b = utf8(encoder, text);
    text = '';
    rawLen += b.byteLength;
    if (zip !== null) return zip.write(b);
    raw.push(b);
    if (rawLen < COMPRESS_THRESHOLD || !canCompress) return;
    zip = compressor();
    let last: Promise<void> | undefined;
    for (const r of raw) last = zip.write(r);
    raw = [];
    return last;
  };
  for (const part of jsonParts(payload, opts.split ?? new Set(), stringify)) {
    text += part;
    if (text.length < PART_CHARS) continue;
    await encode();
    const wait = opts.pause?.() ?? null;
    if (wait !== null && !(await wait)) {
      (zip as ReturnType<typeof compressor> | null)?.abort();
      return null;
    }
  }
  if (text !== '') await encode();
  const out = concat(zip !== null ? await (zip as ReturnType<typeof compressor>).end() : raw, FRAME_HEADER_LEN);
  encodeHeader({ kind, flags: zip !== null ? FLAG_DEFLATE : 0, seq, rawLen }, out);
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

/**
 * First byte of a pointer move (docs/PROTOCOL.md, "Pointers"): the tag, then `dx` and `dy` from the
 * previous move of the same socket (from `(0, 0)` for its first), each a zigzag LEB128 varint.
 * Three bytes for a usual move; the socket's compression leaves about four of them on the wire,
 * where the JSON `pointer` message left about ten (its coordinate digits do not compress).
 */
export const POINTER_MOVE_TAG = 0x70;

/** Encodes the pointer moves of one socket (a new socket needs a new encoder: it starts from `(0, 0)`). */
export function pointerMoveEncoder(): (p: PagePoint) => Uint8Array<ArrayBuffer> {
  let lastX = 0;
  let lastY = 0;
  return (p) => {
    const out = new Uint8Array(11);
    out[0] = POINTER_MOVE_TAG;
    let at = 1;
    // Coordinates add up modulo 2^32 (`| 0`), as the server adds them.
    for (const d of [(p.x - lastX) | 0, (p.y - lastY) | 0]) {
      let z = ((d << 1) ^ (d >> 31)) >>> 0;
      while (z >= 0x80) {
        out[at++] = (z & 0x7f) | 0x80;
        z >>>= 7;
      }
      out[at++] = z;
    }
    lastX = p.x | 0;
    lastY = p.y | 0;
    return out.slice(0, at);
  };
}

/**
 * Decodes the pointer moves of one socket, as the server does (test clients and tools): the point
 * each moves to, or null for bytes that are not a whole pointer move (the point stays).
 */
export function pointerMoveDecoder(): (bytes: Uint8Array) => PagePoint | null {
  let lastX = 0;
  let lastY = 0;
  return (bytes) => {
    if (bytes[0] !== POINTER_MOVE_TAG) return null;
    let at = 1;
    const next = (): number | null => {
      let z = 0;
      for (let i = 0; i < 5; i++) {
        const b = bytes[at++];
        if (b === undefined) return null;
        z += (b & 0x7f) * 2 ** (7 * i);
        if (b < 0x80) return z > 0xffffffff ? null : z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      }
      return null;
    };
    const dx = next();
    const dy = next();
    if (dx === null || dy === null || at !== bytes.length) return null;
    lastX = (lastX + dx) | 0;
    lastY = (lastY + dy) | 0;
    return { x: lastX, y: lastY };
  };
}
