/**
 * The agent desktop's chat panel: waiting chats to accept, the agent's own chats, the selected
 * conversation with a message box, and "End chat". Talks to `/cobrowse/ws/chat/agent` (login
 * cookie) and reconnects after a network blip (the server then sends the lists and every own
 * conversation again).
 *
 * A customer message that carries `cobrowse` (the server linked `{start:TOKEN}` to a live
 * co-browse session) is shown as "Customer started co-browsing (session …)" and `onCobrowse` is
 * called with the token once per token, so the desktop joins it as if the agent had typed it.
 * Texts are always shown with `textContent`: customer input is never markup.
 */

import type { AgentToChat, ChatEndReason, ChatMessage, ChatSummary, ChatToAgent } from '@cobrowse/protocol';

export interface ChatPanelOptions {
  /** A linked co-browse session to join (called once per token). */
  onCobrowse(token: string): void;
}

const END_TEXT: Record<ChatEndReason, string> = {
  customerEnded: 'the customer ended the chat',
  agentEnded: 'you ended the chat',
  customerLeft: 'the customer left',
  agentLeft: 'your connection was lost for too long',
  unanswered: 'nobody accepted it in time',
  inactive: 'nobody wrote for too long',
  serverShutdown: 'the server is shutting down',
};

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
};

/** Spaced token as the desktop shows it: `123 456 789`. */
export function spacedToken(token: string): string {
  return `${token.slice(0, 3)} ${token.slice(3, 6)} ${token.slice(6)}`;
}

/** What a message says in the conversation. */
export function messageText(m: ChatMessage): string {
  return m.cobrowse ? `Customer started co-browsing (session ${spacedToken(m.cobrowse)})` : m.text;
}

