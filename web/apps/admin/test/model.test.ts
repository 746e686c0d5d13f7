import type { Restriction } from '@cobrowse/protocol';
import { describe, expect, it } from 'vitest';
import { auditChanges, groupRestrictions, matchesFilter, restrictionName, restrictionPatch, scopeText } from '../src/model';

/** A stored restriction as the REST API sends it (JSON numbers, typed `bigint` by ts-rs). */
function restriction(fields: Partial<Restriction> & { id: number }): Restriction {
  return {
    selector: '#card',
    kind: 'mask',
    description: 'Card number',
    group: 'Payments',
    urlPattern: null,
    enabled: true,
    createdAt: 1_700_000_000,
    updatedAt: 1_700_000_000,
    updatedBy: 'alice',
    ...fields,
    id: fields.id,
  } as unknown as Restriction;
}

describe('auditChanges', () => {
  it('lists only the changed fields of an update, before and after, in the words of the editor', () => {
    const before = restriction({ id: 1 });
    const after = restriction({ id: 1, kind: 'control', urlPattern: '^https://shop\\.example/checkout', enabled: false, updatedBy: 'bob' });
    expect(auditChanges({ before, after })).toEqual([
      { field: 'kind', label: 'Type', before: 'DOM control and Data masking', after: 'DOM control' },
      { field: 'urlPattern', label: 'Scope', before: 'All pages', after: '^https://shop\\.example/checkout' },
      { field: 'enabled', label: 'Enabled', before: 'on', after: 'off' },
    ]);
  });

  it('shows a move between groups and a cleared description', () => {
    const before = restriction({ id: 2, group: 'Payments', description: 'CVV' });
    const after = restriction({ id: 2, group: 'Checkout', description: '' });
    expect(auditChanges({ before, after })).toEqual([
      { field: 'description', label: 'Description', before: 'CVV', after: '(none)' },
      { field: 'group', label: 'Group', before: 'Payments', after: 'Checkout' },
    ]);
  });

  it('gives every field of a created or deleted restriction', () => {
    const r = restriction({ id: 3, kind: 'control', selector: 'button.pay' });
    const created = auditChanges({ before: null, after: r });
    expect(created.map((c) => [c.field, c.before, c.after])).toEqual([
      ['selector', null, 'button.pay'],
      ['kind', null, 'DOM control'],
      ['description', null, 'Card number'],
      ['group', null, 'Payments'],
      ['urlPattern', null, 'All pages'],
      ['enabled', null, 'on'],
    ]);
    const deleted = auditChanges({ before: r, after: null });
    expect(deleted.every((c) => c.after === null && c.before !== null)).toBe(true);
    expect(deleted).toHaveLength(6);
  });
});

describe('groupRestrictions', () => {
  it('keeps the server order of groups and of restrictions within a group', () => {
    const list = [
      restriction({ id: 4, group: 'Account' }),
      restriction({ id: 9, group: 'Account' }),
      restriction({ id: 1, group: 'Payments' }),
    ];
    const groups = groupRestrictions(list);
    expect([...groups.keys()]).toEqual(['Account', 'Payments']);
    expect(groups.get('Account')?.map((r) => Number(r.id))).toEqual([4, 9]);
  });
});

describe('matchesFilter', () => {
  const r = restriction({ id: 5, selector: 'input.iban', description: 'Bank account', group: 'Payments', urlPattern: '/settings/' });
  it('matches any shown field, ignoring case and surrounding spaces', () => {
    for (const needle of ['IBAN', 'bank', 'payments', '/settings', 'data masking', 'ALICE', '  ']) {
      expect(matchesFilter(r, needle), needle).toBe(true);
    }
    expect(matchesFilter(r, 'password')).toBe(false);
  });
});

describe('names', () => {
  it('names a restriction by its description, else its selector', () => {
    expect(restrictionName({ description: 'Card', selector: '#card' })).toBe('Card');
    expect(restrictionName({ description: '  ', selector: '#card' })).toBe('#card');
    expect(scopeText(null)).toBe('All pages');
    expect(scopeText('cart$')).toBe('cart$');
  });
});

describe('restrictionPatch', () => {
  const before = restriction({ id: 7, selector: '#iban', kind: 'mask', description: 'IBAN', group: 'Payments', urlPattern: '/settings/', enabled: false });
  const same = { selector: '#iban', kind: 'mask', description: 'IBAN', group: 'Payments', urlPattern: '/settings/', enabled: false } as const;

  it('is empty when the dialog holds what is stored', () => {
    expect(restrictionPatch(before, same)).toEqual({});
  });

  it('carries only the fields that differ', () => {
    expect(restrictionPatch(before, { ...same, group: 'Account', kind: 'control' })).toEqual({ group: 'Account', kind: 'control' });
    expect(restrictionPatch(before, { ...same, enabled: true, description: '' })).toEqual({ enabled: true, description: '' });
  });

  it('sends a null pattern for "All pages" and a pattern for a page that had none', () => {
    const { urlPattern: _, ...allPages } = same;
    expect(restrictionPatch(before, allPages)).toEqual({ urlPattern: null });
    const everywhere = restriction({ id: 8, urlPattern: null });
    expect(restrictionPatch(everywhere, { selector: '#card', kind: 'mask', urlPattern: 'cart$' })).toEqual({ urlPattern: 'cart$' });
  });
});
