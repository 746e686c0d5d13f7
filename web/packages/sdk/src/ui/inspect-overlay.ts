/**
 * The inspect overlay (inspect mode, `inspect.ts`): every restricted element on screen outlined —
 * purple for masked, green for DOM control — with a small label naming its rule(s), and a panel
 * (top right) titled "DOM restrictions on this page" listing the rules that apply to this URL
 * (built-in defaults first) with their kind, group, selector and how many elements each matches
 * now, and in a second, collapsed list the enabled rules that do not apply to this URL.
 *
 * Everything lives in an open shadow root under a service element attached to `<html>`. Outlines
 * have `pointer-events: none`; the panel is a non-modal dialog: it takes the focus when it opens,
 * its close button and Escape close inspect mode, and the page stays usable around it. Layout is
 * read once per call of `layout` (the caller calls it at most once per frame), reads before writes;
 * at most `MAX_OUTLINES` outlines are drawn (the first ones on screen).
 */

import { element, serviceHost } from './dom';

export interface InspectRuleView {
  /** The restriction's id; negative for the built-in defaults. */
  id: number;
  kind: 'mask' | 'control';
  selector: string;
  description: string;
  group: string;
  urlPattern: string | null;
  builtIn: boolean;
  /** Elements matching the selector now; `null` when it does not apply or the browser rejects it. */
  count: number | null;
}

export interface InspectOutline {
  el: Element;
  kind: 'mask' | 'control';
  /** The names of the rules the element matches. */
  names: string[];
}

export interface InspectModel {
  applicable: InspectRuleView[];
  other: InspectRuleView[];
  outlines: InspectOutline[];
}

export interface InspectTexts {
  title: string;
  close: string;
}

export interface InspectOverlay {
  /** Shows `text` in the panel instead of the lists (`error`: as an alert); `null` hides it. */
  message(text: string | null, error: boolean): void;
  /** Shows the rule lists (only re-rendered when something shown changed). */
  rules(model: InspectModel): void;
  /** Places the outlines of `outlines` (document order) that are on screen. */
  layout(outlines: readonly InspectOutline[]): void;
  destroy(): void;
}

export const MAX_OUTLINES = 300;
const MAX_MEASURED = 3000;

const STYLE = `
:host { all: initial; }
.outline { position: fixed; left: 0; top: 0; box-sizing: border-box; pointer-events: none; z-index: 2147483644;
  border: 2px solid var(--c); border-radius: 3px; box-shadow: 0 0 0 1px rgba(255,255,255,.85); }
.outline.mask { --c: #7048e8; }
.outline.control { --c: #2b8a3e; }
.tag { position: absolute; left: -2px; bottom: 100%; margin-bottom: 2px; max-width: 320px; padding: 1px 6px;
  border-radius: 3px; background: var(--c); color: #fff; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
  font: 600 11px/16px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.outline.below .tag { bottom: auto; top: 100%; margin: 2px 0 0; }
.panel { position: fixed; top: 12px; right: 12px; z-index: 2147483647; width: min(420px, calc(100vw - 24px));
  max-height: calc(100vh - 24px); overflow: auto; box-sizing: border-box; padding: 12px 14px; border-radius: 8px;
  background: #fff; color: #1f2933; box-shadow: 0 6px 24px rgba(0,0,0,.28);
  font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.panel:focus { outline: none; }
.panel:focus-visible { outline: 2px solid #1971c2; outline-offset: 2px; }
.head { display: flex; align-items: center; gap: 8px; margin-bottom: 8px; }
h2 { flex: 1; margin: 0; font-size: 15px; font-weight: 600; }
button.close { all: unset; cursor: pointer; width: 28px; height: 28px; border-radius: 6px; display: grid;
  place-items: center; font-size: 16px; color: #1f2933; }
button.close:hover { background: #f1f3f5; }
button.close:focus-visible { outline: 2px solid #1971c2; outline-offset: 1px; }
.msg { margin: 4px 0; }
.msg.error { color: #c92a2a; font-weight: 600; }
ul { list-style: none; margin: 0; padding: 0; }
li { padding: 6px 0; border-top: 1px solid #e9ecef; }
.line { display: flex; align-items: baseline; gap: 6px; flex-wrap: wrap; }
.kind { padding: 0 6px; border-radius: 3px; color: #fff; font-size: 11px; font-weight: 600; white-space: nowrap; }
.kind.mask { background: #7048e8; }
.kind.control { background: #2b8a3e; }
.name { font-weight: 600; }
.group { color: #495057; }
.count { margin-left: auto; color: #495057; white-space: nowrap; }
code { display: block; margin-top: 2px; color: #364fc7; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace;
  overflow-wrap: anywhere; }
.pattern { color: #495057; font-size: 12px; overflow-wrap: anywhere; }
details { margin-top: 10px; }
summary { cursor: pointer; color: #495057; }
summary:focus-visible { outline: 2px solid #1971c2; outline-offset: 2px; }
@media (forced-colors: active) {
  .outline { border-color: Highlight; box-shadow: none; }
  .tag, .kind { background: Canvas; color: CanvasText; border: 1px solid Highlight; }
}
[hidden] { display: none !important; }
`;

