// What the replica must show as the customer sees it (issue 6): stylesheets of every kind, shadow
// roots, states. Assertions are on the replica's DOM and computed styles, never only on presence.

import type { FrameLocator, Locator } from '@playwright/test';
import { expect, test } from '../harness/fixtures';
import {
  REPLICA_LATENCY_MS,
  clickCobrowseAndConfirm,
  expectAgentState,
  openDesktopAndJoin,
  replica,
  startAndJoin,
  startSession,
  tokenInToolbar,
} from '../harness/ui';
import { tapWebSockets } from '../harness/wire';

/** A computed style property of the element `selector` resolves to (in the page or replica). */
function computed(scope: FrameLocator | { locator(s: string): Locator }, selector: string, property: string): Promise<string> {
  return scope.locator(selector).evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), property);
}

test('stylesheets of every kind: CSSOM rules, CSS-in-JS, adopted constructed sheets, live changes', async ({
  customer,
  agent,
  cobrowse,
  site,
}) => {
  await startAndJoin(customer, agent, cobrowse, site.url('fidelity-styles.html'));
  const view = replica(agent);

  // Present at the snapshot: a rule inserted by script into an empty <style>, an adopted sheet.
  await expect.poll(() => computed(view, '#injected', 'background-color')).toBe('rgb(10, 20, 30)');
  await expect.poll(() => computed(view, '#adopted', 'color')).toBe('rgb(0, 128, 0)');
  expect(await computed(view, '#adopted', 'border-left-width')).toBe('7px');

  // Rules inserted and deleted later, with no DOM mutation at all, keeping the rule count.
  await customer.evaluate(() => {
    const sheet = (document.getElementById('cssinjs') as HTMLStyleElement).sheet as CSSStyleSheet;
    sheet.insertRule('#late { background-color: rgb(200, 100, 50); }', 0);
    sheet.deleteRule(1); // the #injected rule
    sheet.insertRule('@media screen { #media { color: rgb(5, 6, 7); } }', 1);
  });
  await expect
    .poll(() => computed(view, '#late', 'background-color'), { timeout: REPLICA_LATENCY_MS })
    .toBe('rgb(200, 100, 50)');
  expect(await computed(view, '#injected', 'background-color')).toBe('rgba(0, 0, 0, 0)');
  expect(await computed(view, '#media', 'color')).toBe('rgb(5, 6, 7)');
  // A rule inserted into the @media rule itself (a CSSGroupingRule).
  await customer.evaluate(() => {
    const sheet = (document.getElementById('cssinjs') as HTMLStyleElement).sheet as CSSStyleSheet;
    (sheet.cssRules[1] as CSSMediaRule).insertRule('#media { font-weight: 700; }', 1);
  });
  await expect.poll(() => computed(view, '#media', 'font-weight'), { timeout: REPLICA_LATENCY_MS }).toBe('700');

  // The adopted sheet's rules replaced, then another sheet adopted by assignment.
  await customer.evaluate(() => {
    (window as unknown as { __adopted: CSSStyleSheet }).__adopted.replaceSync('#adopted { color: rgb(128, 0, 128); }');
  });
  await expect.poll(() => computed(view, '#adopted', 'color'), { timeout: REPLICA_LATENCY_MS }).toBe('rgb(128, 0, 128)');
  expect(await computed(view, '#adopted', 'border-left-width')).toBe('0px');
  await customer.evaluate(async () => {
    const extra = new CSSStyleSheet();
    await extra.replace('#late { outline: 3px solid rgb(9, 9, 9); }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, extra];
  });
  await expect.poll(() => computed(view, '#late', 'outline-width'), { timeout: REPLICA_LATENCY_MS }).toBe('3px');

  // What the customer sees and what the agent sees agree on every box.
  for (const id of ['#injected', '#adopted', '#late', '#media']) {
    for (const p of ['color', 'background-color', 'font-weight', 'outline-width']) {
      expect(await computed(view, id, p), `${id} ${p}`).toBe(await computed(customer, id, p));
    }
  }
});

test('<link> stylesheets travel by URL until script changes them through the CSSOM, before or after the agent joined', async ({
  customer,
  agent,
  cobrowse,
  site,
}) => {
  const token = await startSession(customer, site.url('fidelity-styles.html'));
  // Before the agent joins (no capture running): script changes the second link's sheet.
  await customer.evaluate(() => {
    const sheet = (document.getElementById('links-early') as HTMLLinkElement).sheet as CSSStyleSheet;
    sheet.insertRule('#linked-early { background-color: rgb(1, 2, 3); }', sheet.cssRules.length);
  });
  await openDesktopAndJoin(agent, cobrowse, token);
  await expectAgentState(agent, 'live');
  const view = replica(agent);
  const sheetsOfReplica = () =>
    view.locator('head').evaluate((head) =>
      [...head.querySelectorAll('#links, #links-early')].map((el) => `${el.id}:${el.localName}`).sort(),
    );

  // The unchanged one is a <link> of the replica, loaded through the proxy; the changed one came as
  // text, with the inserted rule.
  await expect.poll(() => computed(view, '#linked', 'color')).toBe('rgb(40, 50, 60)');
  expect(decodeURIComponent((await view.locator('#links').getAttribute('href')) ?? '')).toContain('/cobrowse/resource/');
  expect(await computed(view, '#linked-early', 'color')).toBe('rgb(41, 51, 61)');
  expect(await computed(view, '#linked-early', 'background-color')).toBe('rgb(1, 2, 3)');
  expect(await sheetsOfReplica()).toEqual(['links-early:style', 'links:link']);

  // Script changes the first one while the agent watches: it becomes a <style> with the file's rules
  // and the new one.
  await customer.evaluate(() => {
    const sheet = (document.getElementById('links') as HTMLLinkElement).sheet as CSSStyleSheet;
    sheet.insertRule('#linked { outline: 4px solid rgb(4, 5, 6); }', sheet.cssRules.length);
  });
  await expect.poll(() => computed(view, '#linked', 'outline-width'), { timeout: REPLICA_LATENCY_MS }).toBe('4px');
  expect(await computed(view, '#linked', 'color')).toBe('rgb(40, 50, 60)');
  expect(await sheetsOfReplica()).toEqual(['links-early:style', 'links:style']);
  for (const id of ['#linked', '#linked-early']) {
    for (const p of ['color', 'background-color', 'outline-width']) {
      expect(await computed(view, id, p), `${id} ${p}`).toBe(await computed(customer, id, p));
    }
  }
});

test('shadow roots (open, and closed ones attached while the SDK runs) and custom elements: styles, slots, masking, live changes; never upgraded', async ({
  customer,
  agent,
  cobrowse,
  site,
}) => {
  await startAndJoin(customer, agent, cobrowse, site.url('fidelity-shadow.html'));
  const view = replica(agent);

  // Playwright's CSS locators pierce open shadow roots: these are elements inside the replica's.
  await expect(view.locator('#card .inner')).toContainText('Hello from the shadow');
  const inShadow = await view.locator('#card').evaluate((el) => el.shadowRoot?.querySelector('.inner')?.textContent ?? null);
  expect(inShadow).toBe('Hello from the shadow ');
  // The shadow tree's own <style> and adopted sheet apply; the document's .inner rule does not.
  expect(await computed(view, '#card .inner', 'color')).toBe('rgb(0, 120, 0)');
  expect(await computed(view, '#card .inner', 'font-weight')).toBe('700');
  expect(await computed(view, '#card .badge', 'border-top-width')).toBe('4px');
  // The slotted light child renders where the slot is (same box as the customer's).
  const box = (scope: FrameLocator | { locator(s: string): Locator }) =>
    scope.locator('#who').evaluate((el) => {
      const r = el.getBoundingClientRect();
      return [Math.round(r.left), Math.round(r.top)];
    });
  expect(await box(view)).toEqual(await box(customer));
  // Inert: no custom element is defined in the replica.
  expect(await view.locator('#card').evaluate((el) => el.ownerDocument.defaultView?.customElements.get('profile-card') ?? null)).toBeNull();

  // The password inside the shadow root is masked by the built-in rule, as anywhere else.
  const pin = view.locator('#card input.pin');
  await expect(pin).toHaveAttribute('data-cobrowse-restricted', 'mask');
  expect(await pin.inputValue()).not.toContain('4821');
  expect(await view.locator('#card input.note').inputValue()).toBe('not secret');

  // Changes inside the shadow root, typing into a shadow input, and a root attached later.
  await customer.evaluate(() => {
    const root = (document.getElementById('card') as HTMLElement).shadowRoot as ShadowRoot;
    (root.querySelector('.badge') as HTMLElement).textContent = 'badge changed';
  });
  await expect(view.locator('#card .badge')).toHaveText('badge changed', { timeout: REPLICA_LATENCY_MS });
  await customer.locator('#card input.note').fill('typed in the shadow');
  await expect(view.locator('#card input.note')).toHaveValue('typed in the shadow', { timeout: REPLICA_LATENCY_MS });
  // Focus moving between two fields of one shadow tree: the events never leave the tree (the
  // document hears nothing), the replica follows anyway.
  await expect(view.locator('#card input.note')).toHaveAttribute('data-cobrowse-focus', { timeout: REPLICA_LATENCY_MS });
  await customer.locator('#card input.pin').focus();
  await expect(view.locator('#card input.pin')).toHaveAttribute('data-cobrowse-focus', { timeout: REPLICA_LATENCY_MS });
  await expect(view.locator('#card input.note')).not.toHaveAttribute('data-cobrowse-focus');
  await customer.evaluate(() => {
    const later = document.getElementById('later') as HTMLElement;
    later.attachShadow({ mode: 'open' }).innerHTML = '<p id="late-shadow" style="color: rgb(3, 4, 5)">attached later</p>';
    document.body.appendChild(document.createElement('profile-card')).id = 'card2';
  });
  await expect(view.locator('#later #late-shadow')).toHaveText('attached later', { timeout: REPLICA_LATENCY_MS });
  await expect(view.locator('#card2 .inner')).toContainText('Hello from the shadow', { timeout: REPLICA_LATENCY_MS });
  expect(await computed(view, '#card2 .badge', 'border-top-width')).toBe('4px');

  // A custom element with a closed root, created after the session started: the SDK kept its root
  // (the page cannot read it back: `shadowRoot` is null), so the replica shows it (as an open
  // root), with the password inside masked; the page changes it through its own reference.
  const closedIsUnreadable = await customer.evaluate(() => {
    class ClosedCard extends HTMLElement {
      readonly root: ShadowRoot;
      constructor() {
        super();
        this.root = this.attachShadow({ mode: 'closed' });
        this.root.innerHTML =
          '<p class="in-closed" style="color: rgb(7, 8, 9)">Inside a closed root</p>' +
          '<input class="closed-pin" type="password" value="closed-pin-9917">';
      }
    }
    customElements.define('closed-card', ClosedCard);
    const card = document.body.appendChild(document.createElement('closed-card')) as ClosedCard;
    card.id = 'closed';
    (window as unknown as { closedCard: ClosedCard }).closedCard = card;
    return card.shadowRoot === null;
  });
  expect(closedIsUnreadable).toBe(true);
  await expect(view.locator('#closed-early .early')).toHaveText('closed before the session');
  await expect(view.locator('#closed .in-closed')).toHaveText('Inside a closed root', { timeout: REPLICA_LATENCY_MS });
  expect(await computed(view, '#closed .in-closed', 'color')).toBe('rgb(7, 8, 9)');
  await expect(view.locator('#closed input.closed-pin')).toHaveAttribute('data-cobrowse-restricted', 'mask');
  expect(await view.locator('#closed input.closed-pin').inputValue()).not.toContain('9917');
  await customer.evaluate(() => {
    const card = (window as unknown as { closedCard: { root: ShadowRoot } }).closedCard;
    (card.root.querySelector('.in-closed') as HTMLElement).textContent = 'changed in the closed root';
  });
  await expect(view.locator('#closed .in-closed')).toHaveText('changed in the closed root', { timeout: REPLICA_LATENCY_MS });
});

test("states: details, modal dialog, popover, hover, focus, selection, contenteditable as the customer's", async ({
  customer,
  agent,
  cobrowse,
  site,
}) => {
  const token = await startSession(customer, site.url('fidelity-states.html'));
  // The customer's mouse rests on an element styled by another origin's stylesheet, which the SDK
  // cannot read: the replica loads it through the resource proxy (same-origin for the agent) after
  // the snapshot, and its :hover rule is emulated once it loaded, with no further change.
  await customer.locator('#cdn-hover').hover();
  await openDesktopAndJoin(agent, cobrowse, token);
  await expectAgentState(agent, 'live');
  const view = replica(agent);
  await expect(view.locator('#hover-me')).toHaveText('Hover me');
  await expect.poll(() => computed(view, '#cdn-hover', 'color')).toBe('rgb(150, 0, 0)');
  await customer.mouse.move(5, 600);
  await expect.poll(() => computed(view, '#cdn-hover', 'color'), { timeout: REPLICA_LATENCY_MS }).toBe('rgb(30, 30, 30)');

  // <details open>: the attribute travels, the body shows.
  await expect(view.locator('#details-body')).toBeHidden();
  await customer.locator('#details summary').click();
  await expect(view.locator('#details-body')).toBeVisible({ timeout: REPLICA_LATENCY_MS });

  // Hover: the customer's mouse over #hover-me gives the replica's element its :hover look.
  await customer.locator('#hover-me').hover();
  await expect.poll(() => computed(view, '#hover-me', 'background-color'), { timeout: REPLICA_LATENCY_MS }).toBe('rgb(0, 90, 200)');
  await customer.mouse.move(5, 600);
  await expect.poll(() => computed(view, '#hover-me', 'background-color'), { timeout: REPLICA_LATENCY_MS }).toBe('rgb(240, 240, 240)');

  // Focus: the field's :focus look and its form's :focus-within.
  await customer.locator('#field').focus();
  await expect.poll(() => computed(view, '#field', 'outline-color'), { timeout: REPLICA_LATENCY_MS }).toBe('rgb(200, 0, 0)');
  expect(await computed(view, '#form', 'background-color')).toBe('rgb(255, 250, 200)');
  // The agent's own page keeps its focus: the replica never takes it.
  expect(await agent.evaluate(() => document.activeElement?.tagName)).not.toBe('IFRAME');

  // Selection.
  await customer.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    const t = (document.getElementById('text') as HTMLElement).firstChild as Text;
    document.getSelection()?.setBaseAndExtent(t, 7, t, 18);
  });
  await expect
    .poll(() => view.locator('body').evaluate((b) => b.ownerDocument.getSelection()?.toString() ?? ''), { timeout: REPLICA_LATENCY_MS })
    .toBe('these words');
  expect(await computed(view, '#form', 'background-color')).toBe('rgba(0, 0, 0, 0)');

  // contenteditable content typed by the customer.
  await customer.locator('#editable').click();
  await customer.keyboard.press('End');
  await customer.keyboard.type(' and more');
  await expect(view.locator('#editable')).toHaveText('Editable text and more', { timeout: REPLICA_LATENCY_MS });

  // A modal dialog is modal in the replica too (top layer, backdrop, centred), and closes.
  await customer.evaluate(() => (document.getElementById('dialog') as HTMLDialogElement).showModal());
  await expect.poll(() => view.locator('#dialog').evaluate((d) => d.matches(':modal')), { timeout: REPLICA_LATENCY_MS }).toBe(true);
  const rect = (scope: FrameLocator | { locator(s: string): Locator }) =>
    scope.locator('#dialog').evaluate((d) => {
      const r = d.getBoundingClientRect();
      return [Math.round(r.left), Math.round(r.top), Math.round(r.width)];
    });
  expect(await rect(view)).toEqual(await rect(customer));
  expect(await agent.evaluate(() => document.activeElement?.tagName)).not.toBe('IFRAME');
  await customer.evaluate(() => (document.getElementById('dialog') as HTMLDialogElement).close());
  await expect.poll(() => view.locator('#dialog').evaluate((d) => d.matches(':modal') || (d as HTMLDialogElement).open), { timeout: REPLICA_LATENCY_MS }).toBe(false);

  // A popover shown by script (no attribute changes) is open in the replica.
  await customer.evaluate(() => (document.getElementById('pop') as HTMLElement).showPopover());
  await expect.poll(() => view.locator('#pop').evaluate((p) => p.matches(':popover-open')), { timeout: REPLICA_LATENCY_MS }).toBe(true);
  await expect(view.locator('#pop')).toBeVisible();
  await customer.evaluate(() => (document.getElementById('pop') as HTMLElement).hidePopover());
  await expect.poll(() => view.locator('#pop').evaluate((p) => p.matches(':popover-open')), { timeout: REPLICA_LATENCY_MS }).toBe(false);

  // A page whose dialog is modal from the start: the full snapshot carries it so.
  await customer.goto(site.url('fidelity-states.html?modal=1'));
  await expect(view.locator('#dialog-text')).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => view.locator('#dialog').evaluate((d) => d.matches(':modal'))).toBe(true);
});

