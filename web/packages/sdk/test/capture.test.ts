import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCaptureContext } from '@cobrowse/dom';
import { startCapture } from '../src/capture';
import { FrameKind, type Op } from '@cobrowse/protocol';
import { batchOps, loadCanvasCode, pageErrorsDuring, start } from './capture-session';

afterEach(() => {
  document.body.replaceChildren();
});

describe('capture', () => {
  it('keeps errors of its page listeners inside the SDK', async () => {
    const sink = { sendFrame: vi.fn(), bufferedAmount: () => 0, pageChanged: vi.fn() };
    const report = vi.fn();
    const capture = startCapture(createCaptureContext(document), sink, report, loadCanvasCode);
    // A page whose form controls misbehave (a framework's proxy, a patched prototype).
    const input = document.createElement('input');
    Object.defineProperty(input, 'localName', {
      get() {
        throw new Error('hostile getter');
      },
    });
    document.body.appendChild(input);
    const pageErrors = await pageErrorsDuring(() => input.dispatchEvent(new Event('input', { bubbles: true })));
    capture.stop();
    expect(pageErrors).toEqual([]);
    expect(report).toHaveBeenCalled();
  });
});

describe('capture on a page with an old Prototype.js', () => {
  it('sends arrays as arrays although the page defined Array.prototype.toJSON', async () => {
    const proto = Array.prototype as unknown as { toJSON?: () => string };
    // Prototype.js 1.6: arrays serialize as a string of their inspection.
    proto.toJSON = function (this: unknown[]) {
      return `[${this.length} items]`;
    };
    const frames: Uint8Array[] = [];
    const sink = { sendFrame: (b: Uint8Array) => frames.push(b), bufferedAmount: () => 0, pageChanged: () => {} };
    document.body.innerHTML = '<p>hello</p>';
    const capture = startCapture(createCaptureContext(document), sink, () => {}, loadCanvasCode);
    try {
      capture.fullSnapshot();
      await vi.waitFor(() => expect(frames).toHaveLength(1));
    } finally {
      capture.stop();
      delete proto.toJSON;
    }
    const { decodeFrame } = await import('@cobrowse/protocol');
    const decoded = (await decodeFrame(frames[0] as Uint8Array<ArrayBuffer>)) as { payload: { doc: { c: unknown }; scroll: unknown } };
    expect(Array.isArray(decoded.payload.doc.c)).toBe(true);
    expect(Array.isArray(decoded.payload.scroll)).toBe(true);
  });
});

describe('capture, snapshot requests in a row', () => {
  it('a small snapshot is written and sent in the task that asked for it; the next one follows on', async () => {
    const frames: Uint8Array[] = [];
    const sink = { sendFrame: (b: Uint8Array) => frames.push(b), bufferedAmount: () => 0, pageChanged: () => {} };
    document.body.innerHTML = '<p>small</p>';
    const capture = startCapture(createCaptureContext(document), sink, () => {}, loadCanvasCode);
    const { decodeFrame, FrameKind } = await import('@cobrowse/protocol');
    try {
      capture.fullSnapshot();
      expect(frames).toHaveLength(1);
      capture.fullSnapshot();
      expect(frames).toHaveLength(2);
      const [a, b] = await Promise.all(frames.map((f) => decodeFrame(f as Uint8Array<ArrayBuffer>)));
      expect(a?.header).toMatchObject({ kind: FrameKind.Full, flags: 0 });
      expect(b?.header.seq).toBe(((a?.header.seq ?? 0) + 1) >>> 0);
      expect(JSON.stringify(b?.payload)).toContain('small');
    } finally {
      capture.stop();
    }
  });

  it('a snapshot requested while an earlier one still waits to be encoded replaces it', async () => {
    const frames: Uint8Array[] = [];
    const sink = { sendFrame: (b: Uint8Array) => frames.push(b), bufferedAmount: () => 0, pageChanged: () => {} };
    // Text enough for a compressed frame (a smaller one is written and sent at once).
    const filler = 'x'.repeat(20_000);
    document.body.innerHTML = `<p>one ${filler}</p>`;
    const capture = startCapture(createCaptureContext(document), sink, () => {}, loadCanvasCode);
    const { decodeFrame, FrameKind } = await import('@cobrowse/protocol');
    try {
      capture.fullSnapshot();
      document.body.innerHTML = `<p>two ${filler}</p>`;
      capture.fullSnapshot();
      // Frames are encoded and sent in order: once the second snapshot's frame is out, the first's
      // turn has passed (no sleep: a loaded machine took longer than one to compress).
      await vi.waitFor(() => expect(frames.length).toBeGreaterThan(0));
      expect(frames).toHaveLength(1);
      const decoded = await decodeFrame(frames[0] as Uint8Array<ArrayBuffer>);
      expect(decoded?.header.kind).toBe(FrameKind.Full);
      expect(decoded?.header.flags).toBe(1);
      expect(JSON.stringify(decoded?.payload)).toContain('two');
      // Later frames go on from the snapshot that was sent.
      capture.fullSnapshot();
      await vi.waitFor(() => expect(frames).toHaveLength(2));
      const next = await decodeFrame(frames[1] as Uint8Array<ArrayBuffer>);
      expect(next?.header.seq).toBe(((decoded?.header.seq ?? 0) + 1) >>> 0);
    } finally {
      capture.stop();
    }
  });
});

