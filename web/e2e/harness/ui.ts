// The UI contract the tests rely on, in one place: the customer's toolbar (SDK), the agent desktop
// (/agent/) and its replica. Tests talk to the product through these functions only, so a changed
// selector is changed here.

import type { Frame, FrameLocator, Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import type { AgentAccount, CobrowseServer } from './server';

// ---- customer side ----------------------------------------------------------------------------

/** The SDK's toolbar text; Playwright's text locators pierce its open shadow root. */
const SESSION_ID = /Session ID: (\d{9})\b/;

/** The toolbar line "Session ID: 123456789" of the customer's page. */
export function toolbarSessionId(customer: Page): Locator {
  return customer.getByText(SESSION_ID);
}

export function exitCobrowseButton(customer: Page): Locator {
  return customer.getByRole('button', { name: 'Exit Co-browse session' });
}

/** Waits for the toolbar to show a session id and returns the 9-digit token. */
export async function tokenInToolbar(customer: Page): Promise<string> {
  const line = toolbarSessionId(customer);
  await expect(line).toBeVisible();
  const match = SESSION_ID.exec(await line.innerText());
  if (!match?.[1]) throw new Error(`toolbar text does not carry a token: ${await line.innerText()}`);
  return match[1];
}

/**
 * The built-in question `startSession()` asks when no chat adapter says an agent is connected
 * ("Are you on the phone or chat with our representative?" / "… on the phone …"), Yes / No.
 */
export function startQuestion(customer: Page): Locator {
  return customer.getByRole('dialog', { name: 'Co-browse' }).filter({ hasText: 'Are you on the phone' });
}

/**
 * Clicks `#cobrowse-button` and answers Yes to the start question when one is asked (a page whose
 * chat adapter reports a connected agent starts without asking).
 */
export async function clickCobrowseAndConfirm(customer: Page): Promise<void> {
  await customer.locator('#cobrowse-button').click();
  const question = startQuestion(customer);
  await expect(question.or(toolbarSessionId(customer))).toBeVisible();
  if (await question.isVisible()) await question.getByRole('button', { name: 'Yes' }).click();
}

/** Opens `url` (a page with a `#cobrowse-button`), starts a session and returns its token. */
export async function startSession(customer: Page, url: string): Promise<string> {
  await customer.goto(url);
  await clickCobrowseAndConfirm(customer);
  return tokenInToolbar(customer);
}

/** Events the fixture pages record from the SDK's API (`window.__events`, see fixtures/sdk-events.js). */
export type RecordedEvent =
  | { type: 'ready' }
  | { type: 'started'; token: string }
  | { type: 'ended'; reason: string }
  | { type: 'modeChanged'; pointer: boolean; write: boolean }
  | { type: 'modeUpgradeRequested' };

export function recordedEvents(customer: Page): Promise<RecordedEvent[]> {
  return customer.evaluate(() => (window as unknown as { __events?: RecordedEvent[] }).__events ?? []);
}

/** The agent's pointer drawn on the customer's page (in the SDK's shadow root). */
export function agentPointerOnCustomer(customer: Page): Locator {
  return customer.locator('[data-gcb-agent-pointer]');
}

/** The rings a Pointer Mode click of the agent leaves on the customer's page. */
export function agentMarkOnCustomer(customer: Page): Locator {
  return customer.locator('[data-gcb-agent-mark]');
}

/** The built-in Write Mode consent dialog. */
export function consentDialog(customer: Page): Locator {
  return customer.getByRole('dialog', { name: 'Co-browse' });
}

export function revokeControlButton(customer: Page): Locator {
  return customer.getByRole('button', { name: 'Revoke control' });
}

// ---- agent side -------------------------------------------------------------------------------

export function agentUrl(cobrowse: CobrowseServer, hash = ''): string {
  return `${cobrowse.origin}/agent/${hash}`;
}

/** Logs in with the desktop's form (the page must show it). */
export async function logInWithForm(agent: Page, account: AgentAccount): Promise<void> {
  await agent.locator('#username').fill(account.username);
  await agent.locator('#password').fill(account.password);
  await agent.getByRole('button', { name: 'Log in' }).click();
}

/** Types the token into the desktop's join form and presses Join (the page must show it). */
export async function joinWithForm(agent: Page, token: string): Promise<void> {
  await agent.locator('#token').fill(token);
  await agent.getByRole('button', { name: 'Join' }).click();
}

/** Opens the desktop of an already logged-in agent and joins `token`. */
export async function openDesktopAndJoin(agent: Page, cobrowse: CobrowseServer, token: string): Promise<void> {
  await agent.goto(agentUrl(cobrowse));
  await joinWithForm(agent, token);
}

/** The session status element; `data-state` is waiting | live | navigating | disconnected | ended. */
export function agentStatus(agent: Page): Locator {
  return agent.locator('#status');
}

export async function expectAgentState(agent: Page, state: string): Promise<void> {
  await expect(agentStatus(agent)).toHaveAttribute('data-state', state);
}

export function exitSessionButton(agent: Page): Locator {
  return agent.getByRole('button', { name: 'Exit session' });
}

export const REPLICA_SELECTOR = 'iframe[data-cobrowse-replica]';

export function replicaElement(agent: Page): Locator {
  return agent.locator(REPLICA_SELECTOR);
}

/** The replica's document, for locators. */
export function replica(agent: Page): FrameLocator {
  return agent.frameLocator(REPLICA_SELECTOR);
}

/** The replica's frame, for evaluating in its window (scroll offsets, form state, globals). */
export async function replicaFrame(agent: Page): Promise<Frame> {
  const handle = await replicaElement(agent).elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('the replica iframe has no frame');
  return frame;
}

/** The customer's pointer drawn over the replica. */
export function customerPointerOnAgent(agent: Page): Locator {
  return agent.locator('[data-cobrowse-customer-pointer]');
}

export function requestControlButton(agent: Page): Locator {
  return agent.getByRole('button', { name: 'Request control' });
}

/** The session's mode on the desktop: text "Pointer mode" / "Write mode", `data-mode`. */
export function agentMode(agent: Page): Locator {
  return agent.locator('#mode');
}

/** Notices of the desktop (declined requests, ...). */
export function agentNotice(agent: Page): Locator {
  return agent.locator('#notice');
}

/**
 * Where the center of the replica element `selector` is in the agent's page (the replica is
 * scaled with a transform): for mouse moves over the replica and for the customer's pointer.
 */
export async function replicaPointInAgentPage(agent: Page, selector: string): Promise<{ x: number; y: number }> {
  const frameBox = await replicaElement(agent).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x, y: r.y, scale: r.width / (el as HTMLElement).offsetWidth };
  });
  const rect = await (await replicaFrame(agent)).locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  });
  return { x: frameBox.x + rect.x * frameBox.scale, y: frameBox.y + rect.y * frameBox.scale };
}

