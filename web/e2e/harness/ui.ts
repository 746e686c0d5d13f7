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

/** Opens `url` (a page with a `#cobrowse-button`), starts a session and returns its token. */
export async function startSession(customer: Page, url: string): Promise<string> {
  await customer.goto(url);
  await customer.locator('#cobrowse-button').click();
  return tokenInToolbar(customer);
}

/** Events the fixture pages record from the SDK's API (`window.__events`, see fixtures/sdk-events.js). */
export type RecordedEvent =
  | { type: 'ready' }
  | { type: 'started'; token: string }
  | { type: 'ended'; reason: string };

export function recordedEvents(customer: Page): Promise<RecordedEvent[]> {
  return customer.evaluate(() => (window as unknown as { __events?: RecordedEvent[] }).__events ?? []);
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
