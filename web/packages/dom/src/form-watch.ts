/**
 * Customer side: notices form state that script sets, which fires no `input` or `change` event
 * (a framework clearing a field after submit, checking a box, choosing an option), by wrapping
 * prototype members of one window while a capture runs (`prototype-watch.ts`, same contract):
 *
 * - setters: `value`, `checked`, `valueAsNumber`, `valueAsDate` of `HTMLInputElement`; `value` of
 *   `HTMLTextAreaElement`; `value` and `selectedIndex` of `HTMLSelectElement`; `selected` of
 *   `HTMLOptionElement`;
 * - methods that change a value: `setRangeText`, `stepUp`, `stepDown` of `HTMLInputElement`,
 *   `setRangeText` of `HTMLTextAreaElement`.
 *
 * `onValue` gets the element whose state changed (the capture takes an option's `<select>`,
 * `formControlOf`, and sends its state the way it does after an `input` event: `formStateOps`,
 * masked alike). What the attributes change (`defaultValue`, `defaultChecked`, …) MutationObserver reports.
 * Not seen: a setter a page copied before the capture started (React's value tracking keeps the
 * original setter of each input it mounted, so such inputs are seen on their events only).
 */

import { createPrototypeWatch } from './prototype-watch';

export interface FormStateWatch {
  /** Stops reporting and restores the originals. */
  unwatch(): void;
}

/** Wraps the members of `win`'s prototypes listed in the module comment. */
export function watchFormState(win: Window, onValue: (control: Element) => void): FormStateWatch {
  const watch = createPrototypeWatch();
  const w = win as unknown as Record<string, { prototype?: object } | undefined>;
  // The original accepted `this`: it is an element of that interface.
  const changed = onValue as (target: unknown) => void;

  const input = w['HTMLInputElement']?.prototype;
  watch.setters(input, ['value', 'checked', 'valueAsNumber', 'valueAsDate'], changed);
  watch.methods(input, ['setRangeText', 'stepUp', 'stepDown'], changed);
  const textarea = w['HTMLTextAreaElement']?.prototype;
  watch.setters(textarea, ['value'], changed);
  watch.methods(textarea, ['setRangeText'], changed);
  watch.setters(w['HTMLSelectElement']?.prototype, ['value', 'selectedIndex'], changed);
  watch.setters(w['HTMLOptionElement']?.prototype, ['selected'], changed);
  return { unwatch: watch.unwatch };
}