/** The viewport point of the center of `selector` on the customer's page. */
export function customerPoint(customer: Page, selector: string): Promise<{ x: number; y: number }> {
  return customer.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  });
}

// ---- both sides -------------------------------------------------------------------------------

/**
 * How long a change on the customer's page may take to show in the replica, measured from the
 * action. The requirement is "within a second"; the extra second absorbs a loaded CI machine.
 */
export const REPLICA_LATENCY_MS = 2_000;

/**
 * The customer starts a session on `url`, the logged-in `agent` joins it from the desktop's form,
 * and the replica goes live. Returns the token.
 */
export async function startAndJoin(
  customer: Page,
  agent: Page,
  cobrowse: CobrowseServer,
  url: string,
): Promise<string> {
  const token = await startSession(customer, url);
  await openDesktopAndJoin(agent, cobrowse, token);
  await expectAgentState(agent, 'live');
  return token;
}

// ---- Write Mode -------------------------------------------------------------------------------

/** The agent asks for control and the customer allows it in the built-in dialog. */
export async function grantWriteMode(customer: Page, agent: Page): Promise<void> {
  await expect(requestControlButton(agent)).toBeEnabled();
  await requestControlButton(agent).click();
  await consentDialog(customer).getByRole('button', { name: 'Yes' }).click();
  await expect(agentMode(agent)).toHaveText('Write mode');
}

/** The desktop's navigation controls (enabled in Write Mode only). */
export function agentNavButton(agent: Page, name: 'Back' | 'Forward' | 'Refresh' | 'Go'): Locator {
  return agent.getByRole('button', { name, exact: true });
}

export function agentAddressField(agent: Page): Locator {
  return agent.getByRole('textbox', { name: 'Address' });
}

/** The agent's navigations the customer's pages recorded (kept across pages of the tab). */
export function recordedNavigations(customer: Page): Promise<{ type: string; command?: string; url?: string }[]> {
  return customer.evaluate(
    () => JSON.parse(sessionStorage.getItem('e2e.nav') ?? '[]') as { type: string; command?: string; url?: string }[],
  );
}
