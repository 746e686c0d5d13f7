"use strict";
(() => {
  // packages/sdk/src/chunk.ts
  var RECEIVE = "__gcbReceive";
  function handOver(value) {
    const script = document.currentScript;
    const receive = script?.[RECEIVE];
    if (typeof receive === "function") receive(value);
  }

  // packages/dom/src/context.ts
  var SERVICE_ATTRIBUTE = "data-gcb-service-node";

  // packages/sdk/src/masking.ts
  var FALLBACK_MS = 200;
  function watchMasking(opts) {
    const { win, restrictions } = opts;
    const doc = win.document;
    const reported = /* @__PURE__ */ new WeakSet();
    let present = false;
    let stopped = false;
    let frame = 0;
    let timer = 0;
    const inService = (el) => {
      for (let cur = el; cur !== null; cur = cur.parentElement) {
        if (opts.isService(cur)) return true;
      }
      return false;
    };
    const evaluate = () => {
      unschedule();
      if (stopped) return;
      try {
        const { mask } = restrictions.match();
        const elements = [];
        for (const el of mask) if (!inService(el)) elements.push(el);
        for (const el of elements) {
          if (reported.has(el)) continue;
          reported.add(el);
          opts.masked(el);
          if (stopped) return;
        }
        const now = elements.length > 0;
        if (now !== present) {
          present = now;
          opts.maskedContent(now);
        }
        if (opts.outermost) {
          const set = new Set(elements);
          opts.outermost(
            elements.filter((el) => {
              for (let up = el.parentElement; up !== null; up = up.parentElement) if (set.has(up)) return false;
              return true;
            })
          );
        }
      } catch (err) {
        opts.report("could not evaluate the masked elements", err);
      }
    };
    const schedule = () => {
      if (stopped || frame || timer) return;
      frame = win.requestAnimationFrame(evaluate);
      timer = setTimeout(evaluate, FALLBACK_MS);
    };
    function unschedule() {
      if (frame) win.cancelAnimationFrame(frame);
      if (timer) clearTimeout(timer);
      frame = 0;
      timer = 0;
    }
    const onEvent = () => {
      try {
        schedule();
      } catch (err) {
        opts.report("could not schedule a masking evaluation", err);
      }
    };
    const observer = new (opts.MutationObserver ?? win.MutationObserver)(onEvent);
    observer.observe(doc, { childList: true, subtree: true, attributes: true });
    const passive = { capture: true, passive: true };
    win.addEventListener("popstate", onEvent, passive);
    win.addEventListener("hashchange", onEvent, passive);
    win.addEventListener("load", onEvent, passive);
    doc.addEventListener("DOMContentLoaded", onEvent, passive);
    evaluate();
    return {
      changed: onEvent,
      stop() {
        if (stopped) return;
        stopped = true;
        unschedule();
        observer.disconnect();
        win.removeEventListener("popstate", onEvent, passive);
        win.removeEventListener("hashchange", onEvent, passive);
        win.removeEventListener("load", onEvent, passive);
        doc.removeEventListener("DOMContentLoaded", onEvent, passive);
        if (present) {
          present = false;
          opts.maskedContent(false);
        }
        opts.outermost?.([]);
      }
    };
  }

  // packages/sdk/src/signal.ts
  function createSignal(name, report) {
    let listeners = [];
    let last = null;
    const call = (cb, args) => {
      try {
        cb(...args);
      } catch (err) {
        report(`a callback of ${name} threw`, err);
      }
    };
    const register = (cb, once) => {
      if (typeof cb !== "function") return;
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
        }
      },
      dispatch(...args) {
        last = args;
        const current = listeners;
        listeners = listeners.filter((l) => !l.once);
        for (const l of current) call(l.cb, args);
      },
      reset() {
        last = null;
      },
      size: () => listeners.length
    };
  }

  // packages/sdk/src/frames.ts
  var HUB_KEY = /* @__PURE__ */ Symbol.for("cobrowse.frames");
  function topmostReadable(win) {
    let cur = win;
    for (let hops = 0; hops < 64; hops++) {
      let parent;
      try {
        parent = cur.parent;
        if (parent === cur || parent === null) return cur;
        void parent.document.nodeType;
      } catch {
        return cur;
      }
      cur = parent;
    }
    return cur;
  }
  function frameHub(win) {
    try {
      const top = topmostReadable(win);
      const existing = top[HUB_KEY];
      if (existing) return existing;
      const hub = new top.Object();
      Object.assign(hub, { marked: new top.WeakSet(), top: null, children: new top.Set() });
      Object.defineProperty(top, HUB_KEY, { value: hub, enumerable: false, configurable: false, writable: false });
      return hub;
    } catch {
      return null;
    }
  }
  function startChildContext(opts) {
    const { win, config, report } = opts;
    const hub = frameHub(win);
    const onSessionStarted = createSignal("onSessionStarted", report);
    const onSessionEnded = createSignal("onSessionEnded", report);
    const onMaskedElement = createSignal("onMaskedElement", report);
    let masking = null;
    const isService = (el) => (hub?.marked.has(el) ?? false) || typeof el.getAttribute === "function" && el.getAttribute(SERVICE_ATTRIBUTE) === "true";
    const stopMasking = () => {
      masking?.stop();
      masking = null;
    };
    const child = {
      started(token2) {
        onSessionEnded.reset();
        onSessionStarted.dispatch({ token: token2, agents: [] });
        const top = hub?.top;
        if (masking || !top) return;
        try {
          masking = watchMasking({
            win,
            restrictions: top.restrictions.forDocument(win.document),
            isService,
            masked(el) {
              onMaskedElement.dispatch(el);
              onMaskedElement.reset();
            },
            maskedContent: () => {
            },
            report
          });
        } catch (err) {
          report("could not watch masked elements in this frame", err);
        }
      },
      ended(reason) {
        stopMasking();
        onSessionStarted.reset();
        onSessionEnded.dispatch({ reason });
      },
      restrictionsChanged() {
        masking?.changed();
      }
    };
    const api = {
      VERSION: opts.version,
      markServiceElement(el) {
        try {
          if (el === null || typeof el !== "object" || el.nodeType !== 1) throw new TypeError("not an element");
          hub?.marked.add(el);
        } catch (err) {
          report("markServiceElement needs an element", err);
        }
      },
      onSessionStarted: onSessionStarted.signal,
      onSessionEnded: onSessionEnded.signal,
      onMaskedElement: onMaskedElement.signal
    };
    if (hub) {
      hub.children.add(child);
      win.addEventListener("pagehide", () => {
        hub.children.delete(child);
        stopMasking();
      });
    }
    config.host["VERSION"] = api.VERSION;
    const runReady = (cb) => {
      if (typeof cb !== "function") return;
      try {
        cb(api, false);
      } catch (err) {
        report("an onReady callback threw", err);
      }
    };
    const queue = Array.isArray(config.onReady) ? config.onReady : [];
    config.host["onReady"] = {
      push: (...cbs) => {
        for (const cb of cbs) runReady(cb);
        return cbs.length;
      }
    };
    for (const cb of queue) runReady(cb);
    const token = hub?.top?.token;
    if (typeof token === "string") child.started(token);
    return api;
  }

  // packages/sdk/src/chunks/frame.ts
  handOver(startChildContext);
})();
