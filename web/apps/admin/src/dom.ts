/**
 * Small DOM helpers of the editor. Text always goes in as text nodes, never as markup: descriptions,
 * selectors and group names are typed by people and must not become HTML.
 */

/** The element with id `id`; throws when the page lacks it (a broken build, not a user error). */
export function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
}

export type Child = Node | string | null | undefined | false;

/**
 * A new element: `attrs` become attributes (`true` → present and empty, `false`/`undefined` →
 * absent), `children` are appended in order, strings as text nodes.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === true) el.setAttribute(name, '');
    else if (typeof value === 'string') el.setAttribute(name, value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';

/**
 * Keeps Tab and Shift+Tab inside `dialog` while it is open (a modal dialog makes the page inert,
 * but the browser would still let the focus leave to its own toolbar). Returns the teardown.
 */
export function trapFocus(dialog: HTMLDialogElement): () => void {
  const onKey = (ev: KeyboardEvent) => {
    if (ev.key !== 'Tab' || !dialog.open) return;
    const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (el) => !(el as HTMLInputElement).disabled && el.getClientRects().length > 0,
    );
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    const active = document.activeElement;
    if (ev.shiftKey && (active === first || !dialog.contains(active))) {
      ev.preventDefault();
      last.focus();
    } else if (!ev.shiftKey && (active === last || !dialog.contains(active))) {
      ev.preventDefault();
      first.focus();
    }
  };
  dialog.addEventListener('keydown', onKey);
  return () => dialog.removeEventListener('keydown', onKey);
}

/** Shows `text` in the error element `id` (hidden when `null`), and marks `field` invalid with it. */
export function fieldError(id: string, text: string | null, field?: HTMLElement): void {
  const el = byId(id);
  el.textContent = text ?? '';
  el.hidden = text === null;
  if (!field) return;
  if (text === null) field.removeAttribute('aria-invalid');
  else field.setAttribute('aria-invalid', 'true');
}

const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

/** A `<time>` of Unix seconds `at`, in the administrator's time zone, ISO in `datetime`. */
export function timeElement(at: bigint | number): HTMLTimeElement {
  const date = new Date(Number(at) * 1000);
  return h('time', { datetime: date.toISOString(), title: date.toString() }, dateTime.format(date));
}
