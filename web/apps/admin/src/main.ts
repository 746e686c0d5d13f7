/**
 * The DOM Restrictions Editor (`/admin/`): administrators log in, then list, create, edit, move
 * between groups, enable/disable and delete DOM restrictions, read the audit log, and open a page
 * of the site in the SDK's inspect mode. Everything goes through the REST API of docs/PROTOCOL.md
 * ("DOM restrictions"); after every change the list is read again from the server, so what the
 * page shows is what is stored.
 *
 * Agents are kept out: the login asks for the `admin` role (an agent gets the server's 403 message
 * and no cookie), and an agent already logged in (the agent desktop's cookie) is told the same and
 * offered to log in as someone else.
 */

import type { AuditEntry, Me, Restriction, RestrictionInput, RestrictionKind } from '@cobrowse/protocol';
import { api, type Result } from './api';
import { byId, fieldError, h, timeElement, trapFocus } from './dom';
import { KIND_LABEL, auditChanges, groupRestrictions, matchesFilter, restrictionName, restrictionPatch } from './model';
import { descriptionError, groupError, patternError, patternMatches, selectorError } from './validate';

/** The server's 403 text, shown too when an agent's own cookie brings them here. */
const ADMINS_ONLY = 'Only administrators can use the DOM Restrictions Editor.';
/** Audit entries read at first, and added by each "Show older changes" (the server allows 1000). */
const AUDIT_PAGE = 100;
const AUDIT_MAX = 1000;
/** How long a confirmation ("Restriction created.") stays on screen. */
const TOAST_MS = 5000;

type View = 'loading' | 'login' | 'forbidden' | 'editor';
type Section = 'restrictions' | 'audit';
type Field = 'selector' | 'description' | 'group' | 'urlPattern';

/** The editor's state: one object, owned by `main`. */
interface State {
  me: Me | null;
  restrictions: Restriction[];
  /** Names of the groups whose restrictions are hidden. */
  collapsed: Set<string>;
  auditLimit: number;
  /** The audit log must be read again before it is shown (a change happened since). */
  auditStale: boolean;
  toastTimer: ReturnType<typeof setTimeout> | 0;
}

const key = (id: Restriction['id']) => String(id);

/** A server message as a sentence: capital first letter, final full stop. */
const sentence = (message: string): string => {
  const text = message.trim();
  if (text === '') return text;
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
};

