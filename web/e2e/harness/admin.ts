// The UI contract of the DOM Restrictions Editor (/admin/) that the tests rely on, in one place:
// tests drive the editor through these functions, so a changed label or selector changes here.

import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import type { AgentAccount, CobrowseServer } from './server';

export const ADMIN_PATH = '/admin/';

/** The login form's error line (wrong password, or the server's 403 message for an agent). */
export function adminLoginError(page: Page): Locator {
  return page.locator('#login-error');
}

/** Opens the editor and logs in through its form (no wait for the outcome). */
export async function submitAdminLogin(page: Page, cobrowse: CobrowseServer, account: AgentAccount): Promise<void> {
  if (!page.url().startsWith(`${cobrowse.origin}${ADMIN_PATH}`)) await page.goto(`${cobrowse.origin}${ADMIN_PATH}`);
  await page.getByLabel('User name').fill(account.username);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}

/** Logs in as an administrator and waits for the restrictions list (or its empty state). */
export async function adminLogin(page: Page, cobrowse: CobrowseServer, account: AgentAccount): Promise<void> {
  await submitAdminLogin(page, cobrowse, account);
  await expect(page.getByRole('heading', { name: 'DOM restrictions', level: 1 })).toBeVisible();
}

/** The "Restrictions" / "Audit log" section links. */
export function sectionLink(page: Page, name: 'Restrictions' | 'Audit log'): Locator {
  return page.getByRole('navigation', { name: 'Editor sections' }).getByRole('link', { name, exact: true });
}

/** The row of the restriction whose selector is exactly `selector`. */
export function restrictionRow(page: Page, selector: string): Locator {
  return page.locator('tr.restriction').filter({ has: page.locator('code.selector').getByText(selector, { exact: true }) });
}

/** The rows of group `group` (its heading row excluded). */
export function groupRows(page: Page, group: string): Locator {
  return page.locator('tbody.group').filter({ has: page.locator('.group-name').getByText(group, { exact: true }) }).locator('tr.restriction');
}

/** The collapse/expand button of group `group`; its name holds the group name and the count. */
export function groupToggle(page: Page, group: string): Locator {
  return page.locator('button.group-toggle').filter({ has: page.locator('.group-name').getByText(group, { exact: true }) });
}

/** The enabled switch of a row. */
export function enabledSwitch(row: Locator): Locator {
  return row.getByRole('switch');
}

export function rowAction(row: Locator, action: 'Edit' | 'Move' | 'Delete'): Locator {
  return row.getByRole('button', { name: new RegExp(`^${action}\\b`) });
}

/** The create/edit dialog. */
export function restrictionDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: /^(New|Edit) restriction$/ });
}

export interface RestrictionFields {
  selector?: string;
  kind?: 'control' | 'mask';
  description?: string;
  group?: string;
  /** `null`: all pages. */
  urlPattern?: string | null;
  enabled?: boolean;
}

/** Fills the fields given in the open create/edit dialog. */
export async function fillRestriction(page: Page, fields: RestrictionFields): Promise<void> {
  const dialog = restrictionDialog(page);
  await expect(dialog).toBeVisible();
  if (fields.selector !== undefined) await dialog.getByLabel('CSS selector').fill(fields.selector);
  if (fields.kind !== undefined) {
    await dialog.getByRole('radio', { name: fields.kind === 'mask' ? /^DOM control and Data masking/ : /^DOM control The agent/ }).check();
  }
  if (fields.description !== undefined) await dialog.getByLabel('Description').fill(fields.description);
  if (fields.group !== undefined) await dialog.getByRole('combobox', { name: 'Group' }).fill(fields.group);
  if (fields.urlPattern === null) await dialog.getByRole('radio', { name: 'All pages' }).check();
  else if (fields.urlPattern !== undefined) {
    await dialog.getByRole('radio', { name: 'Pages whose URL matches a regular expression' }).check();
    await dialog.getByLabel('URL regular expression').fill(fields.urlPattern);
  }
  if (fields.enabled !== undefined) await dialog.getByRole('checkbox', { name: /^Enabled/ }).setChecked(fields.enabled);
}

/** The dialog's save button ("Create restriction" or "Save changes"). */
export function saveButton(page: Page): Locator {
  return restrictionDialog(page).getByRole('button', { name: /^(Create restriction|Save changes)$/ });
}

/** Opens "New restriction", fills it, saves, and waits for the dialog to close. */
export async function createRestriction(page: Page, fields: RestrictionFields): Promise<void> {
  await page.getByRole('button', { name: 'New restriction' }).click();
  await fillRestriction(page, fields);
  await saveButton(page).click();
  await expect(restrictionDialog(page)).toBeHidden();
}

/** The error shown next to a field of the create/edit dialog. */
export function fieldError(page: Page, field: 'selector' | 'pattern' | 'group' | 'description'): Locator {
  return page.locator(`#edit-${field}-error`);
}

/** The rows of the audit log, newest first. */
export function auditRows(page: Page): Locator {
  return page.locator('#audit-rows tr');
}

/** The "what changed" line of `field` (its label, as the editor shows it) in an audit row. */
export function auditChange(row: Locator, label: 'Selector' | 'Type' | 'Description' | 'Group' | 'Scope' | 'Enabled'): Locator {
  return row.locator('.changes li').filter({ has: row.page().locator('.label').getByText(`${label}:`, { exact: true }) });
}
