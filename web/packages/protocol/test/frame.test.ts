// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  COMPRESS_THRESHOLD,
  FLAG_DEFLATE,
  FRAME_HEADER_LEN,
  FrameKind,
  POINTER_MOVE_TAG,
  decodeFrame,
  decodeHeader,
  encodeFrame,
  encodeFrameParts,
  encodeHeader,
  pointerMoveDecoder,
  pointerMoveEncoder,
} from '../src/frame';

describe('frame codec', () => {
  it('writes the header byte for byte as documented', () => {
    const out = new Uint8Array(FRAME_HEADER_LEN);
    encodeHeader({ kind: FrameKind.Incremental, flags: FLAG_DEFLATE, seq: 0x01020304, rawLen: 0x0a0b0c0d }, out);
    expect(Array.from(out)).toEqual([1, 2, 1, 0, 1, 2, 3, 4, 0x0a, 0x0b, 0x0c, 0x0d]);
  });

  it('leaves small payloads uncompressed and round-trips them', async () => {
    const frame = await encodeFrame(FrameKind.Full, 7, { hello: 'world' });
    expect(frame[2]).toBe(0);
    const decoded = await decodeFrame(frame);
    expect(decoded?.header).toEqual({ kind: FrameKind.Full, flags: 0, seq: 7, rawLen: 17 });
    expect(decoded?.payload).toEqual({ hello: 'world' });
  });

  it('writes non-ASCII text (accents, CJK, emoji, a lone surrogate) as UTF-8, byte for byte as TextEncoder.encode', async () => {
    const text = 'ascii first, then é, 中文, 😀 and a lone \ud800 surrogate';
    for (const payload of [{ x: text }, { x: `${'a'.repeat(40)}😀` }, { ops: Array.from({ length: 300 }, (_, i) => ({ i, x: text })) }]) {
      const frame = await encodeFrame(FrameKind.Incremental, 1, payload);
      const expected = new TextEncoder().encode(JSON.stringify(payload));
      const decoded = await decodeFrame(frame);
      expect(decoded?.header.rawLen).toBe(expected.byteLength);
      expect(decoded?.payload).toEqual(JSON.parse(new TextDecoder().decode(expected)));
      if (frame[2] === 0) expect(Array.from(frame.subarray(FRAME_HEADER_LEN))).toEqual(Array.from(expected));
    }
  });

  it('leaves payloads under COMPRESS_THRESHOLD (16 KiB) to the socket, compresses those at or above it', async () => {
    const of = (bytes: number) => ({ x: 'a'.repeat(bytes - 8) }); // {"x":"…"} is 8 bytes more
    const under = await encodeFrame(FrameKind.Full, 1, of(COMPRESS_THRESHOLD - 1));
    expect(under[2]).toBe(0);
    expect(under.byteLength).toBe(FRAME_HEADER_LEN + COMPRESS_THRESHOLD - 1);
    const at = await encodeFrame(FrameKind.Full, 2, of(COMPRESS_THRESHOLD));
    expect(at[2]).toBe(FLAG_DEFLATE);
    expect((await decodeFrame(at))?.payload).toEqual(of(COMPRESS_THRESHOLD));
  });

  it('compresses large payloads with deflate-raw and round-trips them', async () => {
    const payload = { ops: Array.from({ length: 500 }, (_, i) => ({ o: 'text', i, x: 'some repeated text' })) };
    const frame = await encodeFrame(FrameKind.Incremental, 42, payload);
    expect(frame[2]).toBe(FLAG_DEFLATE);
    const raw = new TextEncoder().encode(JSON.stringify(payload)).byteLength;
    expect(frame.byteLength).toBeLessThan(raw / 4);
    const decoded = await decodeFrame(frame);
    expect(decoded?.header.rawLen).toBe(raw);
    expect(decoded?.payload).toEqual(payload);
  });

  it('rejects invalid headers', () => {
    expect(decodeHeader(new Uint8Array([1, 1, 0]))).toBeNull();
    const h = new Uint8Array(FRAME_HEADER_LEN);
    encodeHeader({ kind: FrameKind.Full, flags: 0, seq: 0, rawLen: 0 }, h);
    expect(decodeHeader(h)).not.toBeNull();
    for (const [at, bad] of [[0, 2], [1, 3], [2, 2], [3, 1]] as const) {
      const copy = h.slice();
      copy[at] = bad;
      expect(decodeHeader(copy)).toBeNull();
    }
  });

  /** A tree like a snapshot's: `c` arrays of nodes, the big ones listed in `split`. */
  const tree = (depth: number, width: number, split: Set<object>, id = { n: 0 }): Record<string, unknown> => {
    const node: Record<string, unknown> = { i: ++id.n, t: 1, n: 'div', a: { class: 'x y', title: 'é ✓ \u2028 "q"' } };
    if (depth > 0) {
      node.c = Array.from({ length: width }, () => tree(depth - 1, width, split, id));
      if (depth > 1) split.add(node);
    } else node.c = [{ i: ++id.n, t: 3, x: `text ${id.n}`, skip: undefined }];
    return node;
  };

  it('writes a large payload in parts, each a small JSON.stringify, with the same text and bytes', async () => {
    const split = new Set<object>();
    const payload = { url: 'u', title: 't', doc: tree(4, 8, split), wa: [] };
    split.add(payload);
    const calls: number[] = [];
    let pauses = 0;
    const frame = await encodeFrameParts(FrameKind.Full, 3, payload, {
      split,
      stringify: (v) => {
        const s = JSON.stringify(v);
        calls.push(s?.length ?? 0);
        return s;
      },
      pause: () => {
        pauses++;
        return Promise.resolve(true);
      },
    });
    const whole = JSON.stringify(payload);
    expect(Math.max(...calls)).toBeLessThan(whole.length / 50);
    expect(pauses).toBeGreaterThan(2);
    const decoded = await decodeFrame(frame as Uint8Array<ArrayBuffer>);
    expect(decoded?.header).toEqual({ kind: FrameKind.Full, flags: FLAG_DEFLATE, seq: 3, rawLen: new TextEncoder().encode(whole).byteLength });
    expect(decoded?.payload).toEqual(JSON.parse(whole));
    // Not split: the same as encodeFrame.
    const small = { ops: [{ o: 'text', i: 1, x: 'a' }] };
    expect(await encodeFrameParts(FrameKind.Incremental, 1, small)).toEqual(await encodeFrame(FrameKind.Incremental, 1, small));
  });

  it('gives a frame up when pause says so', async () => {
    const split = new Set<object>();
    const payload = tree(4, 8, split);
    let asked = 0;
    const frame = await encodeFrameParts(FrameKind.Full, 1, payload, {
      split,
      pause: () => (++asked === 2 ? Promise.resolve(false) : null),
    });
    expect(frame).toBeNull();
    expect(asked).toBe(2);
  });
});

