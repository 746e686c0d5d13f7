/**
 * The create / edit dialog of a restriction: its fields checked as the server checks them (each
 * error beside its field, gone as soon as the field is edited), the URL pattern tried against a
 * test URL as the customer's browser would match it, and the server's refusals put beside the
 * field they name. The "New restriction" buttons open it empty.
 */

import type { Restriction, RestrictionInput, RestrictionKind } from '@cobrowse/protocol';
import { api, type Result } from './api';
import type { Dialogs } from './dialogs';
import { byId, fieldError } from './dom';
import { key, type Editor } from './editor';
import { groupRestrictions, restrictionName, restrictionPatch } from './model';
import { descriptionError, groupError, patternError, patternMatches, selectorError } from './validate';

type Field = 'selector' | 'description' | 'group' | 'urlPattern';

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

/** Sets the dialog up; returns what opens it (`null`: a new restriction). */
export function editDialog(editor: Editor, dialogs: Dialogs): (r: Restriction | null, from: HTMLElement) => void {
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

  const open = (r: Restriction | null, from: HTMLElement) => {
    edit.editing = r;
    byId('edit-title').textContent = r ? 'Edit restriction' : 'New restriction';
    edit.save.textContent = r ? 'Save changes' : 'Create restriction';
    edit.selector.value = r?.selector ?? '';
    const kind: RestrictionKind = r?.kind ?? 'control';
    const kindRadio = radio('kind', kind);
    if (kindRadio) kindRadio.checked = true;
    edit.description.value = r?.description ?? '';
    // A new restriction goes to the group the administrator is most likely filling: the only one,
    // or "Default".
    const names = [...groupRestrictions(editor.state.restrictions).keys()];
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
    dialogs.open(edit.dialog, from);
    edit.selector.focus();
  };

  edit.dialog.addEventListener('close', () => {
    edit.editing = null;
  });
  byId('edit-cancel').addEventListener('click', () => dialogs.cancel(edit.dialog));
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
      dialogs.cancel(edit.dialog);
      editor.toast('Nothing changed.');
      return;
    }
    edit.save.disabled = true;
    const res: Result<Restriction> = editing && patch ? await api.patch(editing.id, patch) : await api.create(input);
    edit.save.disabled = false;
    if (!res.ok) {
      if (editor.lostAccess(res)) return;
      const field = res.code === 'invalidRestriction' ? fieldOfMessage(res.message) : null;
      if (field) {
        fieldError(errorId[field], res.message, fieldInput[field]);
        fieldInput[field].focus();
      } else if (res.code === 'notFound') {
        fieldError('edit-error', 'This restriction no longer exists: someone else deleted it. Cancel to see the current list.');
        void editor.changed();
      } else {
        fieldError('edit-error', res.message);
      }
      return;
    }
    dialogs.done(edit.dialog);
    editor.toast(editing ? `Saved: ${restrictionName(res.value)}.` : `Created: ${restrictionName(res.value)}.`);
    // A restriction created or moved into a collapsed group must be seen.
    editor.state.collapsed.delete(res.value.group);
    await editor.changed();
    editor.refocus(key(res.value.id), 'edit', byId('new-restriction'));
  });

  byId('new-restriction').addEventListener('click', (ev) => open(null, ev.currentTarget as HTMLElement));
  byId('empty-new').addEventListener('click', () => open(null, byId('new-restriction')));
  return open;
}