const KIND_TEXT = { mask: 'Masked', control: 'DOM control' } as const;

function countText(n: number | null): string {
  if (n === null) return 'invalid selector';
  return n === 1 ? '1 element' : `${n} elements`;
}

export function createInspectOverlay(win: Window, texts: InspectTexts, onClose: () => void): InspectOverlay {
  const doc = win.document;
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string) => element(doc, tag, cls, text);

  const { host, root } = serviceHost(doc, 'gcb-inspect', STYLE);
  const outlinesBox = el('div');
  // The outlines repeat what the panel lists: hidden from assistive technology.
  outlinesBox.setAttribute('aria-hidden', 'true');

  const panel = el('section', 'panel');
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-modal', 'false');
  panel.setAttribute('aria-labelledby', 'gcb-inspect-title');
  panel.setAttribute('data-gcb-inspect-panel', '');
  panel.tabIndex = -1;
  const head = el('div', 'head');
  const title = el('h2', undefined, texts.title);
  title.id = 'gcb-inspect-title';
  const close = el('button', 'close', '\u2715');
  close.type = 'button';
  close.setAttribute('aria-label', texts.close);
  close.title = texts.close;
  close.addEventListener('click', () => onClose());
  head.append(title, close);
  const msg = el('p', 'msg');
  msg.hidden = true;
  const list = el('ul');
  list.setAttribute('data-gcb-inspect-applicable', '');
  const details = el('details');
  details.hidden = true;
  const summary = el('summary');
  const otherList = el('ul');
  otherList.setAttribute('data-gcb-inspect-other', '');
  details.append(summary, otherList);
  panel.append(head, msg, list, details);
  panel.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      ev.stopPropagation();
      onClose();
    }
  });
  root.append(outlinesBox, panel);
  doc.documentElement.appendChild(host);
  try {
    panel.focus({ preventScroll: true });
  } catch {
    // Not focusable here: the panel is still reachable with the keyboard.
  }

  const pool: HTMLElement[] = [];
  let shown = '';

  const item = (v: InspectRuleView, withCount: boolean): HTMLLIElement => {
    const li = el('li');
    li.setAttribute('data-rule-id', String(v.id));
    const line = el('div', 'line');
    line.append(el('span', `kind ${v.kind}`, KIND_TEXT[v.kind]));
    if (v.description.trim()) line.append(el('span', 'name', v.description));
    line.append(el('span', 'group', v.group));
    if (withCount) {
      const c = el('span', 'count', countText(v.count));
      c.setAttribute('data-count', v.count === null ? '' : String(v.count));
      line.append(c);
    }
    li.append(line, el('code', undefined, v.selector));
    if (v.urlPattern) li.append(el('div', 'pattern', `URL pattern: ${v.urlPattern}`));
    return li;
  };

  return {
    message(text, error) {
      msg.hidden = text === null;
      msg.textContent = text ?? '';
      msg.className = error ? 'msg error' : 'msg';
      if (error) msg.setAttribute('role', 'alert');
      else msg.removeAttribute('role');
    },
    rules(model) {
      const sig = JSON.stringify([model.applicable.map((v) => [v.id, v.count]), model.other.map((v) => v.id)]);
      if (sig === shown) return;
      shown = sig;
      list.replaceChildren(...model.applicable.map((v) => item(v, true)));
      otherList.replaceChildren(...model.other.map((v) => item(v, false)));
      summary.textContent = `Rules that do not apply to this page (${model.other.length})`;
      details.hidden = model.other.length === 0;
    },
    layout(outlines) {
      const vw = win.innerWidth;
      const vh = win.innerHeight;
      const placed: { o: InspectOutline; r: DOMRect }[] = [];
      const n = Math.min(outlines.length, MAX_MEASURED);
      for (let i = 0; i < n && placed.length < MAX_OUTLINES; i++) {
        const o = outlines[i]!;
        if (!o.el.isConnected) continue;
        const r = o.el.getBoundingClientRect();
        if (r.width <= 0 && r.height <= 0) continue;
        if (r.bottom < 0 || r.right < 0 || r.top > vh || r.left > vw) continue;
        placed.push({ o, r });
      }
      placed.forEach(({ o, r }, i) => {
        let box = pool[i];
        if (!box) {
          box = el('div');
          box.setAttribute('data-gcb-inspect-outline', '');
          box.append(el('span', 'tag'));
          outlinesBox.append(box);
          pool[i] = box;
        }
        box.className = `outline ${o.kind}${r.top < 22 ? ' below' : ''}`;
        box.setAttribute('data-kind', o.kind);
        const tag = box.firstChild as HTMLElement;
        const name = o.names.join(', ');
        if (tag.textContent !== name) tag.textContent = name;
        box.style.transform = `translate(${Math.round(r.left) - 2}px, ${Math.round(r.top) - 2}px)`;
        box.style.width = `${Math.round(r.width) + 4}px`;
        box.style.height = `${Math.round(r.height) + 4}px`;
        box.hidden = false;
      });
      for (let i = placed.length; i < pool.length; i++) {
        const box = pool[i];
        if (box) box.hidden = true;
      }
    },
    destroy() {
      host.remove();
      pool.length = 0;
    },
  };
}
