/**
 * The agent never submits a form (docs/PROTOCOL.md, "DOM restrictions", built-in defaults): while
 * the SDK performs an agent action, `submit` events are cancelled before any handler of the page
 * sees them, and `HTMLFormElement.prototype.submit` / `requestSubmit` do nothing. That covers a
 * submit button reached in any way the restriction checks missed, and a page whose own click or key
 * handler submits the form during the agent's action.
 *
 * The guard is armed only for the synchronous duration of `during(fn)`; the prototype methods are
 * restored before `during` returns (also when `fn` throws), so the customer's own submits, and the
 * page's submits in later tasks, are never affected. A submission the page schedules for later
 * (a timer started by the agent's click) is outside this guard.
 *
 * Owned by the input performer (one per page).
 */

export interface SubmissionGuard {
  /** Runs `fn` with form submission blocked; returns what `fn` returns. Re-entrant. */
  during<T>(fn: () => T): T;
  /** Removes the `submit` listener. */
  stop(): void;
}

const METHODS = ['submit', 'requestSubmit'] as const;

export function createSubmissionGuard(win: Window, report: (msg: string, err?: unknown) => void = () => {}): SubmissionGuard {
  const w = win as Window & typeof globalThis;
  /** Nesting depth of `during`: the guard is armed while it is above zero. */
  let depth = 0;
  const proto: object | undefined = w.HTMLFormElement?.prototype;

  // Registered once, at load, in the capture phase of the window: the first place a `submit`
  // event reaches. A page listener registered earlier on the window still runs, but cannot undo
  // the cancellation.
  const onSubmit = (ev: Event) => {
    if (depth === 0) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
  };
  win.addEventListener('submit', onSubmit, { capture: true });

  const noop = function (): void {};

  /** Replaces the methods by no-ops; answers how to put back exactly what was there. */
  const disarmMethods = (): (() => void) => {
    if (!proto) return () => {};
    const saved: [string, PropertyDescriptor | undefined][] = [];
    for (const name of METHODS) {
      const desc = Object.getOwnPropertyDescriptor(proto, name);
      if (desc && !desc.configurable) continue;
      try {
        Object.defineProperty(proto, name, { value: noop, writable: true, configurable: true, enumerable: desc?.enumerable ?? false });
        saved.push([name, desc]);
      } catch (err) {
        report(`could not block form.${name}()`, err);
      }
    }
    return () => {
      for (const [name, desc] of saved) {
        try {
          if (desc) Object.defineProperty(proto, name, desc);
          else delete (proto as Record<string, unknown>)[name];
        } catch (err) {
          report(`could not restore form.${name}()`, err);
        }
      }
    };
  };

  return {
    during(fn) {
      if (depth > 0) {
        depth += 1;
        try {
          return fn();
        } finally {
          depth -= 1;
        }
      }
      depth = 1;
      const restore = disarmMethods();
      try {
        return fn();
      } finally {
        depth = 0;
        restore();
      }
    },
    stop() {
      win.removeEventListener('submit', onSubmit, { capture: true });
    },
  };
}
