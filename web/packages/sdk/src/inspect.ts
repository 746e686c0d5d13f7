/**
 * Inspect mode ("View all restrictions on the current web page", docs/PROTOCOL.md): an
 * administrator opens a page of the site with a one-time `gcb-inspect=TICKET` in its fragment;
 * `gcb.js` removes the ticket from the URL at once (`history.replaceState`, the rest of the
 * fragment kept), redeems it with `POST {serverUrl}rest/restrictions/inspect/{ticket}` (CORS, no
 * credentials, no body) and shows which elements of this page every enabled restriction matches
 * (`ui/inspect-overlay.ts`), live as the page changes.
 *
 * Inspect mode is read-only: it never starts a co-browse session (`boot` checks
 * `takeInspectTicket`'s answer) and sends nothing else to the server. Most pages never run it: all
 * of it but `takeInspectTicket` is the chunk `gcb-inspect.js` (`chunks/inspect.ts`, `chunk.ts`),
 * loaded when a ticket was found. The rules go to an engine of
 * their own (`createRestrictions`), not to the capture context.
 */

import type { InspectRules, Restriction } from '@cobrowse/protocol';
import { createRestrictions, type RestrictionRule } from '@cobrowse/dom';
import { createInspectOverlay, type InspectModel, type InspectOutline, type InspectRuleView } from './ui/inspect-overlay';

const TICKET_KEY = 'gcb-inspect';
/** A ticket is base64url (32 random bytes: 43 characters); anything else is not sent anywhere. */
const TICKET_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;
/** Fallback delay when animation frames do not run. */
const FALLBACK_MS = 200;

/** Texts of inspect mode (administrators' UI, English like the admin pages). */
export const INSPECT_TEXT = {
  title: 'DOM restrictions on this page',
  loading: 'Loading restrictions…',
  invalid: 'This inspect link is invalid or has expired',
  unreachable: 'Could not reach the co-browse server to load the restrictions',
  close: 'Close',
  builtInGroup: 'Built-in',
  builtInMask: 'Password fields',
  builtInControl: 'Submit buttons',
} as const;

/** The ticket in `hash` (`#gcb-inspect=T`, or `&gcb-inspect=T` among other parts), and the rest. */
export function readInspectTicket(hash: string): { ticket: string; rest: string } | null {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!body) return null;
  const parts = body.split('&');
  const at = parts.findIndex((p) => p.startsWith(`${TICKET_KEY}=`));
  if (at < 0) return null;
  const ticket = parts[at]!.slice(TICKET_KEY.length + 1);
  parts.splice(at, 1);
  return { ticket, rest: parts.join('&') };
}

/** Reads the answer of the inspect endpoint: the enabled rules, or `null` when it is malformed. */
export function readInspectRules(body: unknown): Restriction[] | null {
  const list = (body as Partial<InspectRules> | null)?.restrictions;
  if (!Array.isArray(list)) return null;
  const out: Restriction[] = [];
  for (const r of list as unknown[]) {
    const x = r as Record<string, unknown> | null;
    if (!x || typeof x['selector'] !== 'string' || (x['kind'] !== 'mask' && x['kind'] !== 'control')) continue;
    if (x['enabled'] === false) continue;
    out.push({
      ...(x as unknown as Restriction),
      description: typeof x['description'] === 'string' ? x['description'] : '',
      group: typeof x['group'] === 'string' ? x['group'] : '',
      urlPattern: typeof x['urlPattern'] === 'string' && x['urlPattern'] !== '' ? x['urlPattern'] : null,
    });
  }
  return out;
}

export interface InspectMode {
  /** Removes the overlay and stops watching the page. */
  stop(): void;
}

export interface InspectOptions {
  win: Window;
  serverUrl: string;
  /** Whether `el` itself is a service element (elements inside them are not counted). */
  isService(el: Element): boolean;
  report(msg: string, err?: unknown): void;
  /** The constructor to observe with (default: the window's; the SDK passes its pristine one). */
  MutationObserver?: typeof MutationObserver;
}

