import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeFrame, FrameKind } from '@cobrowse/protocol';
import { createSessionController, type SessionEvents } from '../src/session';

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

function events(overrides: Partial<SessionEvents> = {}): SessionEvents {
  return { connected() {}, agentJoined() {}, agentLeft() {}, ended() {}, report() {}, ...overrides };
}

let savedWebSocket: typeof WebSocket;

beforeEach(() => {
  savedWebSocket = window.WebSocket;
  PageSocket.sockets = [];
  (window as unknown as { WebSocket: unknown }).WebSocket = PageSocket;
  window.sessionStorage.setItem(
    'gcb.session',
    JSON.stringify({ token: '123456789', secret: 's', socketUrl: 'ws://cobrowse.test/cobrowse/ws/customer', serverUrl: SERVER }),
  );
});

afterEach(() => {
  window.WebSocket = savedWebSocket;
  window.sessionStorage.clear();
});

describe('session controller', () => {
  it('works with a page that replaced WebSocket by a wrapper without the static constants', async () => {
    const controller = createSessionController(window, SERVER, events());
    expect(controller.resume()).toBe(true);
    const socket = PageSocket.sockets[0]!;
    socket.open();
    expect(socket.texts()[0]?.type).toBe('hello');
    socket.receive({ type: 'welcome', token: '123456789', state: 'active', agentPresent: true });
    socket.receive({ type: 'snapshotRequest', reason: 'agentJoined' });
    await vi.waitFor(() => expect(socket.frames()).toHaveLength(1));
    const decoded = await decodeFrame(socket.frames()[0] as Uint8Array<ArrayBuffer>);
    expect(decoded?.header.kind).toBe(FrameKind.Full);
    controller.exit();
    expect(socket.texts().map((m) => m.type)).toContain('exit');
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
});
