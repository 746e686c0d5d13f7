/**
 * The built-in customer UI: a toolbar with the session id and the exit button (in Write Mode also
 * `writeModeInProgress` and a "Revoke control" button; while the page has masked content,
 * `contentMaskedPartially`), and short notifications. It lives in an open shadow root (the host page's CSS neither reaches in nor leaks
 * out) under a service element, so it is never sent to the agent. The host element is a child of
 * `<html>`, not of `<body>`: pages that replace their body (Turbo Drive, `body.innerHTML = …`)
 * would otherwise take the toolbar, and the customer's exit button, with it.
 */

import type { Mode } from '@cobrowse/protocol';
import { format, type Strings } from '../strings';
import { element, serviceHost } from './dom';

export interface Toolbar {
  show(token: string): void;
  notify(text: string): void;
  /** Shows the session's mode: in Write Mode, `writeModeInProgress` and the revoke button. */
  setMode(mode: Mode): void;
  /** Whether the page has content hidden from the representative (`contentMaskedPartially`). */
  setMasked(present: boolean): void;
  /** Removes the toolbar; shows `text` for a few seconds when given. */
  end(text?: string): void;
}

const STYLE = `
:host { all: initial; }
.bar { position: fixed; top: 8px; left: 8px; right: 8px; margin: 0 auto; width: max-content; z-index: 2147483647;
  display: flex; align-items: center; gap: 12px; padding: 8px 8px 8px 16px; border-radius: 8px;
  background: #1f2933; color: #fff; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  box-shadow: 0 4px 16px rgba(0,0,0,.25); box-sizing: border-box; max-width: calc(100vw - 16px); flex-wrap: wrap; }
.content { font-variant-numeric: tabular-nums; letter-spacing: .02em; white-space: nowrap; }
button { all: unset; cursor: pointer; width: 28px; height: 28px; border-radius: 6px; display: grid;
  place-items: center; color: #fff; background: #c62828; font-size: 16px; line-height: 1; }
button:hover { background: #e53935; }
.write { display: flex; align-items: center; gap: 10px; padding-left: 12px; border-left: 1px solid rgba(255,255,255,.25); }
.write-text { color: #ffd8a8; white-space: nowrap; }
.masked { padding-left: 12px; border-left: 1px solid rgba(255,255,255,.25); color: #d0bfff; white-space: nowrap; }
.masked::before { content: ""; display: inline-block; width: 9px; height: 9px; margin-right: 6px;
  border: 2px solid #b197fc; border-radius: 2px; vertical-align: -1px; }
button.revoke { width: auto; padding: 0 12px; white-space: nowrap; background: #e8590c; font-size: 14px; font-weight: 500; }
button.revoke:hover { background: #d9480f; }
button:focus-visible { outline: 2px solid #90caf9; outline-offset: 2px; }
.note { position: fixed; top: 60px; left: 50%; transform: translateX(-50%); z-index: 2147483647;
  max-width: min(90vw, 520px); padding: 10px 14px; border-radius: 8px; background: #fff; color: #1f2933;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; box-shadow: 0 4px 16px rgba(0,0,0,.2); }
[hidden] { display: none !important; }
`;

const NOTE_MS = 6000;

export function createToolbar(doc: Document, strings: Strings, onExit: () => void, onRevoke: () => void = () => {}): Toolbar {
  let host: HTMLElement | null = null;
  let bar: HTMLElement | null = null;
  let content: HTMLElement | null = null;
  let write: HTMLElement | null = null;
  let masked: HTMLElement | null = null;
  let note: HTMLElement | null = null;
  let noteTimer: ReturnType<typeof setTimeout> | 0 = 0;

  const remove = () => {
    host?.remove();
    host = bar = content = write = masked = note = null;
  };

  const attach = () => {
    if (host && !host.isConnected) doc.documentElement.appendChild(host);
  };

  const ensure = () => {
    if (host) return;
    const made = serviceHost(doc, 'gcb-toolbar-host', STYLE);
    host = made.host;
    bar = element(doc, 'div', 'bar');
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', strings.modalTitle);
    content = element(doc, 'span', 'content');
    const exit = element(doc, 'button', '', '\u2715');
    exit.type = 'button';
    exit.title = strings.exitBtnTitle;
    exit.setAttribute('aria-label', strings.exitBtnTitle);
    exit.addEventListener('click', () => onExit());
    write = element(doc, 'span', 'write');
    write.hidden = true;
    const revoke = element(doc, 'button', 'revoke', strings.downgradeMode);
    revoke.type = 'button';
    revoke.addEventListener('click', () => onRevoke());
    write.append(element(doc, 'span', 'write-text', strings.writeModeInProgress), revoke);
    // A live region of its own: the sentence is announced when masked content appears.
    masked = element(doc, 'span', 'masked', strings.contentMaskedPartially);
    masked.setAttribute('aria-live', 'polite');
    masked.setAttribute('data-gcb-masked-notice', '');
    masked.hidden = true;
    bar.append(content, write, masked, exit);
    note = element(doc, 'div', 'note');
    note.setAttribute('role', 'status');
    note.setAttribute('aria-live', 'polite');
    note.hidden = true;
    made.root.append(bar, note);
  };

  return {
    show(token) {
      ensure();
      if (content) content.textContent = format(strings.toolbarContent, { sessionId: token });
      if (bar) bar.hidden = false;
      attach();
    },
    notify(text) {
      ensure();
      if (!note || !host) return;
      attach();
      note.textContent = text;
      note.hidden = false;
      if (noteTimer) clearTimeout(noteTimer);
      noteTimer = setTimeout(() => {
        noteTimer = 0;
        if (note) note.hidden = true;
        if (bar?.hidden) remove();
      }, NOTE_MS);
    },
    setMode(mode) {
      if (!host && mode === 'pointer') return;
      ensure();
      if (write) write.hidden = mode !== 'write';
    },
    setMasked(present) {
      if (!host && !present) return;
      ensure();
      if (masked) masked.hidden = !present;
    },
    end(text) {
      // Also when the toolbar never showed (the server could not be reached, a resumed session had
      // expired): the customer still reads why co-browsing stopped.
      if (!host && !text) return;
      ensure();
      if (bar) bar.hidden = true;
      if (text) this.notify(text);
      else remove();
    },
  };
}
