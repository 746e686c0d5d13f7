/**
 * The demo shop's chat widget, and the co-browse SDK's `primaryMedia` adapter built on it.
 *
 * A launcher button opens a panel with the conversation. The chat (id, secret, socket URL) is
 * kept in sessionStorage, so every page of the shop in this tab reconnects to the same chat and
 * shows its history. The whole widget is a service element (`data-gcb-service-node="true"`): it
 * never appears in the agent's replica.
 *
 * Adapter contract (the guide's "Integrating Co-browse with Chat"): `initializeAsync(done)` calls
 * `done` once the widget knows its chat (reconnected, or none); `isAgentConnected()` is true while
 * an agent has accepted the chat and the socket is up; `sendCbSessionToken(token)` sends
 * `{start:TOKEN}` in the chat (queued until the socket is open), which the server links to the
 * co-browse session: ending the chat ends it.
 */

import type { ChatMessage, ChatToCustomer, CreatedChat, CustomerToChat } from '@cobrowse/protocol';

const STORE_KEY = 'demo.chat';
const PROTOCOL_VERSION = 1;
/** Close codes after which reconnecting is pointless (docs/PROTOCOL.md). */
const FINAL_CLOSES = new Set([1000, 1001, 1008, 4000]);

interface Stored {
  chat: CreatedChat;
  open: boolean;
}

export interface PrimaryMedia {
  initializeAsync(done: () => void): void;
  isAgentConnected(): boolean;
  sendCbSessionToken(token: string): void;
}

function load(): Stored | null {
  try {
    const v = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? 'null') as Stored | null;
    return v && typeof v.chat?.chatId === 'string' && typeof v.chat.secret === 'string' ? v : null;
  } catch {
    return null;
  }
}

function save(v: Stored | null): void {
  if (v) sessionStorage.setItem(STORE_KEY, JSON.stringify(v));
  else sessionStorage.removeItem(STORE_KEY);
}

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

