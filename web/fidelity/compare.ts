// What "settled" means and how two screenshots are compared: the same code for our replica and
// rrweb's, so the figures are comparable.
//
// Settled, customer side: the document loaded, its fonts loaded, every <img> complete, no request in
// flight (media streams excepted), and no DOM change, scroll or input for QUIET_MS (a window of
// observed quiet, waited for as a condition with a timeout: a page that keeps changing fails).
// Then a sync mark: the runner sets `data-fidelity-sync="N"` on the customer's <html>. Both mirrors
// apply changes in order, so when the replica's <html> carries N, everything before it is applied.
// Settled, replica side: the mark arrived, the replica's fonts loaded, its <img>s complete, no
// request of the viewer's page in flight, and two animation frames of the viewer's page passed.
//
// The comparison: a screenshot of the customer's viewport and one of the replica iframe, both the
// customer's CSS size at device scale 1 (anything else fails), CSS animations stopped and carets
// hidden on both (Playwright's screenshot options), the customer's service elements (the SDK's
// toolbar and dialogs, the demo's chat widget: never sent to the agent) hidden with display:none.
// pixelmatch counts the differing pixels (threshold 0.1, anti-aliased pixels not counted), outside
// the boxes of the elements our replica marks as restricted (`restrictedBoxes`), for both mirrors.

import type { Locator, Page } from '@playwright/test';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

export const VIEWPORT = { width: 1024, height: 768 } as const;

/** How long a page must stay still before it counts as settled. */
export const QUIET_MS = 400;
/** How long a page may take to settle (load, quiet, sync mark) before the run fails. */
export const SETTLE_TIMEOUT_MS = 20_000;

/** pixelmatch's colour threshold (0..1, its default) for "the same pixel". */
export const PIXEL_THRESHOLD = 0.1;

/** Hides what the customer sees of co-browsing itself (never part of the replica). */
export const HIDE_SERVICE_ELEMENTS = '[data-gcb-service-node] { display: none !important; }';

/** Requests of a page that have started and not finished (media streams are not counted). */
export interface InFlight {
  count(): number;
  urls(): string[];
}

export function trackRequests(page: Page): InFlight {
  const open = new Set<import('@playwright/test').Request>();
  page.on('request', (r) => {
    if (r.resourceType() !== 'media' && r.resourceType() !== 'websocket' && r.resourceType() !== 'eventsource') open.add(r);
  });
  page.on('requestfinished', (r) => open.delete(r));
  page.on('requestfailed', (r) => open.delete(r));
  page.on('close', () => open.clear());
  return { count: () => open.size, urls: () => [...open].map((r) => r.url()) };
}

/**
 * Init script for customer pages: records when the document last changed (mutations anywhere in
 * the document, scrolls, input) in `window.__fidelityLastChange` (performance.now()).
 */
export function quietTrackerScript(): void {
  const w = window as unknown as { __fidelityLastChange: number };
  w.__fidelityLastChange = performance.now();
  const touch = (): void => {
    w.__fidelityLastChange = performance.now();
  };
  new MutationObserver(touch).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  for (const type of ['scroll', 'input', 'change', 'toggle']) document.addEventListener(type, touch, { capture: true, passive: true });
}

/** Polls `check` until it answers true; throws `what` (with the last detail) after `timeout`. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean | string> | boolean | string,
  timeout = SETTLE_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeout;
  let last: boolean | string = false;
  for (;;) {
    last = await check();
    if (last === true) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeout} ms${typeof last === 'string' ? ` (${last})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Two animation frames of `page` (the last change painted). */
async function twoFrames(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
  );
}

/** Waits until the customer's page is settled (see the top of this file). */
export async function settleCustomer(customer: Page, requests: InFlight): Promise<void> {
  const since = await customer.evaluate(() => performance.now());
  await waitUntil(`the customer's page ${customer.url()} settles`, async () => {
    if (requests.count() > 0) return `requests in flight: ${requests.urls().join(' ')}`;
    const ready = await customer.evaluate(() => {
      const w = window as unknown as { __fidelityLastChange?: number };
      const pending = [...document.images].filter((img) => !img.complete).map((img) => img.currentSrc || img.src);
      return document.fonts.ready.then(() => ({
        readyState: document.readyState,
        pending,
        last: w.__fidelityLastChange ?? 0,
        now: performance.now(),
      }));
    });
    if (ready.readyState !== 'complete') return `readyState ${ready.readyState}`;
    if (ready.pending.length > 0) return `images loading: ${ready.pending.join(' ')}`;
    const quietFor = ready.now - Math.max(ready.last, since);
    return quietFor >= QUIET_MS ? true : `changed ${Math.round(ready.now - ready.last)} ms ago`;
  });
  await twoFrames(customer);
}

