// The demo shop's chat is the co-browse session's primary media: the customer chats with an agent
// who accepted the chat in the desktop; pressing Co-browse sends the token through the chat
// (`{start:TOKEN}`, by the SDK's primaryMedia adapter), the desktop joins by itself and shows the
// replica next to the chat; ending the chat ends the co-browse session on both sides.

import { expect, test } from '../harness/fixtures';
import { agentUrl, clickCobrowseAndConfirm, expectAgentState, replica, tokenInToolbar } from '../harness/ui';

test('chat, co-browse started through the chat, and the chat’s end ends the session', async ({ customer, agent, cobrowse }) => {
  await customer.goto(`${cobrowse.origin}/demo/`);
  await agent.goto(agentUrl(cobrowse));
  await expect(agent.locator('#chat-panel')).toBeVisible();

  // The customer opens the chat; the agent accepts it.
  await customer.locator('#chat-launcher').click();
  await expect(customer.locator('#chat-status')).toHaveText('Waiting for an agent…');
  await customer.locator('#chat-input').fill('Hello, which grinder should I buy?');
  await customer.locator('#chat-send').click();
  await agent.getByRole('button', { name: 'Accept chat with Customer' }).click();
  await expect(customer.locator('#chat-status')).toContainText('You are chatting with');
  const agentLog = agent.locator('#chat-log');
  await expect(agentLog.locator('li[data-sender="customer"]')).toContainText('Hello, which grinder should I buy?');

  // Messages both ways, in order.
  await agent.locator('#chat-text').fill('Happy to help!');
  await agent.locator('#chat-send').click();
  await expect(customer.locator('#chat-log li[data-sender="agent"]')).toContainText('Happy to help!');
  await customer.locator('#chat-input').fill('Thanks');
  await customer.locator('#chat-send').click();
  await expect(agentLog.locator('li')).toHaveText([/Hello, which grinder/, /Happy to help!/, /Thanks/]);

  // The chat survives a page change (sessionStorage, reconnect, history).
  await customer.goto(`${cobrowse.origin}/demo/cart.html`);
  await expect(customer.locator('#chat-log li')).toHaveCount(3);
  // Record the SDK's session end on this page.
  await customer.evaluate(() => {
    const w = window as unknown as { __ended: string[]; _genesys: { cobrowse: { onReady: unknown[] } } };
    w.__ended = [];
    w._genesys.cobrowse.onReady.push((api: { onSessionEnded: { add(cb: (d: { reason: string }) => void): void } }) =>
      api.onSessionEnded.add((d) => w.__ended.push(d.reason)),
    );
  });
  await expect(customer.locator('#chat-status')).toContainText('You are chatting with');

  // Co-browse: the adapter reports the connected agent, so the SDK sends the token in the chat.
  await clickCobrowseAndConfirm(customer);
  const token = await tokenInToolbar(customer);
  const spaced = `${token.slice(0, 3)} ${token.slice(3, 6)} ${token.slice(6)}`;
  await expect(agentLog.locator('li[data-cobrowse]')).toContainText(`Customer started co-browsing (session ${spaced})`);
  await expect(agentLog).not.toContainText('{start:');
  // The desktop joined by itself; replica and chat are visible together.
  await expectAgentState(agent, 'live');
  await expect(replica(agent).locator('h1').first()).toHaveText('Your cart');
  await expect(agent.locator('#chat-conversation')).toBeVisible();
  // The chat widget is a service element: not in the replica.
  await expect(replica(agent).locator('#demo-chat')).toHaveCount(0);

  // The agent ends the chat: the co-browse session ends on both sides.
  await agent.locator('#chat-end').click();
  await expect(customer.locator('#chat-status')).toHaveText('The chat has ended.');
  await expect(agent.locator('#status')).toHaveAttribute('data-state', 'ended');
  await expect(agent.locator('#status')).toContainText('ended by the contact center');
  await expect.poll(() => customer.evaluate(() => (window as unknown as { __ended: string[] }).__ended)).toEqual(['external']);
});
