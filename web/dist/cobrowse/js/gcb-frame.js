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

  // packages/dom/src/mask.ts
  var EMPTY_MATCH = Object.freeze({
    mask: /* @__PURE__ */ new Set(),
    control: /* @__PURE__ */ new Set()
  });
  var KEEP = 1;
  var ASTERISKS = 2;
  var STYLE = 3;
  var MASKED_ATTRIBUTES = Object.freeze(
    Object.assign(/* @__PURE__ */ Object.create(null), {
      id: KEEP,
      class: KEEP,
      style: STYLE,
      type: KEEP,
      name: KEEP,
      dir: KEEP,
      lang: KEEP,
      hidden: KEEP,
      tabindex: KEEP,
      role: KEEP,
      for: KEEP,
      colspan: KEEP,
      rowspan: KEEP,
      width: KEEP,
      height: KEEP,
      size: KEEP,
      rows: KEEP,
      cols: KEEP,
      disabled: KEEP,
      readonly: KEEP,
      required: KEEP,
      multiple: KEEP,
      checked: KEEP,
      selected: KEEP,
      open: KEEP,
      maxlength: KEEP,
      minlength: KEEP,
      viewBox: KEEP,
      preserveAspectRatio: KEEP,
      value: ASTERISKS,
      placeholder: ASTERISKS,
      title: ASTERISKS,
      alt: ASTERISKS,
      label: ASTERISKS,
      "aria-label": ASTERISKS,
      "aria-description": ASTERISKS,
      "aria-placeholder": ASTERISKS,
      "aria-valuetext": ASTERISKS
    })
  );

  // packages/dom/src/names.ts
  var NAME_START = ":A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}";
  var NAME_CHAR = NAME_START + "\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040";
  var XML_NAME = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`, "u");
  var NCNAME_START = NAME_START.slice(1);
  var NCNAME_CHAR = NAME_CHAR.slice(1);
  var QNAME = new RegExp(
    `^(?:[${NCNAME_START}][${NCNAME_CHAR}]*:)?[${NCNAME_START}][${NCNAME_CHAR}]*$`,
    "u"
  );

  // packages/dom/src/sanitize.ts
  var Rule = {
    Href: 1,
    Src: 2,
    Data: 3,
    Url: 4,
    Srcset: 5,
    Style: 6,
    Drop: 7,
    HttpEquiv: 8,
    CheckUrl: 9,
    Animation: 10,
    MetaContent: 11,
    FramePolicy: 12
  };
  var RULES = Object.freeze(
    Object.assign(/* @__PURE__ */ Object.create(null), {
      href: Rule.Href,
      src: Rule.Src,
      data: Rule.Data,
      "xlink:href": Rule.Url,
      action: Rule.Url,
      formaction: Rule.Url,
      poster: Rule.Url,
      background: Rule.Url,
      cite: Rule.Url,
      longdesc: Rule.Url,
      srcset: Rule.Srcset,
      imagesrcset: Rule.Srcset,
      style: Rule.Style,
      srcdoc: Rule.Drop,
      sandbox: Rule.FramePolicy,
      allow: Rule.FramePolicy,
      csp: Rule.FramePolicy,
      autofocus: Rule.Drop,
      "http-equiv": Rule.HttpEquiv,
      content: Rule.MetaContent,
      ping: Rule.CheckUrl,
      codebase: Rule.CheckUrl,
      classid: Rule.CheckUrl,
      archive: Rule.CheckUrl,
      profile: Rule.CheckUrl,
      manifest: Rule.CheckUrl,
      lowsrc: Rule.CheckUrl,
      dynsrc: Rule.CheckUrl,
      icon: Rule.CheckUrl,
      usemap: Rule.CheckUrl,
      "xml:base": Rule.CheckUrl,
      to: Rule.Animation,
      from: Rule.Animation,
      values: Rule.Animation,
      by: Rule.Animation
    })
  );

  // packages/dom/src/fonts.ts
  var MAX_FONT_FACE_BYTES = 2 * 1024 * 1024;
  var MAX_FONT_SOURCE_CHARS = 64 * 1024;
  var MAX_FONT_CHARS = 8 * 1024 * 1024;

  // packages/dom/src/media.ts
  var MAX_CANVAS_PIXELS = 4096 * 4096;

  // packages/dom/src/prototype-watch.ts
  var call = Function.prototype.call;
  var bind = Function.prototype.bind;

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
    const call2 = (cb, args) => {
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
        call2(cb, args);
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
        for (const l of current) call2(l.cb, args);
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
