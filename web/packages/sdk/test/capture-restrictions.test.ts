/**
 * The capture loop and DOM restrictions: batches are masked by the match of their flush and diffed
 * against what the agent has; a flush runs when only the rules (`restrictionsChanged`) or the URL
 * (`pushState`, no event) changed; typed values and the page title follow the masks.
 */

import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeFrame, FrameKind, type Batch, type FullSnapshot, type Op, type PageInfo } from '@cobrowse/protocol';
import { createCaptureContext, type CaptureContext } from '@cobrowse/dom';
import { startCapture, type Capture } from '../src/capture';
import { loadCanvasCode } from './capture-session';

interface Run {
  ctx: CaptureContext;
  capture: Capture;
  frames: Uint8Array[];
  pages: PageInfo[];
  /** Decoded payloads of the frames sent so far. */
  payloads(): Promise<(FullSnapshot | Batch)[]>;
  /** Waits until a batch whose ops satisfy `pred` has been sent; returns those ops. */
  batch(pred: (ops: Op[]) => boolean): Promise<Op[]>;
}

let running: Capture | null = null;

afterEach(() => {
  running?.stop();
  running = null;
  document.body.replaceChildren();
  history.replaceState(null, '', '/');
});

function start(body: string): Run {
  document.body.innerHTML = body;
  const frames: Uint8Array[] = [];
  const pages: PageInfo[] = [];
  const ctx = createCaptureContext(document);
  const capture = startCapture(
    ctx,
    { sendFrame: (b) => frames.push(b), bufferedAmount: () => 0, pageChanged: (p) => pages.push(p) },
    () => {},
    loadCanvasCode,
  );
  running = capture;
  const payloads = async () => {
    const out: (FullSnapshot | Batch)[] = [];
    for (const f of frames) {
      const d = await decodeFrame(f as Uint8Array<ArrayBuffer>);
      if (d) out.push(d.payload as FullSnapshot | Batch);
    }
    return out;
  };
  return {
    ctx,
    capture,
    frames,
    pages,
    payloads,
    async batch(pred) {
      let found: Op[] | null = null;
      await vi.waitFor(async () => {
        for (const p of await payloads()) if ('ops' in p && pred(p.ops)) found = p.ops;
        expect(found).not.toBeNull();
      });
      return found as unknown as Op[];
    },
  };
}

const idOf = (run: Run, el: Element | null): number | undefined => (el ? run.ctx.mirror.getId(el) : undefined);

describe('capture and restrictions', () => {
  it('rules set while the session runs re-send the content masked, with no DOM change at all', async () => {
    const run = start('<p id="card">4111 1111</p><p>hello</p>');
    run.capture.fullSnapshot();
    await vi.waitFor(() => expect(run.frames).toHaveLength(1));
    run.ctx.restrictions.setRules([{ id: 1, selector: '#card', kind: 'mask', urlPattern: null }]);
    run.capture.restrictionsChanged();
    const card = idOf(run, document.getElementById('card'));
    const ops = await run.batch((ops) => ops.some((o) => o.o === 'add'));
    expect(ops.map((o) => o.o)).toEqual(['rm', 'add']);
    expect(ops[0]).toEqual({ o: 'rm', i: card });
    expect(JSON.stringify(ops)).not.toContain('4111');
    expect(JSON.stringify(ops)).toContain('**** ****');
  });

  it('pushState alone (no event, no mutation) brings the rules of the new URL', async () => {
    history.replaceState(null, '', '/cart');
    const run = start('<p id="card">4111 1111</p>');
    run.ctx.restrictions.setRules([{ id: 1, selector: '#card', kind: 'mask', urlPattern: '/checkout$' }]);
    run.capture.fullSnapshot();
    const [snap] = await vi.waitFor(async () => {
      const p = await run.payloads();
      expect(p).toHaveLength(1);
      return p;
    });
    expect(JSON.stringify(snap)).toContain('4111 1111');
    history.pushState(null, '', '/checkout');
    const ops = await run.batch((ops) => ops.some((o) => o.o === 'add'));
    expect(JSON.stringify(ops)).not.toContain('4111');
    await vi.waitFor(() => expect(run.pages.map((p) => new URL(p.url).pathname)).toContain('/checkout'));
  });

  it('a value typed into a field that just became masked is sent as asterisks only', async () => {
    const run = start('<input id="notes"><div id="box"></div>');
    run.ctx.restrictions.setRules([{ id: 1, selector: '.private', kind: 'mask', urlPattern: null }]);
    run.capture.fullSnapshot();
    await vi.waitFor(() => expect(run.frames).toHaveLength(1));
    const input = document.getElementById('notes') as HTMLInputElement;
    input.classList.add('private');
    input.value = 'Zanzibar 42';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    const ops = await run.batch((ops) => ops.some((o) => o.o === 'val'));
    expect(JSON.stringify(await run.payloads())).not.toContain('Zanzibar');
    expect(ops.filter((o) => o.o === 'val')).toEqual([{ o: 'val', i: idOf(run, input), v: '***********' }]);
  });

  it('the title sent to the server is masked when its <title> is', async () => {
    const title = document.createElement('title');
    document.head.append(title);
    try {
      const run = start('<p>x</p>');
      run.ctx.restrictions.setRules([{ id: 1, selector: 'title', kind: 'mask', urlPattern: null }]);
      run.capture.fullSnapshot();
      await vi.waitFor(() => expect(run.frames).toHaveLength(1));
      document.title = 'Balance 1234';
      await vi.waitFor(() => expect(run.pages.map((p) => p.title)).toContain('******* ****'));
      expect(JSON.stringify(run.pages)).not.toContain('1234');
    } finally {
      title.remove();
    }
  });
});
