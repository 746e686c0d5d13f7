import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NavCommand } from '@cobrowse/protocol';
import { createNavigator, FORWARD_WATCH_MS } from '../src/navigation';

function fakeWindow(historyLength: number, navigation?: { canGoBack: boolean; canGoForward: boolean }) {
  const calls: string[] = [];
  const listeners = new Map<string, () => void>();
  const win = {
    history: {
      length: historyLength,
      back: () => calls.push('back'),
      forward: () => calls.push('forward'),
    },
    location: { reload: () => calls.push('reload'), assign: (u: string) => calls.push(`assign ${u}`) },
    navigation,
    addEventListener: (t: string, fn: () => void) => listeners.set(t, fn),
    removeEventListener: (t: string) => listeners.delete(t),
  } as unknown as Window;
  return { win, calls, listeners };
}

function setup(win: Window, allowed = () => true) {
  const log: string[] = [];
  const nav = createNavigator({
    win,
    delay: 2000,
    allowed,
    announced: (c: NavCommand, url) => log.push(`announced ${c}${url ? ` ${url}` : ''}`),
    failed: (c: NavCommand) => log.push(`failed ${c}`),
    report: () => {},
  });
  return { nav, log };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('agent navigation', () => {
  it('announces at once and navigates after the delay', () => {
    const { win, calls } = fakeWindow(3);
    const { nav, log } = setup(win);
    nav.navigate('url', 'https://shop.example/cart');
    expect(log).toEqual(['announced url https://shop.example/cart']);
    vi.advanceTimersByTime(1999);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['assign https://shop.example/cart']);
    nav.navigate('refresh', null);
    nav.navigate('back', null);
    vi.advanceTimersByTime(2000);
    expect(calls).toEqual(['assign https://shop.example/cart', 'reload', 'back']);
    expect(log).toEqual(['announced url https://shop.example/cart', 'announced refresh', 'announced back']);
  });

  it('fails back without history, and a non-http URL', () => {
    const { win, calls } = fakeWindow(1);
    const { nav, log } = setup(win);
    nav.navigate('back', null);
    nav.navigate('url', 'javascript:alert(1)');
    vi.advanceTimersByTime(2000);
    expect(calls).toEqual([]);
    expect(log).toEqual(['announced back', 'announced url javascript:alert(1)', 'failed back', 'failed url']);
  });

  it('uses the Navigation API where there is one', () => {
    const { win, calls } = fakeWindow(5, { canGoBack: false, canGoForward: false });
    const { nav, log } = setup(win);
    nav.navigate('back', null);
    nav.navigate('forward', null);
    vi.advanceTimersByTime(2000);
    expect(calls).toEqual([]);
    expect(log.filter((l) => l.startsWith('failed'))).toEqual(['failed back', 'failed forward']);
  });

  it('without it, forward fails when no pagehide follows', () => {
    const { win, calls, listeners } = fakeWindow(2);
    const { nav, log } = setup(win);
    nav.navigate('forward', null);
    vi.advanceTimersByTime(2000);
    expect(calls).toEqual(['forward']);
    vi.advanceTimersByTime(FORWARD_WATCH_MS);
    expect(log).toEqual(['announced forward', 'failed forward']);
    // And succeeds when the page leaves.
    nav.navigate('forward', null);
    vi.advanceTimersByTime(2000);
    listeners.get('pagehide')?.();
    vi.advanceTimersByTime(FORWARD_WATCH_MS);
    expect(log).toEqual(['announced forward', 'failed forward', 'announced forward']);
  });

  it('does nothing when Write Mode ended during the delay, or after stop()', () => {
    const { win, calls } = fakeWindow(3);
    let allowed = true;
    const { nav } = setup(win, () => allowed);
    nav.navigate('refresh', null);
    allowed = false;
    vi.advanceTimersByTime(2000);
    allowed = true;
    nav.navigate('refresh', null);
    nav.stop();
    vi.advanceTimersByTime(2000);
    expect(calls).toEqual([]);
  });
});
