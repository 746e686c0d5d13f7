/**
 * The audit log section: who changed which restriction when, and how (each changed field before →
 * after), newest first, a page at a time up to the server's limit.
 */

import type { AuditEntry } from '@cobrowse/protocol';
import { api } from './api';
import { byId, fieldError, h, timeElement } from './dom';
import type { Editor } from './editor';
import { auditChanges, restrictionName } from './model';

/** Audit entries read at first, and added by each "Show older changes" (the server allows 1000). */
export const AUDIT_PAGE = 100;
const AUDIT_MAX = 1000;

const ACTION_LABEL: Record<AuditEntry['action'], string> = { create: 'Created', update: 'Changed', delete: 'Deleted' };

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

/** Sets the section's buttons up; returns what reads (and shows) the log. */
export function auditLog(editor: Editor): () => Promise<void> {
  const { state } = editor;
  const load = async () => {
    const res = await api.audit(state.auditLimit);
    if (!res.ok) {
      if (!editor.lostAccess(res)) fieldError('audit-error', `The audit log cannot be loaded: ${res.message}`);
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
  byId('audit-refresh').addEventListener('click', () => void load());
  byId('audit-more').addEventListener('click', () => {
    state.auditLimit = Math.min(state.auditLimit + AUDIT_PAGE, AUDIT_MAX);
    void load();
  });
  return load;
}