/** Creates the widget (its DOM is added once the body exists) and returns the adapter. */
export function createChatWidget(cobrowseUrl: string): PrimaryMedia {
  let stored = load();
  let socket: WebSocket | null = null;
  let agent: string | null = null;
  let ended = false;
  let ready = false;
  let retry = 250;
  const readyCallbacks: (() => void)[] = [];
  /** Messages written while the socket was not open. */
  const outbox: string[] = [];

  const root = h('div', { id: 'demo-chat', class: 'demo-chat', 'data-gcb-service-node': 'true' });
  const launcher = h('button', { type: 'button', id: 'chat-launcher', class: 'chat-launcher' }, 'Chat with us');
  const panel = h('section', { id: 'chat-panel', class: 'chat-panel', 'aria-label': 'Chat with Bean & Brew' });
  const head = h('div', { class: 'chat-head' });
  const title = h('strong', {}, 'Chat with Bean & Brew');
  const hide = h('button', { type: 'button', class: 'chat-hide', 'aria-label': 'Hide the chat' }, '–');
  const endButton = h('button', { type: 'button', id: 'chat-end', class: 'chat-end' }, 'End chat');
  const status = h('p', { id: 'chat-status', class: 'chat-status', role: 'status' });
  const log = h('ol', { id: 'chat-log', class: 'chat-log', 'aria-live': 'polite' });
  const form = h('form', { id: 'chat-form', class: 'chat-form' });
  const input = h('input', { id: 'chat-input', maxlength: '2000', autocomplete: 'off', 'aria-label': 'Your message', placeholder: 'Write a message…' });
  const sendButton = h('button', { type: 'submit', id: 'chat-send' }, 'Send');
  head.append(title, endButton, hide);
  form.append(input, sendButton);
  panel.append(head, status, log, form);
  root.append(launcher, panel);
  panel.hidden = true;

  const markReady = () => {
    if (ready) return;
    ready = true;
    for (const cb of readyCallbacks.splice(0)) {
      try {
        cb();
      } catch (err) {
        console.warn('[chat] initializeAsync callback failed', err);
      }
    }
  };

  const showPanel = (open: boolean) => {
    panel.hidden = !open;
    launcher.hidden = open;
    if (stored) save({ ...stored, open });
    if (open) input.focus();
  };

  const setStatus = () => {
    status.textContent = ended
      ? 'The chat has ended.'
      : !stored
        ? ''
        : agent
          ? `You are chatting with ${agent}.`
          : 'Waiting for an agent…';
    endButton.hidden = ended || !stored;
    input.disabled = ended;
    sendButton.disabled = ended;
  };

  const line = (m: ChatMessage) => {
    const li = h('li', { 'data-sender': m.sender, 'data-seq': String(m.seq) });
    const text = m.cobrowse ? `You started co-browsing (session ${m.cobrowse})` : m.text;
    li.append(h('span', { class: 'who' }, m.sender === 'customer' ? 'You' : m.name), h('span', { class: 'text' }, text));
    if (!log.querySelector(`li[data-seq="${m.seq}"]`)) log.append(li);
    log.scrollTop = log.scrollHeight;
  };

  const flush = () => {
    while (socket?.readyState === WebSocket.OPEN && outbox.length) {
      const text = outbox.shift() ?? '';
      socket.send(JSON.stringify({ type: 'send', text } satisfies CustomerToChat));
    }
  };

  const finish = () => {
    ended = true;
    agent = null;
    stored = null;
    save(null);
    outbox.length = 0;
    setStatus();
  };

  const handle = (msg: ChatToCustomer) => {
    switch (msg.type) {
      case 'welcome':
        retry = 250;
        agent = msg.agent;
        log.replaceChildren();
        for (const m of msg.history) line(m);
        setStatus();
        flush();
        markReady();
        return;
      case 'agentJoined':
        agent = msg.agent;
        setStatus();
        return;
      case 'message':
        line(msg.message);
        return;
      case 'chatEnded':
        finish();
        return;
      case 'error':
        if (msg.code === 'notFound' || msg.code === 'unauthenticated') finish();
        else status.textContent = msg.message;
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  };

  const connect = () => {
    const current = stored;
    if (!current) return;
    const s = new WebSocket(current.chat.socketUrl);
    socket = s;
    s.onopen = () =>
      s.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, chatId: current.chat.chatId, secret: current.chat.secret } satisfies CustomerToChat));
    s.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      try {
        handle(JSON.parse(ev.data) as ChatToCustomer);
      } catch (err) {
        console.warn('[chat] unreadable message', err);
      }
    };
    s.onclose = (ev) => {
      if (socket !== s) return;
      socket = null;
      // The chat cannot be reached for now: co-browse must not wait for it.
      markReady();
      if (ended || FINAL_CLOSES.has(ev.code)) {
        if (!ended && ev.code !== 4000) finish();
        return;
      }
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 4000);
    };
  };

  const open = async () => {
    showPanel(true);
    if (stored) return;
    ended = false;
    log.replaceChildren();
    status.textContent = 'Connecting…';
    try {
      const res = await fetch(new URL('rest/chats', cobrowseUrl), { method: 'POST' });
      if (!res.ok) {
        status.textContent = 'The chat is not available right now. Please try again later.';
        return;
      }
      stored = { chat: (await res.json()) as CreatedChat, open: true };
      save(stored);
      setStatus();
      connect();
    } catch {
      status.textContent = 'The chat cannot be reached. Check your connection and try again.';
    }
  };

  launcher.addEventListener('click', () => void open());
  hide.addEventListener('click', () => showPanel(false));
  endButton.addEventListener('click', () => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'end' } satisfies CustomerToChat));
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = input.value;
    if (!text.trim() || ended || !stored) return;
    outbox.push(text);
    input.value = '';
    flush();
  });

  const mount = () => {
    document.body.append(root);
    setStatus();
    if (stored) {
      showPanel(stored.open);
      connect();
    } else {
      markReady();
    }
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });

  return {
    initializeAsync(done) {
      if (ready) done();
      else readyCallbacks.push(done);
    },
    isAgentConnected() {
      return !ended && agent !== null && socket?.readyState === WebSocket.OPEN;
    },
    sendCbSessionToken(token) {
      if (ended || !stored) return;
      outbox.push(`{start:${token}}`);
      flush();
    },
  };
}
