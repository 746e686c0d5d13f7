/**
 * The built-in modal dialogs, all text from the localization table under `modalTitle`:
 * - questions with Yes / No (`modalYes`, `modalNo`): the Write Mode request
 *   (`modeUpgradeRequested`, `openConsentModal`) and the start questions (`areYouOnPhone`,
 *   `areYouOnPhoneOrChat`, `openQuestion`);
 * - notices with one close button (`modalClose`): `connectBeforeCobrowse`, `browserUnsupported`
 *   (`openNotice`, `role="alertdialog"`).
 * Accessible as modal dialogs: `role="dialog"`, `aria-modal`, labelled and described, the focus
 * starts on the safe answer (No, or the close button), Tab and Shift+Tab stay inside, focus that
 * escapes to the page is brought back, Escape answers No (closes a notice), and the focus returns
 * where it was. Each lives in an open shadow root (no CSS in or out) under a service element on
 * `<html>`, never sent to the agent.
 */

import type { Strings } from '../strings';
import { element, serviceHost } from './dom';

export interface ConsentModal {
  /** Removes the dialog without answering (the request was withdrawn). */
  close(): void;
}

const STYLE = `
:host { all: initial; }
.backdrop { position: fixed; inset: 0; z-index: 2147483647; background: rgba(15, 23, 42, .45);
  display: grid; place-items: center; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.dialog { background: #fff; color: #1f2933; max-width: min(92vw, 440px); padding: 22px 24px 18px; border-radius: 10px;
  box-shadow: 0 12px 40px rgba(0,0,0,.3); }
h2 { font-size: 18px; margin: 0 0 8px; font-weight: 600; }
p { margin: 0 0 18px; }
.actions { display: flex; justify-content: flex-end; gap: 10px; }
button { all: unset; cursor: pointer; padding: 8px 18px; border-radius: 6px; font-weight: 500; }
button.yes { background: #2563eb; color: #fff; }
button.yes:hover { background: #1d4ed8; }
button.no { background: #e2e8f0; color: #1f2933; }
button.no:hover { background: #cbd5e1; }
button.close { background: #2563eb; color: #fff; }
button.close:hover { background: #1d4ed8; }
button:focus-visible { outline: 2px solid #1d4ed8; outline-offset: 2px; }
`;

interface DialogSpec {
  role: 'dialog' | 'alertdialog';
  text: string;
  /** Buttons in order; the last one has the focus first and is the Escape answer. */
  buttons: { label: string; className: string; value: boolean }[];
  answer(value: boolean): void;
}

function openDialog(doc: Document, strings: Strings, spec: DialogSpec): ConsentModal {
  const previous = doc.activeElement as HTMLElement | null;
  const { host, root } = serviceHost(doc, 'gcb-modal-host', STYLE);
  const backdrop = element(doc, 'div', 'backdrop');
  const dialog = element(doc, 'div', 'dialog');
  dialog.setAttribute('role', spec.role);
  dialog.setAttribute('aria-modal', 'true');
  dialog.setAttribute('aria-labelledby', 'gcb-modal-title');
  dialog.setAttribute('aria-describedby', 'gcb-modal-text');
  const title = element(doc, 'h2', '', strings.modalTitle);
  title.id = 'gcb-modal-title';
  const text = element(doc, 'p', '', spec.text);
  text.id = 'gcb-modal-text';
  const actions = element(doc, 'div', 'actions');
  const buttons = spec.buttons.map((b) => {
    const button = element(doc, 'button', b.className, b.label);
    button.type = 'button';
    button.addEventListener('click', () => decide(b.value));
    return button;
  });
  actions.append(...buttons);
  dialog.append(title, text, actions);
  backdrop.append(dialog);
  root.append(backdrop);
  const safe = buttons[buttons.length - 1] as HTMLButtonElement;
  const safeValue = (spec.buttons[spec.buttons.length - 1] as { value: boolean }).value;

  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    doc.removeEventListener('focusin', onFocusIn, true);
    host.remove();
    try {
      if (previous && previous.isConnected && typeof previous.focus === 'function') previous.focus();
    } catch {
      // The page's element refused the focus: nothing to restore.
    }
  };
  const decide = (value: boolean) => {
    if (!open) return;
    close();
    spec.answer(value);
  };

  const onKey = (ev: KeyboardEvent) => {
    if (ev.key === 'Escape') {
      ev.preventDefault();
      ev.stopPropagation();
      decide(safeValue);
      return;
    }
    if (ev.key === 'Tab') {
      ev.preventDefault();
      const i = buttons.indexOf(root.activeElement as HTMLButtonElement);
      const next = ev.shiftKey ? (i <= 0 ? buttons.length - 1 : i - 1) : (i + 1) % buttons.length;
      buttons[next]?.focus();
    }
  };
  // The page behind is inert for the keyboard too: focus that lands outside comes back.
  const onFocusIn = (ev: FocusEvent) => {
    if (open && ev.target !== host) safe.focus();
  };

  dialog.addEventListener('keydown', onKey);
  doc.addEventListener('focusin', onFocusIn, true);
  doc.documentElement.appendChild(host);
  safe.focus();

  return { close };
}

/** A Yes / No question; `answer` is called once (No on Escape), never after `close()`. */
export function openQuestion(doc: Document, strings: Strings, text: string, answer: (yes: boolean) => void): ConsentModal {
  return openDialog(doc, strings, {
    role: 'dialog',
    text,
    buttons: [
      { label: strings.modalYes, className: 'yes', value: true },
      { label: strings.modalNo, className: 'no', value: false },
    ],
    answer,
  });
}

/** The Write Mode request: `modeUpgradeRequested` with Yes / No. */
export function openConsentModal(doc: Document, strings: Strings, answer: (allow: boolean) => void): ConsentModal {
  return openQuestion(doc, strings, strings.modeUpgradeRequested, answer);
}

/** A notice the customer closes (button, Escape); `closed` is called once when they do. */
export function openNotice(doc: Document, strings: Strings, text: string, closed: () => void = () => {}): ConsentModal {
  return openDialog(doc, strings, {
    role: 'alertdialog',
    text,
    buttons: [{ label: strings.modalClose, className: 'close', value: false }],
    answer: () => closed(),
  });
}
