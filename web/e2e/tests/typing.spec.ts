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

test('form state set by page script (no input event) shows in the replica; a masked field only as asterisks', async ({ customer, agent, cobrowse }) => {
  await startAndJoin(customer, agent, cobrowse, `${cobrowse.origin}/demo/checkout.html`);
  const view = replica(agent);
  await expect(view.locator('#country')).toHaveValue('gb');

  // What frameworks do: properties set directly, no event dispatched.
  await customer.evaluate(() => {
    const byId = <T extends Element>(id: string) => document.getElementById(id) as unknown as T;
    byId<HTMLInputElement>('name').value = 'Grace Hopper';
    byId<HTMLTextAreaElement>('address').value = '1 Compiler Road';
    byId<HTMLSelectElement>('country').value = 'fr';
    byId<HTMLInputElement>('gift').checked = true;
    (document.querySelector('input[name="shipping"][value="express"]') as HTMLInputElement).checked = true;
    byId<HTMLInputElement>('password').value = 'Sw0rdfish!';
  });
  await expect(view.locator('#name')).toHaveValue('Grace Hopper', { timeout: REPLICA_LATENCY_MS });
  await expect(view.locator('#address')).toHaveValue('1 Compiler Road', { timeout: REPLICA_LATENCY_MS });
  await expect(view.locator('#country')).toHaveValue('fr', { timeout: REPLICA_LATENCY_MS });
  await expect(view.locator('#gift')).toBeChecked({ timeout: REPLICA_LATENCY_MS });
  await expect(view.locator('input[name="shipping"][value="express"]')).toBeChecked({ timeout: REPLICA_LATENCY_MS });
  await expect(view.locator('input[name="shipping"][value="standard"]')).not.toBeChecked();
  await expect(view.locator('#password')).toHaveValue('**********', { timeout: REPLICA_LATENCY_MS });

  // A field cleared by script, as TodoMVC does after Enter; an option chosen through `selected`.
  await customer.evaluate(() => {
    (document.getElementById('name') as HTMLInputElement).value = '';
    ((document.getElementById('country') as HTMLSelectElement).options[3] as HTMLOptionElement).selected = true;
  });
  await expect(view.locator('#name')).toHaveValue('', { timeout: REPLICA_LATENCY_MS });
  await expect(view.locator('#country')).toHaveValue('us', { timeout: REPLICA_LATENCY_MS });
});
