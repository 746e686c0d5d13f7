/**
 * The agent desktop: login, join by token (or `#join=123456789`), and the live replica with a
 * status line, the session's mode, "Request control" (Write Mode needs the customer's consent),
 * both pointers and an exit button. In Pointer Mode a click on the replica marks the spot on the
 * customer's page; in Write Mode the agent's clicks, keys and values on the replica, and the
 * Back / Forward / Refresh / address controls, are performed by the customer's browser. The agent socket reconnects after a network blip; the server
 * then asks the customer for a fresh snapshot.
 */

import type { AgentToServer, ApiError, EndReason, Me, Mode, NavCommand, ServerToAgent } from '@cobrowse/protocol';
import { createViewer, type Viewer } from '@cobrowse/viewer';
import { startChatPanel } from './chat';

const PROTOCOL_VERSION = 1;
/** Close code of a socket that a newer socket of the same agent replaced (docs/PROTOCOL.md). */
const CLOSE_REPLACED = 4000;

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
};

const views = {
  login: $('login-view'),
  join: $('join-view'),
  session: $('session-view'),
};

function show(view: keyof typeof views): void {
  for (const [name, el] of Object.entries(views)) el.hidden = name !== view;
}

const END_TEXT: Record<EndReason, string> = {
  customerExited: 'the customer exited the session',
  agentExited: 'you exited the session',
  endedByIntegration: 'it was ended by the contact center (the call or chat is over)',
  inactivityTimeout: 'no agent joined in time',
  customerDisconnected: 'the customer’s page did not come back',
  agentDisconnected: 'your connection was lost for too long',
  sessionsOverLimit: 'you are already in another session',
  serverShutdown: 'the server is shutting down',
  error: 'an unexpected error occurred',
};

type State = 'waiting' | 'live' | 'navigating' | 'disconnected' | 'resyncing' | 'ended';

function setStatus(state: State, text: string): void {
  const el = $('status');
  el.dataset['state'] = state;
  el.textContent = text;
}

/** A REST call; never rejects: a network failure is `status: 0`. */
async function api<T>(path: string, init?: RequestInit): Promise<{ ok: true; value: T } | { ok: false; status: number; message: string }> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin', ...init });
    if (res.ok) {
      const text = await res.text();
      return { ok: true, value: (text ? JSON.parse(text) : null) as T };
    }
  } catch {
    return { ok: false, status: 0, message: 'The server cannot be reached. Check your connection and try again.' };
  }
  let message = `HTTP ${res.status}`;
  try {
    message = ((await res.json()) as ApiError).error.message;
  } catch {
    // Not a JSON error body.
  }
  return { ok: false, status: res.status, message };
}

/** The chat panel, once logged in. */
let chatPanel: { close(): void } | null = null;

function signedIn(me: Me): void {
  // A co-browse session linked in a chat (`{start:TOKEN}`) is joined as if the agent had typed
  // its token, unless the desktop is already in it.
  chatPanel ??= startChatPanel({
    onCobrowse: (token) => {
      if (token !== current) join(token);
    },
  });
  const who = $('who');
  who.textContent = `${me.username} (${me.role})`;
  who.hidden = false;
  $('logout').hidden = false;
  const m = /^#join=(\d{9})$/.exec(location.hash);
  if (m?.[1]) {
    history.replaceState(null, '', location.pathname);
    join(m[1]);
  } else {
    show('join');
    $<HTMLInputElement>('token').focus();
  }
}

let active: { close(): void } | null = null;
/** The token of the session on screen (live or ended), `null` on the join form. */
let current: string | null = null;