/**
 * The colour of the centre pixel of what a replica canvas shows as `r,g,b,a`, each channel rounded
 * to a multiple of 16 (pictures travel as lossy WebP: a channel may be off by a few units). The
 * script-less replica renders a canvas's fallback content: the picture is the viewer's `<img>`
 * inside it, read back through a scratch canvas.
 */
function centrePixel(view: FrameLocator, selector: string): Promise<string> {
  return view.locator(selector).evaluate((c) => {
    const img = c.querySelector(':scope > img[data-cobrowse-canvas]') as HTMLImageElement | null;
    if (!img) return 'no picture';
    if (!img.complete || img.naturalWidth === 0) return 'not decoded';
    const scratch = c.ownerDocument.createElement('canvas');
    scratch.width = img.naturalWidth;
    scratch.height = img.naturalHeight;
    const g = scratch.getContext('2d');
    if (!g) return 'no 2d context';
    g.drawImage(img, 0, 0);
    const data = g.getImageData(Math.floor(scratch.width / 2), Math.floor(scratch.height / 2), 1, 1).data;
    return Array.from(data, (v) => Math.min(255, Math.round(v / 16) * 16)).join(',');
  });
}

/** The rendered size of an element (page or replica) as `w×h`, whole CSS pixels. */
function renderedSize(scope: FrameLocator | { locator(s: string): Locator }, selector: string): Promise<string> {
  return scope.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return `${Math.round(r.width)}×${Math.round(r.height)}`;
  });
}

