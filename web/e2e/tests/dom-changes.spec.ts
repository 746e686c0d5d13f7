// DOM changes on the customer's page show in the replica within a second: the live page's own
// changes (a ticking clock, a growing activity list) and changes the test makes itself.

import { expect, test } from '../harness/fixtures';
import { REPLICA_LATENCY_MS, replica, startAndJoin } from '../harness/ui';

/** Seconds since midnight of an "HH:MM:SS" clock text, or NaN. */
function clockSeconds(text: string): number {
  const match = /(\d{2}):(\d{2}):(\d{2})/.exec(text);
  if (!match) return Number.NaN;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/** Whether clock time `shown` is `expected` or later (a few seconds later, across midnight too). */
function atOrAfter(shown: number, expected: number): boolean {
  return (shown - expected + 86_400) % 86_400 < 60;
}

/** The number `n` of the newest activity item ("#n Order shipped — 10:00:00"), or NaN. */
function itemNumber(text: string | null): number {
  const match = /#(\d+)/.exec(text ?? '');
  return match ? Number(match[1]) : Number.NaN;
}

test("the live page's clock and growing list follow in the replica", async ({ customer, agent, cobrowse }) => {
  await startAndJoin(customer, agent, cobrowse, `${cobrowse.origin}/demo/live.html`);

  const clock = customer.locator('#clock');
  const replicaClock = replica(agent).locator('#clock');
  for (let tick = 0; tick < 2; tick += 1) {
    // Wait for the customer's clock to tick, then give the replica a second from that moment.
    const before = await clock.innerText();
    await expect(clock).not.toHaveText(before);
    const now = clockSeconds(await clock.innerText());
    expect(now).not.toBeNaN();
    await expect
      .poll(async () => atOrAfter(clockSeconds(await replicaClock.innerText()), now), {
        timeout: REPLICA_LATENCY_MS,
      })
      .toBe(true);
  }

  const newest = customer.locator('#feed li').first();
  const replicaNewest = replica(agent).locator('#feed li').first();
  for (let item = 0; item < 2; item += 1) {
    const before = itemNumber(await newest.textContent().catch(() => null));
    await expect.poll(async () => itemNumber(await newest.textContent())).not.toBe(before);
    const n = itemNumber(await newest.textContent());
    expect(n).not.toBeNaN();
    await expect
      .poll(async () => itemNumber(await replicaNewest.textContent()), { timeout: REPLICA_LATENCY_MS })
      .toBeGreaterThanOrEqual(n);
  }
  await expect
    .poll(async () => (await replica(agent).locator('#feed li').count()) > 1)
    .toBe(true);
});

test('changes made by a script on the customer page follow in the replica', async ({ customer, agent, cobrowse }) => {
  await startAndJoin(customer, agent, cobrowse, `${cobrowse.origin}/demo/`);
  const view = replica(agent);
  const lead = (await customer.locator('p.lead').innerText()).trim();
  await expect(view.locator('p.lead')).toHaveText(lead);

  const note = `added by the test at ${Date.now()}`;
  await customer.evaluate((text) => {
    const p = document.createElement('p');
    p.id = 'e2e-note';
    p.className = 'e2e';
    p.textContent = text;
    document.querySelector('main')?.prepend(p);
  }, note);
  await expect(view.locator('#e2e-note')).toHaveText(note, { timeout: REPLICA_LATENCY_MS });

  await customer.evaluate(() => {
    const h1 = document.querySelector('h1');
    if (h1) h1.textContent = 'A heading changed by the test';
    document.getElementById('e2e-note')?.setAttribute('data-e2e', 'attribute set');
    document.querySelector('p.lead')?.remove();
  });
  await expect(view.locator('h1')).toHaveText('A heading changed by the test', { timeout: REPLICA_LATENCY_MS });
  await expect(view.locator('#e2e-note')).toHaveAttribute('data-e2e', 'attribute set', { timeout: REPLICA_LATENCY_MS });
  await expect(view.locator('p.lead')).toHaveCount(0, { timeout: REPLICA_LATENCY_MS });
});
