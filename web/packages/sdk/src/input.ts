/**
 * Performs the agent's Write Mode input (`agentInput`, docs/PROTOCOL.md "Agent input") on the real
 * elements of the customer's page. This browser is the authority, whatever the server sends: input
 * is dropped silently outside Write Mode, for node ids the capture mirror does not know, for nodes
 * that are not connected elements, and for the SDK's own service elements.
 *
 * DOM restrictions (docs/PROTOCOL.md, "DOM restrictions") are enforced here, live, in every mode:
 * no click, key, value, check, focus or element scroll is performed on an element that is masked or
 * DOM controlled, itself or through an ancestor (`Restrictions.isRestricted`), nor a click on a
 * `<label>` (or inside one) whose control is restricted. Tab moves the focus past restricted
 * elements (they are not in the agent's tab order; Tab aimed at one only moves the focus on,
 * without key events), Enter and Space on them do nothing. Every action runs inside the
 * `SubmissionGuard`: whatever the page does during it, no form is submitted.
 *
 * Values are written through the native `value` setters of the element's prototype followed by an
 * `input` event: that is what frameworks with controlled inputs (React, Vue) observe, so their state
 * follows. Key events (keydown / keypress / keyup) are dispatched around each key so that pages and
 * frameworks see them; a page that cancels the keydown (or keypress) cancels the default action.
 *
 * Enter in a single-line input dispatches its key events and does nothing else: there is no
 * implicit form submission for the agent. Enter on a button or link, and Space on a button,
 * checkbox or radio, activate it as a browser does.
 *
 * Frames (docs/PROTOCOL.md, "Frames"): node ids of elements inside same-origin frame documents
 * resolve through the same mirror and are performed on those elements, with the same restriction
 * checks (which cross frame boundaries: an element inside a frame inside a restricted element is
 * restricted). A `point` aimed at such an element is a point of its frame's document; events are
 * made in the frame's realm, a `scroll` aimed at a frame document scrolls the frame's window, and
 * the frame's window gets a submission guard of its own as well.
 *
 * Owned by the session controller (one performer per page); holds no state of its own besides the
 * submission guards' listeners.
 */

import type { AgentInput, Modifiers, PagePoint } from '@cobrowse/protocol';
import { DOCUMENT_ID, type CaptureContext } from '@cobrowse/dom';
import { createSubmissionGuard, type SubmissionGuard } from './submission';

export interface InputPerformer {
  /** Performs one input; returns whether it was performed (false: dropped). */
  perform(input: AgentInput): boolean;
}

export interface InputOptions {
  ctx: CaptureContext;
  /** The submission guard of the page's window (made when not given; frames get their own here). */
  guard?: SubmissionGuard | null;
  /** The session is in Write Mode now. */
  writeMode(): boolean;
  report?(msg: string, err?: unknown): void;
}

type TextField = HTMLInputElement | HTMLTextAreaElement;

/** Input types whose value is free text, where printable keys insert characters. */
const TEXT_TYPES = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number', '']);

const FOCUSABLE =
  'a[href], area[href], button, input, select, textarea, iframe, summary, [tabindex], [contenteditable]:not([contenteditable="false"])';