test('canvas pictures follow the customer (in shadow roots too, never a masked one, unchanged ones not encoded again); media are muted and never autoplay', async ({
  customer,
  agent,
  cobrowse,
  site,
}) => {
  const key = await cobrowse.createApiKey();
  const response = await fetch(`${cobrowse.origin}/cobrowse/rest/restrictions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ group: 'Fidelity', selector: '#secret-canvas', kind: 'mask', urlPattern: 'fidelity-media' }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  const created = (await response.json()) as { id: number };
  try {
    const wire = tapWebSockets(customer);
    await startAndJoin(customer, agent, cobrowse, site.url('fidelity-media.html'));
    const view = replica(agent);

    await expect.poll(() => centrePixel(view, '#chart'), { timeout: REPLICA_LATENCY_MS * 2 }).toBe('255,0,0,255');
    // The replica's canvases take the customer's canvas boxes: the page's CSS (a block with a
    // border) and the bitmap's size.
    for (const id of ['#chart', '#secret-canvas']) expect(await renderedSize(view, id)).toBe(await renderedSize(customer, id));
    expect(await renderedSize(view, '#chart')).toBe('122×62');
    // Canvases inside an open and a closed shadow root are sent too.
    await expect.poll(() => centrePixel(view, '#open-host #in-open'), { timeout: REPLICA_LATENCY_MS * 2 }).toBe('0,255,0,255');
    await expect.poll(() => centrePixel(view, '#closed-host #in-closed'), { timeout: REPLICA_LATENCY_MS * 2 }).toBe('255,255,0,255');

    // Only canvases something drew on are encoded again: three changes of #chart, each waited for
    // in the replica (so three polls at least), leave the unchanged canvases' count as it was (one
    // more at most: the slow fallback encoding of canvases nobody was seen drawing on).
    const encodes = () => customer.evaluate(() => ({ ...(window as unknown as { encodes: Record<string, number> }).encodes }));
    const before = await encodes();
    for (const [colour, pixel] of [
      ['rgb(0, 0, 255)', '0,0,255,255'],
      ['rgb(255, 0, 255)', '255,0,255,255'],
      ['rgb(0, 0, 0)', '0,0,0,255'],
    ] as const) {
      await customer.evaluate((c) => (window as unknown as { paint(id: string, c: string): void }).paint('chart', c), colour);
      await expect.poll(() => centrePixel(view, '#chart'), { timeout: REPLICA_LATENCY_MS * 2 }).toBe(pixel);
    }
    const after = await encodes();
    expect(after['chart']).toBeGreaterThanOrEqual((before['chart'] ?? 0) + 3);
    for (const id of ['in-open', 'in-closed']) {
      expect(before[id], `${id} was encoded`).toBeGreaterThanOrEqual(1);
      expect(after[id], `${id} is not encoded again while unchanged`).toBeLessThanOrEqual((before[id] ?? 0) + 1);
    }

    // The masked canvas: marked, nothing drawn, and no picture of it on the wire.
    await expect(view.locator('#secret-canvas')).toHaveAttribute('data-cobrowse-restricted', 'mask');
    expect(await centrePixel(view, '#secret-canvas')).toBe('0,0,0,0');
    const canvasOps = wire
      .sent()
      .flatMap((f) => [...f.matchAll(/"o":"canvas","i":(\d+)/g)].map((m) => Number(m[1])));
    expect(canvasOps.length).toBeGreaterThanOrEqual(2);
    // #chart and the two canvases in shadow roots: never the masked one.
    expect(new Set(canvasOps).size, 'only the unmasked canvases had pictures sent').toBe(3);

    // The replica's video is muted and paused (its autoplay cancelled), as the customer's is.
    const video = view.locator('#video');
    expect(await video.evaluate((v) => [(v as HTMLVideoElement).muted, (v as HTMLVideoElement).paused])).toEqual([true, true]);
  } finally {
    await fetch(`${cobrowse.origin}/cobrowse/rest/restrictions/${created.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } });
  }
});

