// A page that replaced MutationObserver and Node accessors before the SDK loaded (as some frameworks
// do) is co-browsed all the same: the SDK observes and walks with the platform's own, taken from a
// pristine realm (sdk/src/realm.ts).

import { expect, test } from '../harness/fixtures';
import { REPLICA_LATENCY_MS, replica, startAndJoin } from '../harness/ui';

test('a page with a hijacked MutationObserver and childNodes is mirrored, changes included', async ({ customer, agent, cobrowse, site }) => {
  await startAndJoin(customer, agent, cobrowse, site.url('hijacked.html'));
  const view = replica(agent);
  await expect(view.locator('#orders li')).toHaveText(['First order']);

  // The page's own MutationObserver still throws: the SDK did not need it.
  expect(await customer.evaluate(() => {
    try {
      new MutationObserver(() => {});
      return 'constructed';
    } catch {
      return 'throws';
    }
  })).toBe('throws');

  await customer.evaluate(() => {
    const li = document.createElement('li');
    li.textContent = 'Second order';
    document.getElementById('orders')?.append(li);
  });
  await expect(view.locator('#orders li')).toHaveText(['First order', 'Second order'], { timeout: REPLICA_LATENCY_MS });
});
