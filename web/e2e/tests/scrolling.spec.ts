// When the customer scrolls, the replica's window scrolls to the same offset within a second.

import { expect, test } from '../harness/fixtures';
import { REPLICA_LATENCY_MS, replicaFrame, startAndJoin } from '../harness/ui';
import type { Page } from '@playwright/test';

async function replicaScrollY(agent: Page): Promise<number> {
  return (await replicaFrame(agent)).evaluate(() => window.scrollY);
}

function customerScrollY(customer: Page): Promise<number> {
  return customer.evaluate(() => window.scrollY);
}

test("the replica's scrollY follows the customer's", async ({ customer, agent, cobrowse }) => {
  // A short window makes the shop's product list scroll.
  await customer.setViewportSize({ width: 1000, height: 400 });
  await startAndJoin(customer, agent, cobrowse, `${cobrowse.origin}/demo/`);
  const maxScroll = await customer.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
  expect(maxScroll, 'the page must be long enough to scroll').toBeGreaterThan(300);
  expect(await replicaScrollY(agent)).toBe(0);

  // The mouse wheel, as a person scrolls (possibly animated: compare once both have settled).
  await customer.mouse.move(500, 200);
  await customer.mouse.wheel(0, 250);
  await expect.poll(() => customerScrollY(customer)).toBeGreaterThan(0);
  await expect
    .poll(async () => (await replicaScrollY(agent)) === (await customerScrollY(customer)), {
      timeout: REPLICA_LATENCY_MS,
    })
    .toBe(true);

  // Script-driven jumps, down and up.
  for (const target of [Math.round(maxScroll * 0.75), Math.round(maxScroll * 0.3)]) {
    const y = await customer.evaluate((top) => {
      window.scrollTo({ top, behavior: 'instant' });
      return window.scrollY;
    }, target);
    expect(y).toBe(target);
    await expect.poll(() => replicaScrollY(agent), { timeout: REPLICA_LATENCY_MS }).toBe(y);
  }
});
