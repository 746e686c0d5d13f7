// The customer starts a session and reads a 9-digit token from the SDK's toolbar.

import { expect, test } from '../harness/fixtures';
import { clickCobrowseAndConfirm, tokenInToolbar, toolbarSessionId } from '../harness/ui';

test('the customer starts a session on the demo and sees a 9-digit token in the toolbar', async ({
  customer,
  cobrowse,
}) => {
  await customer.goto(`${cobrowse.origin}/demo/`);
  await expect(toolbarSessionId(customer)).toHaveCount(0);

  await clickCobrowseAndConfirm(customer);

  await expect(toolbarSessionId(customer)).toBeVisible();
  expect(await tokenInToolbar(customer)).toMatch(/^\d{9}$/);
});