/**
 * Takes the inspect ticket out of the page's URL at once (`history.replaceState`, the rest of the
 * fragment kept) and answers it, or `null` when the fragment holds none (and then has done nothing
 * at all). Part of `gcb.js`; inspect mode itself (`startInspect`) is the chunk `gcb-inspect.js`.
 */
export function takeInspectTicket(win: Window, report: (msg: string, err?: unknown) => void): string | null {
  const found = readInspectTicket(win.location.hash);
  if (!found) return null;
  try {
    const url = new URL(win.location.href);
    url.hash = found.rest;
    const href = found.rest ? url.href : url.href.replace(/#$/, '');
    win.history.replaceState(win.history.state, '', href);
  } catch (err) {
    report('could not remove the inspect ticket from the URL', err);
  }
  return found.ticket;
}

/** Starts inspect mode with the ticket `takeInspectTicket` took from the URL. */
export function startInspect(opts: InspectOptions, ticket: string): InspectMode {
  const { win, report } = opts;
  const doc = win.document;

  const overlay = createInspectOverlay(win, INSPECT_TEXT, () => mode.stop());
  overlay.message(INSPECT_TEXT.loading, false);

  let rules: Restriction[] = [];
  const engine = createRestrictions(doc, report);
  let stopped = false;
  let observer: MutationObserver | null = null;
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  /** The page changed since the last model (counts may differ); layout changes only redraw. */
  let modelDirty = true;
  let model: InspectModel | null = null;

  const inService = (el: Element): boolean => {
    for (let cur: Element | null = el; cur !== null; cur = cur.parentElement) if (opts.isService(cur)) return true;
    return false;
  };

  const safeAll = (selector: string): Element[] | null => {
    try {
      return Array.from(doc.querySelectorAll(selector)).filter((el) => !inService(el));
    } catch {
      return null;
    }
  };

  const computeModel = (): InspectModel => {
    const byId = new Map(rules.map((r) => [Number(r.id), r]));
    const applied = engine.applicable(doc.URL);
    const views: InspectRuleView[] = applied.map((a) => {
      const rule = byId.get(a.id);
      return {
        id: a.id,
        kind: a.kind,
        selector: a.selector,
        description: a.builtIn ? (a.kind === 'mask' ? INSPECT_TEXT.builtInMask : INSPECT_TEXT.builtInControl) : (rule?.description ?? ''),
        group: a.builtIn ? INSPECT_TEXT.builtInGroup : (rule?.group ?? ''),
        urlPattern: rule?.urlPattern ?? null,
        builtIn: a.builtIn,
        count: safeAll(a.selector)?.length ?? null,
      };
    });
    const appliedIds = new Set(applied.map((a) => a.id));
    const other: InspectRuleView[] = rules
      .filter((r) => !appliedIds.has(Number(r.id)))
      .map((r) => ({
        id: Number(r.id),
        kind: r.kind,
        selector: r.selector,
        description: r.description,
        group: r.group,
        urlPattern: r.urlPattern,
        builtIn: false,
        count: null,
      }));

    const m = engine.match();
    const outlines: InspectOutline[] = [];
    const outline = (el: Element, kind: 'mask' | 'control') => {
      if (inService(el)) return;
      const names: string[] = [];
      for (const v of views) {
        try {
          if (el.matches(v.selector)) names.push(ruleName(v));
        } catch {
          // A selector this browser rejects names nothing.
        }
      }
      // A type-less submit button of a form matches the built-in rule through its `type` property.
      if (names.length === 0) names.push(ruleName(views.find((v) => v.builtIn && v.kind === kind) ?? views[0]!));
      outlines.push({ el, kind, names });
    };
    for (const el of m.mask) outline(el, 'mask');
    for (const el of m.control) outline(el, 'control');
    // Document order, so that the first outlines on screen are the first elements.
    outlines.sort((a, b) => (a.el === b.el ? 0 : a.el.compareDocumentPosition(b.el) & 4 ? -1 : 1));
    return { applicable: views, other, outlines };
  };

  const render = () => {
    unschedule();
    if (stopped) return;
    try {
      if (modelDirty || !model) {
        modelDirty = false;
        model = computeModel();
        overlay.rules(model);
      }
      overlay.layout(model.outlines);
    } catch (err) {
      report('inspect mode could not evaluate the page', err);
    }
  };

  const schedule = (changedModel: boolean) => {
    if (changedModel) modelDirty = true;
    if (stopped || frame || timer) return;
    frame = win.requestAnimationFrame(render);
    timer = setTimeout(render, FALLBACK_MS);
  };

  function unschedule() {
    if (frame) win.cancelAnimationFrame(frame);
    if (timer) clearTimeout(timer);
    frame = 0;
    timer = 0;
  }

  const onMutation = () => schedule(true);
  const onLayout = () => schedule(false);
  const passive = { capture: true, passive: true } as const;

  const watch = () => {
    observer = new (opts.MutationObserver ?? (win as Window & typeof globalThis).MutationObserver)(onMutation);
    observer.observe(doc, { childList: true, subtree: true, attributes: true });
    win.addEventListener('scroll', onLayout, passive);
    win.addEventListener('resize', onLayout, passive);
    win.addEventListener('load', onLayout, passive);
    win.addEventListener('hashchange', onMutation, passive);
    win.addEventListener('popstate', onMutation, passive);
    render();
  };

  const mode: InspectMode = {
    stop() {
      if (stopped) return;
      stopped = true;
      unschedule();
      observer?.disconnect();
      win.removeEventListener('scroll', onLayout, passive);
      win.removeEventListener('resize', onLayout, passive);
      win.removeEventListener('load', onLayout, passive);
      win.removeEventListener('hashchange', onMutation, passive);
      win.removeEventListener('popstate', onMutation, passive);
      overlay.destroy();
    },
  };

  const load = async () => {
    if (!TICKET_SHAPE.test(ticket) || !opts.serverUrl) {
      overlay.message(INSPECT_TEXT.invalid, true);
      return;
    }
    let res: Response;
    try {
      res = await win.fetch(`${opts.serverUrl}rest/restrictions/inspect/${encodeURIComponent(ticket)}`, {
        method: 'POST',
        mode: 'cors',
        credentials: 'omit',
      });
    } catch (err) {
      report('inspect mode could not reach the server', err);
      overlay.message(INSPECT_TEXT.unreachable, true);
      return;
    }
    if (stopped) return;
    if (!res.ok) {
      report(`the server refused the inspect ticket (HTTP ${res.status})`);
      overlay.message(res.status === 404 || res.status === 400 ? INSPECT_TEXT.invalid : `${INSPECT_TEXT.unreachable} (HTTP ${res.status})`, true);
      return;
    }
    const read = readInspectRules(await res.json().catch(() => null));
    if (stopped) return;
    if (!read) {
      overlay.message(INSPECT_TEXT.unreachable, true);
      return;
    }
    rules = read;
    engine.setRules(
      rules.map((r): RestrictionRule => ({ id: Number(r.id), selector: r.selector, kind: r.kind, urlPattern: r.urlPattern })),
    );
    overlay.message(null, false);
    watch();
  };
  load().catch((err: unknown) => {
    report('inspect mode failed', err);
    overlay.message(INSPECT_TEXT.unreachable, true);
  });
  return mode;
}

/** How an outline names a rule: its description (else its selector) and its group. */
export function ruleName(v: Pick<InspectRuleView, 'description' | 'selector' | 'group'>): string {
  const name = v.description.trim() || v.selector;
  return v.group ? `${name} · ${v.group}` : name;
}
