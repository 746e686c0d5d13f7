// Either side can end the session; both sides learn it, with the reason.

import { expect, test } from '../harness/fixtures';
import {
  agentStatus,
  exitCobrowseButton,
  exitSessionButton,
  expectAgentState,
  recordedEvents,
  startAndJoin,
  toolbarSessionId,
} from '../harness/ui';

test("the customer's exit button ends the session on both sides (reason self)", async ({
  customer,
  agent,
  cobrowse,
  site,
}) => {
  await startAndJoin(customer, agent, cobrowse, site.url('session.html'));

  await exitCobrowseButton(customer).click();

  await expect.poll(() => recordedEvents(customer)).toContainEqual({ type: 'ended', reason: 'self' });
  await expect(toolbarSessionId(customer)).toBeHidden();
  await expectAgentState(agent, 'ended');
  await expect(agentStatus(agent)).toContainText(/customer/i);
});

test('the agent\'s "Exit session" ends the session on both sides (reason external)', async ({
  customer,
  agent,
  cobrowse,
  site,
}) => {
  await startAndJoin(customer, agent, cobrowse, site.url('session.html'));

  await exitSessionButton(agent).click();

  await expectAgentState(agent, 'ended');
  await expect(agentStatus(agent)).toContainText(/you/i);
  await expect.poll(() => recordedEvents(customer)).toContainEqual({ type: 'ended', reason: 'external' });
  await expect(toolbarSessionId(customer)).toBeHidden();
  await expect(exitCobrowseButton(customer)).toBeHidden();
});