test('WebGL canvases show in the replica: contexts made while the SDK runs keep their buffer; one drawn every frame shows either way', async ({
  customer,
  agent,
  cobrowse,
  site,
}) => {
  await startAndJoin(customer, agent, cobrowse, site.url('fidelity-webgl.html'));
  const view = replica(agent);
  // Made while the SDK runs and drawn once: preserved (the page's other attributes kept), so the
  // picture read later is the one drawn.
  expect(await customer.evaluate(() => (window as unknown as { drawLate(): unknown[] }).drawLate())).toEqual([true, false, false]);
  await expect.poll(() => centrePixel(view, '#late-once'), { timeout: REPLICA_LATENCY_MS * 2 }).toBe('0,255,0,255');
  // Made before the SDK loaded, drawn every frame: read inside an animation frame callback.
  await expect.poll(() => centrePixel(view, '#early-loop'), { timeout: REPLICA_LATENCY_MS * 2 }).toBe('0,0,255,255');
  // The replica's canvases (inert: each shows its picture as the viewer's <img data-cobrowse-canvas>)
  // have the customer's canvas boxes.
  for (const id of ['#early-loop', '#early-once', '#late-once']) {
    await expect(view.locator(`${id} > img[data-cobrowse-canvas]`), id).toHaveCount(1);
    expect(await renderedSize(view, id), id).toBe(await renderedSize(customer, id));
  }
});

