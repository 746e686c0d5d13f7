// An agent logs in with the desktop's form, joins with the customer's token and sees the page.

import { expect, test } from '../harness/fixtures';
import { agentUrl, expectAgentState, joinWithForm, logInWithForm, replica, startSession } from '../harness/ui';

test('the agent logs in with the form, joins with the token and the replica shows the page', async ({
  customer,
  loggedOutAgent: agent,
  agentAccount,
  cobrowse,
}) => {
  const token = await startSession(customer, `${cobrowse.origin}/demo/`);
  const heading = (await customer.locator('h1').first().innerText()).trim();
  expect(heading).not.toBe('');

  await agent.goto(agentUrl(cobrowse));
  await logInWithForm(agent, agentAccount);
  await joinWithForm(agent, token);

  await expectAgentState(agent, 'live');
  await expect(replica(agent).locator('h1').first()).toHaveText(heading);
});