export function createInputPerformer(opts: InputOptions): InputPerformer {
  const { ctx } = opts;
  const doc = ctx.doc;
  const win = doc.defaultView as (Window & typeof globalThis) | null;
  const guard = opts.guard ?? (win ? createSubmissionGuard(win, opts.report) : null);
  /** Submission guards of frame windows, made when the agent first acts inside one. */
  const frameGuards = new WeakMap<Window, SubmissionGuard>();
  const guardOf = (w: Window): SubmissionGuard | null => {
    let g = frameGuards.get(w);
    if (g === undefined) {
      try {
        g = createSubmissionGuard(w, opts.report);
      } catch {
        return null;
      }
      frameGuards.set(w, g);
    }
    return g;
  };

  /** The window of the document `node` belongs to (a frame's for nodes inside frames). */
  type Realm = Window & typeof globalThis;
  const realmOf = (node: Node): Realm | null => {
    const d = node.nodeType === 9 ? (node as Document) : node.ownerDocument;
    return (d?.defaultView as Realm | null | undefined) ?? win;
  };

  // Pristine setters, taken once: a page may patch them later (React itself wraps instance values).
  const setter = (proto: object | undefined, prop: string) =>
    proto ? Object.getOwnPropertyDescriptor(proto, prop)?.set : undefined;
  const inputValue = setter(win?.HTMLInputElement?.prototype, 'value');
  const textareaValue = setter(win?.HTMLTextAreaElement?.prototype, 'value');
  const selectValue = setter(win?.HTMLSelectElement?.prototype, 'value');

  const isA = <T extends Element>(el: Element, name: string): el is T => el.localName === name && el.namespaceURI === 'http://www.w3.org/1999/xhtml';

  const isTextField = (el: Element): el is TextField =>
    isA<HTMLTextAreaElement>(el, 'textarea') || (isA<HTMLInputElement>(el, 'input') && TEXT_TYPES.has((el as HTMLInputElement).type));

  const writable = (el: Element): boolean => !(el as HTMLInputElement).disabled && !(el as HTMLInputElement).readOnly;

  /** The element of `id`, when the input may act on it (restrictions are checked per action). */
  const element = (id: number): Element | null => {
    const node = ctx.mirror.getNode(id);
    if (!node || node.nodeType !== 1 || !node.isConnected) return null;
    const el = node as Element;
    if (ctx.isService(el)) return null;
    return el;
  };

  /** `el` or an ancestor is masked or DOM controlled now (fails closed if the check throws). */
  const restricted = (el: Element): boolean => {
    try {
      return ctx.restrictions.isRestricted(el);
    } catch {
      return true;
    }
  };

  /**
   * A click on `el` would act on a restricted element: `el` itself, or the control of the label
   * `el` is in (a click on a label clicks its control).
   */
  const clickRestricted = (el: Element): boolean => {
    if (restricted(el)) return true;
    const label = el.closest('label') as HTMLLabelElement | null;
    const control = label?.control ?? null;
    return control !== null && restricted(control);
  };

  const setValue = (el: Element, value: string) => {
    const set = isA(el, 'input') ? inputValue : isA(el, 'textarea') ? textareaValue : isA(el, 'select') ? selectValue : undefined;
    if (set) set.call(el, value);
    else (el as HTMLInputElement).value = value;
  };

  const fire = (el: EventTarget, ev: Event) => el.dispatchEvent(ev);

  const inputEvent = (el: Element, inputType: string, data: string | null) => {
    const Ctor = realmOf(el)?.InputEvent;
    const init = { bubbles: true, cancelable: false, composed: true, inputType, data };
    fire(el, Ctor ? new Ctor('input', init) : new Event('input', { bubbles: true, composed: true }));
  };

  const changeEvent = (el: Element) => fire(el, new Event('change', { bubbles: true }));

  /** The selection of a text field; types without a selection API (email, number) use the end. */
  const selection = (el: TextField): [number, number] => {
    let start: number | null = null;
    let end: number | null = null;
    try {
      start = el.selectionStart;
      end = el.selectionEnd;
    } catch {
      // No selection API for this input type.
    }
    const len = el.value.length;
    if (start === null || end === null) return [len, len];
    return [Math.min(start, end), Math.max(start, end)];
  };

  const setCaret = (el: TextField, at: number) => {
    try {
      el.setSelectionRange(at, at);
    } catch {
      // No selection API for this input type.
    }
  };

  const replaceText = (el: TextField, from: number, to: number, text: string, inputType: string) => {
    const v = el.value;
    if (isA<HTMLInputElement>(el, 'input') && el.maxLength >= 0 && text) {
      const room = el.maxLength - (v.length - (to - from));
      if (room <= 0) return;
      text = text.slice(0, room);
    }
    setValue(el, v.slice(0, from) + text + v.slice(to));
    setCaret(el, from + text.length);
    inputEvent(el, inputType, text || null);
  };

  const editable = (el: Element): boolean => (el as HTMLElement).isContentEditable === true;

  const insertInEditable = (el: Element, text: string) => {
    // execCommand keeps the page's undo stack and fires beforeinput/input itself; without it, a
    // plain text node is inserted at the selection.
    const owner = el.ownerDocument;
    try {
      if (typeof owner.execCommand === 'function' && owner.execCommand('insertText', false, text)) return;
    } catch {
      // Not supported here.
    }
    const sel = realmOf(el)?.getSelection();
    const range = sel && sel.rangeCount > 0 && el.contains(sel.anchorNode) ? sel.getRangeAt(0) : null;
    const textNode = owner.createTextNode(text);
    if (range) {
      range.deleteContents();
      range.insertNode(textNode);
      range.setStartAfter(textNode);
      range.collapse(true);
    } else el.appendChild(textNode);
    inputEvent(el, 'insertText', text);
  };

  /** Elements reachable with Tab, in tab order (restricted ones included: `moveFocus` skips them). */
  const tabOrder = (within: Document): HTMLElement[] => {
    const all = Array.from(within.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => {
      if (ctx.isService(el) || (el as HTMLInputElement).disabled || el.tabIndex < 0) return false;
      if (isA<HTMLInputElement>(el, 'input') && el.type === 'hidden') return false;
      if (el.closest('[hidden], [inert]')) return false;
      return true;
    });
    const positive = all.filter((el) => el.tabIndex > 0).sort((a, b) => a.tabIndex - b.tabIndex);
    return [...positive, ...all.filter((el) => el.tabIndex === 0)];
  };

  /** Focuses the next (previous) element in tab order after `from` that is not restricted. */
  const moveFocus = (from: Element, back: boolean) => {
    const order = tabOrder(from.ownerDocument);
    const n = order.length;
    if (n === 0) return;
    const i = order.indexOf(from as HTMLElement);
    const step = back ? -1 : 1;
    let at = i < 0 ? (back ? n - 1 : 0) : (i + step + n) % n;
    for (let tries = 0; tries < n; tries++, at = (at + step + n) % n) {
      const next = order[at];
      if (next && next !== from && !restricted(next)) {
        next.focus();
        return;
      }
    }
  };

  const keyEvent = (el: Element, type: string, key: string, code: string, m: Modifiers) => {
    const Ctor = realmOf(el)?.KeyboardEvent ?? KeyboardEvent;
    return fire(
      el,
      new Ctor(type, {
        key,
        code,
        shiftKey: m.shift,
        ctrlKey: m.ctrl,
        altKey: m.alt,
        metaKey: m.meta,
        bubbles: true,
        cancelable: true,
        composed: true,
      }),
    );
  };

  /** The default action of a key nobody cancelled. */
  const keyAction = (el: Element, key: string, m: Modifiers) => {
    const printable = [...key].length === 1 && !m.ctrl && !m.meta && !m.alt;
    if (key === 'Tab') {
      moveFocus(el, m.shift);
      return;
    }
    if (isTextField(el)) {
      if (!writable(el)) {
        return;
      }
      const [from, to] = selection(el);
      if (printable) replaceText(el, from, to, key, 'insertText');
      else if (key === 'Enter' && isA(el, 'textarea')) replaceText(el, from, to, '\n', 'insertLineBreak');
      else if (key === 'Backspace') {
        if (from !== to) replaceText(el, from, to, '', 'deleteContentBackward');
        else if (from > 0) replaceText(el, from - 1, from, '', 'deleteContentBackward');
      } else if (key === 'Delete') {
        if (from !== to) replaceText(el, from, to, '', 'deleteContentForward');
        else if (to < el.value.length) replaceText(el, from, from + 1, '', 'deleteContentForward');
      } else if (key === 'ArrowLeft') setCaret(el, from === to ? Math.max(0, from - 1) : from);
      else if (key === 'ArrowRight') setCaret(el, from === to ? Math.min(el.value.length, to + 1) : to);
      else if (key === 'Home' || (key === 'ArrowUp' && isA(el, 'input'))) setCaret(el, 0);
      else if (key === 'End' || (key === 'ArrowDown' && isA(el, 'input'))) setCaret(el, el.value.length);
      // Enter in an input: the page's keydown handlers had their say; no implicit submission here.
      return;
    }
    if (editable(el)) {
      if (printable) insertInEditable(el, key);
      else if (key === 'Enter') insertInEditable(el, '\n');
      else if (key === 'Backspace' || key === 'Delete') {
        try {
          el.ownerDocument.execCommand(key === 'Backspace' ? 'delete' : 'forwardDelete');
        } catch {
          // Not supported here.
        }
      }
      return;
    }
    const tag = el.localName;
    if (key === 'Enter' && (tag === 'a' || tag === 'button' || tag === 'summary')) (el as HTMLElement).click();
    else if (key === ' ' && (tag === 'button' || (isA<HTMLInputElement>(el, 'input') && ['checkbox', 'radio', 'button', 'submit', 'reset'].includes(el.type)))) {
      (el as HTMLElement).click();
    }
  };

  const key = (el: Element, k: string, code: string, m: Modifiers) => {
    let go = keyEvent(el, 'keydown', k, code, m);
    // keypress only for keys that produce a character (and Enter), as browsers do.
    if (go && (([...k].length === 1 && !m.ctrl && !m.meta) || k === 'Enter')) go = keyEvent(el, 'keypress', k, code, m);
    if (go && el.isConnected) keyAction(el, k, m);
    keyEvent(el, 'keyup', k, code, m);
  };

  /** Event init for a point of the document of `el` (a frame's own document inside frames). */
  const pointerInit = (el: Element, p: PagePoint) => {
    const w = realmOf(el);
    const x = p.x - (w?.scrollX ?? 0);
    const y = p.y - (w?.scrollY ?? 0);
    return { bubbles: true, cancelable: true, composed: true, clientX: x, clientY: y, screenX: x, screenY: y, button: 0 };
  };

  const click = (el: Element, p: PagePoint) => {
    const init = pointerInit(el, p);
    const realm = realmOf(el);
    const PointerCtor = realm?.PointerEvent;
    const MouseCtor = realm?.MouseEvent ?? MouseEvent;
    const pointer = (type: string, buttons: number) => {
      if (PointerCtor) fire(el, new PointerCtor(type, { ...init, pointerId: 1, pointerType: 'mouse', isPrimary: true, buttons }));
    };
    pointer('pointerdown', 1);
    const down = fire(el, new MouseCtor('mousedown', { ...init, buttons: 1, detail: 1 }));
    if (down && el.isConnected) {
      // A mousedown focuses the nearest focusable ancestor, as in a browser.
      const target = el.closest(FOCUSABLE) as HTMLElement | null;
      if (target && !(target as HTMLInputElement).disabled) target.focus();
    }
    pointer('pointerup', 0);
    fire(el, new MouseCtor('mouseup', { ...init, buttons: 0, detail: 1 }));
    // A dispatched click runs the element's activation behaviour: links navigate, checkboxes toggle,
    // buttons act (a submit button submits, as the customer's own click would).
    if (el.isConnected) fire(el, new MouseCtor('click', { ...init, buttons: 0, detail: 1 }));
  };

  const isTab = (k: string, m: Modifiers) => k === 'Tab' && !m.ctrl && !m.alt && !m.meta;

  const performChecked = (input: AgentInput): boolean => {
    if (input.kind === 'scroll' && input.target === DOCUMENT_ID) {
      win?.scrollTo({ left: input.point.x, top: input.point.y, behavior: 'instant' });
      return true;
    }
    if (input.kind === 'scroll') {
      // A frame's window: its document's id.
      const node = ctx.mirror.getNode(input.target);
      if (node !== undefined && node.nodeType === 9 && node !== doc) {
        const frameWin = (node as Document).defaultView;
        const host = frameWin?.frameElement ?? null;
        if (!frameWin || host === null || restricted(host)) return false;
        frameWin.scrollTo({ left: input.point.x, top: input.point.y, behavior: 'instant' });
        return true;
      }
    }
    const el = element(input.target);
    if (!el) return false;
    if (input.kind === 'key' && isTab(input.key, input.modifiers) && restricted(el)) {
      // The focus is on a restricted element (the customer put it there): Tab moves on, and the
      // element sees no key events from the agent.
      moveFocus(el, input.modifiers.shift);
      return true;
    }
    if (input.kind === 'click' ? clickRestricted(el) : restricted(el)) return false;
    switch (input.kind) {
      case 'click':
        click(el, input.point);
        return true;
      case 'key':
        key(el, input.key, input.code, input.modifiers);
        return true;
      case 'setValue':
        if (!(isA(el, 'input') || isA(el, 'textarea') || isA(el, 'select')) || !writable(el)) return false;
        setValue(el, input.value);
        inputEvent(el, 'insertReplacementText', input.value);
        changeEvent(el);
        return true;
      case 'setChecked': {
        if (!isA<HTMLInputElement>(el, 'input') || (el.type !== 'checkbox' && el.type !== 'radio') || el.disabled) return false;
        // A click sets the state and fires input and change (a radio unchecks its group): React
        // and others follow checkboxes through the click, not through a set property.
        if (el.checked !== input.checked) el.click();
        return true;
      }
      case 'focus':
        (el as HTMLElement).focus?.();
        return true;
      case 'scroll':
        el.scrollTo?.({ left: input.point.x, top: input.point.y, behavior: 'instant' });
        if (!el.scrollTo) {
          el.scrollLeft = input.point.x;
          el.scrollTop = input.point.y;
        }
        return true;
      default: {
        const never: never = input;
        return never;
      }
    }
  };

  return {
    perform(input) {
      if (!opts.writeMode()) return false;
      // Inside a frame, that frame's window is guarded too.
      const node = ctx.mirror.getNode(input.target);
      const realm = node !== undefined ? realmOf(node) : null;
      const inner = realm && realm !== win ? guardOf(realm) : null;
      const run = inner ? () => inner.during(() => performChecked(input)) : () => performChecked(input);
      return guard ? guard.during(run) : run();
    },
  };
}
