import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeFrame, encodeHeader, FRAME_HEADER_LEN, FrameKind, type FullSnapshot } from '@cobrowse/protocol';
import { createViewer } from '../src/index';

function snapshot(text: string): FullSnapshot {
  return {
    url: 'https://shop.example/',
    title: 'Shop',
    viewport: { w: 800, h: 600 },
    scroll: [0, 0],
    doc: {
      i: 1,
      t: 9,
      c: [{ i: 2, t: 1, n: 'html', c: [{ i: 3, t: 1, n: 'body', c: [{ i: 4, t: 1, n: 'p', c: [{ i: 5, t: 3, x: text }] }] }] }],
    },
  } as FullSnapshot;
}

/** A frame whose header is valid but whose payload is not JSON (a corrupt or truncated frame). */
function corruptFrame(kind: FrameKind, seq: number): Uint8Array<ArrayBuffer> {
  const body = new TextEncoder().encode('{"url": ');
  const out = new Uint8Array(FRAME_HEADER_LEN + body.byteLength);
  encodeHeader({ kind, flags: 0, seq, rawLen: body.byteLength }, out);
  out.set(body, FRAME_HEADER_LEN);
  return out;
}

function setup() {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const requestSnapshot = vi.fn();
  const onSnapshot = vi.fn();
  const viewer = createViewer({ container, requestSnapshot, onSnapshot, onError: () => {} });
  return { container, viewer, requestSnapshot, onSnapshot };
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('viewer', () => {
  it('asks for a snapshot on a sequence gap', async () => {
    const { viewer, requestSnapshot, onSnapshot } = setup();
    viewer.handleFrame(await encodeFrame(FrameKind.Full, 7, snapshot('a')));
    viewer.handleFrame(await encodeFrame(FrameKind.Incremental, 9, { ops: [] }));
    await vi.waitFor(() => expect(requestSnapshot).toHaveBeenCalledOnce());
    expect(onSnapshot).toHaveBeenCalledOnce();
    viewer.destroy();
  });

  it('asks again when the first full snapshot cannot be read', async () => {
    const { viewer, requestSnapshot, onSnapshot } = setup();
    viewer.handleFrame(corruptFrame(FrameKind.Full, 0));
    await vi.waitFor(() => expect(requestSnapshot).toHaveBeenCalledOnce());
    // The answer renders and the replica goes on from there.
    viewer.handleFrame(await encodeFrame(FrameKind.Full, 0, snapshot('b')));
    await vi.waitFor(() => expect(onSnapshot).toHaveBeenCalledOnce());
    expect(viewer.frame.contentDocument?.body.textContent).toBe('b');
    viewer.destroy();
  });

  it('stops asking after repeated unreadable snapshots (no request loop)', async () => {
    const { viewer, requestSnapshot } = setup();
    for (let i = 0; i < 10; i++) viewer.handleFrame(corruptFrame(FrameKind.Full, i));
    viewer.handleFrame(await encodeFrame(FrameKind.Incremental, 11, { ops: [] }));
    await new Promise((r) => setTimeout(r, 50));
    expect(requestSnapshot.mock.calls.length).toBeLessThanOrEqual(3);
    viewer.destroy();
  });

  it('lets Tab move the focus out of the replica (no keyboard trap)', async () => {
    const { viewer } = setup();
    viewer.handleFrame(await encodeFrame(FrameKind.Full, 0, snapshot('c')));
    await vi.waitFor(() => expect(viewer.frame.contentDocument?.body.textContent).toBe('c'));
    const replica = viewer.frame.contentDocument as Document;
    const tab = new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true });
    replica.body.dispatchEvent(tab);
    expect(tab.defaultPrevented).toBe(false);
    const typed = new KeyboardEvent('keydown', { key: 'a', bubbles: true, cancelable: true });
    replica.body.dispatchEvent(typed);
    expect(typed.defaultPrevented).toBe(true);
    viewer.destroy();
  });

  it("cancels the agent's wheel in the replica (it shows the customer's scroll position)", async () => {
    const { viewer } = setup();
    viewer.handleFrame(await encodeFrame(FrameKind.Full, 0, snapshot('w')));
    await vi.waitFor(() => expect(viewer.frame.contentDocument?.body.textContent).toBe('w'));
    const replica = viewer.frame.contentDocument as Document;
    const wheel = new (replica.defaultView as unknown as typeof globalThis).WheelEvent('wheel', { deltaY: 100, bubbles: true, cancelable: true });
    replica.body.dispatchEvent(wheel);
    expect(wheel.defaultPrevented).toBe(true);
    viewer.destroy();
  });
});

describe('viewer reset', () => {
  it('drops frames that arrived before reset() and were still being decoded', async () => {
    const { viewer, onSnapshot } = setup();
    viewer.handleFrame(await encodeFrame(FrameKind.Full, 0, snapshot('old page')));
    viewer.reset(); // e.g. the customer is navigating: that snapshot belongs to the page they left
    viewer.handleFrame(await encodeFrame(FrameKind.Full, 0, snapshot('new page')));
    await vi.waitFor(() => expect(viewer.frame.contentDocument?.body.textContent).toBe('new page'));
    expect(onSnapshot).toHaveBeenCalledOnce();
    viewer.destroy();
  });
});

describe('viewer stage', () => {
  it('shows no empty frame before the first snapshot', async () => {
    const { container, viewer } = setup();
    const stage = container.querySelector('.replica-stage') as HTMLElement;
    expect(stage.hidden).toBe(true);
    viewer.handleFrame(await encodeFrame(FrameKind.Full, 0, snapshot('d')));
    await vi.waitFor(() => expect(stage.hidden).toBe(false));
    expect(viewer.frame.style.width).toBe('800px');
    viewer.destroy();
  });
});
