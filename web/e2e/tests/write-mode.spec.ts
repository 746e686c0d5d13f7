// Write Mode needs the customer's consent: the agent asks, the customer answers with the built-in
// dialog (or the page's own onModeUpgradeRequested callback decides, and no dialog is shown), and
// the customer can revoke control at any time.

import { expect, test } from '../harness/fixtures';
import {
  agentMode,
  agentNotice,
  consentDialog,
  recordedEvents,
  requestControlButton,
  revokeControlButton,
  startAndJoin,
} from '../harness/ui';
import type { Page } from '@playwright/test';

function modeEvents(customer: Page): Promise<{ pointer: boolean; write: boolean }[]> {
  return recordedEvents(customer).then((events) =>
    events.flatMap((e) => (e.type === 'modeChanged' ? [{ pointer: e.pointer, write: e.write }] : [])),
  );
}

test('the customer declines, then allows, then revokes control', async ({ customer, agent, cobrowse, site }) => {
  await startAndJoin(customer, agent, cobrowse, site.url('interaction.html'));
  await expect(agentMode(agent)).toHaveText('Pointer mode');

  // First request: No.
  await requestControlButton(agent).click();
  await expect(requestControlButton(agent)).toBeDisabled();
  const dialog = consentDialog(customer);
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Agent requests upgrading Co-browse session to "write" mode.');
  await dialog.getByRole('button', { name: 'No' }).click();
  await expect(dialog).toBeHidden();
  await expect(agentNotice(agent)).toContainText('declined');
  await expect(agentMode(agent)).toHaveText('Pointer mode');
  await expect(requestControlButton(agent)).toBeEnabled();
  expect(await modeEvents(customer)).toEqual([]);

  // Second request: Yes.
  await requestControlButton(agent).click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Yes' }).click();
  await expect(agentMode(agent)).toHaveText('Write mode');
  await expect(customer.getByText('Agent has control over the page.', { exact: true })).toBeVisible();
  await expect(requestControlButton(agent)).toBeDisabled();
  await expect.poll(() => modeEvents(customer)).toEqual([{ pointer: false, write: true }]);

  // The customer revokes.
  await revokeControlButton(customer).click();
  await expect(agentMode(agent)).toHaveText('Pointer mode');
  await expect(revokeControlButton(customer)).toBeHidden();
  await expect.poll(() => modeEvents(customer)).toEqual([
    { pointer: false, write: true },
    { pointer: true, write: false },
  ]);
  await expect(requestControlButton(agent)).toBeEnabled();
});

test('the dialog answers No on Escape', async ({ customer, agent, cobrowse, site }) => {
  await startAndJoin(customer, agent, cobrowse, site.url('interaction.html'));
  await requestControlButton(agent).click();
  await expect(consentDialog(customer)).toBeVisible();
  await expect(consentDialog(customer).getByRole('button', { name: 'No' })).toBeFocused();
  await customer.keyboard.press('Escape');
  await expect(consentDialog(customer)).toBeHidden();
  await expect(agentNotice(agent)).toContainText('declined');
  await expect(agentMode(agent)).toHaveText('Pointer mode');
});

test('a page with an onModeUpgradeRequested callback decides, and no dialog is shown', async ({ customer, agent, cobrowse, site }) => {
  await startAndJoin(customer, agent, cobrowse, site.url('mode-callback.html'));
  await requestControlButton(agent).click();
  await expect.poll(async () => (await recordedEvents(customer)).some((e) => e.type === 'modeUpgradeRequested')).toBe(true);
  await expect(consentDialog(customer)).toHaveCount(0);
  // The first answer wins: the later "false" changes nothing.
  await customer.evaluate(() => {
    const done = (window as unknown as { __modeDone: (allow: boolean) => void }).__modeDone;
    done(true);
    done(false);
  });
  await expect(agentMode(agent)).toHaveText('Write mode');
  await expect.poll(() => modeEvents(customer)).toEqual([{ pointer: false, write: true }]);
  await expect(consentDialog(customer)).toHaveCount(0);
});