describe('pointer moves', () => {
  it('writes a move as the tag and two zigzag varints from the previous move', () => {
    const encode = pointerMoveEncoder();
    expect(Array.from(encode({ x: 500, y: 300 }))).toEqual([POINTER_MOVE_TAG, 0xe8, 0x07, 0xd8, 0x04]);
    // The example of the Rust tests: +37, -10.
    expect(Array.from(encode({ x: 537, y: 290 }))).toEqual([POINTER_MOVE_TAG, 74, 19]);
    // A new encoder (a new socket) starts again from (0, 0).
    expect(Array.from(pointerMoveEncoder()({ x: 1, y: -1 }))).toEqual([POINTER_MOVE_TAG, 2, 1]);
  });

  it('round-trips any 32-bit points', () => {
    const encode = pointerMoveEncoder();
    const decode = pointerMoveDecoder();
    const points = [
      [523, 412],
      [-3, 0],
      [2147483647, -2147483648],
      [0, 0],
      [64, -65],
      [-2147483648, 2147483647],
    ] as const;
    for (const [x, y] of points) expect(decode(encode({ x, y }))).toEqual({ x, y });
  });

  it('refuses what the server refuses, and keeps its point', () => {
    const decode = pointerMoveDecoder();
    expect(decode(new Uint8Array([POINTER_MOVE_TAG, 20, 40]))).toEqual({ x: 10, y: 20 });
    for (const bad of [[], [1, 2, 2], [POINTER_MOVE_TAG], [POINTER_MOVE_TAG, 2, 0x80], [POINTER_MOVE_TAG, 2, 2, 2], [POINTER_MOVE_TAG, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0], [POINTER_MOVE_TAG, 0xff, 0xff, 0xff, 0xff, 0x7f, 0]]) {
      expect(decode(new Uint8Array(bad)), String(bad)).toBeNull();
    }
    expect(decode(new Uint8Array([POINTER_MOVE_TAG, 2, 0]))).toEqual({ x: 11, y: 20 });
  });
});
