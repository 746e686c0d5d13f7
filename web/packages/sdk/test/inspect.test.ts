import { afterEach, describe, expect, it } from 'vitest';
import { readInspectRules, readInspectTicket, ruleName } from '../src/inspect';
import { createInspectOverlay, type InspectModel } from '../src/ui/inspect-overlay';

afterEach(() => {
  document.querySelectorAll('.gcb-inspect').forEach((el) => el.remove());
  document.body.replaceChildren();
});

describe('inspect ticket in the fragment', () => {
  it('is found alone or among other parts, and the rest of the fragment is kept', () => {
    expect(readInspectTicket('#gcb-inspect=abc_DEF-123')).toEqual({ ticket: 'abc_DEF-123', rest: '' });
    expect(readInspectTicket('#section-2&gcb-inspect=T1')).toEqual({ ticket: 'T1', rest: 'section-2' });
    expect(readInspectTicket('#a=1&gcb-inspect=T2&b=2')).toEqual({ ticket: 'T2', rest: 'a=1&b=2' });
  });

  it('is not found in other fragments', () => {
    expect(readInspectTicket('')).toBeNull();
    expect(readInspectTicket('#')).toBeNull();
    expect(readInspectTicket('#top')).toBeNull();
    expect(readInspectTicket('#xgcb-inspect=T')).toBeNull();
    expect(readInspectTicket('#gcb-inspector=T')).toBeNull();
  });
});

describe('inspect rules from the server', () => {
  it('keeps the enabled, well-formed restrictions', () => {
    const rules = readInspectRules({
      restrictions: [
        { id: 1, selector: '.card', kind: 'mask', description: 'Card', group: 'Payment', urlPattern: null, enabled: true },
        { id: 2, selector: '.off', kind: 'mask', description: '', group: 'G', urlPattern: null, enabled: false },
        { id: 3, selector: 7, kind: 'mask' },
        { id: 4, selector: '.x', kind: 'hide' },
        null,
        { id: 5, selector: '.y', kind: 'control', urlPattern: '' },
      ],
    });
    expect(rules?.map((r) => [Number(r.id), r.urlPattern, r.description, r.group])).toEqual([
      [1, null, 'Card', 'Payment'],
      [5, null, '', ''],
    ]);
    expect(readInspectRules({})).toBeNull();
    expect(readInspectRules(null)).toBeNull();
  });

  it('names a rule by its description, else its selector, with its group', () => {
    expect(ruleName({ description: 'Card number', selector: '.card', group: 'Payment' })).toBe('Card number · Payment');
    expect(ruleName({ description: '  ', selector: '.card', group: 'Payment' })).toBe('.card · Payment');
  });
});

describe('inspect overlay', () => {
  const model = (count: number): InspectModel => ({
    applicable: [
      { id: -1, kind: 'mask', selector: 'input[type="password" i]', description: 'Password fields', group: 'Built-in', urlPattern: null, builtIn: true, count },
      { id: 7, kind: 'control', selector: '#pay', description: '', group: 'Checkout', urlPattern: '/checkout', builtIn: false, count: null },
    ],
    other: [{ id: 9, kind: 'mask', selector: '.elsewhere', description: 'Other page', group: 'G', urlPattern: 'other', builtIn: false, count: null }],
    outlines: [],
  });

  it('is a labelled, focused dialog listing the rules with their counts; Escape and the close button close it', () => {
    let closed = 0;
    const overlay = createInspectOverlay(window, { title: 'DOM restrictions on this page', close: 'Close' }, () => (closed += 1));
    const host = document.querySelector('.gcb-inspect') as HTMLElement;
    expect(host.getAttribute('data-gcb-service-node')).toBe('true');
    const root = host.shadowRoot!;
    const panel = root.querySelector('[role="dialog"]') as HTMLElement;
    expect(root.getElementById(panel.getAttribute('aria-labelledby')!)?.textContent).toBe('DOM restrictions on this page');
    expect(root.activeElement).toBe(panel);

    overlay.rules(model(2));
    const applicable = root.querySelectorAll('[data-gcb-inspect-applicable] li');
    expect(applicable).toHaveLength(2);
    expect(applicable[0]!.textContent).toContain('Masked');
    expect(applicable[0]!.textContent).toContain('2 elements');
    expect(applicable[1]!.textContent).toContain('DOM control');
    expect(applicable[1]!.textContent).toContain('invalid selector');
    expect(applicable[1]!.textContent).toContain('#pay');
    const details = root.querySelector('details')!;
    expect(details.open).toBe(false);
    expect(details.querySelector('summary')!.textContent).toContain('(1)');
    expect(root.querySelectorAll('[data-gcb-inspect-other] li')).toHaveLength(1);

    // Unchanged content is not rebuilt (focus and the open list stay); a new count is shown.
    const first = root.querySelector('[data-gcb-inspect-applicable] li');
    overlay.rules(model(2));
    expect(root.querySelector('[data-gcb-inspect-applicable] li')).toBe(first);
    overlay.rules(model(1));
    expect(root.querySelector('[data-gcb-inspect-applicable] li')!.textContent).toContain('1 element');

    panel.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(closed).toBe(1);
    (root.querySelector('button') as HTMLButtonElement).click();
    expect(closed).toBe(2);
    overlay.destroy();
    expect(host.isConnected).toBe(false);
  });

  it('shows a failed ticket as an alert', () => {
    const overlay = createInspectOverlay(window, { title: 'DOM restrictions on this page', close: 'Close' }, () => {});
    overlay.message('This inspect link is invalid or has expired', true);
    const alert = document.querySelector('.gcb-inspect')!.shadowRoot!.querySelector('[role="alert"]');
    expect(alert?.textContent).toBe('This inspect link is invalid or has expired');
    overlay.destroy();
  });
});