/** The x translation of an element's computed transform, in px. */
function translateX(scope: FrameLocator | { locator(s: string): Locator }, selector: string): Promise<number> {
  return scope.locator(selector).evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).m41);
}

test('CSS animations show at the customer’s current time, paused ones where script paused them', async ({
  customer,
  agent,
  cobrowse,
  site,
}) => {
  await customer.goto(site.url('fidelity-animations.html'));
  // The customer's animation has run for a while (1 px per second) before the agent joins.
  await customer.evaluate(() => {
    const anim = (document.getElementById('running') as HTMLElement).getAnimations()[0] as Animation;
    anim.currentTime = 120_000;
  });
  await clickCobrowseAndConfirm(customer);
  await openDesktopAndJoin(agent, cobrowse, await tokenInToolbar(customer));
  await expectAgentState(agent, 'live');
  const view = replica(agent);
  await expect(view.locator('#running')).toBeVisible();
  const customerX = await translateX(customer, '#running');
  expect(customerX).toBeGreaterThan(119);
  await expect.poll(() => translateX(view, '#running')).toBeGreaterThan(customerX - 5);
  expect(await translateX(view, '#running')).toBeLessThan((await translateX(customer, '#running')) + 5);
  expect(await translateX(view, '#paused')).toBe(300);
  expect(await view.locator('#paused').evaluate((el) => el.getAnimations()[0]?.playState)).toBe('paused');
});

