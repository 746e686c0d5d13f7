/**
 * The editor's modal dialogs (create/edit, move, delete): the focus is kept inside an open dialog,
 * and goes back to the control that opened it when it closes without a change (after a change the
 * dialog's part puts it where the rebuilt list needs it).
 */

import { trapFocus } from './dom';

export interface Dialogs {
  /** Opens `dialog` modally, opened by `from`. */
  open(dialog: HTMLDialogElement, from: HTMLElement): void;
  /** Closes `dialog` without a change: the focus returns to its opener. */
  cancel(dialog: HTMLDialogElement): void;
  /** Closes `dialog` after a change: the caller moves the focus. */
  done(dialog: HTMLDialogElement): void;
}

export function dialogs(): Dialogs {
  /** Where the focus goes when a dialog closes without a change. */
  let opener: HTMLElement | null = null;
  for (const d of document.querySelectorAll('dialog')) {
    trapFocus(d);
    d.addEventListener('close', () => {
      if (opener?.isConnected) opener.focus();
      opener = null;
    });
  }
  const close = (dialog: HTMLDialogElement) => {
    if (dialog.open) dialog.close();
  };
  return {
    open(dialog, from) {
      opener = from;
      dialog.showModal();
    },
    cancel: close,
    done(dialog) {
      opener = null;
      close(dialog);
    },
  };
}
