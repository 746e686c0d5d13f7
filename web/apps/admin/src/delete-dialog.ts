/** The dialog that confirms a restriction's deletion, saying what agents will be able to do again. */

import type { Restriction } from '@cobrowse/protocol';
import { api } from './api';
import type { Dialogs } from './dialogs';
import { byId, fieldError, h } from './dom';
import type { Editor } from './editor';
import { restrictionName } from './model';

/** Sets the dialog up; returns what opens it for a restriction. */
export function deleteDialog(editor: Editor, dialogs: Dialogs): (r: Restriction, from: HTMLElement) => void {
  const del = {
    dialog: byId<HTMLDialogElement>('delete-dialog'),
    confirm: byId<HTMLButtonElement>('delete-confirm'),
    deleting: null as Restriction | null,
  };
  const open = (r: Restriction, from: HTMLElement) => {
    del.deleting = r;
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
    dialogs.open(del.dialog, from);
    // The safe choice has the focus.
    byId('delete-cancel').focus();
  };
  byId('delete-cancel').addEventListener('click', () => dialogs.cancel(del.dialog));
  byId<HTMLFormElement>('delete-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const r = del.deleting;
    if (!r || del.confirm.disabled) return;
    del.confirm.disabled = true;
    const res = await api.remove(r.id);
    del.confirm.disabled = false;
    if (!res.ok && res.code !== 'notFound') {
      if (!editor.lostAccess(res)) fieldError('delete-error', res.message);
      return;
    }
    dialogs.done(del.dialog);
    editor.toast(`Deleted: ${restrictionName(r)}.`);
    await editor.changed();
    byId('new-restriction').focus();
  });
  return open;
}
