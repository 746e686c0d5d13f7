/**
 * Who may use the editor: the login form, logging out, and the "administrators only" page. Agents
 * are kept out: the login asks for the `admin` role (an agent gets the server's 403 message and no
 * cookie), and an agent already logged in (the agent desktop's cookie) is told the same and offered
 * to log in as someone else.
 */

import type { Me } from '@cobrowse/protocol';
import { api } from './api';
import { byId, fieldError } from './dom';
import { sentence, type Refusal, type State } from './editor';

/** The server's 403 text, shown too when an agent's own cookie brings them here. */
const ADMINS_ONLY = 'Only administrators can use the DOM Restrictions Editor.';

type View = 'loading' | 'login' | 'forbidden' | 'editor';

export interface Access {
  /** See `Editor.lostAccess`. */
  lostAccess(res: Refusal): boolean;
  /** Shows who is logged in: the editor for an administrator, else the "administrators only" page. */
  signedIn(me: Me): void;
  /** The login form, with `notice` above it. */
  showLogin(notice?: string | null): void;
}

/**
 * Sets the login form and the logout button up. `admitted`: an administrator is in (show the
 * editor's content); `loggedOut`: forget what the editor read.
 */
export function access(state: State, toast: (text: string) => void, admitted: () => void, loggedOut: () => void): Access {
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
    admitted();
  };

  const lostAccess = (res: Refusal): boolean => {
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
    loggedOut();
    showLogin('You are logged out.');
  });

  return { lostAccess, signedIn, showLogin };
}
