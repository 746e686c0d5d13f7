import { afterEach, describe, expect, it, vi } from 'vitest';
import { openConsentModal, openNotice, openQuestion } from '../src/ui/modal';
import { createToolbar } from '../src/ui/toolbar';
import { english } from '../src/strings';
import { de } from '../src/strings-de';

const builtIn = { en: english, de };

const en = builtIn.en;

afterEach(() => {
  document.querySelectorAll('.gcb-modal-host, .gcb-toolbar-host').forEach((el) => el.remove());
  document.body.replaceChildren();
});

function dialogOf(): { root: ShadowRoot; dialog: HTMLElement; yes: HTMLButtonElement; no: HTMLButtonElement } {
  const host = document.querySelector('.gcb-modal-host') as HTMLElement;
  const root = host.shadowRoot!;
  const dialog = root.querySelector('[role="dialog"]') as HTMLElement;
  const [yes, no] = [...root.querySelectorAll('button')] as HTMLButtonElement[];
  return { root, dialog, yes: yes!, no: no! };
}

describe('consent modal', () => {
  it('is an accessible modal dialog with the guide strings, a service element, focus on No', () => {
    openConsentModal(document, en, () => {});
    const { root, dialog, yes, no } = dialogOf();
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(root.getElementById(dialog.getAttribute('aria-labelledby')!)?.textContent).toBe(en.modalTitle);
    expect(root.getElementById(dialog.getAttribute('aria-describedby')!)?.textContent).toBe(en.modeUpgradeRequested);
    expect([yes.textContent, no.textContent]).toEqual([en.modalYes, en.modalNo]);
    expect(document.querySelector('.gcb-modal-host')?.getAttribute('data-gcb-service-node')).toBe('true');
    expect(root.activeElement).toBe(no);
  });

  it('traps Tab inside and answers No on Escape, once', () => {
    const answer = vi.fn();
    const before = document.createElement('input');
    document.body.append(before);
    before.focus();
    openConsentModal(document, en, answer);
    const { root, dialog, yes, no } = dialogOf();
    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true }));
    expect(root.activeElement).toBe(yes);
    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', shiftKey: true, bubbles: true }));
    expect(root.activeElement).toBe(no);
    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(answer).toHaveBeenCalledExactlyOnceWith(false);
    expect(document.querySelector('.gcb-modal-host')).toBeNull();
    expect(document.activeElement).toBe(before);
    yes.click();
    expect(answer).toHaveBeenCalledOnce();
  });

  it('Yes allows', () => {
    const answer = vi.fn();
    openConsentModal(document, en, answer);
    dialogOf().yes.click();
    expect(answer).toHaveBeenCalledExactlyOnceWith(true);
  });
});

describe('toolbar in Write Mode', () => {
  it('shows writeModeInProgress and a Revoke control button that calls back', () => {
    const revoke = vi.fn();
    const toolbar = createToolbar(document, en, () => {}, revoke);
    toolbar.show('123456789');
    const root = (document.querySelector('.gcb-toolbar-host') as HTMLElement).shadowRoot!;
    const write = root.querySelector('.write') as HTMLElement;
    expect(write.hidden).toBe(true);
    toolbar.setMode('write');
    expect(write.hidden).toBe(false);
    expect(write.textContent).toContain(en.writeModeInProgress);
    const button = [...root.querySelectorAll('button')].find((b) => b.textContent === en.downgradeMode)!;
    button.click();
    expect(revoke).toHaveBeenCalledOnce();
    toolbar.setMode('pointer');
    expect(write.hidden).toBe(true);
    toolbar.end();
  });
});

describe('start questions and notices', () => {
  it('openQuestion asks the given text with Yes / No, focus on No, Escape answers No', () => {
    const answer = vi.fn();
    openQuestion(document, en, en.areYouOnPhoneOrChat, answer);
    const { root, dialog, yes, no } = dialogOf();
    expect(dialog.getAttribute('role')).toBe('dialog');
    expect(root.getElementById(dialog.getAttribute('aria-describedby')!)?.textContent).toBe(en.areYouOnPhoneOrChat);
    expect([yes.textContent, no.textContent]).toEqual([en.modalYes, en.modalNo]);
    expect(root.activeElement).toBe(no);
    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(answer).toHaveBeenCalledExactlyOnceWith(false);
  });

  it('openQuestion: Yes answers true', () => {
    const answer = vi.fn();
    openQuestion(document, en, en.areYouOnPhone, answer);
    dialogOf().yes.click();
    expect(answer).toHaveBeenCalledExactlyOnceWith(true);
    expect(document.querySelector('.gcb-modal-host')).toBeNull();
  });

  it('openNotice is an alertdialog with one close button that keeps the focus; Escape closes it', () => {
    const closed = vi.fn();
    const page = document.createElement('button');
    document.body.append(page);
    openNotice(document, builtIn.de, builtIn.de.connectBeforeCobrowse, closed);
    const host = document.querySelector('.gcb-modal-host') as HTMLElement;
    const root = host.shadowRoot!;
    const dialog = root.querySelector('[role="alertdialog"]') as HTMLElement;
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(root.getElementById(dialog.getAttribute('aria-labelledby')!)?.textContent).toBe(builtIn.de.modalTitle);
    expect(root.getElementById(dialog.getAttribute('aria-describedby')!)?.textContent).toBe(builtIn.de.connectBeforeCobrowse);
    const buttons = [...root.querySelectorAll('button')];
    expect(buttons.map((b) => b.textContent)).toEqual(['Schließen']);
    expect(root.activeElement).toBe(buttons[0]);
    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true }));
    expect(root.activeElement).toBe(buttons[0]);
    // Focus that escapes to the page comes back.
    page.focus();
    expect(root.activeElement).toBe(buttons[0]);
    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(closed).toHaveBeenCalledOnce();
    expect(document.querySelector('.gcb-modal-host')).toBeNull();
  });

  it('a closed question never answers', () => {
    const answer = vi.fn();
    const q = openQuestion(document, en, en.areYouOnPhone, answer);
    const { yes } = dialogOf();
    q.close();
    yes.click();
    expect(answer).not.toHaveBeenCalled();
  });
});
