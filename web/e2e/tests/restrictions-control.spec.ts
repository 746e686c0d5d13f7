// DOM restrictions enforced by the customer's SDK, with the built-in defaults only (no rule on the
// server): the agent in Write Mode cannot submit a form in any way nor type into a password field,
// whatever the desktop or a forged agent client sends, while the customer's own submit works; and
// the customer sees which content is hidden from the representative.
//
// "Nothing happened" is observed after a later action that does happen: the SDK performs agent
// input in order, so once the later action shows on the customer's page, the earlier ones were
// handled.

import type { Page } from '@playwright/test';
import { inflateRawSync } from 'node:zlib';
import { expect, test } from '../harness/fixtures';
import { exitCobrowseButton, grantWriteMode, replica, startAndJoin } from '../harness/ui';

const PAGE = 'restricted-form.html';

const submits = (customer: Page) => customer.evaluate(() => (window as unknown as { __submits: number }).__submits);

test('in Write Mode the agent cannot submit the form nor type a password; the customer can submit', async ({ customer, agent, cobrowse, site }) => {
  await startAndJoin(customer, agent, cobrowse, site.url(PAGE));
  await grantWriteMode(customer, agent);
  const formUrl = customer.url();

  // The submit button, its label, Enter in a text field, and a page button whose handler submits.
  await replica(agent).locator('#submitButton').click();
  await replica(agent).locator('#submit-label').click();
  await replica(agent).locator('#name').click();
  await agent.keyboard.type('Ada');
  await agent.keyboard.press('Enter');
  await expect(customer.locator('#name')).toHaveValue('Ada');
  await replica(agent).locator('#continue').click();
  await expect(customer.locator('#result')).toHaveText('continued');

  // The password field: typing changes nothing.
  await replica(agent).locator('#password').click();
  await agent.keyboard.type('hunter2');
  // A later action that does happen: the keys before it were handled.
  await replica(agent).locator('#newsletter').click();
  await expect(customer.locator('#newsletter')).toBeChecked();

  await expect(customer.locator('#password')).toHaveValue('');
  expect(await submits(customer)).toBe(0);
  expect(customer.url()).toBe(formUrl);

  // The customer's own click on the submit button submits.
  await customer.locator('#submitButton').click();
  await customer.waitForURL(/\?name=Ada/);
  await expect(customer.locator('#result')).toHaveText('submitted');
});

/**
 * Records the node ids of the elements with an `id` attribute from the last full snapshot the
 * customer's page sent (docs/PROTOCOL.md, "DOM frames": 12-byte header, byte 1 the kind, byte 2 the
 * flags, bit 0 deflate-raw). Call before the page connects.
 */
function snapshotIds(customer: Page): () => Map<string, number> {
  let ids = new Map<string, number>();
  customer.on('websocket', (ws) => {
    ws.on('framesent', ({ payload }) => {
      if (typeof payload === 'string' || payload.length < 12 || payload.readUInt8(1) !== 1) return;
      const body = payload.subarray(12);
      const json = (payload.readUInt8(2) & 1 ? inflateRawSync(body) : body).toString('utf8');
      const found = new Map<string, number>();
      // An id 0 is the previous node's plus one, in the JSON text's order (PROTOCOL.md, "Nodes").
      let last = 0;
      const walk = (node: { i: number; a?: Record<string, string>; c?: unknown[] }) => {
        const i = node.i === 0 ? last + 1 : node.i;
        last = i;
        const id = node.a?.['id'];
        if (id) found.set(id, i);
        for (const child of node.c ?? []) walk(child as typeof node);
      };
      walk((JSON.parse(json) as { doc: { i: number; c: unknown[] } }).doc);
      ids = found;
    });
  });
  return () => ids;
}

