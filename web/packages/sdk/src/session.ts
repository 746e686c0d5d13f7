/**
 * The customer's side of one co-browse session: creates it on the server, keeps its socket
 * connected (also across page navigations within the tab, through sessionStorage), answers snapshot
 * requests by capturing the page, sends the customer's pointer while an agent is there, keeps the
 * session's mode (Pointer / Write) and the pending Write Mode request, and ends the session. Owns
 * no UI: it reports through `SessionEvents`.
 *
 * DOM restrictions: the rules of the `restrictions` message go to the capture context's engine
 * (`ctx.restrictions`). No DOM frame is sent on a socket, and no agent input is performed, before
 * that socket has received its `restrictions`: a `snapshotRequest` that arrives first waits for
 * them. The server orders them the other way; this browser does not rely on it.
 */

import type {
  AgentInput,
  CreatedSession,
  CustomerRule,
  CustomerToServer,
  EndReason,
  Mode,
  NavCommand,
  PageInfo,
  PagePoint,
  ServerToCustomer,
} from '@cobrowse/protocol';
import { pointerMoveEncoder } from '@cobrowse/protocol';
import { createCaptureContext, fontSourceTexts, watchShadowRoots, watchStylesheets, type CaptureContext, type RestrictionRule } from '@cobrowse/dom';
import { startCapture, type Capture } from './capture';
import { trackPointer, type PointerMessage, type PointerTracking } from './pointer';
import type { InputPerformer } from './input';
import { createSubmissionGuard } from './submission';
import { attachTopContext, frameHub } from './frames';
import type { ResourceUploader, createResourceUploader } from './resources';
import { pristineRealm } from './realm';
import type { ChunkLoader } from './chunk';
import type { CanvasChunk } from './chunks/canvas';
import type { WriteChunk } from './chunks/write';

/** Reasons of `onSessionEnded`, as the reference JavaScript API names them. */
export type ApiEndReason =
  | 'self'
  | 'external'
  | 'timeout'
  | 'inactivityTimeout'
  | 'serverUnavailable'
  | 'sessionsOverLimit'
  | 'error';

export function apiReason(reason: EndReason): ApiEndReason {
  switch (reason) {
    case 'customerExited':
      return 'self';
    case 'agentExited':
    case 'agentDisconnected':
    case 'endedByIntegration':
      return 'external';
    case 'inactivityTimeout':
      return 'inactivityTimeout';
    case 'customerDisconnected':
      return 'timeout';
    case 'sessionsOverLimit':
      return 'sessionsOverLimit';
    case 'serverShutdown':
      return 'serverUnavailable';
    case 'error':
      return 'error';
    default: {
      const never: never = reason;
      return never;
    }
  }
}

/**
 * Wraps the answer to one Write Mode request: only the first call counts (the guide's `done`), and
 * anything but `true` declines.
 */
export function answerOnce(answer: (allow: boolean) => void): (allow: unknown) => void {
  let answered = false;
  return (allow) => {
    if (answered) return;
    answered = true;
    answer(allow === true);
  };
}

/**
 * The rules of a `restrictions` message, checked one by one (the message comes from the network):
 * `null` when the message is malformed as a whole. A rule with a bad field is not dropped silently
 * but made stricter: an unknown kind counts as `mask`, a non-string URL pattern as "every page"
 * (fail closed, as the engine does for what this browser cannot parse).
 */
export function readRules(rules: unknown): RestrictionRule[] | null {
  if (!Array.isArray(rules)) return null;
  const out: RestrictionRule[] = [];
  for (const r of rules as unknown[]) {
    if (!r || typeof r !== 'object') return null;
    const rule = r as Partial<Record<keyof CustomerRule, unknown>>;
    if (typeof rule.selector !== 'string') return null;
    const id = typeof rule.id === 'number' || typeof rule.id === 'bigint' ? Number(rule.id) : 0;
    out.push({
      id,
      selector: rule.selector,
      kind: rule.kind === 'control' ? 'control' : 'mask',
      urlPattern: typeof rule.urlPattern === 'string' && rule.urlPattern !== '' ? rule.urlPattern : null,
    });
  }
  return out;
}