test('animations made by script (element.animate) show in the replica at the customer’s time, and stop with it', async ({
  customer,
  agent,
  cobrowse,
  site,
}) => {
  await startAndJoin(customer, agent, cobrowse, site.url('fidelity-animations.html'));
  const view = replica(agent);
  // Made before the agent joined: the snapshot carries it, paused at 400 px.
  await expect(view.locator('#scripted')).toBeVisible();
  expect(await translateX(customer, '#scripted')).toBe(400);
  await expect.poll(() => translateX(view, '#scripted')).toBe(400);
  expect(await view.locator('#scripted').evaluate((el) => el.getAnimations()[0]?.playState)).toBe('paused');

  // Made while the agent watches, paused at a known time.
  expect(await translateX(view, '#later')).toBe(0);
  await customer.evaluate(() => {
    const later = document.getElementById('later') as HTMLElement;
    const anim = later.animate([{ transform: 'translateX(0px)' }, { transform: 'translateX(1000px)' }], { duration: 1_000_000 });
    anim.currentTime = 123_000;
    anim.pause();
  });
  expect(await translateX(customer, '#later')).toBe(123);
  await expect.poll(() => translateX(view, '#later'), { timeout: REPLICA_LATENCY_MS }).toBe(123);

  // Cancelled by script: gone from the replica too.
  await customer.evaluate(() => (document.getElementById('later') as HTMLElement).getAnimations()[0]?.cancel());
  await expect.poll(() => translateX(view, '#later'), { timeout: REPLICA_LATENCY_MS }).toBe(0);
  expect(await translateX(view, '#scripted')).toBe(400);
});

