/**
 * The inspect form: an administrator opens a page of the site in the SDK's inspect mode (its
 * restrictions outlined) through a one-time link the server makes.
 */

import { api } from './api';
import { byId, fieldError } from './dom';
import type { Editor } from './editor';

export function inspectForm(editor: Editor): void {
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
      if (!editor.lostAccess(res)) {
        // The server names the field (`url: … is not an allowed origin`): here there is only one.
        const reason = res.status === 400 ? `This page cannot be inspected: ${res.message.replace(/^url:\s*/, '')}.` : res.message;
        fieldError('inspect-error', reason, field);
        field.focus();
      }
      return;
    }
    window.open(res.value.url, '_blank', 'noopener');
    editor.toast('The page opened in a new tab with its restrictions outlined. The link works once, for 5 minutes.');
  });
}