/** The payload of `onModeChanged`, as the guide defines it. */
export function modeChangedPayload(mode: Mode): { pointer: boolean; write: boolean } {
  return { pointer: mode === 'pointer', write: mode === 'write' };
}

export interface SessionEvents {
  /** The server accepted our socket (first time on this page). */
  connected(token: string, resumed: boolean): void;
  /** An agent is in the session; `already` when it was there before this page loaded. */
  agentJoined(already: boolean): void;
  agentLeft(): void;
  /** The session is over for this page; `undefined` when another page of the tab took it over. */
  ended(reason: ApiEndReason | undefined): void;
  /** The agent's pointer moved to `p` (a document point), or left the replica (`null`). */
  agentPointer(p: PagePoint | null): void;
  /** The agent clicked at `p` in Pointer Mode: show a mark there, click nothing. */
  agentMark(p: PagePoint): void;
  /**
   * The agent asks for Write Mode. `answer` sends the customer's decision; only its first call
   * counts, and it does nothing once the request is withdrawn (`modeRequestWithdrawn`).
   */
  modeUpgradeRequested(answer: (allow: unknown) => void): void;
  /** A pending request can no longer be answered (agent gone, session over): close its dialog. */
  modeRequestWithdrawn(): void;
  /**
   * The mode is now `mode`. `notify` is false when this page learns the mode on its first welcome
   * (after a navigation in Write Mode): nothing changed for the customer.
   */
  modeChanged(mode: Mode, notify: boolean): void;
  /** The agent asks for a navigation of the tab (Write Mode; the server checked a `url`). */
  navigate(command: NavCommand, url: string | null): void;
  /** The server refused a navigation the agent asked for (the URL is not allowed). */
  navigationRefused(command: NavCommand): void;
  /** New restriction rules are in `captureContext().restrictions` (what is masked may change). */
  restrictionsChanged(): void;
  report(msg: string, err?: unknown): void;
}

interface StoredSession {
  token: string;
  secret: string;
  socketUrl: string;
  serverUrl: string;
}

const STORAGE_KEY = 'gcb.session';
const PROTOCOL_VERSION = 1;
/** How long the page keeps trying to reconnect before it gives the session up. */
const RECONNECT_GIVE_UP_MS = 30_000;
/** Close code of a socket that a newer socket of the same session replaced (docs/PROTOCOL.md). */
const CLOSE_REPLACED = 4000;
/** `WebSocket.OPEN`, as a literal: a page may have replaced `WebSocket` by a wrapper without it. */
const OPEN = 1;

function loadStored(win: Window, serverUrl: string): StoredSession | null {
  try {
    const raw = win.sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof s.token === 'string' && typeof s.secret === 'string' && typeof s.socketUrl === 'string' && s.serverUrl === serverUrl) {
      return s as StoredSession;
    }
  } catch {
    // Storage blocked or corrupt: behave as if there were no session.
  }
  return null;
}

function store(win: Window, s: StoredSession | null): void {
  try {
    if (s) win.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(s));
    else win.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Without storage the session simply does not survive navigation.
  }
}

export interface SessionController {
  /** The session of this tab, if one is stored (resumes it). */
  resume(): boolean;
  start(): Promise<void>;
  exit(): void;
  token(): string | null;
  agentPresent(): boolean;
  captureContext(): CaptureContext;
  mode(): Mode;
  /** The customer revokes Write Mode (`api.downgradeMode()`, the toolbar's "Revoke control"). */
  downgradeMode(): void;
  /** Tells the agent that its navigation could not happen. */
  navigationFailed(command: NavCommand, reason: string): void;
  /**
   * The page came back from the back/forward cache: its socket (closed or frozen meanwhile) is
   * replaced by a new one, whose welcome brings a fresh snapshot for the agent. If the tab's
   * stored session is gone or another one (ended or replaced while the page was cached), the page
   * lets its session go without ending it (`ended(undefined)`).
   */
  pageRestored(): void;
}

/**
 * `chunks` loads what only some sessions run (chunk.ts): Write Mode's input performer (`gcb-write.js`,
 * when the mode becomes write) and the resource uploader (`gcb-resources.js`, at the server's
 * first `resourceRequest`).
 */
