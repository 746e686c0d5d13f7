/** The dialog that moves a restriction to another group (an existing one or a new name). */

import type { Restriction } from '@cobrowse/protocol';
import { api } from './api';
import type { Dialogs } from './dialogs';
import { byId, fieldError, h } from './dom';
import { key, type Editor } from './editor';
import { restrictionName } from './model';
import { groupError } from './validate';

/** Sets the dialog up; returns what opens it for a restriction. */
export function moveDialog(editor: Editor, dialogs: Dialogs): (r: Restriction, from: HTMLElement) => void {
  const move = {
    dialog: byId<HTMLDialogElement>('move-dialog'),
    group: byId<HTMLInputElement>('move-group'),
    save: byId<HTMLButtonElement>('move-save'),
    moving: null as Restriction | null,
  };
  const open = (r: Restriction, from: HTMLElement) => {
    move.moving = r;
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
    dialogs.open(move.dialog, from);
    move.group.focus();
  };
  move.group.addEventListener('input', () => fieldError('move-error', null, move.group));
  byId('move-cancel').addEventListener('click', () => dialogs.cancel(move.dialog));
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
      if (!editor.lostAccess(res)) fieldError('move-error', res.message, move.group);
      return;
    }
    dialogs.done(move.dialog);
    editor.state.collapsed.delete(group);
    editor.toast(`Moved to “${group}”: ${restrictionName(r)}.`);
    await editor.changed();
    editor.refocus(key(r.id), 'move', byId('new-restriction'));
  });
  return open;
}
