// Canvas pictures (docs/PROTOCOL.md, "Canvas and media"): canvases inside shadow roots (open and
// closed) are sent too, and a canvas is encoded again only when something drew on it. jsdom has no
// canvas: the test gives it a 2D context class and a `toBlob` that counts its calls.

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Op } from '@cobrowse/protocol';
import { batchOps, loadCanvasCode, start } from './capture-session';

type Win = Window & Record<string, unknown>;

/** A stand-in for the platform's 2D context: what a page draws with. */
class FakeContext2D {
  constructor(readonly canvas: HTMLCanvasElement) {}
  fillRect(): void {
    (this.canvas as unknown as { ink: number }).ink = ((this.canvas as unknown as { ink?: number }).ink ?? 0) + 1;
  }
}

/** Installs FakeContext2D and a counting `toBlob` (the picture is the canvas id and its ink). */
function fakeCanvas(): { encodes: Map<string, number>; restore(): void } {
  const encodes = new Map<string, number>();
  const proto = HTMLCanvasElement.prototype as unknown as Record<string, unknown>;
  const before = Object.getOwnPropertyDescriptor(proto, 'toBlob');
  proto['toBlob'] = function (this: HTMLCanvasElement, done: (b: Blob | null) => void) {
    encodes.set(this.id, (encodes.get(this.id) ?? 0) + 1);
    const ink = (this as unknown as { ink?: number }).ink ?? 0;
    done(new Blob([`${this.id}:${ink}`], { type: 'image/png' }));
  };
  (window as unknown as Win)['CanvasRenderingContext2D'] = FakeContext2D;
  return {
    encodes,
    restore() {
      if (before) Object.defineProperty(proto, 'toBlob', before);
      delete (window as unknown as Win)['CanvasRenderingContext2D'];
    },
  };
}

afterEach(() => {
  document.body.replaceChildren();
});

const canvasOps = (ops: Op[], id: number | undefined) => ops.filter((o) => o.o === 'canvas' && o.i === id);

describe('capture, canvases', () => {
  it('canvases in open and closed shadow roots are sent; an undrawn canvas is not encoded again', async () => {
    const fake = fakeCanvas();
    document.body.innerHTML = '<canvas id="page"></canvas><x-open id="open"></x-open><x-closed id="closed"></x-closed>';
    const s = start();
    try {
      // Attached while capturing, like a component rendering: the closed root is kept.
      (document.getElementById('open') as Element).attachShadow({ mode: 'open' }).innerHTML = '<canvas id="in-open"></canvas>';
      const closed = (document.getElementById('closed') as Element).attachShadow({ mode: 'closed' });
      closed.innerHTML = '<canvas id="in-closed"></canvas>';
      s.capture.fullSnapshot();
      const page = document.getElementById('page') as HTMLCanvasElement;
      const inOpen = (document.getElementById('open') as Element).shadowRoot?.getElementById('in-open') as HTMLCanvasElement;
      const inClosed = closed.getElementById('in-closed') as HTMLCanvasElement;
      const ids = [page, inOpen, inClosed].map((c) => s.ctx.mirror.getId(c));
      expect(ids).not.toContain(undefined);
      const [pageId, openId, closedId] = ids;

      // The first poll after the snapshot encodes and sends every canvas.
      let ops: Op[] = [];
      await vi.waitFor(async () => {
        ops = await batchOps(s, 2);
        for (const id of ids) expect(canvasOps(ops, id)).toHaveLength(1);
      });
      expect(canvasOps(ops, closedId)[0]).toMatchObject({ src: expect.stringMatching(/^data:image\/png;base64,/) });

      // Drawing on the closed root's canvas: it alone is encoded again and sent.
      new FakeContext2D(inClosed).fillRect();
      await vi.waitFor(async () => {
        ops = await batchOps(s, 3);
        expect(canvasOps(ops, closedId)).toHaveLength(2);
      });
      expect(fake.encodes.get('in-closed')).toBe(2);
      expect(fake.encodes.get('page')).toBe(1);
      expect(fake.encodes.get('in-open')).toBe(1);
      expect(canvasOps(ops, pageId)).toHaveLength(1);
      expect(canvasOps(ops, openId)).toHaveLength(1);
    } finally {
      s.capture.stop();
      fake.restore();
    }
  });

  it('the canvas code (chunk `canvas`) is loaded once, when the capture first finds a canvas', async () => {
    const fake = fakeCanvas();
    let loads = 0;
    const s = start(() => {
      loads++;
      return loadCanvasCode();
    });
    try {
      s.capture.fullSnapshot();
      await vi.waitFor(() => expect(s.frames.length).toBeGreaterThanOrEqual(1));
      expect(loads).toBe(0);

      const late = document.createElement('canvas');
      late.id = 'late';
      document.body.append(late);
      await vi.waitFor(async () => {
        const ops = await batchOps(s, 2);
        expect(canvasOps(ops, s.ctx.mirror.getId(late))).toHaveLength(1);
      });
      // Drawing is watched once the chunk is there: the drawn canvas is encoded again at the next poll.
      new FakeContext2D(late).fillRect();
      await vi.waitFor(() => expect(fake.encodes.get('late')).toBe(2));
      expect(loads).toBe(1);
    } finally {
      s.capture.stop();
      fake.restore();
    }
  });

  it('a page without canvases gets no canvas timer; the first frame that carries a canvas starts it', async () => {
    const fake = fakeCanvas();
    const intervals = vi.spyOn(globalThis, 'setInterval');
    /** The capture's canvas timers (`CANVAS_POLL_MS`, 500 ms) set so far. */
    const canvasTimers = () => intervals.mock.calls.filter(([, ms]) => ms === 500).length;
    document.body.innerHTML = '<p>no canvas here</p>';
    const s = start();
    try {
      s.capture.fullSnapshot();
      await vi.waitFor(() => expect(s.frames).toHaveLength(1));
      expect(canvasTimers()).toBe(0);

      const late = document.createElement('canvas');
      late.id = 'late';
      document.body.append(late);
      // The batch that adds it starts the timer; its first poll sends the picture.
      let ops: Op[] = [];
      await vi.waitFor(async () => {
        ops = await batchOps(s, 3);
        expect(canvasOps(ops, s.ctx.mirror.getId(late))).toHaveLength(1);
      });
      expect(canvasTimers()).toBe(1);
      expect(fake.encodes.get('late')).toBe(1);
    } finally {
      s.capture.stop();
      intervals.mockRestore();
      fake.restore();
    }
  });
});
