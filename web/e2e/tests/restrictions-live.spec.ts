// The DOM Restrictions Editor and a running session: a masking rule an administrator creates in the
// editor reaches a session that is already running and masks what the agent already sees, at once;
// disabling it in the editor shows the content again.

import { expect, test } from '../harness/fixtures';
import { adminLogin, createRestriction, enabledSwitch, restrictionRow } from '../harness/admin';
import { replica, startAndJoin } from '../harness/ui';
import { restrictionsApi } from '../harness/restrictions';

const SELECTOR = '#reference';

test('a running session picks up a masking rule created in the editor, and its removal', async ({
  customer,
  agent,
  admin,
  adminAccount,
  cobrowse,
  site,
}) => {
  const view = replica(agent);
  await startAndJoin(customer, agent, cobrowse, site.url('live-rule.html'));
  await expect(view.locator('#reference')).toHaveText('Order reference RX-2041 ships tomorrow');
  await expect(customer.getByText('Some content is hidden from representative')).toBeHidden();

  try {
    await adminLogin(admin, cobrowse, adminAccount);
    await createRestriction(admin, {
      selector: SELECTOR,
      kind: 'mask',
      description: 'Order references',
      group: 'Live session test',
      urlPattern: 'live-rule\\.html',
    });

    // The agent's replica: asterisks of the same length, outlined as masked; the rest unchanged.
    await expect(view.locator('#reference')).toHaveText('***** ********* ******* ***** ********', { timeout: 5_000 });
    await expect(view.locator('#reference')).toHaveAttribute('data-cobrowse-restricted', 'mask');
    await expect(view.locator('#public')).toHaveText('Thank you for your order.');
    // The customer is told that content is hidden.
    await expect(customer.getByText('Some content is hidden from representative')).toBeVisible();

    // Disabled in the editor: the agent sees the content again.
    const row = restrictionRow(admin, SELECTOR);
    await enabledSwitch(row).click();
    await expect(enabledSwitch(row)).not.toBeChecked();
    await expect(view.locator('#reference')).toHaveText('Order reference RX-2041 ships tomorrow', { timeout: 5_000 });
    await expect(view.locator('#reference')).not.toHaveAttribute('data-cobrowse-restricted', /.*/);
  } finally {
    // The worker's server is shared with later tests: leave no rule behind.
    await (await restrictionsApi(cobrowse)).removeWhere((r) => r.selector === SELECTOR);
  }
});