function join(token: string): void {
  active?.close();
  current = token;
  show('session');
  $('session-token').textContent = `Session ${token.slice(0, 3)} ${token.slice(3, 6)} ${token.slice(6)}`;
  $('page-url').textContent = '';
  let ended = false;
  let mode: Mode = 'pointer';
  /** A Write Mode request is waiting for the customer's answer. */
  let requestPending = false;
  const requestButton = $<HTMLButtonElement>('request-control');
  let noticeTimer: ReturnType<typeof setTimeout> | 0 = 0;
  /** A notice over the replica; information goes away by itself, warnings stay until the next. */
  const notice = (text: string | null, kind: 'info' | 'warning' = 'warning') => {
    const el = $('notice');
    el.textContent = text ?? '';
    el.dataset['kind'] = kind;
    el.hidden = text === null;
    if (noticeTimer) clearTimeout(noticeTimer);
    noticeTimer = 0;
    if (text !== null && kind === 'info') {
      noticeTimer = setTimeout(() => {
        noticeTimer = 0;
        if (el.textContent === text) el.hidden = true;
      }, 8000);
    }
  };
  /** Mode label and "Request control" (only live, in Pointer Mode, with no request pending). */
  const controls = () => {
    const el = $('mode');
    el.dataset['mode'] = mode;
    el.textContent = mode === 'write' ? 'Write mode' : 'Pointer mode';
    el.hidden = ended;
    requestButton.hidden = ended;
    requestButton.disabled = ended || requestPending || mode !== 'pointer' || $('status').dataset['state'] !== 'live';
    // Navigation needs Write Mode; the server refuses it otherwise.
    const navOff = ended || mode !== 'write';
    for (const id of ['nav-back', 'nav-forward', 'nav-refresh', 'nav-url', 'nav-go']) $<HTMLButtonElement>(id).disabled = navOff;
  };
  const setState = (state: State, text: string) => {
    setStatus(state, text);
    controls();
  };
  notice(null);
  setState('waiting', 'Waiting for the customer…');
  // The join form (and its focused button) is gone: the session's name takes the focus.
  $('session-token').focus();
  const container = $('replica-container');
  container.replaceChildren();

  let socket: WebSocket | null = null;
  let retry = 250;
  let retryTimer: ReturnType<typeof setTimeout> | 0 = 0;
  const send = (msg: AgentToServer) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
  };

  const viewer: Viewer = createViewer({
    container,
    // The replica's images, fonts, stylesheets and media load through this server's resource
    // proxy for the session (docs/PROTOCOL.md, "Resources"), never from the customer's site.
    resourceToken: token,
    requestSnapshot: () => send({ type: 'requestSnapshot' }),
    onPointer: (p) => send(p ? { type: 'pointer', x: p.x, y: p.y } : { type: 'pointerLeave' }),
    onClick: (p) => {
      // Pointer Mode: the click marks the spot, the customer's page clicks nothing. In Write Mode
      // the click is input (below), performed by the customer's browser.
      if (mode === 'pointer' && $('status').dataset['state'] === 'live') send({ type: 'mark', x: p.x, y: p.y });
    },
    input: {
      enabled: () => mode === 'write' && !ended && $('status').dataset['state'] === 'live',
      send: (input) => send({ type: 'input', input }),
    },
    onSnapshot: (snap) => {
      if (!ended) setState('live', 'Live');
      $('page-url').textContent = snap.url;
    },
    onError: (msg, err) => console.warn('[replica]', msg, err ?? ''),
  });

  const end = (text: string) => {
    ended = true;
    viewer.customerPointer(null);
    notice(null);
    if (retryTimer) clearTimeout(retryTimer);
    setState('ended', text);
    $('exit').hidden = true;
    $('leave').hidden = false;
    // The exit button may have had the focus; the next thing to do is joining another session.
    $('leave').focus();
    const s = socket;
    socket = null;
    s?.close();
  };

  const handle = (msg: ServerToAgent) => {
    switch (msg.type) {
      case 'joined':
        retry = 250;
        mode = msg.mode;
        requestPending = false;
        controls();
        if (msg.page) $('page-url').textContent = msg.page.url;
        if (msg.customer === 'connected') setState('waiting', 'Waiting for the customer’s page…');
        else setState(msg.customer, msg.customer === 'navigating' ? 'Customer is navigating…' : 'Customer disconnected, waiting…');
        return;
      case 'customerStatus':
        if (msg.page) $('page-url').textContent = msg.page.url;
        switch (msg.customer) {
          case 'connected':
            // The server asks the customer for a snapshot; "live" once it is rendered.
            if ($('status').dataset['state'] !== 'live') setState('waiting', 'Waiting for the customer’s page…');
            return;
          case 'navigating':
            viewer.reset();
            viewer.customerPointer(null);
            setState('navigating', 'Customer is navigating…');
            return;
          case 'disconnected':
            viewer.reset();
            viewer.customerPointer(null);
            setState('disconnected', 'Customer disconnected, waiting…');
            return;
          default: {
            const never: never = msg.customer;
            return never;
          }
        }
      case 'resyncing':
        viewer.reset();
        setState('resyncing', 'Catching up…');
        return;
      case 'sessionEnded':
        end(`Session ended: ${END_TEXT[msg.reason]}`);
        return;
      case 'customerPointer':
        viewer.customerPointer({ x: msg.x, y: msg.y });
        return;
      case 'customerPointerLeave':
        viewer.customerPointer(null);
        return;
      case 'modeChanged': {
        const was = mode;
        mode = msg.mode;
        requestPending = false;
        controls();
        if (was !== mode) {
          notice(
            mode === 'write' ? 'The customer gave you control of the page.' : 'The customer’s page is back in Pointer mode: you can point, not act.',
            'info',
          );
        }
        return;
      }
      case 'modeRequestDeclined':
        requestPending = false;
        controls();
        notice('The customer declined your request for control.');
        return;
      case 'navigationFailed':
        notice(`Navigation failed: ${msg.reason}`);
        return;
      case 'error':
        switch (msg.code) {
          case 'sessionNotFound':
          case 'sessionEnded':
          case 'sessionTaken':
          case 'agentBusy':
          case 'protocolVersion':
          case 'handshakeRequired':
          case 'unauthenticated':
          case 'forbidden':
            end(`Cannot join: ${msg.message}`);
            return;
          default:
            console.warn('[cobrowse] server error', msg.code, msg.message);
            return;
        }
      default: {
        const never: never = msg;
        return never;
      }
    }
  };

  const connect = () => {
    const url = new URL('/cobrowse/ws/agent', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const s = new WebSocket(url);
    s.binaryType = 'arraybuffer';
    socket = s;
    s.onopen = () => s.send(JSON.stringify({ type: 'join', protocolVersion: PROTOCOL_VERSION, token } satisfies AgentToServer));
    s.onmessage = (ev) => {
      if (typeof ev.data === 'string') {
        try {
          handle(JSON.parse(ev.data) as ServerToAgent);
        } catch (err) {
          console.warn('[cobrowse] unreadable message', err);
        }
      } else {
        viewer.handleFrame(ev.data as ArrayBuffer);
      }
    };
    s.onclose = (ev) => {
      if (socket !== s || ended) return;
      if (ev.code === CLOSE_REPLACED) {
        end('This session was opened in another window.');
        return;
      }
      socket = null;
      viewer.reset();
      viewer.customerPointer(null);
      // The server returns the session to Pointer Mode when our socket is lost; `joined` tells.
      requestPending = false;
      setState('disconnected', 'Connection lost, reconnecting…');
      retryTimer = setTimeout(() => void reconnect(), retry);
      retry = Math.min(retry * 2, 4000);
    };
  };

  /** Reconnects, unless the login is gone (expired, or logged out in another tab). */
  const reconnect = async () => {
    retryTimer = 0;
    const me = await api<Me>('/cobrowse/rest/auth/me');
    if (ended) return;
    if (!me.ok && me.status === 401) {
      end('You are logged out. Reload the page and log in to rejoin the session.');
      return;
    }
    connect();
  };

  requestButton.onclick = () => {
    if (requestButton.disabled) return;
    requestPending = true;
    notice('Waiting for the customer to allow control…', 'info');
    controls();
    send({ type: 'requestWriteMode' });
  };

  const navigate = (command: NavCommand, url: string | null = null) => {
    if (mode !== 'write' || ended) return;
    send({ type: 'navigate', command, url });
    notice(command === 'url' ? `Opening ${url ?? ''} on the customer’s page…` : 'Navigating the customer’s page…', 'info');
  };
  $<HTMLButtonElement>('nav-back').onclick = () => navigate('back');
  $<HTMLButtonElement>('nav-forward').onclick = () => navigate('forward');
  $<HTMLButtonElement>('nav-refresh').onclick = () => navigate('refresh');
  $<HTMLFormElement>('nav-form').onsubmit = (ev) => {
    ev.preventDefault();
    const field = $<HTMLInputElement>('nav-url');
    const text = field.value.trim();
    if (!text) return;
    let url: string;
    try {
      // A bare host ("shop.example/cart") means https.
      url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`).href;
    } catch {
      notice('That is not a web address.');
      return;
    }
    navigate('url', url);
  };

  const exitButton = $<HTMLButtonElement>('exit');
  exitButton.hidden = false;
  $('leave').hidden = true;
  exitButton.onclick = () => {
    if (socket?.readyState === WebSocket.OPEN) {
      send({ type: 'exit' }); // the server answers sessionEnded
      return;
    }
    // Not connected: leave anyway. The server ends the session when our grace period runs out.
    end('You left the session. The customer will be told once the server notices.');
  };
  active = {
    close() {
      ended = true;
      if (retryTimer) clearTimeout(retryTimer);
      socket?.close();
      viewer.destroy();
    },
  };
  connect();
}

/** Shows `text` under a form and marks `fields` invalid (or clears both when `text` is null). */
function formError(errorId: string, fields: HTMLInputElement[], text: string | null): void {
  const error = $(errorId);
  error.textContent = text ?? '';
  error.hidden = text === null;
  for (const f of fields) {
    if (text === null) f.removeAttribute('aria-invalid');
    else f.setAttribute('aria-invalid', 'true');
  }
  if (text !== null) fields[0]?.focus();
}

$<HTMLFormElement>('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const username = $<HTMLInputElement>('username');
  const password = $<HTMLInputElement>('password');
  const submit = $<HTMLButtonElement>('login-submit');
  if (submit.disabled) return;
  formError('login-error', [username, password], null);
  submit.disabled = true;
  const res = await api<Me>('/cobrowse/rest/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: username.value, password: password.value }),
  });
  submit.disabled = false;
  if (res.ok) {
    password.value = '';
    signedIn(res.value);
  } else if (res.status === 401) {
    password.value = '';
    formError('login-error', [username, password], 'Wrong user name or password.');
  } else {
    formError('login-error', [], res.message);
  }
});

$<HTMLFormElement>('join-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const input = $<HTMLInputElement>('token');
  const token = input.value.replace(/\s+/g, '');
  if (!/^\d{9}$/.test(token)) {
    formError('join-error', [input], 'A session ID is nine digits.');
    return;
  }
  formError('join-error', [input], null);
  join(token);
});

$('leave').addEventListener('click', () => {
  active?.close();
  active = null;
  current = null;
  show('join');
  $<HTMLInputElement>('token').value = '';
  $<HTMLInputElement>('token').focus();
});

$('logout').addEventListener('click', async () => {
  active?.close();
  active = null;
  chatPanel?.close();
  const res = await api('/cobrowse/rest/auth/logout', { method: 'POST' });
  if (!res.ok && res.status === 0) {
    window.alert(res.message);
    return;
  }
  location.reload();
});

void (async () => {
  const me = await api<Me>('/cobrowse/rest/auth/me');
  if (me.ok) signedIn(me.value);
  else {
    show('login');
    $<HTMLInputElement>('username').focus();
  }
})();