function main(): void {
  const state: State = { me: null, restrictions: [], collapsed: new Set(), auditLimit: AUDIT_PAGE, auditStale: true, toastTimer: 0 };

  const views: Record<View, HTMLElement> = {
    loading: byId('loading-view'),
    login: byId('login-view'),
    forbidden: byId('forbidden-view'),
    editor: byId('editor-view'),
  };
  const show = (view: View) => {
    for (const [name, el] of Object.entries(views)) el.hidden = name !== view;
    const signedIn = view === 'editor' || view === 'forbidden';
    byId('who').hidden = !signedIn;
    byId('logout').hidden = !signedIn;
  };

  const toast = (text: string) => {
    const el = byId('toast');
    el.textContent = text;
    el.hidden = false;
    if (state.toastTimer) clearTimeout(state.toastTimer);
    state.toastTimer = setTimeout(() => {
      state.toastTimer = 0;
      el.hidden = true;
    }, TOAST_MS);
  };

  // ---- login ----------------------------------------------------------------------------------

  const showLogin = (notice: string | null = null) => {
    state.me = null;
    for (const d of document.querySelectorAll('dialog')) if (d.open) d.close();
    show('login');
    const username = byId<HTMLInputElement>('username');
    const password = byId<HTMLInputElement>('password');
    password.value = '';
    fieldError('login-error', notice);
    username.focus();
  };

  const signedIn = (me: Me) => {
    state.me = me;
    byId('who').textContent = `${me.username} (${me.role === 'admin' ? 'administrator' : 'agent'})`;
    if (me.role !== 'admin') {
      byId('forbidden-who').textContent = `You are logged in as ${me.username}, an agent.`;
      show('forbidden');
      byId('switch-user').focus();
      return;
    }
    show('editor');
    route();
    void loadRestrictions();
  };

  /**
   * What to do with a refused call that is not about its own input: a lost login goes back to the
   * login form, a lost role (`403`: no longer an administrator) to the "administrators only" page.
   * Returns whether it was handled.
   */
  const lostAccess = (res: { ok: false; status: number; message: string }): boolean => {
    if (res.status === 401) {
      showLogin('Your login has expired. Log in again to continue.');
      return true;
    }
    if (res.status === 403 && state.me) {
      signedIn({ ...state.me, role: 'agent' });
      byId('forbidden-message').textContent = res.message ? sentence(res.message) : ADMINS_ONLY;
      return true;
    }
    return false;
  };

  byId<HTMLFormElement>('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const username = byId<HTMLInputElement>('username');
    const password = byId<HTMLInputElement>('password');
    const submit = byId<HTMLButtonElement>('login-submit');
    if (submit.disabled) return;
    if (username.value.trim() === '' || password.value === '') {
      fieldError('login-error', 'Enter your user name and password.', username.value.trim() === '' ? username : password);
      (username.value.trim() === '' ? username : password).focus();
      return;
    }
    fieldError('login-error', null, username);
    fieldError('login-error', null, password);
    submit.disabled = true;
    const res = await api.login(username.value.trim(), password.value);
    submit.disabled = false;
    if (res.ok) {
      password.value = '';
      byId('forbidden-message').textContent = ADMINS_ONLY;
      signedIn(res.value);
      return;
    }
    if (res.status === 401) {
      password.value = '';
      fieldError('login-error', 'Wrong user name or password.', username);
      fieldError('login-error', 'Wrong user name or password.', password);
      username.focus();
    } else {
      // 403: an agent. The server says why; they stay out (no cookie was set).
      password.value = '';
      fieldError('login-error', sentence(res.message));
      password.focus();
    }
  });

  byId('switch-user').addEventListener('click', () => showLogin());

  byId('logout').addEventListener('click', async () => {
    const res = await api.logout();
    if (!res.ok && res.status === 0) {
      toast(res.message);
      return;
    }
    state.restrictions = [];
    state.auditStale = true;
    showLogin('You are logged out.');
  });

  // ---- sections -------------------------------------------------------------------------------

  const section = (): Section => (location.hash === '#audit' ? 'audit' : 'restrictions');
  const route = () => {
    if (views.editor.hidden) return;
    const current = section();
    byId('restrictions-view').hidden = current !== 'restrictions';
    byId('audit-view').hidden = current !== 'audit';
    for (const s of ['restrictions', 'audit'] as const) {
      const tab = byId(`tab-${s}`);
      if (s === current) tab.setAttribute('aria-current', 'page');
      else tab.removeAttribute('aria-current');
    }
    if (current === 'audit' && state.auditStale) void loadAudit();
  };
  window.addEventListener('hashchange', route);

  // ---- the list -------------------------------------------------------------------------------

  const loadRestrictions = async () => {
    const res = await api.list();
    if (!res.ok) {
      if (!lostAccess(res)) fieldError('list-error', `The restrictions cannot be loaded: ${res.message}`);
      return;
    }
    fieldError('list-error', null);
    state.restrictions = res.value.restrictions;
    renderList();
  };

  /** Reads the list again after a change and marks the audit log for reloading. */
  const changed = async () => {
    state.auditStale = true;
    await loadRestrictions();
    if (section() === 'audit') void loadAudit();
  };

  const groupNames = () => [...groupRestrictions(state.restrictions).keys()];

  const renderList = () => {
    const filter = byId<HTMLInputElement>('filter').value;
    const groups = groupRestrictions(state.restrictions);
    const container = byId('groups');
    const empty = state.restrictions.length === 0;
    byId('empty').hidden = !empty;
    byId('filter').closest('.filter')?.toggleAttribute('hidden', empty);

    byId('group-names').replaceChildren(...[...groups.keys()].map((name) => h('option', { value: name })));

    const table = h('table', { class: 'restrictions' });
    table.append(
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', class: 'col-enabled' }, 'Enabled'),
          h('th', { scope: 'col' }, 'Restriction'),
          h('th', { scope: 'col' }, 'Type'),
          h('th', { scope: 'col' }, 'Applies to'),
          h('th', { scope: 'col' }, 'Last change'),
          h('th', { scope: 'col', class: 'col-actions' }, h('span', { class: 'visually-hidden' }, 'Actions')),
        ),
      ),
    );
    let shown = 0;
    let index = 0;
    for (const [group, members] of groups) {
      index += 1;
      const visible = members.filter((r) => matchesFilter(r, filter));
      if (visible.length === 0) continue;
      shown += visible.length;
      const collapsed = state.collapsed.has(group);
      const bodyId = `group-${index}`;
      const count = visible.length === members.length ? `${members.length}` : `${visible.length} of ${members.length}`;
      const toggle = h(
        'button',
        { type: 'button', class: 'group-toggle', 'aria-expanded': String(!collapsed), 'aria-controls': bodyId, 'data-group': group },
        h('span', { class: 'chevron', 'aria-hidden': 'true' }),
        h('span', { class: 'group-name' }, group),
        h('span', { class: 'count', 'aria-label': `${count} restriction${members.length === 1 ? '' : 's'}` }, count),
      );
      const tbody = h('tbody', { class: 'group', id: bodyId, 'data-group': group });
      tbody.append(h('tr', { class: 'group-row' }, h('th', { colspan: '6', scope: 'rowgroup' }, toggle)));
      for (const r of visible) {
        const row = renderRow(r);
        row.hidden = collapsed;
        tbody.append(row);
      }
      table.append(tbody);
    }
    container.replaceChildren(...(shown > 0 ? [table] : []));
    const noMatch = byId('no-match');
    noMatch.hidden = empty || shown > 0;
    noMatch.textContent = `No restriction matches “${filter.trim()}”.`;
    byId('filter-count').textContent =
      filter.trim() === '' || empty ? '' : `${shown} of ${state.restrictions.length} restriction${state.restrictions.length === 1 ? '' : 's'}`;
  };

  const renderRow = (r: Restriction): HTMLTableRowElement => {
    const name = restrictionName(r);
    const sw = h('input', {
      type: 'checkbox',
      role: 'switch',
      class: 'switch',
      'data-action': 'toggle',
      'aria-label': `Enabled: ${name}`,
      checked: r.enabled,
    });
    return h(
      'tr',
      { 'data-id': key(r.id), class: r.enabled ? 'restriction' : 'restriction off' },
      h('td', { class: 'col-enabled' }, sw),
      h(
        'td',
        { class: 'what' },
        r.description.trim() !== '' ? h('span', { class: 'description' }, r.description) : h('span', { class: 'description none' }, 'No description'),
        h('code', { class: 'selector' }, r.selector),
      ),
      h('td', { class: 'kind-cell' }, h('span', { class: 'kind', 'data-kind': r.kind }, KIND_LABEL[r.kind])),
      h('td', { class: 'scope' }, r.urlPattern === null ? 'All pages' : h('code', { title: 'URLs matching this regular expression' }, r.urlPattern)),
      h('td', { class: 'changed' }, h('span', { class: 'by' }, r.updatedBy), timeElement(r.updatedAt)),
      h(
        'td',
        { class: 'col-actions' },
        h('button', { type: 'button', class: 'small secondary', 'data-action': 'edit', 'aria-label': `Edit ${name}` }, 'Edit'),
        h('button', { type: 'button', class: 'small secondary', 'data-action': 'move', 'aria-label': `Move ${name} to another group` }, 'Move'),
        h('button', { type: 'button', class: 'small danger-text', 'data-action': 'delete', 'aria-label': `Delete ${name}` }, 'Delete'),
      ),
    );
  };

  const restrictionOf = (el: Element): Restriction | undefined => {
    const id = el.closest('tr[data-id]')?.getAttribute('data-id');
    return state.restrictions.find((r) => key(r.id) === id);
  };

  /** Focus after the list was rebuilt: the same control of the same row, else `fallback`. */
  const refocus = (id: string | null, action: string, fallback: HTMLElement) => {
    const target = id === null ? null : document.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(id)}"] [data-action="${action}"]`);
    (target ?? fallback).focus();
  };

  byId('groups').addEventListener('click', (ev) => {
    const target = ev.target as Element;
    const toggle = target.closest<HTMLButtonElement>('button.group-toggle');
    if (toggle) {
      const group = toggle.dataset['group'] ?? '';
      const collapse = !state.collapsed.has(group);
      if (collapse) state.collapsed.add(group);
      else state.collapsed.delete(group);
      toggle.setAttribute('aria-expanded', String(!collapse));
      for (const row of toggle.closest('tbody')?.querySelectorAll<HTMLElement>('tr.restriction') ?? []) row.hidden = collapse;
      return;
    }
    const button = target.closest<HTMLButtonElement>('button[data-action]');
    if (!button) return;
    const r = restrictionOf(button);
    if (!r) return;
    switch (button.dataset['action']) {
      case 'edit':
        openEdit(r, button);
        return;
      case 'move':
        openMove(r, button);
        return;
      case 'delete':
        openDelete(r, button);
        return;
      default:
        return;
    }
  });

  byId('groups').addEventListener('change', async (ev) => {
    const sw = ev.target as HTMLInputElement;
    if (sw.dataset['action'] !== 'toggle') return;
    const r = restrictionOf(sw);
    if (!r) return;
    const enabled = sw.checked;
    sw.disabled = true;
    const res = await api.patch(r.id, { enabled });
    if (!res.ok) {
      sw.disabled = false;
      sw.checked = !enabled;
      if (!lostAccess(res)) fieldError('list-error', `“${restrictionName(r)}” was not ${enabled ? 'enabled' : 'disabled'}: ${res.message}`);
      return;
    }
    fieldError('list-error', null);
    toast(`${enabled ? 'Enabled' : 'Disabled'}: ${restrictionName(r)}.`);
    await changed();
    refocus(key(r.id), 'toggle', byId('filter'));
  });

  byId('filter').addEventListener('input', renderList);
  byId('new-restriction').addEventListener('click', (ev) => openEdit(null, ev.currentTarget as HTMLElement));
  byId('empty-new').addEventListener('click', () => openEdit(null, byId('new-restriction')));

  // ---- dialogs --------------------------------------------------------------------------------

  for (const d of document.querySelectorAll('dialog')) trapFocus(d);

  /** Where the focus goes when a dialog closes without a change. */
  let opener: HTMLElement | null = null;
  const closeDialog = (dialog: HTMLDialogElement) => {
    if (dialog.open) dialog.close();
  };
  for (const d of document.querySelectorAll('dialog')) {
    d.addEventListener('close', () => {
      if (opener?.isConnected) opener.focus();
      opener = null;
    });
  }

  // Create / edit.
  const edit = {
    dialog: byId<HTMLDialogElement>('edit-dialog'),
    form: byId<HTMLFormElement>('edit-form'),
    selector: byId<HTMLInputElement>('edit-selector'),
    description: byId<HTMLInputElement>('edit-description'),
    group: byId<HTMLInputElement>('edit-group'),
    pattern: byId<HTMLInputElement>('edit-pattern'),
    testUrl: byId<HTMLInputElement>('edit-test-url'),
    enabled: byId<HTMLInputElement>('edit-enabled'),
    save: byId<HTMLButtonElement>('edit-save'),
    /** The restriction being edited; `null` while creating. */
    editing: null as Restriction | null,
  };
  const radio = (name: string, value: string) => edit.form.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`);
  const checkedValue = (name: string) => edit.form.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value;
  const fieldInput: Record<Field, HTMLInputElement> = {
    selector: edit.selector,
    description: edit.description,
    group: edit.group,
    urlPattern: edit.pattern,
  };
  const errorId: Record<Field, string> = {
    selector: 'edit-selector-error',
    description: 'edit-description-error',
    group: 'edit-group-error',
    urlPattern: 'edit-pattern-error',
  };

  /** The URL pattern fields are usable only with "Pages whose URL matches…". */
  const syncScope = () => {
    const byPattern = checkedValue('scope') === 'pattern';
    byId('pattern-fields').classList.toggle('inactive', !byPattern);
    edit.pattern.disabled = !byPattern;
    edit.testUrl.disabled = !byPattern;
    if (!byPattern) fieldError(errorId.urlPattern, null, edit.pattern);
    syncTestUrl();
  };
  /** "Matches" / "Does not match" for the test URL, as the customer's browser would decide. */
  const syncTestUrl = () => {
    const out = byId('edit-test-result');
    const url = edit.testUrl.value.trim();
    const result = url === '' || edit.pattern.disabled ? undefined : patternMatches(edit.pattern.value, url);
    out.dataset['match'] = result === undefined || result === null ? '' : String(result);
    out.textContent = result === undefined ? '' : result === null ? 'Fix the pattern first' : result ? '✓ Matches' : '✗ Does not match';
  };
  for (const r of edit.form.querySelectorAll<HTMLInputElement>('input[name="scope"]')) r.addEventListener('change', syncScope);
  edit.pattern.addEventListener('input', syncTestUrl);
  edit.testUrl.addEventListener('input', syncTestUrl);
  // An error goes away as soon as the field is edited; it comes back on save if still true.
  for (const field of Object.keys(fieldInput) as Field[]) {
    fieldInput[field].addEventListener('input', () => fieldError(errorId[field], null, fieldInput[field]));
  }

  const openEdit = (r: Restriction | null, from: HTMLElement) => {
    edit.editing = r;
    opener = from;
    byId('edit-title').textContent = r ? 'Edit restriction' : 'New restriction';
    edit.save.textContent = r ? 'Save changes' : 'Create restriction';
    edit.selector.value = r?.selector ?? '';
    const kind: RestrictionKind = r?.kind ?? 'control';
    const kindRadio = radio('kind', kind);
    if (kindRadio) kindRadio.checked = true;
    edit.description.value = r?.description ?? '';
    // A new restriction goes to the group the administrator is most likely filling: the only one,
    // or "Default".
    const names = groupNames();
    edit.group.value = r?.group ?? (names.length === 1 && names[0] ? names[0] : 'Default');
    const scopeRadio = radio('scope', r?.urlPattern == null ? 'all' : 'pattern');
    if (scopeRadio) scopeRadio.checked = true;
    edit.pattern.value = r?.urlPattern ?? '';
    edit.testUrl.value = '';
    edit.enabled.checked = r?.enabled ?? true;
    for (const field of Object.keys(fieldInput) as Field[]) fieldError(errorId[field], null, fieldInput[field]);
    fieldError('edit-error', null);
    edit.save.disabled = false;
    syncScope();
    edit.dialog.showModal();
    edit.selector.focus();
  };

  /**
   * Which field a server `invalidRestriction` message is about: the server starts its messages
   * with the field's name (`selector "p::before": …`, `urlPattern: at most …`).
   */
  const fieldOfMessage = (message: string): Field | null => {
    const first = /^\s*([A-Za-z]+)/.exec(message)?.[1];
    switch (first) {
      case 'selector':
      case 'description':
      case 'group':
      case 'urlPattern':
        return first;
      default:
        return null;
    }
  };

  edit.dialog.addEventListener('close', () => {
    edit.editing = null;
  });
  byId('edit-cancel').addEventListener('click', () => closeDialog(edit.dialog));
  edit.form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (edit.save.disabled) return;
    const byPattern = checkedValue('scope') === 'pattern';
    const errors: Array<[Field, string | null]> = [
      ['selector', selectorError(edit.selector.value.trim())],
      ['description', descriptionError(edit.description.value)],
      ['group', groupError(edit.group.value)],
      ['urlPattern', byPattern ? patternError(edit.pattern.value) : null],
    ];
    fieldError('edit-error', null);
    for (const [field, text] of errors) fieldError(errorId[field], text, fieldInput[field]);
    const firstBad = errors.find(([, text]) => text !== null);
    if (firstBad) {
      fieldInput[firstBad[0]].focus();
      return;
    }
    const input: RestrictionInput = {
      selector: edit.selector.value.trim(),
      kind: (checkedValue('kind') as RestrictionKind | undefined) ?? 'control',
      description: edit.description.value.trim(),
      group: edit.group.value.trim(),
      enabled: edit.enabled.checked,
    };
    if (byPattern) input.urlPattern = edit.pattern.value;
    const editing = edit.editing;
    const patch = editing ? restrictionPatch(editing, input) : null;
    if (editing && patch && Object.keys(patch).length === 0) {
      closeDialog(edit.dialog);
      toast('Nothing changed.');
      return;
    }
    edit.save.disabled = true;
    const res: Result<Restriction> = editing && patch ? await api.patch(editing.id, patch) : await api.create(input);
    edit.save.disabled = false;
    if (!res.ok) {
      if (lostAccess(res)) return;
      const field = res.code === 'invalidRestriction' ? fieldOfMessage(res.message) : null;
      if (field) {
        fieldError(errorId[field], res.message, fieldInput[field]);
        fieldInput[field].focus();
      } else if (res.code === 'notFound') {
        fieldError('edit-error', 'This restriction no longer exists: someone else deleted it. Cancel to see the current list.');
        void changed();
      } else {
        fieldError('edit-error', res.message);
      }
      return;
    }
    opener = null;
    closeDialog(edit.dialog);
    toast(editing ? `Saved: ${restrictionName(res.value)}.` : `Created: ${restrictionName(res.value)}.`);
    // A restriction created or moved into a collapsed group must be seen.
    state.collapsed.delete(res.value.group);
    await changed();
    refocus(key(res.value.id), 'edit', byId('new-restriction'));
  });

  // Move to group.
  const move = {
    dialog: byId<HTMLDialogElement>('move-dialog'),
    group: byId<HTMLInputElement>('move-group'),
    save: byId<HTMLButtonElement>('move-save'),
    moving: null as Restriction | null,
  };
  const openMove = (r: Restriction, from: HTMLElement) => {
    move.moving = r;
    opener = from;
    byId('move-which').replaceChildren(
      h('strong', {}, restrictionName(r)),
      ' ',
      h('code', { class: 'selector' }, r.selector),
      h('br'),
      `Now in “${r.group}”.`,
    );
    move.group.value = '';
    move.group.placeholder = 'Name of the group';
    fieldError('move-error', null, move.group);
    move.save.disabled = false;
    move.dialog.showModal();
    move.group.focus();
  };
  move.group.addEventListener('input', () => fieldError('move-error', null, move.group));
  byId('move-cancel').addEventListener('click', () => closeDialog(move.dialog));
  byId<HTMLFormElement>('move-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const r = move.moving;
    if (!r || move.save.disabled) return;
    const problem = groupError(move.group.value);
    if (problem) {
      fieldError('move-error', problem, move.group);
      move.group.focus();
      return;
    }
    const group = move.group.value.trim();
    if (group === r.group) {
      fieldError('move-error', `It is already in “${group}”.`, move.group);
      return;
    }
    move.save.disabled = true;
    const res = await api.patch(r.id, { group });
    move.save.disabled = false;
    if (!res.ok) {
      if (!lostAccess(res)) fieldError('move-error', res.message, move.group);
      return;
    }
    opener = null;
    closeDialog(move.dialog);
    state.collapsed.delete(group);
    toast(`Moved to “${group}”: ${restrictionName(r)}.`);
    await changed();
    refocus(key(r.id), 'move', byId('new-restriction'));
  });

  // Delete.
  const del = {
    dialog: byId<HTMLDialogElement>('delete-dialog'),
    confirm: byId<HTMLButtonElement>('delete-confirm'),
    deleting: null as Restriction | null,
  };
  const openDelete = (r: Restriction, from: HTMLElement) => {
    del.deleting = r;
    opener = from;
    byId('delete-which').replaceChildren(
      h('strong', {}, restrictionName(r)),
      ' ',
      h('code', { class: 'selector' }, r.selector),
      h('br'),
      r.kind === 'mask'
        ? 'Agents will see the content of these elements again, and may operate them. The change is recorded in the audit log.'
        : 'Agents will be able to operate these elements again. The change is recorded in the audit log.',
    );
    fieldError('delete-error', null);
    del.confirm.disabled = false;
    del.dialog.showModal();
    // The safe choice has the focus.
    byId('delete-cancel').focus();
  };
  byId('delete-cancel').addEventListener('click', () => closeDialog(del.dialog));
  byId<HTMLFormElement>('delete-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const r = del.deleting;
    if (!r || del.confirm.disabled) return;
    del.confirm.disabled = true;
    const res = await api.remove(r.id);
    del.confirm.disabled = false;
    if (!res.ok && res.code !== 'notFound') {
      if (!lostAccess(res)) fieldError('delete-error', res.message);
      return;
    }
    opener = null;
    closeDialog(del.dialog);
    toast(`Deleted: ${restrictionName(r)}.`);
    await changed();
    byId('new-restriction').focus();
  });

  // ---- audit log ------------------------------------------------------------------------------

  const ACTION_LABEL: Record<AuditEntry['action'], string> = { create: 'Created', update: 'Changed', delete: 'Deleted' };

  const loadAudit = async () => {
    const res = await api.audit(state.auditLimit);
    if (!res.ok) {
      if (!lostAccess(res)) fieldError('audit-error', `The audit log cannot be loaded: ${res.message}`);
      return;
    }
    state.auditStale = false;
    fieldError('audit-error', null);
    const entries = res.value.entries;
    byId('audit-empty').hidden = entries.length > 0;
    byId('audit-table').hidden = entries.length === 0;
    byId('audit-rows').replaceChildren(...entries.map(renderAuditRow));
    byId('audit-more').hidden = entries.length < state.auditLimit || state.auditLimit >= AUDIT_MAX;
  };

  const renderAuditRow = (entry: AuditEntry): HTMLTableRowElement => {
    const subject = entry.after ?? entry.before;
    const changes = auditChanges(entry);
    const list = h('ul', { class: entry.action === 'update' ? 'changes' : 'changes all' });
    for (const c of changes) {
      const mono = c.field === 'selector' || (c.field === 'urlPattern' && ((c.before ?? 'All pages') !== 'All pages' || (c.after ?? 'All pages') !== 'All pages'));
      const value = (text: string, tag: 'del' | 'ins' | 'span') => h(tag, { class: mono ? 'value mono' : 'value' }, text);
      const item = h('li', { 'data-field': c.field }, h('span', { class: 'label' }, `${c.label}: `));
      if (c.before !== null && c.after !== null) {
        item.append(value(c.before, 'del'), h('span', { class: 'arrow', 'aria-label': 'changed to' }, ' → '), value(c.after, 'ins'));
      } else {
        item.append(value(c.after ?? c.before ?? '', 'span'));
      }
      list.append(item);
    }
    return h(
      'tr',
      { 'data-audit-id': String(entry.id), 'data-action': entry.action },
      h('td', { class: 'when' }, timeElement(entry.at)),
      h('td', { class: 'by' }, entry.actor),
      h('td', {}, h('span', { class: 'action', 'data-action': entry.action }, ACTION_LABEL[entry.action])),
      h(
        'td',
        { class: 'what' },
        subject ? h('span', { class: 'description' }, restrictionName(subject)) : null,
        h('span', { class: 'hint' }, ` #${String(entry.restrictionId)}`),
      ),
      h('td', {}, changes.length > 0 ? list : h('span', { class: 'hint' }, 'No visible change')),
    );
  };

  byId('audit-refresh').addEventListener('click', () => void loadAudit());
  byId('audit-more').addEventListener('click', () => {
    state.auditLimit = Math.min(state.auditLimit + AUDIT_PAGE, AUDIT_MAX);
    void loadAudit();
  });

  // ---- inspect --------------------------------------------------------------------------------

  byId<HTMLFormElement>('inspect-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const field = byId<HTMLInputElement>('inspect-url');
    const submit = byId<HTMLButtonElement>('inspect-submit');
    if (submit.disabled) return;
    const text = field.value.trim();
    let url: URL | null = null;
    try {
      url = new URL(text);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      fieldError('inspect-error', 'Enter the full address of a page of your website, starting with https:// or http://.', field);
      field.focus();
      return;
    }
    fieldError('inspect-error', null, field);
    submit.disabled = true;
    const res = await api.inspect(url.href);
    submit.disabled = false;
    if (!res.ok) {
      if (!lostAccess(res)) {
        // The server names the field (`url: … is not an allowed origin`): here there is only one.
        const reason = res.status === 400 ? `This page cannot be inspected: ${res.message.replace(/^url:\s*/, '')}.` : res.message;
        fieldError('inspect-error', reason, field);
        field.focus();
      }
      return;
    }
    window.open(res.value.url, '_blank', 'noopener');
    toast('The page opened in a new tab with its restrictions outlined. The link works once, for 5 minutes.');
  });

  // ---- start ----------------------------------------------------------------------------------

  void (async () => {
    const me = await api.me();
    if (me.ok) signedIn(me.value);
    else showLogin(me.status === 401 ? null : me.message);
  })();
}

main();
