/**
 * Navigation of the customer's tab asked by the agent (`navigate`, Write Mode only; see
 * docs/PROTOCOL.md "Navigation by the agent"). The page is told first (`onAgentNavigated`, and the
 * built-in notification), the navigation happens `delay` ms later, so the customer sees what is
 * about to happen. When it cannot happen (no history in that direction, a URL that is not http(s))
 * the failure is reported (`onNavigationFailed`, the navFailed notification, and
 * `navigationFailed` to the agent).
 *
 * "No history": `navigation.canGoBack` / `canGoForward` of the Navigation API where the browser has
 * it; otherwise `history.length <= 1` for back, and for forward a `pagehide` that must follow
 * `history.forward()` within `FORWARD_WATCH_MS`.
 *
 * One instance per page (`createNavigator`), owned by the SDK's entry point; `stop()` cancels a
 * navigation still waiting for its delay.
 */

import type { NavCommand } from '@cobrowse/protocol';

export interface NavigatorOptions {
  win: Window;
  /** Milliseconds between the announcement and the navigation. */
  delay: number;
  /** Whether the navigation may still happen when its delay is over (Write Mode, session alive). */
  allowed(): boolean;
  /** Announces the navigation: `onAgentNavigated` and the notification. */
  announced(command: NavCommand, url: string | undefined): void;
  /** The navigation could not happen. */
  failed(command: NavCommand, reason: string): void;
  report(msg: string, err?: unknown): void;
}

export interface Navigator {
  navigate(command: NavCommand, url: string | null): void;
  stop(): void;
}

/** How long after `history.forward()` the page must be leaving, when the browser cannot say. */
export const FORWARD_WATCH_MS = 1000;

/** The default of the `navigationDelay` option. */
export const DEFAULT_NAVIGATION_DELAY_MS = 2000;

interface NavigationApi {
  canGoBack?: boolean;
  canGoForward?: boolean;
}

export function createNavigator(opts: NavigatorOptions): Navigator {
  const { win } = opts;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let stopped = false;

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (stopped) return;
      try {
        fn();
      } catch (err) {
        opts.report('navigation failed', err);
      }
    }, ms);
    timers.add(t);
  };

  const navApi = (): NavigationApi | null => {
    const n = (win as unknown as { navigation?: NavigationApi }).navigation;
    return n && typeof n === 'object' && typeof n.canGoBack === 'boolean' ? n : null;
  };

  const httpUrl = (url: string | null): string | null => {
    if (!url) return null;
    try {
      const u = new URL(url);
      return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
    } catch {
      return null;
    }
  };

  const perform = (command: NavCommand, url: string | null) => {
    switch (command) {
      case 'refresh':
        win.location.reload();
        return;
      case 'url': {
        const target = httpUrl(url);
        if (!target) {
          opts.failed(command, 'the URL is not an http or https URL');
          return;
        }
        win.location.assign(target);
        return;
      }
      case 'back': {
        const n = navApi();
        if (n ? !n.canGoBack : win.history.length <= 1) {
          opts.failed(command, 'there is no page to go back to');
          return;
        }
        win.history.back();
        return;
      }
      case 'forward': {
        const n = navApi();
        if (n) {
          if (!n.canGoForward) {
            opts.failed(command, 'there is no page to go forward to');
            return;
          }
          win.history.forward();
          return;
        }
        let left = false;
        const onHide = () => {
          left = true;
        };
        win.addEventListener('pagehide', onHide);
        win.history.forward();
        later(FORWARD_WATCH_MS, () => {
          win.removeEventListener('pagehide', onHide);
          if (!left) opts.failed(command, 'there is no page to go forward to');
        });
        return;
      }
      default: {
        const never: never = command;
        return never;
      }
    }
  };

  return {
    navigate(command, url) {
      if (stopped) return;
      const target = command === 'url' ? (httpUrl(url) ?? url ?? undefined) : undefined;
      opts.announced(command, target);
      later(Math.max(0, opts.delay), () => {
        if (!opts.allowed()) return;
        perform(command, command === 'url' ? url : null);
      });
    },
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