export const SYNC_ATTRIBUTE = 'data-fidelity-sync';

/**
 * Sets the sync mark `n` on the customer's <html> and waits until the replica (an iframe in
 * `viewer`) carries it and is settled.
 */
/**
 * The replica did not show what the customer's page is showing within the time allowed: a finding
 * about the mirror, not a failure of the suite (the comparison is made anyway, with what it shows).
 */
export class ReplicaBehind extends Error {}

export async function syncReplica(customer: Page, viewer: Page, replica: Locator, requests: InFlight, n: number): Promise<void> {
  await customer.evaluate(([name, value]) => document.documentElement.setAttribute(name, value), [SYNC_ATTRIBUTE, String(n)] as const);
  try {
    await waitForMark(replica, n);
  } catch (error) {
    throw new ReplicaBehind(String(error instanceof Error ? error.message : error));
  }
  await settleReplica(viewer, replica, requests);
}

async function waitForMark(replica: Locator, n: number): Promise<void> {
  await waitUntil(`the replica applies the changes up to sync mark ${n}`, () =>
    replica.evaluate(
      (frame, [name, value]) => {
        const doc = (frame as HTMLIFrameElement).contentDocument;
        const got = doc?.documentElement?.getAttribute(name) ?? null;
        return got === value ? true : `mark ${String(got)}`;
      },
      [SYNC_ATTRIBUTE, String(n)] as const,
    ),
  );
}

/** The replica's fonts loaded, its <img>s complete, no request of `viewer` in flight, two frames. */
export async function settleReplica(viewer: Page, replica: Locator, requests: InFlight): Promise<void> {
  await waitUntil(`the replica settles`, async () => {
    if (requests.count() > 0) return `requests in flight: ${requests.urls().join(' ')}`;
    // Fonts loaded and every <img> complete, as for the customer (inline: the viewer pages' CSP
    // forbids evaluating strings).
    return replica.evaluate((frame) => {
      const doc = (frame as HTMLIFrameElement).contentDocument;
      if (!doc) return 'no document';
      const pending = [...doc.images].filter((img) => !img.complete).map((img) => img.currentSrc || img.src);
      return doc.fonts.ready.then(() => (pending.length > 0 ? `images loading: ${pending.join(' ')}` : true));
    });
  });
  await twoFrames(viewer);
}

export interface Comparison {
  /** Share of identical pixels among the compared ones (outside excluded boxes), 0..100. */
  identical: number;
  differing: number;
  total: number;
  /** Pixels not compared: inside the boxes of restricted elements (see `restrictedBoxes`). */
  excluded?: number;
  /** The replica had not caught up with the customer's page when it was taken (see ReplicaBehind). */
  behind?: boolean;
  /** The box around the differing pixels (`x0,y0–x1,y1`), or null when none differ. */
  where: string | null;
}

function decode(png: Buffer, what: string): PNG {
  const image = PNG.sync.read(png);
  if (image.width !== VIEWPORT.width || image.height !== VIEWPORT.height) {
    throw new Error(`${what} screenshot is ${image.width}×${image.height}, not the customer's viewport ${VIEWPORT.width}×${VIEWPORT.height}`);
  }
  return image;
}

/** A box of the viewport in CSS px (whole pixels after clipping). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The viewport boxes of the elements our replica marks as restricted (`data-cobrowse-restricted`:
 * masked by the site's rules or our built-in defaults, or DOM-controlled), in the replica's document
 * and its open shadow roots. Masked content is by design not what the customer sees (asterisks, grey
 * boxes) and every mark carries the agent's outline: these boxes are left out of the comparison, for
 * both mirrors alike (rrweb's comparison of the same phase uses ours' boxes; the pages lay out the
 * same in both runs).
 */
