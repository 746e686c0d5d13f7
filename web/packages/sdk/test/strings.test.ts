import { describe, expect, it } from 'vitest';
import { en, format, resolveStrings } from '../src/strings';

describe('strings', () => {
  it('has the reference defaults', () => {
    expect(en.toolbarContent).toBe('Session ID: {sessionId}');
    expect(en.exitBtnTitle).toBe('Exit Co-browse session');
    expect(Object.keys(en)).toHaveLength(31);
  });

  it('applies overrides and ignores unknown keys and non-strings', () => {
    const s = resolveStrings({ toolbarContent: 'Session token: {sessionId}', nope: 'x', modalYes: 3 });
    expect(s.toolbarContent).toBe('Session token: {sessionId}');
    expect(s.modalYes).toBe('Yes');
    expect('nope' in s).toBe(false);
  });

  it('substitutes the session id everywhere', () => {
    expect(format('{sessionId} and {sessionId}', { sessionId: '123456789' })).toBe('123456789 and 123456789');
  });
});
