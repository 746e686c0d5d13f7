/**
 * The list of restrictions by group: reading it from the server, rendering it (filtered, groups
 * collapsible), and its row controls: the enabled switch (a change of its own), edit, move and
 * delete (the dialogs').
 */

import type { Restriction } from '@cobrowse/protocol';
import { api } from './api';
import { byId, fieldError, h, timeElement } from './dom';
import { key, type Editor } from './editor';
import { KIND_LABEL, groupRestrictions, matchesFilter, restrictionName } from './model';

/** What a row's buttons open. */
export interface RowActions {
  edit(r: Restriction, from: HTMLElement): void;
  move(r: Restriction, from: HTMLElement): void;
  delete(r: Restriction, from: HTMLElement): void;
}

/** Sets the list's controls up; returns what reads the restrictions from the server and shows them. */
export function restrictionList(editor: Editor, actions: RowActions): () => Promise<void> {
  const { state } = editor;

  const load = async () => {
    const res = await api.list();
    if (!res.ok) {
      if (!editor.lostAccess(res)) fieldError('list-error', `The restrictions cannot be loaded: ${res.message}`);
      return;
    }
    fieldError('list-error', null);
    state.restrictions = res.value.restrictions;
    render();
  };

  const render = () => {
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
        actions.edit(r, button);
        return;
      case 'move':
        actions.move(r, button);
        return;
      case 'delete':
        actions.delete(r, button);
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
      if (!editor.lostAccess(res)) fieldError('list-error', `“${restrictionName(r)}” was not ${enabled ? 'enabled' : 'disabled'}: ${res.message}`);
      return;
    }
    fieldError('list-error', null);
    editor.toast(`${enabled ? 'Enabled' : 'Disabled'}: ${restrictionName(r)}.`);
    await editor.changed();
    editor.refocus(key(r.id), 'toggle', byId('filter'));
  });

  byId('filter').addEventListener('input', render);

  return load;
}
