// /agent/#join=TOKEN joins the session as soon as the agent has logged in.

import { expect, test } from '../harness/fixtures';
import { agentUrl, expectAgentState, logInWithForm, replica, startSession } from '../harness/ui';

test('the deep link /agent/#join=TOKEN joins after login', async ({
  customer,
  loggedOutAgent: agent,
  agentAccount,
  cobrowse,
}) => {
  const token = await startSession(customer, `${cobrowse.origin}/demo/`);
  const heading = (await customer.locator('h1').first().innerText()).trim();

  await agent.goto(agentUrl(cobrowse, `#join=${token}`));
  await logInWithForm(agent, agentAccount);

  await expectAgentState(agent, 'live');
  await expect(replica(agent).locator('h1').first()).toHaveText(heading);
});
