/**
 * The DOM Restrictions Editor (`/admin/`): administrators log in, then list, create, edit, move
 * between groups, enable/disable and delete DOM restrictions, read the audit log, and open a page
 * of the site in the SDK's inspect mode. Everything goes through the REST API of docs/PROTOCOL.md
 * ("DOM restrictions"); after every change the list is read again from the server, so what the
 * page shows is what is stored.
 *
 * This module makes the editor's state, sets its parts up and wires them together: who may use it
 * (`access.ts`), the list (`list.ts`), the dialogs (`edit-dialog.ts`, `move-dialog.ts`,
 * `delete-dialog.ts`, `dialogs.ts`), the audit log (`audit.ts`) and the inspect form
 * (`inspect.ts`); the sections by the URL's hash.
 */

import { access } from './access';
import { api } from './api';
import { AUDIT_PAGE, auditLog } from './audit';
import { deleteDialog } from './delete-dialog';
import { dialogs as modalDialogs } from './dialogs';
import { byId } from './dom';
import { editDialog } from './edit-dialog';
import type { Editor, State } from './editor';
import { inspectForm } from './inspect';
import { restrictionList } from './list';
import { moveDialog } from './move-dialog';

/** How long a confirmation ("Restriction created.") stays on screen. */
const TOAST_MS = 5000;

type Section = 'restrictions' | 'audit';

function main(): void {
  const state: State = { me: null, restrictions: [], collapsed: new Set(), auditLimit: AUDIT_PAGE, auditStale: true, toastTimer: 0 };

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

  const who = access(
    state,
    toast,
    () => {
      route();
      void loadRestrictions();
    },
    () => {
      state.restrictions = [];
      state.auditStale = true;
    },
  );

  const editor: Editor = {
    state,
    toast,
    lostAccess: (res) => who.lostAccess(res),
    changed: async () => {
      state.auditStale = true;
      await loadRestrictions();
      if (section() === 'audit') void loadAudit();
    },
    refocus: (id, action, fallback) => {
      const target = id === null ? null : document.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(id)}"] [data-action="${action}"]`);
      (target ?? fallback).focus();
    },
  };

  const dialogs = modalDialogs();
  const loadRestrictions = restrictionList(editor, {
    edit: editDialog(editor, dialogs),
    move: moveDialog(editor, dialogs),
    delete: deleteDialog(editor, dialogs),
  });
  const loadAudit = auditLog(editor);
  inspectForm(editor);

  // ---- sections -------------------------------------------------------------------------------

  const section = (): Section => (location.hash === '#audit' ? 'audit' : 'restrictions');
  const route = () => {
    if (byId('editor-view').hidden) return;
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

  // ---- start ----------------------------------------------------------------------------------

  void (async () => {
    const me = await api.me();
    if (me.ok) who.signedIn(me.value);
    else who.showLogin(me.status === 401 ? null : me.message);
  })();
}

main();
