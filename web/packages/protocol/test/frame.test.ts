// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { FLAG_DEFLATE, FRAME_HEADER_LEN, FrameKind, decodeFrame, decodeHeader, encodeFrame, encodeHeader } from '../src/frame';

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
});
