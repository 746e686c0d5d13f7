// What the customer types into a form field shows in the replica's field within a second.

import { expect, test } from '../harness/fixtures';
import { REPLICA_LATENCY_MS, replica, startAndJoin } from '../harness/ui';

test("typing into the checkout form shows as the replica input's value", async ({ customer, agent, cobrowse }) => {
  await startAndJoin(customer, agent, cobrowse, `${cobrowse.origin}/demo/checkout.html`);
  const field = replica(agent).locator('#name');
  await expect(field).toHaveValue('');

  await customer.locator('#name').pressSequentially('Ada Lovelace');
  await expect(field).toHaveValue('Ada Lovelace', { timeout: REPLICA_LATENCY_MS });

  await customer.locator('#name').press('Backspace');
  await customer.locator('#name').press('Backspace');
  await customer.locator('#name').pressSequentially('ve');
  await expect(field).toHaveValue('Ada Lovelave', { timeout: REPLICA_LATENCY_MS });
});