export function startChatPanel(options: ChatPanelOptions): { close(): void } {
  const panel = $('chat-panel');
  panel.hidden = false;
  let socket: WebSocket | null = null;
  let closed = false;
  let retry = 250;
  let retryTimer: ReturnType<typeof setTimeout> | 0 = 0;
  let waiting: ChatSummary[] = [];
  let mine: ChatSummary[] = [];
  /** Conversations of the agent's chats, ended ones kept until another is selected. */
  const conversations = new Map<string, { chat: ChatSummary; messages: ChatMessage[]; ended: ChatEndReason | null }>();
  let selected: string | null = null;
  /** Tokens already handed to `onCobrowse`. */
  const started = new Set<string>();

  const send = (msg: AgentToChat) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
  };

  const status = (text: string) => {
    $('chat-status').textContent = text;
  };

  const renderLists = () => {
    const list = (el: HTMLElement, chats: ChatSummary[], empty: string, action: (c: ChatSummary) => HTMLElement) => {
      el.replaceChildren();
      if (!chats.length) {
        const li = document.createElement('li');
        li.className = 'empty';
        li.textContent = empty;
        el.append(li);
      }
      for (const c of chats) {
        const li = document.createElement('li');
        li.dataset['chatId'] = c.chatId;
        li.append(action(c));
        el.append(li);
      }
    };
    list($('chat-waiting'), waiting, 'No customer is waiting.', (c) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'chat-accept';
      b.textContent = `Accept chat with ${c.customer}`;
      b.onclick = () => send({ type: 'accept', chatId: c.chatId });
      return b;
    });
    list($('chat-mine'), mine, 'No chat yet.', (c) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'chat-open link-like';
      b.textContent = `${c.customer}${c.customerConnected ? '' : ' (away)'}`;
      b.setAttribute('aria-pressed', String(c.chatId === selected));
      b.onclick = () => select(c.chatId);
      return b;
    });
  };

  const line = (m: ChatMessage): HTMLLIElement => {
    const li = document.createElement('li');
    li.dataset['sender'] = m.sender;
    li.dataset['seq'] = String(m.seq);
    if (m.cobrowse) li.dataset['cobrowse'] = m.cobrowse;
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = `${m.name} · ${new Date(m.at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}`;
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = messageText(m);
    li.append(who, text);
    return li;
  };

  const renderConversation = () => {
    const box = $('chat-conversation');
    const conv = selected ? conversations.get(selected) : undefined;
    box.hidden = !conv;
    if (!conv) return;
    $('chat-with').textContent = `Chat with ${conv.chat.customer}`;
    const log = $('chat-log');
    log.replaceChildren(...conv.messages.map(line));
    log.scrollTop = log.scrollHeight;
    const over = conv.ended !== null;
    $<HTMLInputElement>('chat-text').disabled = over;
    $<HTMLButtonElement>('chat-send').disabled = over;
    $('chat-end').hidden = over;
    status(over ? `Chat ended: ${END_TEXT[conv.ended as ChatEndReason]}` : '');
  };

  const select = (chatId: string) => {
    selected = chatId;
    renderLists();
    renderConversation();
  };

  /** Joins the co-browse sessions linked in `messages` that were not joined yet. */
  const follow = (chatId: string, messages: ChatMessage[]) => {
    for (const m of messages) {
      if (m.cobrowse && !started.has(m.cobrowse)) {
        started.add(m.cobrowse);
        // The latest start of an active chat wins; ended chats start nothing.
        if (!conversations.get(chatId)?.ended) options.onCobrowse(m.cobrowse);
      }
    }
  };

  const handle = (msg: ChatToAgent) => {
    switch (msg.type) {
      case 'chats':
        waiting = msg.waiting;
        mine = msg.mine;
        for (const c of mine) {
          const conv = conversations.get(c.chatId);
          if (conv) conv.chat = c;
        }
        renderLists();
        return;
      case 'conversation': {
        const known = conversations.get(msg.chat.chatId);
        conversations.set(msg.chat.chatId, { chat: msg.chat, messages: msg.history, ended: known?.ended ?? null });
        if (!selected || !conversations.get(selected) || conversations.get(selected)?.ended) select(msg.chat.chatId);
        else renderLists();
        if (selected === msg.chat.chatId) renderConversation();
        follow(msg.chat.chatId, msg.history);
        return;
      }
      case 'message': {
        const conv = conversations.get(msg.chatId);
        if (!conv) return;
        if (!conv.messages.some((m) => m.seq === msg.message.seq)) conv.messages.push(msg.message);
        if (selected === msg.chatId) renderConversation();
        follow(msg.chatId, [msg.message]);
        return;
      }
      case 'chatEnded': {
        const conv = conversations.get(msg.chatId);
        if (conv) conv.ended = msg.reason;
        if (selected === msg.chatId) renderConversation();
        return;
      }
      case 'error':
        status(msg.message);
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  };

  const connect = () => {
    const url = new URL('/cobrowse/ws/chat/agent', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const s = new WebSocket(url);
    socket = s;
    s.onopen = () => {
      retry = 250;
      panel.dataset['connected'] = 'true';
    };
    s.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      try {
        handle(JSON.parse(ev.data) as ChatToAgent);
      } catch (err) {
        console.warn('[chat] unreadable message', err);
      }
    };
    s.onclose = () => {
      if (socket !== s || closed) return;
      socket = null;
      panel.dataset['connected'] = 'false';
      retryTimer = setTimeout(connect, retry);
      retry = Math.min(retry * 2, 4000);
    };
  };

  $<HTMLFormElement>('chat-form').onsubmit = (ev) => {
    ev.preventDefault();
    const field = $<HTMLInputElement>('chat-text');
    const text = field.value;
    if (!selected || !text.trim()) return;
    send({ type: 'send', chatId: selected, text });
    field.value = '';
  };
  $('chat-end').onclick = () => {
    if (selected) send({ type: 'end', chatId: selected });
  };
  renderLists();
  renderConversation();
  connect();
  return {
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      socket?.close();
      panel.hidden = true;
    },
  };
}