/** The rendered width of an element, in CSS px. */
function width(scope: FrameLocator | { locator(s: string): Locator }, selector: string): Promise<number> {
  return scope.locator(selector).evaluate((el) => el.getBoundingClientRect().width);
}

test('fonts added by script (FontFace from a URL and from bytes) render in the replica as for the customer', async ({
  customer,
  agent,
  cobrowse,
  site,
}) => {
  await startAndJoin(customer, agent, cobrowse, site.url('fidelity-fonts.html'));
  const view = replica(agent);
  await expect(view.locator('#by-bytes')).toBeVisible();
  // Before: both sides show the fallback font.
  const fallbackUrl = await width(customer, '#by-url');
  const fallbackBytes = await width(customer, '#by-bytes');
  expect(Math.abs((await width(view, '#by-url')) - fallbackUrl)).toBeLessThan(0.5);

  await customer.evaluate(() => (window as unknown as { addFonts(): Promise<void> }).addFonts());
  const withUrl = await width(customer, '#by-url');
  const withBytes = await width(customer, '#by-bytes');
  // The faces change the customer's text (else this test could not fail).
  expect(Math.abs(withUrl - fallbackUrl)).toBeGreaterThan(20);
  expect(Math.abs(withBytes - fallbackBytes)).toBeGreaterThan(20);

  const checked = (family: string) =>
    view.locator('body').evaluate((b, f) => b.ownerDocument.fonts.check(`24px "${f}"`) && b.ownerDocument.fonts.size > 0, family);
  await expect.poll(() => checked('Scripted Url'), { timeout: REPLICA_LATENCY_MS * 2 }).toBe(true);
  await expect.poll(() => checked('Scripted Bytes'), { timeout: REPLICA_LATENCY_MS * 2 }).toBe(true);
  await expect.poll(() => width(view, '#by-url'), { timeout: REPLICA_LATENCY_MS * 2 }).toBeCloseTo(withUrl, 1);
  await expect.poll(() => width(view, '#by-bytes'), { timeout: REPLICA_LATENCY_MS * 2 }).toBeCloseTo(withBytes, 1);

  // A face deleted by script leaves the replica; the other stays.
  await customer.evaluate(() => {
    for (const face of document.fonts) if (face.family === 'Scripted Url' || face.family === '"Scripted Url"') document.fonts.delete(face);
  });
  await expect.poll(() => width(view, '#by-url'), { timeout: REPLICA_LATENCY_MS * 2 }).toBeCloseTo(fallbackUrl, 1);
  expect(await width(view, '#by-bytes')).toBeCloseTo(withBytes, 1);
});
