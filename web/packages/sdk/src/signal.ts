/**
 * Signals of the JavaScript API (`onSessionStarted`, `onSessionEnded`, ...): `add`, `addOnce`,
 * `remove`, and deferred semantics — a callback added after the signal fired is called at once with
 * the last arguments. A throwing callback is reported and never breaks the SDK or other callbacks.
 */

export type Callback<A extends unknown[]> = (...args: A) => void;

export interface Signal<A extends unknown[]> {
  add(cb: Callback<A>): void;
  addOnce(cb: Callback<A>): void;
  remove(cb: Callback<A>): void;
}

export interface Dispatcher<A extends unknown[]> {
  /** The public face, handed to the page. */
  readonly signal: Signal<A>;
  dispatch(...args: A): void;
  /** Forget the last arguments, so that later `add`s are not called at once. */
  reset(): void;
  /** How many callbacks are registered now (whether the page handles the signal itself). */
  size(): number;
}

export function createSignal<A extends unknown[]>(name: string, report: (msg: string, err: unknown) => void): Dispatcher<A> {
  let listeners: { cb: Callback<A>; once: boolean }[] = [];
  let last: A | null = null;

  const call = (cb: Callback<A>, args: A) => {
    try {
      cb(...args);
    } catch (err) {
      report(`a callback of ${name} threw`, err);
    }
  };

  const register = (cb: Callback<A>, once: boolean) => {
    if (typeof cb !== 'function') return;
    if (last) {
      const args = last;
      call(cb, args);
      if (once) return;
    }
    listeners.push({ cb, once });
  };

  return {
    signal: {
      add: (cb) => register(cb, false),
      addOnce: (cb) => register(cb, true),
      remove: (cb) => {
        listeners = listeners.filter((l) => l.cb !== cb);
      },
    },
    dispatch(...args: A) {
      last = args;
      const current = listeners;
      listeners = listeners.filter((l) => !l.once);
      for (const l of current) call(l.cb, args);
    },
    reset() {
      last = null;
    },
    size: () => listeners.length,
  };
}