export function restrictedBoxes(replica: Locator): Promise<Box[]> {
  return replica.evaluate((frame) => {
    const doc = (frame as HTMLIFrameElement).contentDocument;
    const boxes: { x: number; y: number; width: number; height: number }[] = [];
    const visit = (root: Document | ShadowRoot): void => {
      for (const el of root.querySelectorAll('[data-cobrowse-restricted]')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.height > 0) boxes.push({ x: r.x, y: r.y, width: r.width, height: r.height });
      }
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot);
    };
    if (doc) visit(doc);
    return boxes;
  });
}

/** Copies the pixels of `boxes` from `from` to `to` (same size); returns how many pixels that is. */
function blankOut(from: PNG, to: PNG, boxes: readonly Box[]): number {
  const covered = new Uint8Array(from.width * from.height);
  let count = 0;
  for (const b of boxes) {
    const x0 = Math.max(0, Math.floor(b.x)), y0 = Math.max(0, Math.floor(b.y));
    const x1 = Math.min(from.width, Math.ceil(b.x + b.width)), y1 = Math.min(from.height, Math.ceil(b.y + b.height));
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const p = y * from.width + x;
        if (covered[p]) continue;
        covered[p] = 1;
        count++;
        from.data.copy(to.data, p * 4, p * 4, p * 4 + 4);
      }
    }
  }
  return count;
}

/**
 * Screenshots the replica, then the customer's viewport (the customer's screenshot styles its page
 * for a moment: the replica is taken first so that no change of it can be mirrored before), compares
 * them and writes the three images to `outDir/name-{customer,replica,diff}.png`.
 */
export async function compareScreens(
  customer: Page,
  replica: Locator,
  outDir: string,
  name: string,
  exclude: readonly Box[] = [],
): Promise<Comparison> {
  // The iframe's box, exactly the customer's viewport; clipped at whole pixels (the desktop centres
  // the replica, which can put its box at a half pixel; an element screenshot would then be a pixel
  // larger).
  const box = await replica.boundingBox();
  if (!box || Math.abs(box.width - VIEWPORT.width) > 0.01 || Math.abs(box.height - VIEWPORT.height) > 0.01) {
    throw new Error(`the replica is ${box ? `${box.width}×${box.height}` : 'not laid out'}, not the customer's viewport ${VIEWPORT.width}×${VIEWPORT.height}`);
  }
  const replicaPng = await replica.page().screenshot({
    animations: 'disabled',
    caret: 'hide',
    scale: 'css',
    clip: { x: Math.round(box.x), y: Math.round(box.y), width: VIEWPORT.width, height: VIEWPORT.height },
  });
  const customerPng = await customer.screenshot({
    animations: 'disabled',
    caret: 'hide',
    scale: 'css',
    style: HIDE_SERVICE_ELEMENTS,
  });
  const a = decode(customerPng, "the customer's");
  const b = decode(replicaPng, "the replica's");
  const excluded = blankOut(a, b, exclude);
  const diff = new PNG({ width: a.width, height: a.height });
  const differing = pixelmatch(a.data, b.data, diff.data, a.width, a.height, { threshold: PIXEL_THRESHOLD, includeAA: false });
  await mkdir(outDir, { recursive: true });
  await Promise.all([
    writeFile(path.join(outDir, `${name}-customer.png`), customerPng),
    writeFile(path.join(outDir, `${name}-replica.png`), replicaPng),
    writeFile(path.join(outDir, `${name}-diff.png`), PNG.sync.write(diff)),
  ]);
  const total = a.width * a.height;
  const compared = total - excluded;
  return {
    identical: compared > 0 ? (100 * (compared - differing)) / compared : 100,
    differing,
    total,
    ...(excluded > 0 ? { excluded } : {}),
    where: diffBox(diff),
  };
}

/** The bounding box of pixelmatch's diff colour (pure red) in its output image. */
function diffBox(diff: PNG): string | null {
  let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
  for (let y = 0; y < diff.height; y++) {
    for (let x = 0; x < diff.width; x++) {
      const i = (y * diff.width + x) * 4;
      if (diff.data[i] === 255 && diff.data[i + 1] === 0 && diff.data[i + 2] === 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : `${x0},${y0}–${x1},${y1}`;
}
