import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeFrame, FrameKind } from '@cobrowse/protocol';
import { answerOnce, apiReason, createSessionController, modeChangedPayload, readRules, type SessionEvents } from '../src/session';
import type { ChunkLoader, ChunkName } from '../src/chunk';
import { createInputPerformer } from '../src/input';
import { createNavigator } from '../src/navigation';
import { createResourceUploader } from '../src/resources';

const SERVER = 'http://cobrowse.test/cobrowse/';

/**
 * A page's own WebSocket replacement, as analytics and debugging libraries install them: a plain
 * function-style wrapper without the static `CONNECTING`/`OPEN`/… constants.
 */
class PageSocket {
  static sockets: PageSocket[] = [];
  readyState = 0;
  bufferedAmount = 0;
  binaryType = 'blob';
  sent: (string | Uint8Array)[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {
    PageSocket.sockets.push(this);
  }
  send(data: string | Uint8Array): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(msg: object): void {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  texts(): { type: string }[] {
    return this.sent.filter((d): d is string => typeof d === 'string').map((d) => JSON.parse(d) as { type: string });
  }
  frames(): Uint8Array[] {
    return this.sent.filter((d): d is Uint8Array => typeof d !== 'string');
  }
}

/** The SDK's chunks (chunk.ts) as the loaded `gcb-*.js` hand them over, from the sources. */
const CHUNKS: Partial<Record<ChunkName, unknown>> = {
  write: { createInputPerformer, createNavigator },
  resources: createResourceUploader,
};
const chunks: ChunkLoader = {
  load: <T>(name: ChunkName) => Promise.resolve(CHUNKS[name] as T),
};

function events(overrides: Partial<SessionEvents> = {}): SessionEvents {
  return {
    connected() {},
    agentJoined() {},
    agentLeft() {},
    ended() {},
    agentPointer() {},
    agentMark() {},
    modeUpgradeRequested() {},
    modeRequestWithdrawn() {},
    modeChanged() {},
    navigate() {},
    navigationRefused() {},
    restrictionsChanged() {},
    report() {},
    ...overrides,
  };
}

let savedWebSocket: typeof WebSocket;

/** The tab's stored session, as a page that started one leaves it for the next. */
const storeSession = () =>
  window.sessionStorage.setItem(
    'gcb.session',
    JSON.stringify({ token: '123456789', secret: 's', socketUrl: 'ws://cobrowse.test/cobrowse/ws/customer', serverUrl: SERVER }),
  );

beforeEach(() => {
  savedWebSocket = window.WebSocket;
  PageSocket.sockets = [];
  (window as unknown as { WebSocket: unknown }).WebSocket = PageSocket;
  storeSession();
});

afterEach(() => {
  window.WebSocket = savedWebSocket;
  window.sessionStorage.clear();
});

describe('session controller', () => {
  it('works with a page that replaced WebSocket by a wrapper without the static constants', async () => {
    const controller = createSessionController(window, SERVER, events(), chunks);
    expect(controller.resume()).toBe(true);
    const socket = PageSocket.sockets[0]!;
    socket.open();
    expect(socket.texts()[0]?.type).toBe('hello');
    socket.receive({ type: 'welcome', token: '123456789', state: 'active', agentPresent: true });
    socket.receive({ type: 'restrictions', version: 1, rules: [] });
    socket.receive({ type: 'snapshotRequest', reason: 'agentJoined' });
    await vi.waitFor(() => expect(socket.frames()).toHaveLength(1));
    const decoded = await decodeFrame(socket.frames()[0] as Uint8Array<ArrayBuffer>);
    expect(decoded?.header.kind).toBe(FrameKind.Full);
    controller.exit();
    expect(socket.texts().map((m) => m.type)).toContain('exit');
  });

  it("sends the customer's pointer as binary moves from the socket's previous one, and a leave as text", async () => {
    const controller = createSessionController(window, SERVER, events(), chunks);
    controller.resume();
    const socket = PageSocket.sockets[0]!;
    socket.open();
    socket.receive({ type: 'welcome', token: '123456789', state: 'active', agentPresent: true, mode: 'pointer' });
    const move = (x: number, y: number) => document.dispatchEvent(new MouseEvent('mousemove', { clientX: x, clientY: y }));
    move(500, 300);
    await vi.waitFor(() => expect(socket.frames()).toHaveLength(1));
    move(537, 290);
    await vi.waitFor(() => expect(socket.frames()).toHaveLength(2));
    // POINTER_MOVE_TAG, then zigzag varints: (500, 300) from (0, 0), then (+37, -10).
    expect(socket.frames().map((f) => Array.from(f))).toEqual([
      [0x70, 0xe8, 0x07, 0xd8, 0x04],
      [0x70, 74, 19],
    ]);
    document.dispatchEvent(new MouseEvent('mouseout', { relatedTarget: null }));
    await vi.waitFor(() => expect(socket.texts().map((m) => m.type)).toContain('pointerLeave'));
    controller.exit();
  });

  it('never lets a throwing event handler escape into the page, and keeps handling messages', () => {
    const agentJoined = vi.fn();
    const report = vi.fn();
    const controller = createSessionController(
      window,
      SERVER,
      events({
        connected() {
          throw new Error('the toolbar failed');
        },
        agentJoined,
        report,
      }),
      chunks,
    );
    controller.resume();
    const socket = PageSocket.sockets[0]!;
    socket.open();
    expect(() => socket.receive({ type: 'welcome', token: '123456789', state: 'idle', agentPresent: false })).not.toThrow();
    expect(report).toHaveBeenCalled();
    socket.receive({ type: 'agentJoined' });
    expect(agentJoined).toHaveBeenCalledOnce();
    controller.exit();
  });

  it('answers a Write Mode request once: the first call of done wins', () => {
    let done: ((allow: unknown) => void) | null = null;
    const modeChanged = vi.fn();
    const controller = createSessionController(
      window,
      SERVER,
      events({
        modeUpgradeRequested(answer) {
          done = answer;
        },
        modeChanged,
      }),
      chunks,
    );
    controller.resume();
    const socket = PageSocket.sockets[0]!;
    socket.open();
    socket.receive({ type: 'welcome', token: '123456789', state: 'active', agentPresent: true, mode: 'pointer' });
    socket.receive({ type: 'modeUpgradeRequested' });
    expect(done).not.toBeNull();
    done!(true);
    done!(false);
    done!(true);
    const responses = socket.texts().filter((m) => m.type === 'modeResponse');
    expect(responses).toEqual([{ type: 'modeResponse', allow: true }]);

    socket.receive({ type: 'modeChanged', mode: 'write' });
    expect(modeChanged).toHaveBeenLastCalledWith('write', true);
    expect(controller.mode()).toBe('write');
    controller.downgradeMode();
    expect(socket.texts().at(-1)).toEqual({ type: 'downgradeMode' });
    socket.receive({ type: 'modeChanged', mode: 'pointer' });
    expect(modeChanged).toHaveBeenLastCalledWith('pointer', true);
    expect(modeChanged).toHaveBeenCalledTimes(2);
    controller.exit();
  });

  it('a withdrawn request cannot be answered any more (the agent left)', () => {
    let done: ((allow: unknown) => void) | null = null;
    const withdrawn = vi.fn();
    const controller = createSessionController(
      window,
      SERVER,
      events({
        modeUpgradeRequested(answer) {
          done = answer;
        },
        modeRequestWithdrawn: withdrawn,
      }),
      chunks,
    );
    controller.resume();
    const socket = PageSocket.sockets[0]!;
    socket.open();
    socket.receive({ type: 'welcome', token: '123456789', state: 'active', agentPresent: true, mode: 'pointer' });
    socket.receive({ type: 'modeUpgradeRequested' });
    socket.receive({ type: 'agentDisconnected' });
    expect(withdrawn).toHaveBeenCalledOnce();
    done!(true);
    expect(socket.texts().filter((m) => m.type === 'modeResponse')).toEqual([]);
    controller.exit();
  });

  it('learns Write Mode from welcome after a navigation without announcing a change', () => {
    const modeChanged = vi.fn();
    const controller = createSessionController(window, SERVER, events({ modeChanged }), chunks);
    controller.resume();
    const socket = PageSocket.sockets[0]!;
    socket.open();
    socket.receive({ type: 'welcome', token: '123456789', state: 'active', agentPresent: true, mode: 'write' });
    expect(modeChanged).toHaveBeenCalledExactlyOnceWith('write', false);
    expect(controller.mode()).toBe('write');
    controller.exit();
  });

  it('relays the agent pointer and marks, and performs nothing for agent input or navigation', () => {
    const agentPointer = vi.fn();
    const agentMark = vi.fn();
    const clicked = vi.fn();
    document.body.innerHTML = '<button id="b">Buy</button>';
    document.getElementById('b')!.addEventListener('click', clicked);
    const href = location.href;
    const controller = createSessionController(window, SERVER, events({ agentPointer, agentMark }), chunks);
    controller.resume();
    const socket = PageSocket.sockets[0]!;
    socket.open();
    socket.receive({ type: 'welcome', token: '123456789', state: 'active', agentPresent: true, mode: 'write' });
    socket.receive({ type: 'agentPointer', x: 10, y: 20 });
    socket.receive({ type: 'agentMark', x: 11, y: 21 });
    socket.receive({ type: 'agentPointerLeave' });
    expect(agentPointer.mock.calls).toEqual([[{ x: 10, y: 20 }], [null]]);
    expect(agentMark).toHaveBeenCalledExactlyOnceWith({ x: 11, y: 21 });
    socket.receive({ type: 'agentInput', input: { kind: 'click', target: 5, point: { x: 1, y: 1 } } });
    socket.receive({ type: 'navigate', command: 'url', url: 'https://elsewhere.example/' });
    expect(clicked).not.toHaveBeenCalled();
    expect(location.href).toBe(href);
    controller.exit();
    document.body.replaceChildren();
  });
});

describe('restrictions on the customer socket', () => {
  const WELCOME_WRITE = { type: 'welcome', token: '123456789', state: 'active', agentPresent: true, mode: 'write' };

  /** Waits until the controller opened socket number `n` (it reconnects after a backoff). */
  const socketNumber = async (n: number): Promise<PageSocket> => {
    await vi.waitFor(() => expect(PageSocket.sockets.length).toBeGreaterThan(n), { timeout: 5000 });
    return PageSocket.sockets[n]!;
  };

  /** Waits until all frames queued so far are encoded and sent, then answers their count. */
  const settledFrames = async (socket: PageSocket, atLeast: number) => {
    await vi.waitFor(() => expect(socket.frames().length).toBeGreaterThanOrEqual(atLeast));
    return socket.frames().length;
  };

  afterEach(() => {
    document.body.replaceChildren();
  });

  it('sends no DOM frame before the socket has its rules; a snapshot requested first waits for them', async () => {
    document.body.innerHTML = '<p id="card">4111 1111</p>';
    const restrictionsChanged = vi.fn();
    const controller = createSessionController(window, SERVER, events({ restrictionsChanged }), chunks);
    controller.resume();
    const socket = PageSocket.sockets[0]!;
    socket.open();
    socket.receive(WELCOME_WRITE);
    socket.receive({ type: 'snapshotRequest', reason: 'agentJoined' });
    // Nothing was serialized (a snapshot assigns node ids synchronously), so nothing can be sent.
    expect(controller.captureContext().mirror.getId(document.getElementById('card')!)).toBeUndefined();
    expect(socket.frames()).toHaveLength(0);

    socket.receive({ type: 'restrictions', version: 7, rules: [{ id: 3, selector: '#card', kind: 'mask', urlPattern: null }] });
    expect(restrictionsChanged).toHaveBeenCalledOnce();
    expect(controller.captureContext().restrictions.applicable(document.URL).map((r) => r.id)).toContain(3);
    expect(controller.captureContext().mirror.getId(document.getElementById('card')!)).toBeGreaterThan(0);
    await settledFrames(socket, 1);
    const frame = await decodeFrame(socket.frames()[0] as Uint8Array<ArrayBuffer>);
    expect(frame?.header.kind).toBe(FrameKind.Full);
    expect(frame?.header.seq).toBe(0);
    controller.exit();
  });

  it('a reconnected socket waits for its own rules, for frames and for agent input', async () => {
    document.body.innerHTML = '<button id="b" type="button">Go</button>';
    const clicked = vi.fn();
    document.getElementById('b')!.addEventListener('click', clicked);
    const controller = createSessionController(window, SERVER, events(), chunks);
    controller.resume();
    const first = PageSocket.sockets[0]!;
    first.open();
    first.receive(WELCOME_WRITE);
    first.receive({ type: 'restrictions', version: 1, rules: [] });
    first.receive({ type: 'snapshotRequest', reason: 'agentJoined' });
    await settledFrames(first, 1);
    const button = controller.captureContext().mirror.getId(document.getElementById('b')!)!;
    expect(button).toBeGreaterThan(0);

    first.readyState = 3;
    first.onclose?.({ code: 1006 });
    const second = await socketNumber(1);
    second.open();
    second.receive(WELCOME_WRITE);
    second.receive({ type: 'snapshotRequest', reason: 'reconnected' });
    second.receive({ type: 'agentInput', input: { kind: 'click', target: button, point: { x: 1, y: 1 } } });
    expect(clicked).not.toHaveBeenCalled();
    expect(second.frames()).toHaveLength(0);
    // Nothing is being captured for this socket either: a change on the page is not serialized.
    const added = document.body.appendChild(document.createElement('p'));

    second.receive({ type: 'restrictions', version: 2, rules: [] });
    await settledFrames(second, 1);
    expect(controller.captureContext().mirror.getId(added)).toBeGreaterThan(0);
    second.receive({ type: 'agentInput', input: { kind: 'click', target: button, point: { x: 1, y: 1 } } });
    expect(clicked).toHaveBeenCalledOnce();

    // A rule that arrives while the session runs applies to the next input at once.
    second.receive({ type: 'restrictions', version: 3, rules: [{ id: 9, selector: 'button', kind: 'control', urlPattern: null }] });
    second.receive({ type: 'agentInput', input: { kind: 'click', target: button, point: { x: 1, y: 1 } } });
    expect(clicked).toHaveBeenCalledOnce();
    controller.exit();
  });

  it("agent input that arrives while Write Mode's chunk loads is performed in order once it is there; not across sockets", async () => {
    document.body.innerHTML = '<input id="a"><button id="b" type="button">Go</button>';
    const clicks: string[] = [];
    document.getElementById('b')!.addEventListener('click', () => clicks.push((document.getElementById('a') as HTMLInputElement).value));
    const loads: Array<() => void> = [];
    const slow: ChunkLoader = {
      load: <T>(name: ChunkName) => new Promise<T>((resolve) => loads.push(() => resolve(CHUNKS[name] as T))),
    };
    const controller = createSessionController(window, SERVER, events(), slow);
    controller.resume();
    const first = PageSocket.sockets[0]!;
    first.open();
    first.receive({ type: 'welcome', token: '123456789', state: 'active', agentPresent: true, mode: 'pointer' });
    first.receive({ type: 'restrictions', version: 1, rules: [] });
    first.receive({ type: 'snapshotRequest', reason: 'agentJoined' });
    await settledFrames(first, 1);
    const ids = controller.captureContext().mirror;
    const field = ids.getId(document.getElementById('a')!)!;
    const button = ids.getId(document.getElementById('b')!)!;
    // Pointer Mode: input is dropped, nothing is loaded.
    first.receive({ type: 'agentInput', input: { kind: 'click', target: button, point: { x: 1, y: 1 } } });
    expect(loads).toHaveLength(0);
    first.receive({ type: 'modeChanged', mode: 'write' });
    expect(loads).toHaveLength(1);
    first.receive({ type: 'agentInput', input: { kind: 'setValue', target: field, value: 'one' } });
    first.receive({ type: 'agentInput', input: { kind: 'click', target: button, point: { x: 1, y: 1 } } });
    expect(clicks).toEqual([]);

    // The socket is lost before the chunk is there: what it carried is not performed.
    first.readyState = 3;
    first.onclose?.({ code: 1006 });
    const second = await socketNumber(1);
    second.open();
    second.receive(WELCOME_WRITE);
    second.receive({ type: 'restrictions', version: 2, rules: [] });
    second.receive({ type: 'agentInput', input: { kind: 'setValue', target: field, value: 'two' } });
    second.receive({ type: 'agentInput', input: { kind: 'click', target: button, point: { x: 1, y: 1 } } });
    expect(clicks).toEqual([]);
    loads[0]!();
    await vi.waitFor(() => expect(clicks).toEqual(['two']));
    // Loaded: performed at once.
    second.receive({ type: 'agentInput', input: { kind: 'setValue', target: field, value: 'three' } });
    second.receive({ type: 'agentInput', input: { kind: 'click', target: button, point: { x: 1, y: 1 } } });
    expect(clicks).toEqual(['two', 'three']);
    expect(loads).toHaveLength(1);
    controller.exit();
  });

  it('new rules while the agent watches mask what the agent already has, in the next batch', async () => {
    document.body.innerHTML = '<p id="card">4111 1111</p>';
    const controller = createSessionController(window, SERVER, events(), chunks);
    controller.resume();
    const socket = PageSocket.sockets[0]!;
    socket.open();
    socket.receive(WELCOME_WRITE);
    socket.receive({ type: 'restrictions', version: 1, rules: [] });
    socket.receive({ type: 'snapshotRequest', reason: 'agentJoined' });
    await settledFrames(socket, 1);
    const full = JSON.stringify((await decodeFrame(socket.frames()[0] as Uint8Array<ArrayBuffer>))?.payload);
    expect(full).toContain('4111 1111');

    socket.receive({ type: 'restrictions', version: 2, rules: [{ id: 3, selector: '#card', kind: 'mask', urlPattern: null }] });
    await settledFrames(socket, 2);
    const batch = await decodeFrame(socket.frames()[1] as Uint8Array<ArrayBuffer>);
    expect(batch?.header.kind).toBe(FrameKind.Incremental);
    const text = JSON.stringify(batch?.payload);
    expect(text).toContain('**** ****');
    expect(text).not.toContain('4111');
    controller.exit();
  });

  it('unreadable rules are reported and keep everything waiting', async () => {
    const report = vi.fn();
    const controller = createSessionController(window, SERVER, events({ report }), chunks);
    controller.resume();
    const socket = PageSocket.sockets[0]!;
    socket.open();
    socket.receive(WELCOME_WRITE);
    socket.receive({ type: 'snapshotRequest', reason: 'agentJoined' });
    socket.receive({ type: 'restrictions', version: 1, rules: 'everything' });
    socket.receive({ type: 'restrictions', version: 1, rules: [{ id: 1, kind: 'mask' }] });
    expect(report).toHaveBeenCalledWith('unreadable restrictions from the server');
    expect(controller.captureContext().mirror.getId(document.body)).toBeUndefined();
    socket.receive({ type: 'restrictions', version: 2, rules: [] });
    await settledFrames(socket, 1);
    controller.exit();
  });

  it("declines a resource request it will not answer, with the ticket alone: no agent, a URL the page does not show, no uploader", async () => {
    document.body.innerHTML = '<img src="/shown.png">';
    const declines = (socket: PageSocket) => socket.texts().filter((m) => m.type === 'resourceDeclined');
    const controller = createSessionController(window, SERVER, events(), chunks);
    controller.resume();
    const socket = PageSocket.sockets[0]!;
    socket.open();
    socket.receive({ type: 'welcome', token: '123456789', state: 'idle', agentPresent: false, mode: 'pointer' });
    socket.receive({ type: 'resourceRequest', url: `${location.origin}/shown.png`, ticket: 'no-agent' });
    expect(declines(socket)).toEqual([{ type: 'resourceDeclined', ticket: 'no-agent' }]);
    socket.receive({ type: 'agentJoined' });
    socket.receive({ type: 'resourceRequest', url: 'https://elsewhere.example/private.png', ticket: 'not-shown' });
    await vi.waitFor(() => expect(declines(socket)).toHaveLength(2));
    expect(declines(socket)[1]).toEqual({ type: 'resourceDeclined', ticket: 'not-shown' });
    controller.exit();

    // The uploader's chunk does not load: the requests waiting for it are declined.
    storeSession();
    const broken: ChunkLoader = { load: () => Promise.reject(new Error('offline')) };
    const second = createSessionController(window, SERVER, events(), broken);
    second.resume();
    const other = PageSocket.sockets[1]!;
    other.open();
    other.receive({ type: 'welcome', token: '123456789', state: 'active', agentPresent: true, mode: 'pointer' });
    other.receive({ type: 'resourceRequest', url: `${location.origin}/shown.png`, ticket: 'no-uploader' });
    await vi.waitFor(() => expect(declines(other)).toEqual([{ type: 'resourceDeclined', ticket: 'no-uploader' }]));
    second.exit();
  });

  it('readRules makes doubtful rules stricter, never looser', () => {
    expect(readRules([{ id: 1, selector: '.a', kind: 'control', urlPattern: '^https://' }])).toEqual([
      { id: 1, selector: '.a', kind: 'control', urlPattern: '^https://' },
    ]);
    // Unknown kind: masked. A URL pattern that is not a string (or empty): every page.
    expect(readRules([{ id: 2, selector: '.b', kind: 'hide', urlPattern: 5 }])).toEqual([{ id: 2, selector: '.b', kind: 'mask', urlPattern: null }]);
    expect(readRules([{ id: 3, selector: '.c', kind: 'mask', urlPattern: '' }])?.[0]?.urlPattern).toBeNull();
    expect(readRules(null)).toBeNull();
    expect(readRules([null])).toBeNull();
    expect(readRules([{ id: 4, selector: 7, kind: 'mask' }])).toBeNull();
  });
});

describe('API payloads', () => {
  it('maps the end reasons to the reference API names', () => {
    expect(apiReason('endedByIntegration')).toBe('external');
    expect(apiReason('agentExited')).toBe('external');
    expect(apiReason('customerExited')).toBe('self');
  });

  it('onModeChanged gets {pointer, write} as the guide defines them', () => {
    expect(modeChangedPayload('write')).toEqual({ pointer: false, write: true });
    expect(modeChangedPayload('pointer')).toEqual({ pointer: true, write: false });
  });

  it('answerOnce: first call wins, anything but true declines', () => {
    const got: boolean[] = [];
    const a = answerOnce((v) => got.push(v));
    a('yes');
    a(true);
    expect(got).toEqual([false]);
  });
});

describe('back/forward cache (pageRestored)', () => {
  it('replaces the socket: a new hello for the same session, the old socket is closed and ignored', () => {
    const connected = vi.fn();
    const ended = vi.fn();
    const controller = createSessionController(window, SERVER, events({ connected, ended }), chunks);
    controller.resume();
    const first = PageSocket.sockets[0]!;
    first.open();
    first.receive({ type: 'welcome', token: '123456789', state: 'active', agentPresent: true, mode: 'pointer' });
    expect(connected).toHaveBeenCalledOnce();

    controller.pageRestored();
    expect(first.readyState).toBe(3);
    const second = PageSocket.sockets[1]!;
    expect(second).toBeDefined();
    second.open();
    expect(second.texts()[0]).toMatchObject({ type: 'hello', token: '123456789', secret: 's' });
    // The old socket has no say any more (its handlers were detached).
    first.onclose?.({ code: 1006 });
    expect(ended).not.toHaveBeenCalled();
    second.receive({ type: 'welcome', token: '123456789', state: 'active', agentPresent: true, mode: 'pointer' });
    expect(connected).toHaveBeenCalledOnce();
    expect(controller.token()).toBe('123456789');
    controller.exit();
  });

  it('lets the session go (reason undefined) when the tab no longer stores it', () => {
    const ended = vi.fn();
    const controller = createSessionController(window, SERVER, events({ ended }), chunks);
    controller.resume();
    PageSocket.sockets[0]!.open();
    // Another page of the tab exited the session while this one was cached.
    window.sessionStorage.removeItem('gcb.session');
    controller.pageRestored();
    expect(ended).toHaveBeenCalledExactlyOnceWith(undefined);
    expect(PageSocket.sockets).toHaveLength(1);
    expect(controller.token()).toBeNull();
  });

  it('does nothing without a session', () => {
    window.sessionStorage.clear();
    const controller = createSessionController(window, SERVER, events(), chunks);
    controller.pageRestored();
    expect(PageSocket.sockets).toHaveLength(0);
  });
});
