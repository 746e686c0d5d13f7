// Pointer Mode: each side sees the other's pointer where it points, with the replica scaled down
// (the agent's window is smaller than the customer's viewport plus the desktop's chrome) and after
// the customer scrolled; a click of the agent leaves a ring on the customer's page and clicks
// nothing.

import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../harness/fixtures';
import { POINTER_MOVE_TAG } from '../../packages/protocol/src/frame';
import {
  agentMarkOnCustomer,
  agentPointerOnCustomer,
  customerPoint,
  customerPointerOnAgent,
  replicaFrame,
  replicaPointInAgentPage,
  startAndJoin,
} from '../harness/ui';

/** How far (CSS px of the page that draws it) a drawn pointer may be from where it should be. */
const TOLERANCE = 3;

/** The top-left corner of a drawn pointer is its tip. */
async function tip(pointer: Locator): Promise<{ x: number; y: number } | null> {
  if (!(await pointer.isVisible())) return null;
  const box = await pointer.boundingBox();
  return box ? { x: box.x, y: box.y } : null;
}

async function expectNear(what: () => Promise<{ x: number; y: number } | null>, want: { x: number; y: number }, label: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const got = await what();
        return got ? Math.max(Math.abs(got.x - want.x), Math.abs(got.y - want.y)) : Infinity;
      },
      { message: `${label}: pointer within ${TOLERANCE}px of (${want.x.toFixed(1)}, ${want.y.toFixed(1)})`, timeout: 5_000 },
    )
    .toBeLessThanOrEqual(TOLERANCE);
}

/** Moves the agent's mouse onto the replica element `selector` (in a few steps, as a hand does). */
async function agentPointsAt(agent: Page, selector: string): Promise<void> {
  const p = await replicaPointInAgentPage(agent, selector);
  await agent.mouse.move(p.x, p.y, { steps: 4 });
}

async function customerPointsAt(customer: Page, selector: string): Promise<void> {
  const p = await customerPoint(customer, selector);
  await customer.mouse.move(p.x, p.y, { steps: 4 });
}

test('both pointers show on the other side where they point, also after the customer scrolled', async ({ customer, agent, cobrowse, site }) => {
  await startAndJoin(customer, agent, cobrowse, site.url('interaction.html'));
  const scale = await agent.locator('iframe[data-cobrowse-replica]').evaluate((el) => el.getBoundingClientRect().width / (el as HTMLElement).offsetWidth);
  expect(scale, 'the replica is scaled down: the test covers the conversion').toBeLessThan(0.95);

  // The agent points at the blue box: the customer sees the arrow's tip on it.
  await agentPointsAt(agent, '#target');
  await expectNear(() => tip(agentPointerOnCustomer(customer)), await customerPoint(customer, '#target'), 'agent pointer on the customer page');

  // The customer points at the same box: the agent sees the customer's arrow on the replica's box.
  await customerPointsAt(customer, '#target');
  await expectNear(() => tip(customerPointerOnAgent(agent)), await replicaPointInAgentPage(agent, '#target'), 'customer pointer on the replica');

  // The customer scrolls down to the red box; the replica follows.
  await customer.evaluate(() => window.scrollTo({ top: 1100, behavior: 'instant' }));
  const frame = await replicaFrame(agent);
  await expect.poll(() => frame.evaluate(() => window.scrollY)).toBe(1100);

  await agentPointsAt(agent, '#low');
  await expectNear(() => tip(agentPointerOnCustomer(customer)), await customerPoint(customer, '#low'), 'agent pointer after the scroll');
  await customerPointsAt(customer, '#low');
  await expectNear(() => tip(customerPointerOnAgent(agent)), await replicaPointInAgentPage(agent, '#low'), 'customer pointer after the scroll');

  // The agent's mouse leaves the replica: the customer's page hides the arrow.
  await agent.mouse.move(2, 2, { steps: 3 });
  await expect(agentPointerOnCustomer(customer)).toBeHidden();
});

test('the customer socket is compressed and a moving pointer is sampled every 50 ms, ending where the mouse stops', async ({ customer, agent, cobrowse, site }) => {
  // What the customer's browser and the server agreed on, from the handshake (CDP).
  const cdp = await customer.context().newCDPSession(customer);
  await cdp.send('Network.enable');
  const extensions: string[] = [];
  cdp.on('Network.webSocketHandshakeResponseReceived', (e: { response: { headers: Record<string, string> } }) => {
    const h = Object.entries(e.response.headers).find(([k]) => k.toLowerCase() === 'sec-websocket-extensions');
    extensions.push(h?.[1] ?? '');
  });
  const pointerSends: number[] = [];
  customer.on('websocket', (ws) => {
    if (!ws.url().includes('/cobrowse/ws/customer')) return;
    ws.on('framesent', (f) => {
      // Pointer moves are binary, their first byte POINTER_MOVE_TAG (docs/PROTOCOL.md, "Pointers").
      if (typeof f.payload !== 'string' && f.payload[0] === POINTER_MOVE_TAG) pointerSends.push(Date.now());
    });
  });
  await startAndJoin(customer, agent, cobrowse, site.url('interaction.html'));
  expect(extensions).toEqual(['permessage-deflate; client_max_window_bits=12']);

  // One second of continuous movement, a mouse event every few milliseconds.
  const start = await customerPoint(customer, '#target');
  const before = pointerSends.length;
  const t0 = Date.now();
  for (let k = 0; Date.now() - t0 < 1000; k++) await customer.mouse.move(start.x + (k % 40), start.y + (k % 7));
  const elapsed = Date.now() - t0;
  await customerPointsAt(customer, '#target');
  await expectNear(() => tip(customerPointerOnAgent(agent)), await replicaPointInAgentPage(agent, '#target'), 'customer pointer after a continuous move');
  const during = pointerSends.slice(before).filter((t) => t <= t0 + elapsed);
  expect(during.length, `pointer messages in ${elapsed} ms of movement`).toBeGreaterThanOrEqual(5);
  expect(during.length, `pointer messages in ${elapsed} ms of movement`).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 1);
});

test('a Pointer Mode click marks the spot on the customer page and clicks nothing', async ({ customer, agent, cobrowse, site }) => {
  await startAndJoin(customer, agent, cobrowse, site.url('interaction.html'));
  // Point at the button until the customer sees the agent's arrow on it (the desktop's layout may
  // still settle right after joining), then click there.
  const want = await customerPoint(customer, '#buy');
  let p = { x: 0, y: 0 };
  await expect
    .poll(
      async () => {
        p = await replicaPointInAgentPage(agent, '#buy');
        await agent.mouse.move(p.x, p.y, { steps: 2 });
        const got = await tip(agentPointerOnCustomer(customer));
        return got ? Math.max(Math.abs(got.x - want.x), Math.abs(got.y - want.y)) : Infinity;
      },
      { message: 'agent pointer on the Buy button', timeout: 10_000 },
    )
    .toBeLessThanOrEqual(TOLERANCE);
  await agent.mouse.click(p.x, p.y);

  const ring = agentMarkOnCustomer(customer);
  await expect(ring).toHaveCount(1);
  const center = await ring.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  });
  expect(Math.abs(center.x - want.x)).toBeLessThanOrEqual(TOLERANCE);
  expect(Math.abs(center.y - want.y)).toBeLessThanOrEqual(TOLERANCE);
  // The ring goes away by itself, and the button's click handler never ran.
  await expect(ring).toHaveCount(0);
  expect(await customer.evaluate(() => (window as unknown as { __clicks: number }).__clicks)).toBe(0);
});
