// Write Mode input: what the agent does on the replica is performed by the customer's browser on
// the real elements, and only while the customer allows it.

import { expect, test } from '../harness/fixtures';
import {
  agentMode,
  expectAgentState,
  grantWriteMode,
  replica,
  revokeControlButton,
  startAndJoin,
  toolbarSessionId,
} from '../harness/ui';

test('the agent types, picks options and follows a link on the customer’s page', async ({ customer, agent, cobrowse, site }) => {
  const token = await startAndJoin(customer, agent, cobrowse, site.url('checkout.html'));
  await grantWriteMode(customer, agent);

  await replica(agent).locator('#name').click();
  await agent.keyboard.type('Ada Lovelace');
  await expect(customer.locator('#name')).toHaveValue('Ada Lovelace');
  await expect(customer.locator('#name')).toBeFocused();
  await agent.keyboard.press('Backspace');
  await expect(customer.locator('#name')).toHaveValue('Ada Lovelac');
  // The replica shows what the customer's page now has.
  await expect(replica(agent).locator('#name')).toHaveValue('Ada Lovelac');

  await replica(agent).locator('#notes').click();
  await agent.keyboard.type('a');
  await agent.keyboard.press('Enter');
  await agent.keyboard.type('b');
  await expect(customer.locator('#notes')).toHaveValue('a\nb');

  await replica(agent).locator('input[value="express"]').click();
  await replica(agent).locator('#gift').click();
  await replica(agent).locator('#country').selectOption('de');
  await expect(customer.locator('input[value="express"]')).toBeChecked();
  await expect(customer.locator('input[value="standard"]')).not.toBeChecked();
  await expect(customer.locator('#gift')).toBeChecked();
  await expect(customer.locator('#country')).toHaveValue('de');

  await replica(agent).locator('#to-interaction').click();
  await customer.waitForURL(/interaction\.html$/);
  await expectAgentState(agent, 'live');
  await expect(replica(agent).locator('#buy')).toBeVisible();
  await expect(toolbarSessionId(customer)).toContainText(token);
  await expect(agentMode(agent)).toHaveText('Write mode');

  // A click in Write Mode clicks; after the customer revokes control, it does not.
  await replica(agent).locator('#buy').click();
  await expect.poll(() => customer.evaluate(() => (window as unknown as { __clicks: number }).__clicks)).toBe(1);
  await revokeControlButton(customer).click();
  await expect(agentMode(agent)).toHaveText('Pointer mode');
  await replica(agent).locator('#buy').click();
  await expect(customer.locator('[data-gcb-agent-mark]').first()).toBeAttached();
  expect(await customer.evaluate(() => (window as unknown as { __clicks: number }).__clicks)).toBe(1);
});

test('a forged agent’s input in Pointer Mode, or for an unknown node, changes nothing', async ({ customer, agent, cobrowse, site }) => {
  await startAndJoin(customer, agent, cobrowse, site.url('interaction.html'));
  // A raw socket in the agent's context (it has the login cookie) replaces the desktop's socket.
  await agent.evaluate(async (origin) => {
    const url = new URL('/cobrowse/ws/agent', origin);
    url.protocol = 'ws:';
    const token = (document.getElementById('session-token')?.textContent ?? '').replace(/\D/g, '');
    const ws = new WebSocket(url);
    const w = window as unknown as { __forged: WebSocket; __forgedMessages: { type: string; mode?: string }[] };
    w.__forged = ws;
    w.__forgedMessages = [];
    ws.onmessage = (ev) => {
      if (typeof ev.data === 'string') w.__forgedMessages.push(JSON.parse(ev.data) as { type: string });
    };
    await new Promise<void>((resolve) => {
      ws.onopen = () => {
        ws.send(JSON.stringify({ type: 'join', protocolVersion: 1, token }));
        resolve();
      };
    });
  }, cobrowse.origin);
  const forged = (msg: object) => agent.evaluate((m) => (window as unknown as { __forged: WebSocket }).__forged.send(JSON.stringify(m)), msg);
  const forgedGot = (type: string) =>
    agent.evaluate((t) => (window as unknown as { __forgedMessages: { type: string }[] }).__forgedMessages.filter((m) => m.type === t), type);
  await expect.poll(async () => (await forgedGot('joined')).length).toBe(1);

  // Pointer Mode: clicks on every plausible node id.
  for (let id = 1; id <= 120; id++) await forged({ type: 'input', input: { kind: 'click', target: id, point: { x: 1, y: 1 } } });
  await expect.poll(async () => (await forgedGot('error')).length).toBeGreaterThan(0);

  // Write Mode, granted to the forged socket: input for a node id the customer's page never had.
  await forged({ type: 'requestWriteMode' });
  await customer.getByRole('dialog', { name: 'Co-browse' }).getByRole('button', { name: 'Yes' }).click();
  await expect.poll(async () => (await forgedGot('modeChanged')).length).toBe(1);
  await forged({ type: 'input', input: { kind: 'click', target: 987654, point: { x: 1, y: 1 } } });
  await forged({ type: 'input', input: { kind: 'setValue', target: 987655, value: 'x' } });
  await forged({ type: 'input', input: { kind: 'key', target: 987656, key: 'a', code: 'KeyA', modifiers: { shift: false, ctrl: false, alt: false, meta: false } } });
  // A message after them that does arrive: the pointer, drawn on the customer's page.
  await forged({ type: 'pointer', x: 10, y: 10 });
  await expect(customer.locator('[data-gcb-agent-pointer]')).toBeAttached();
  expect(await customer.evaluate(() => (window as unknown as { __clicks: number }).__clicks)).toBe(0);
});

test('a React controlled input follows the agent’s typing', async ({ customer, agent, cobrowse, site }) => {
  await startAndJoin(customer, agent, cobrowse, site.url('react.html'));
  await grantWriteMode(customer, agent);
  await replica(agent).locator('#react-name').click();
  await agent.keyboard.type('Grace');
  await expect(customer.locator('#state')).toHaveText('Grace');
  await expect(customer.locator('#react-name')).toHaveValue('Grace');
  await agent.keyboard.press('Backspace');
  await expect(customer.locator('#state')).toHaveText('Grac');
  await expect(replica(agent).locator('#state')).toHaveText('Grac');
});

test('a Vue v-model input follows the agent’s typing', async ({ customer, agent, cobrowse, site }) => {
  await startAndJoin(customer, agent, cobrowse, site.url('vue.html'));
  await grantWriteMode(customer, agent);
  await replica(agent).locator('#vue-name').click();
  await agent.keyboard.type('Ada');
  await expect(customer.locator('#state')).toHaveText('Ada');
  await expect(customer.locator('#vue-name')).toHaveValue('Ada');
  await agent.keyboard.press('Backspace');
  await expect(customer.locator('#state')).toHaveText('Ad');
  await expect(replica(agent).locator('#state')).toHaveText('Ad');
});
