/**
 * What the parts of the DOM Restrictions Editor share: its state (one object, made by `main`) and
 * the services one part offers the others (`Editor`), handed to each part when it is set up.
 */

import type { Me, Restriction } from '@cobrowse/protocol';
import type { Result } from './api';

/** The editor's state. */
export interface State {
  me: Me | null;
  restrictions: Restriction[];
  /** Names of the groups whose restrictions are hidden. */
  collapsed: Set<string>;
  auditLimit: number;
  /** The audit log must be read again before it is shown (a change happened since). */
  auditStale: boolean;
  toastTimer: ReturnType<typeof setTimeout> | 0;
}

/** A refused REST call. */
export type Refusal = Extract<Result<unknown>, { ok: false }>;

export interface Editor {
  readonly state: State;
  /** A confirmation ("Restriction created.") on screen for a few seconds. */
  toast(text: string): void;
  /**
   * What to do with a refused call that is not about its own input: a lost login goes back to the
   * login form, a lost role (`403`) to the "administrators only" page. Returns whether it was handled.
   */
  lostAccess(res: Refusal): boolean;
  /** Reads the list again after a change and marks the audit log for reloading. */
  changed(): Promise<void>;
  /** Focus after the list was rebuilt: the same control (`action`) of the same row, else `fallback`. */
  refocus(id: string | null, action: string, fallback: HTMLElement): void;
}

/** A restriction's id as the list's rows carry it (`data-id`). */
export const key = (id: Restriction['id']) => String(id);

/** A server message as a sentence: capital first letter, final full stop. */
export const sentence = (message: string): string => {
  const text = message.trim();
  if (text === '') return text;
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
};
