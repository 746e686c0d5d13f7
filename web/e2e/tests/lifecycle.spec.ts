// How a session ends when something goes wrong, as the customer's page reports it
// (onSessionEnded reasons of the reference API): a busy agent, a page reopened after its session
// expired, a server that cannot be reached.

import { expect, test } from '../harness/fixtures';
import {
  agentStatus,
  clickCobrowseAndConfirm,
  expectAgentState,
  openDesktopAndJoin,
  recordedEvents,
  startAndJoin,
  startSession,
  toolbarSessionId,
} from '../harness/ui';

test('an agent already in a session who joins another ends it with sessionsOverLimit', async ({
  browser,
  customer,
  agent,
  cobrowse,
  site,
}) => {
  await startAndJoin(customer, agent, cobrowse, site.url('session.html'));

  const otherContext = await browser.newContext();
  try {
    const otherCustomer = await otherContext.newPage();
    const otherToken = await startSession(otherCustomer, site.url('session.html'));
    // The same agent (same login) opens a second desktop tab and joins the second session.
    const secondDesk = await agent.context().newPage();
    await openDesktopAndJoin(secondDesk, cobrowse, otherToken);

    await expectAgentState(secondDesk, 'ended');
    await expect(agentStatus(secondDesk)).toContainText(/another session/i);
    await expect
      .poll(() => recordedEvents(otherCustomer))
      .toContainEqual({ type: 'ended', reason: 'sessionsOverLimit' });
    await expect(otherCustomer.getByText(/currently busy with another Co-browse session/)).toBeVisible();
    // The first session goes on.
    await expectAgentState(agent, 'live');
    await expect(toolbarSessionId(customer)).toBeVisible();
  } finally {
    await otherContext.close();
  }
});

test('a page reopened with a session that no longer exists reports timeout', async ({ customer, cobrowse, site }) => {
  await customer.goto(site.url('session.html'));
  // What the SDK keeps for the tab while a session lives; this one is unknown to the server, as an
  // expired session is.
  await customer.evaluate((cobrowseUrl) => {
    const socketUrl = new URL('ws/customer', cobrowseUrl);
    socketUrl.protocol = 'ws:';
    sessionStorage.setItem(
      'gcb.session',
      JSON.stringify({ token: '000000001', secret: 'gone', socketUrl: socketUrl.href, serverUrl: cobrowseUrl }),
    );
  }, cobrowse.cobrowseUrl);
  await customer.reload();

  await expect.poll(() => recordedEvents(customer)).toContainEqual({ type: 'ended', reason: 'timeout' });
  await expect(customer.getByText('Session timed out. Co-browse is now terminated.')).toBeVisible();
  expect(await customer.evaluate(() => sessionStorage.getItem('gcb.session'))).toBeNull();
});

test('a server that cannot be reached reports serverUnavailable', async ({ customer, site }) => {
  await customer.goto(site.url('session.html'));
  // The network fails the request that creates the session.
  await customer.route('**/cobrowse/rest/live/sessions', (route) => route.abort('connectionrefused'));
  await clickCobrowseAndConfirm(customer);

  await expect.poll(() => recordedEvents(customer)).toContainEqual({ type: 'ended', reason: 'serverUnavailable' });
  await expect(customer.getByText('Could not reach Co-browse server. Co-browse is now terminated.')).toBeVisible();
  await expect(toolbarSessionId(customer)).toBeHidden();
});