describe('capture, closed shadow roots', () => {
  it('a closed root attached while capturing is sent with its host, and changes inside it follow', async () => {
    document.body.innerHTML = '<x-widget id="w"></x-widget>';
    const s = start();
    try {
      s.capture.fullSnapshot();
      await vi.waitFor(() => expect(s.frames).toHaveLength(1));
      const host = document.getElementById('w') as Element;
      const root = host.attachShadow({ mode: 'closed' });
      root.innerHTML = '<p id="inside">closed hello</p>';
      let ops = await batchOps(s, 2);
      const add = ops.find((o) => o.o === 'add') as Extract<Op, { o: 'add' }>;
      expect(add.n).toMatchObject({ i: s.ctx.mirror.getId(host), n: 'x-widget', c: [{ t: 11, c: [{ n: 'p', c: [{ x: 'closed hello' }] }] }] });
      (root.getElementById('inside') as Element).textContent = 'closed again';
      ops = await batchOps(s, 3);
      expect(JSON.stringify(ops)).toContain('closed again');
    } finally {
      s.capture.stop();
    }
  });
});

describe('capture, hover', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('the pointer moving from one element to another sends the new hovered element at once, not one interval later', async () => {
    // The capture's clock, by hand: flushes are apart by more than the interval unless said.
    let now = 1_000_000;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    document.body.innerHTML = '<p id="a">a</p><p id="b">b</p>';
    const a = document.getElementById('a') as HTMLElement;
    const b = document.getElementById('b') as HTMLElement;
    const s = start();
    try {
      s.capture.fullSnapshot();
      await vi.waitFor(() => expect(s.frames).toHaveLength(1));
      const [aId, bId] = [s.ctx.mirror.getId(a), s.ctx.mirror.getId(b)];
      a.dispatchEvent(new MouseEvent('mouseover', { bubbles: true, relatedTarget: null }));
      await vi.waitFor(() => expect(s.frames).toHaveLength(2));
      now += 1000;
      // As the browser dispatches them (a layout moved content under the resting mouse): in one
      // task, with a microtask checkpoint after each event's listeners.
      a.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, relatedTarget: b }));
      await Promise.resolve();
      b.dispatchEvent(new MouseEvent('mouseover', { bubbles: true, relatedTarget: a }));
      // Microtasks only: a flush put off to the next interval (a timer) does not run meanwhile.
      for (let k = 0; k < 50; k++) await Promise.resolve();
      const sentNow = s.frames.length;
      const ops = (await batchOps(s, sentNow)).filter((op) => op.o === 'ui');
      expect(ops).toEqual([
        { o: 'ui', s: { h: aId } },
        { o: 'ui', s: { h: bId } },
      ]);
    } finally {
      s.capture.stop();
    }
  });
});

describe('capture, bursts of mutation records', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** One task's burst: `count` divs appended one by one into `into`, each a record of its own. */
  const appendOneByOne = (into: Element, count: number) => {
    for (let k = 0; k < count; k++) into.appendChild(document.createElement('div'));
  };

  /**
   * A capture of a page with an empty `<main id="box">`, its full snapshot sent, and a clock
   * (`performance.now`) that moves only when `advance` is called, by one flush interval and more.
   */
  const snapshotSent = async () => {
    let now = 1_000_000;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    document.body.innerHTML = '<main id="box"></main>';
    const box = document.getElementById('box') as HTMLElement;
    const s = start();
    try {
      s.capture.fullSnapshot();
      await vi.waitFor(() => expect(s.frames).toHaveLength(1));
    } catch (err) {
      s.capture.stop();
      throw err;
    }
    return { s, box, advance: () => (now += 1000) };
  };

  it('a burst of one task flushed at its end goes out as a batch, beyond the limit on records held', async () => {
    const { s, box, advance } = await snapshotSent();
    try {
      advance();
      // Over PENDING_LIMIT (25,000), under BURST_LIMIT (30,000), flushed in this task's microtask.
      appendOneByOne(box, 26_000);
      await vi.waitFor(() => expect(s.frames).toHaveLength(2), { timeout: 20_000 });
      const ops = await batchOps(s, 2);
      const all = await s.payloads();
      expect(all.map((p) => p.kind)).toEqual([FrameKind.Full, FrameKind.Incremental]);
      const boxId = s.ctx.mirror.getId(box);
      expect(ops.filter((op) => op.o === 'add' && op.p === boxId)).toHaveLength(26_000);
    } finally {
      s.capture.stop();
    }
  }, 60_000);

  it('records held for a later flush beyond PENDING_LIMIT are dropped for a full snapshot', async () => {
    const { s, box, advance } = await snapshotSent();
    try {
      advance();
      box.appendChild(document.createElement('p'));
      await vi.waitFor(() => expect(s.frames).toHaveLength(2));
      // Within the flush interval of that batch: the next flush waits for a timer, and the records
      // of this burst would be held until then.
      appendOneByOne(box, 26_000);
      // The observer's callback (a microtask queued by the first change) runs before time goes on.
      await Promise.resolve();
      advance();
      await vi.waitFor(() => expect(s.frames).toHaveLength(3), { timeout: 20_000 });
      const all = await s.payloads();
      expect(all.map((p) => p.kind)).toEqual([FrameKind.Full, FrameKind.Incremental, FrameKind.Full]);
      expect(JSON.stringify(all[2]?.payload).match(/"n":"div"/g)).toHaveLength(26_000);
    } finally {
      s.capture.stop();
    }
  }, 60_000);

  it('a burst of one task beyond BURST_LIMIT is dropped for a full snapshot', async () => {
    const { s, box, advance } = await snapshotSent();
    try {
      advance();
      appendOneByOne(box, 30_001);
      await vi.waitFor(() => expect(s.frames).toHaveLength(2), { timeout: 20_000 });
      const all = await s.payloads();
      expect(all.map((p) => p.kind)).toEqual([FrameKind.Full, FrameKind.Full]);
    } finally {
      s.capture.stop();
    }
  }, 60_000);
});