export function createSessionController(win: Window, serverUrl: string, given: SessionEvents, chunks: ChunkLoader): SessionController {
  const doc = win.document;
  // Frames of this page (frames.ts): elements their SDK marks are service elements here too, and
  // their child contexts hear about the session and the rules.
  const hub = frameHub(win);
  // Observe and walk with the platform's own MutationObserver and Node accessors, even when the page
  // replaced them before the SDK loaded (realm.ts).
  const pristine = pristineRealm(win);
  const ctx = createCaptureContext(doc, {
    isService: (el) => hub !== null && hub.marked.has(el),
    realm: pristine.realm,
    MutationObserver: pristine.MutationObserver,
  });
  // Closed shadow roots cannot be read later: keep those the page attaches from now on, so that a
  // capture sends them like open ones (shadow-watch.ts; for the page's lifetime, a weak map).
  watchShadowRoots(win, ctx.dom);
  // Sheets script changes through the CSSOM, from now on: the page's `<link>` sheets that script
  // never changed travel by URL (`CaptureContext.cssomWatched`; for the page's lifetime, a weak set).
  watchStylesheets(win, (sheet) => ctx.scriptedSheets.add(sheet), () => {});
  ctx.cssomWatched.add(doc);
  const frames = hub !== null ? attachTopContext(hub, ctx.restrictions) : null;
  const events: SessionEvents = {
    ...given,
    connected(token, resumed) {
      given.connected(token, resumed);
      frames?.sessionStarted(token);
    },
    ended(reason) {
      given.ended(reason);
      frames?.sessionEnded(reason);
    },
    restrictionsChanged() {
      given.restrictionsChanged();
      frames?.restrictionsChanged();
    },
  };
  // Taken once, now: a script of the page may replace `window.WebSocket` later.
  const Socket = (win as Window & typeof globalThis).WebSocket;
  /**
   * Answers `resourceRequest`s: resources the server's proxy cannot fetch (resources.ts, in the
   * chunk `gcb-resources.js`, loaded at the first request; made once, it remembers what this page
   * uploaded). A request this page will not answer is declined at once (`resourceDeclined`), so
   * that the agent's replica gets its error without waiting for the server's timeout.
   */
  let uploader: ResourceUploader | null = null;
  let uploaderLoading: Promise<void> | null = null;
  const declineResource = (ticket: unknown) => {
    if (typeof ticket === 'string') sendControl({ type: 'resourceDeclined', ticket });
  };
  const requestResource = (url: unknown, ticket: unknown) => {
    if (!agent) {
      declineResource(ticket);
      return;
    }
    if (uploader) {
      uploader.request(url, ticket);
      return;
    }
    const loading = (uploaderLoading ??= chunks.load<typeof createResourceUploader>('resources').then(
      (create) => {
        uploader = create(win, serverUrl, {
          report: (msg, err) => events.report(msg, err),
          decline: declineResource,
          isMasked: (el) => ctx.restrictions.isMasked(el),
          scriptCss: (d) => fontSourceTexts(ctx, d),
        });
      },
      (err: unknown) => {
        events.report('could not load the resource uploader', err);
        uploaderLoading = null; // the next request tries again
      },
    ));
    const session = current;
    // Requests made while it loads keep their order; those of a session that ended meanwhile are
    // dropped (its socket is gone); the others are declined when the uploader is not there.
    void loading.then(() => {
      if (current !== session) return;
      if (agent && uploader) uploader.request(url, ticket);
      else declineResource(ticket);
    });
  };
  let current: StoredSession | null = null;
  let socket: WebSocket | null = null;
  /** The current socket has received its `restrictions`: DOM frames and agent input may flow. */
  let rulesReceived = false;
  /** A snapshot was requested on the current socket before its `restrictions` arrived. */
  let snapshotDeferred = false;
  let capture: Capture | null = null;
  let agent = false;
  let everConnected = false;
  let resumed = false;
  let downSince = 0;
  let retryDelay = 250;
  let retryTimer: ReturnType<typeof setTimeout> | 0 = 0;
  let starting = false;
  let pointer: PointerTracking | null = null;
  /** Pointer moves go as binary deltas from the socket's previous move: one encoder per socket. */
  let pointerMove = pointerMoveEncoder();
  let mode: Mode = 'pointer';
  /** Counts Write Mode requests: an answer belongs to the request of its number only. */
  let request = 0;
  let requestOpen = false;
  const writeMode = () => mode === 'write' && agent && current !== null && rulesReceived;
  // The agent's input is performed by Write Mode's chunk (input.ts in `gcb-write.js`), loaded when
  // the mode becomes write. The window's submission guard is made now, at load: its `submit`
  // listener must come before any the page adds later (submission.ts).
  const guard = createSubmissionGuard(win, (msg, err) => events.report(msg, err));
  let performer: InputPerformer | null = null;
  let performerLoading = false;
  /** Agent input received on the current socket while the chunk loads: performed in order once it is there. */
  let pendingInput: AgentInput[] = [];
  const loadPerformer = () => {
    if (performer || performerLoading) return;
    performerLoading = true;
    chunks.load<WriteChunk>('write').then(
      boundary('Write Mode input', ({ createInputPerformer }: WriteChunk) => {
        performerLoading = false;
        const made = createInputPerformer({ ctx, guard, writeMode, report: (msg, err) => events.report(msg, err) });
        performer = made;
        const waiting = pendingInput;
        pendingInput = [];
        // The performer checks the mode, the rules and the target again, now.
        for (const input of waiting) made.perform(input);
      }),
      (err: unknown) => {
        performerLoading = false;
        pendingInput = [];
        events.report('could not load the Write Mode code', err);
      },
    );
  };

  const page = (): PageInfo => ({ url: doc.URL, title: doc.title });

  /**
   * Runs an SDK callback that the page's event loop calls (socket events, timers, page events):
   * whatever goes wrong is reported, never thrown into the page.
   */
  const boundary =
    <A extends unknown[]>(what: string, fn: (...args: A) => void) =>
    (...args: A): void => {
      try {
        fn(...args);
      } catch (err) {
        try {
          events.report(`error in ${what}`, err);
        } catch {
          // Nothing left to tell.
        }
      }
    };

  const sendControl = (msg: CustomerToServer) => {
    if (socket && socket.readyState === OPEN) socket.send(JSON.stringify(msg));
  };

  /** A move as a binary pointer move (docs/PROTOCOL.md, "Pointers"), a leave as `pointerLeave`. */
  const sendPointer = (msg: PointerMessage) => {
    if (msg.type === 'pointerLeave') sendControl(msg);
    else if (socket && socket.readyState === OPEN) socket.send(pointerMove(msg));
  };

  const stopCapture = () => {
    capture?.stop();
    capture = null;
    snapshotDeferred = false;
  };

  /** Sends a full snapshot (starting the capture first): only once the socket has its rules. */
  const snapshot = () => {
    if (!rulesReceived) {
      snapshotDeferred = true;
      return;
    }
    snapshotDeferred = false;
    if (!capture) {
      capture = startCapture(
        ctx,
        {
          sendFrame: (bytes) => {
            if (socket && socket.readyState === OPEN && rulesReceived) socket.send(bytes);
          },
          bufferedAmount: () => socket?.bufferedAmount ?? 0,
          pageChanged: (p) => sendControl({ type: 'pageChanged', page: p }),
        },
        events.report,
        () => chunks.load<CanvasChunk>('canvas'),
      );
    }
    capture.fullSnapshot();
  };


  const setMode = (next: Mode, notify: boolean) => {
    if (next === mode) return;
    mode = next;
    if (next === 'write') loadPerformer(); // ready before the agent's first input
    events.modeChanged(next, notify);
  };

  /** A pending Write Mode request can no longer be answered. */
  const withdrawRequest = () => {
    request += 1;
    if (!requestOpen) return;
    requestOpen = false;
    events.modeRequestWithdrawn();
  };

  /** The customer's own pointer goes to the agent while one is present. */
  const agentArrived = (already: boolean) => {
    if (agent) return;
    agent = true;
    if (!pointer) pointer = trackPointer(win, sendPointer, boundary);
    events.agentJoined(already);
  };

  const agentGone = () => {
    pointer?.stop();
    pointer = null;
    withdrawRequest();
    events.agentPointer(null);
    // The server returns the session to Pointer Mode when the agent's socket is lost.
    setMode('pointer', true);
  };

  const finish = (reason: ApiEndReason | undefined) => {
    if (!current) return;
    current = null;
    store(win, null);
    stopCapture();
    pointer?.stop();
    pointer = null;
    withdrawRequest();
    pendingInput = [];
    uploader?.stop();
    // Over: no mode any more (not a downgrade the page is told about).
    mode = 'pointer';
    agent = false;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = 0;
    const s = socket;
    socket = null;
    if (s) {
      s.onopen = null;
      s.onclose = null;
      s.onmessage = null;
      s.onerror = null;
      try {
        s.close(1000);
      } catch {
        // Already closed.
      }
    }
    events.ended(reason);
  };

  const handle = (msg: ServerToCustomer) => {
    switch (msg.type) {
      case 'welcome':
        downSince = 0;
        retryDelay = 250;
        if (!everConnected) {
          everConnected = true;
          events.connected(msg.token, resumed);
          // A page opened in Write Mode (the customer navigated) learns the mode here, silently.
          setMode(msg.mode === 'write' ? 'write' : 'pointer', false);
        } else {
          setMode(msg.mode === 'write' ? 'write' : 'pointer', true);
        }
        if (msg.agentPresent) agentArrived(resumed);
        return;
      case 'agentJoined':
        agentArrived(false);
        return;
      case 'agentDisconnected':
        if (agent) agentGone();
        agent = false;
        events.agentLeft();
        stopCapture();
        return;
      case 'agentPointer':
        if (agent) events.agentPointer({ x: msg.x, y: msg.y });
        return;
      case 'agentPointerLeave':
        events.agentPointer(null);
        return;
      case 'agentMark':
        if (agent) events.agentMark({ x: msg.x, y: msg.y });
        return;
      case 'modeUpgradeRequested': {
        if (mode !== 'pointer') return;
        withdrawRequest();
        const id = request;
        requestOpen = true;
        events.modeUpgradeRequested(
          answerOnce((allow) => {
            if (id !== request || !current) return;
            requestOpen = false;
            sendControl({ type: 'modeResponse', allow });
          }),
        );
        return;
      }
      case 'modeChanged':
        withdrawRequest();
        setMode(msg.mode, true);
        return;
      case 'agentInput':
        // The performer checks the mode, the rules and the target again: this browser is the
        // authority.
        if (performer) performer.perform(msg.input);
        else if (writeMode()) {
          pendingInput.push(msg.input);
          loadPerformer();
        }
        return;
      case 'navigate':
        if (mode === 'write' && agent) events.navigate(msg.command, msg.url);
        return;
      case 'navigationRefused':
        if (agent) events.navigationRefused(msg.command);
        return;
      case 'snapshotRequest':
        snapshot();
        return;
      case 'sessionEnded':
        finish(apiReason(msg.reason));
        return;
      case 'error':
        switch (msg.code) {
          case 'sessionNotFound':
          case 'sessionEnded':
            // A page reopened with a session that is gone: the reference API calls this a timeout.
            finish(resumed ? 'timeout' : 'error');
            return;
          case 'protocolVersion':
          case 'unauthenticated':
          case 'forbidden':
          case 'handshakeRequired':
            events.report(`server refused the session: ${msg.code} (${msg.message})`);
            finish('error');
            return;
          default:
            events.report(`server error ${msg.code}: ${msg.message}`);
            return;
        }
      case 'resourceRequest':
        requestResource(msg.url, msg.ticket);
        return;
      case 'restrictions': {
        const rules = readRules((msg as { rules?: unknown }).rules);
        if (!rules) {
          // Without readable rules nothing may be sent (a snapshot request keeps waiting).
          events.report('unreadable restrictions from the server');
          return;
        }
        ctx.restrictions.setRules(rules);
        rulesReceived = true;
        // The capture masks (or unmasks) what the agent already has in its next batch.
        capture?.restrictionsChanged();
        events.restrictionsChanged();
        if (snapshotDeferred) snapshot();
        return;
      }
      default: {
        const never: never = msg;
        return never;
      }
    }
  };

  /** The socket is gone without the session ending: try again, or give the session up. */
  const lost = () => {
    const now = Date.now();
    if (!downSince) downSince = now;
    if (now - downSince > RECONNECT_GIVE_UP_MS || (!everConnected && !resumed)) {
      finish('serverUnavailable');
      return;
    }
    retryTimer = setTimeout(
      boundary('reconnecting', () => {
        retryTimer = 0;
        connect();
      }),
      retryDelay,
    );
    retryDelay = Math.min(retryDelay * 2, 4000);
  };

  const connect = () => {
    if (!current) return;
    const session = current;
    let s: WebSocket;
    try {
      s = new Socket(session.socketUrl);
    } catch (err) {
      // A bad URL, or the page's Content-Security-Policy refuses the server.
      events.report('could not open a socket', err);
      socket = null;
      lost();
      return;
    }
    s.binaryType = 'arraybuffer';
    socket = s;
    pointerMove = pointerMoveEncoder();
    // Every socket waits for its own rules (they may have changed while it was down), and input
    // received on an earlier one is not performed.
    rulesReceived = false;
    pendingInput = [];
    snapshotDeferred = false;
    s.onopen = boundary('socket open', () => {
      if (socket !== s) return;
      s.send(
        JSON.stringify({
          type: 'hello',
          protocolVersion: PROTOCOL_VERSION,
          token: session.token,
          secret: session.secret,
          page: page(),
        } satisfies CustomerToServer),
      );
    });
    s.onmessage = boundary('socket message', (ev: MessageEvent) => {
      // A socket that was replaced or given up has no say any more.
      if (socket !== s || typeof ev.data !== 'string') return;
      let msg: ServerToCustomer;
      try {
        msg = JSON.parse(ev.data) as ServerToCustomer;
      } catch (err) {
        events.report('unreadable message from the server', err);
        return;
      }
      handle(msg);
    });
    s.onclose = boundary('socket close', (ev: CloseEvent) => {
      if (socket !== s || !current) return;
      socket = null;
      stopCapture();
      if (ev.code === CLOSE_REPLACED) {
        // Another page of this tab (or a duplicate of it) now holds the session: let it go here
        // without ending it on the server.
        finish(undefined);
        return;
      }
      lost();
    });
  };

  // Tell the server the page is going away so the agent sees "navigating" at once.
  win.addEventListener(
    'pagehide',
    boundary('pagehide', () => {
      if (current) sendControl({ type: 'unloading' });
    }),
  );

  return {
    resume() {
      const stored = loadStored(win, serverUrl);
      if (!stored) return false;
      current = stored;
      resumed = true;
      connect();
      return true;
    },
    async start() {
      if (current || starting) return;
      starting = true;
      try {
        const res = await fetch(`${serverUrl}rest/live/sessions`, {
          method: 'POST',
          mode: 'cors',
          credentials: 'omit',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        if (!res.ok) {
          events.report(`the server refused to create a session (HTTP ${res.status})`);
          events.ended(res.status === 403 ? 'error' : 'serverUnavailable');
          return;
        }
        const created = (await res.json()) as CreatedSession;
        current = { token: created.token, secret: created.secret, socketUrl: created.socketUrl, serverUrl };
        store(win, current);
        resumed = false;
        everConnected = false;
        connect();
      } catch (err) {
        events.report('could not reach the server', err);
        events.ended('serverUnavailable');
      } finally {
        starting = false;
      }
    },
    exit() {
      if (!current) return;
      sendControl({ type: 'exit' });
      finish('self');
    },
    token: () => current?.token ?? null,
    agentPresent: () => agent,
    captureContext: () => ctx,
    mode: () => mode,
    downgradeMode() {
      // The server answers `modeChanged {mode: "pointer"}` to both parties.
      if (current && mode === 'write') sendControl({ type: 'downgradeMode' });
    },
    navigationFailed(command, reason) {
      if (current) sendControl({ type: 'navigationFailed', command, reason });
    },
    pageRestored() {
      if (!current) return;
      const stored = loadStored(win, serverUrl);
      if (!stored || stored.token !== current.token) {
        finish(undefined);
        return;
      }
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = 0;
      const old = socket;
      socket = null;
      if (old) {
        old.onopen = null;
        old.onclose = null;
        old.onmessage = null;
        old.onerror = null;
        try {
          old.close(1000);
        } catch {
          // Already closed.
        }
      }
      stopCapture();
      downSince = 0;
      retryDelay = 250;
      connect();
    },
  };
}