test('a forged agent client’s input aimed at restricted elements changes nothing and submits nothing', async ({ customer, agent, cobrowse, site }) => {
  const ids = snapshotIds(customer);
  await startAndJoin(customer, agent, cobrowse, site.url(PAGE));
  const formUrl = customer.url();
  await expect.poll(() => ids().size).toBeGreaterThan(0);
  const target = (id: string): number => {
    const n = ids().get(id);
    if (n === undefined) throw new Error(`#${id} is not in the snapshot`);
    return n;
  };

  // A raw socket in the agent's context (it has the login cookie) replaces the desktop's socket.
  await agent.evaluate(async (origin) => {
    const url = new URL('/cobrowse/ws/agent', origin);
    url.protocol = 'ws:';
    const token = (document.getElementById('session-token')?.textContent ?? '').replace(/\D/g, '');
    const ws = new WebSocket(url);
    const w = window as unknown as { __forged: WebSocket; __forgedMessages: { type: string }[] };
    w.__forged = ws;
    w.__forgedMessages = [];
    ws.onmessage = (ev) => {
      if (typeof ev.data === 'string') w.__forgedMessages.push(JSON.parse(ev.data) as { type: string });
    };
    await new Promise<void>((resolve) => {
      ws.onopen = () => {
        ws.send(JSON.stringify({ type: 'join', protocolVersion: 1, token }));
        resolve();
      };
    });
  }, cobrowse.origin);
  const forgedGot = (type: string) =>
    agent.evaluate((t) => (window as unknown as { __forgedMessages: { type: string }[] }).__forgedMessages.filter((m) => m.type === t).length, type);
  const forged = (msgs: object[]) =>
    agent.evaluate((list) => {
      const ws = (window as unknown as { __forged: WebSocket }).__forged;
      for (const m of list) ws.send(JSON.stringify(m));
    }, msgs);
  await expect.poll(() => forgedGot('joined')).toBe(1);
  await forged([{ type: 'requestWriteMode' }]);
  await customer.getByRole('dialog', { name: 'Co-browse' }).getByRole('button', { name: 'Yes' }).click();
  await expect.poll(() => forgedGot('modeChanged')).toBe(1);

  // Every kind of input for the password field, the submit button and its label; then, as a
  // barrier, a value for the unrestricted name field.
  const mods = { shift: false, ctrl: false, alt: false, meta: false };
  const input = (i: object) => ({ type: 'input', input: i });
  const attacks: object[] = [];
  for (const id of ['password', 'submitButton', 'submit-label']) {
    const t = target(id);
    attacks.push(
      input({ kind: 'focus', target: t }),
      input({ kind: 'setValue', target: t, value: 'forged' }),
      input({ kind: 'key', target: t, key: 'x', code: 'KeyX', modifiers: mods }),
      input({ kind: 'key', target: t, key: 'Enter', code: 'Enter', modifiers: mods }),
      input({ kind: 'key', target: t, key: ' ', code: 'Space', modifiers: mods }),
      input({ kind: 'setChecked', target: t, checked: true }),
      input({ kind: 'click', target: t, point: { x: 1, y: 1 } }),
      input({ kind: 'scroll', target: t, point: { x: 0, y: 10 } }),
    );
  }
  // Enter in the text field and the page's own submitting button, both allowed, neither submits.
  attacks.push(
    input({ kind: 'key', target: target('name'), key: 'Enter', code: 'Enter', modifiers: mods }),
    input({ kind: 'click', target: target('continue'), point: { x: 1, y: 1 } }),
    input({ kind: 'setValue', target: target('name'), value: 'barrier' }),
  );
  await forged(attacks);
  // Inputs are performed in order: once the last one shows, every earlier one was handled.
  await expect(customer.locator('#name')).toHaveValue('barrier');
  await expect(customer.locator('#result')).toHaveText('continued');
  await expect(customer.locator('#password')).toHaveValue('');
  await expect(customer.locator('#password')).not.toBeFocused();
  expect(await submits(customer)).toBe(0);
  expect(customer.url()).toBe(formUrl);
});

test('the customer sees what is hidden from the representative, until the session ends', async ({ customer, agent, cobrowse, site }) => {
  await startAndJoin(customer, agent, cobrowse, site.url(PAGE));
  await expect(customer.getByText('Some content is hidden from representative')).toBeVisible();
  const marker = customer.locator('[data-gcb-mask-marker]:not([hidden])');
  await expect(marker).toHaveCount(1);
  await expect(marker).toBeVisible();
  await expect(marker).toContainText('Content is hidden from representative');
  // The marker frames the password field.
  const field = await customer.locator('#password').boundingBox();
  const frame = await marker.boundingBox();
  expect(field && frame).toBeTruthy();
  expect(frame!.x).toBeLessThanOrEqual(field!.x);
  expect(frame!.y).toBeLessThanOrEqual(field!.y);
  expect(frame!.x + frame!.width).toBeGreaterThanOrEqual(field!.x + field!.width);
  expect(frame!.y + frame!.height).toBeGreaterThanOrEqual(field!.y + field!.height);
  expect(await customer.evaluate(() => (window as unknown as { __masked: string[] }).__masked)).toEqual(['password']);

  // A masked field added later is reported once, and framed too.
  await customer.evaluate(() => {
    const pin = document.createElement('input');
    pin.type = 'password';
    pin.id = 'pin';
    document.getElementById('order-form')!.append(pin);
  });
  await expect(marker).toHaveCount(2);
  await expect.poll(() => customer.evaluate(() => (window as unknown as { __masked: string[] }).__masked)).toEqual(['password', 'pin']);
  // Markers are never sent to the agent.
  await expect(replica(agent).locator('#pin')).toBeAttached();
  await expect(replica(agent).locator('[data-gcb-mask-marker], .gcb-mask-markers')).toHaveCount(0);

  await exitCobrowseButton(customer).click();
  await expect(marker).toHaveCount(0);
  await expect(customer.getByText('Some content is hidden from representative')).toBeHidden();
});
