// Navigation by the agent (Write Mode): Back, Forward, Refresh and an address, performed by the
// customer's tab a moment after the page is told (onAgentNavigated); the session continues on the
// new page. A URL the server does not allow fails on the agent's side and the customer's tab stays.

import { expect, test } from '../harness/fixtures';
import {
  agentAddressField,
  agentMode,
  agentNavButton,
  agentNotice,
  expectAgentState,
  grantWriteMode,
  recordedNavigations,
  replica,
  startAndJoin,
  toolbarSessionId,
} from '../harness/ui';

test('back, forward, refresh and an address navigate the customer’s tab', async ({ customer, agent, cobrowse, site }) => {
  // Some history first: the customer goes from interaction.html to checkout.html.
  await customer.goto(site.url('interaction.html'));
  const token = await startAndJoin(customer, agent, cobrowse, site.url('checkout.html'));
  await expect(agentNavButton(agent, 'Back')).toBeDisabled();
  await grantWriteMode(customer, agent);
  await expect(agentNavButton(agent, 'Back')).toBeEnabled();

  const liveOn = async (page: RegExp, selector: string) => {
    await customer.waitForURL(page);
    await expectAgentState(agent, 'live');
    await expect(replica(agent).locator(selector)).toBeAttached();
    await expect(toolbarSessionId(customer)).toContainText(token);
    await expect(agentMode(agent)).toHaveText('Write mode');
  };

  await agentNavButton(agent, 'Back').click();
  await liveOn(/interaction\.html$/, '#buy');
  await agentNavButton(agent, 'Forward').click();
  await liveOn(/checkout\.html$/, '#name');

  await customer.evaluate(() => ((window as unknown as { __beforeRefresh: boolean }).__beforeRefresh = true));
  const reloaded = customer.waitForEvent('load');
  await agentNavButton(agent, 'Refresh').click();
  await reloaded;
  await liveOn(/checkout\.html$/, '#name');
  expect(await customer.evaluate(() => (window as unknown as { __beforeRefresh?: boolean }).__beforeRefresh ?? false)).toBe(false);

  await agentAddressField(agent).fill(site.url('session.html'));
  await agentNavButton(agent, 'Go').click();
  await liveOn(/session\.html$/, 'h1');

  expect(await recordedNavigations(customer)).toEqual([
    { type: 'agentNavigated', command: 'back' },
    { type: 'agentNavigated', command: 'forward' },
    { type: 'agentNavigated', command: 'refresh' },
    { type: 'agentNavigated', command: 'url', url: site.url('session.html') },
  ]);
});

test('forward without history and a disallowed address fail; the customer’s tab stays', async ({ customer, agent, cobrowse, site }) => {
  await startAndJoin(customer, agent, cobrowse, site.url('checkout.html'));
  await grantWriteMode(customer, agent);

  await agentAddressField(agent).fill('https://example.invalid/');
  await agentNavButton(agent, 'Go').click();
  await expect(agentNotice(agent)).toContainText('Navigation failed');
  // The customer's page is told that a navigation failed (onNavigationFailed), never the address.
  await expect.poll(() => recordedNavigations(customer)).toEqual([{ type: 'navigationFailed' }]);
  await expect(customer.getByText('Navigation request by representative has failed.')).toBeVisible();
  await agentNavButton(agent, 'Forward').click();
  await expect(customer.getByText('Navigation request by representative has failed.')).toBeVisible();
  await expect(agentNotice(agent)).toContainText('Navigation failed');
  expect(customer.url()).toBe(site.url('checkout.html'));
  // The disallowed URL never reached the customer's page; the forward did, and failed there.
  expect(await recordedNavigations(customer)).toEqual([
    { type: 'navigationFailed' },
    { type: 'agentNavigated', command: 'forward' },
    { type: 'navigationFailed' },
  ]);
});
