"use strict";
(() => {
  // packages/sdk/src/chunk.ts
  var RECEIVE = "__gcbReceive";
  function handOver(value) {
    const script = document.currentScript;
    const receive = script?.[RECEIVE];
    if (typeof receive === "function") receive(value);
  }

  // packages/dom/src/capture-mirror.ts
  var DOCUMENT_ID = 1;
  var CHUNK_BITS = 10;
  var CHUNK = 1 << CHUNK_BITS;

  // packages/sdk/src/submission.ts
  var METHODS = ["submit", "requestSubmit"];
  function createSubmissionGuard(win, report = () => {
  }) {
    const w = win;
    let depth = 0;
    const proto = w.HTMLFormElement?.prototype;
    const onSubmit = (ev) => {
      if (depth === 0) return;
      ev.preventDefault();
      ev.stopImmediatePropagation();
    };
    win.addEventListener("submit", onSubmit, { capture: true });
    const noop = function() {
    };
    const disarmMethods = () => {
      if (!proto) return () => {
      };
      const saved = [];
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
            else delete proto[name];
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
        win.removeEventListener("submit", onSubmit, { capture: true });
      }
    };
  }

  // packages/sdk/src/input.ts
  var TEXT_TYPES = /* @__PURE__ */ new Set(["text", "search", "email", "url", "tel", "password", "number", ""]);
  var FOCUSABLE = 'a[href], area[href], button, input, select, textarea, iframe, summary, [tabindex], [contenteditable]:not([contenteditable="false"])';
  function createInputPerformer(opts) {
    const { ctx } = opts;
    const doc = ctx.doc;
    const win = doc.defaultView;
    const guard = opts.guard ?? (win ? createSubmissionGuard(win, opts.report) : null);
    const frameGuards = /* @__PURE__ */ new WeakMap();
    const guardOf = (w) => {
      let g = frameGuards.get(w);
      if (g === void 0) {
        try {
          g = createSubmissionGuard(w, opts.report);
        } catch {
          return null;
        }
        frameGuards.set(w, g);
      }
      return g;
    };
    const realmOf = (node) => {
      const d = node.nodeType === 9 ? node : node.ownerDocument;
      return d?.defaultView ?? win;
    };
    const setter = (proto, prop) => proto ? Object.getOwnPropertyDescriptor(proto, prop)?.set : void 0;
    const inputValue = setter(win?.HTMLInputElement?.prototype, "value");
    const textareaValue = setter(win?.HTMLTextAreaElement?.prototype, "value");
    const selectValue = setter(win?.HTMLSelectElement?.prototype, "value");
    const isA = (el, name) => el.localName === name && el.namespaceURI === "http://www.w3.org/1999/xhtml";
    const isTextField = (el) => isA(el, "textarea") || isA(el, "input") && TEXT_TYPES.has(el.type);
    const writable = (el) => !el.disabled && !el.readOnly;
    const element = (id) => {
      const node = ctx.mirror.getNode(id);
      if (!node || node.nodeType !== 1 || !node.isConnected) return null;
      const el = node;
      if (ctx.isService(el)) return null;
      return el;
    };
    const restricted = (el) => {
      try {
        return ctx.restrictions.isRestricted(el);
      } catch {
        return true;
      }
    };
    const clickRestricted = (el) => {
      if (restricted(el)) return true;
      const label = el.closest("label");
      const control = label?.control ?? null;
      return control !== null && restricted(control);
    };
    const setValue = (el, value) => {
      const set = isA(el, "input") ? inputValue : isA(el, "textarea") ? textareaValue : isA(el, "select") ? selectValue : void 0;
      if (set) set.call(el, value);
      else el.value = value;
    };
    const fire = (el, ev) => el.dispatchEvent(ev);
    const inputEvent = (el, inputType, data) => {
      const Ctor = realmOf(el)?.InputEvent;
      const init = { bubbles: true, cancelable: false, composed: true, inputType, data };
      fire(el, Ctor ? new Ctor("input", init) : new Event("input", { bubbles: true, composed: true }));
    };
    const changeEvent = (el) => fire(el, new Event("change", { bubbles: true }));
    const selection = (el) => {
      let start = null;
      let end = null;
      try {
        start = el.selectionStart;
        end = el.selectionEnd;
      } catch {
      }
      const len = el.value.length;
      if (start === null || end === null) return [len, len];
      return [Math.min(start, end), Math.max(start, end)];
    };
    const setCaret = (el, at) => {
      try {
        el.setSelectionRange(at, at);
      } catch {
      }
    };
    const replaceText = (el, from, to, text, inputType) => {
      const v = el.value;
      if (isA(el, "input") && el.maxLength >= 0 && text) {
        const room = el.maxLength - (v.length - (to - from));
        if (room <= 0) return;
        text = text.slice(0, room);
      }
      setValue(el, v.slice(0, from) + text + v.slice(to));
      setCaret(el, from + text.length);
      inputEvent(el, inputType, text || null);
    };
    const editable = (el) => el.isContentEditable === true;
    const insertInEditable = (el, text) => {
      const owner = el.ownerDocument;
      try {
        if (typeof owner.execCommand === "function" && owner.execCommand("insertText", false, text)) return;
      } catch {
      }
      const sel = realmOf(el)?.getSelection();
      const range = sel && sel.rangeCount > 0 && el.contains(sel.anchorNode) ? sel.getRangeAt(0) : null;
      const textNode = owner.createTextNode(text);
      if (range) {
        range.deleteContents();
        range.insertNode(textNode);
        range.setStartAfter(textNode);
        range.collapse(true);
      } else el.appendChild(textNode);
      inputEvent(el, "insertText", text);
    };
    const tabOrder = (within) => {
      const all = Array.from(within.querySelectorAll(FOCUSABLE)).filter((el) => {
        if (ctx.isService(el) || el.disabled || el.tabIndex < 0) return false;
        if (isA(el, "input") && el.type === "hidden") return false;
        if (el.closest("[hidden], [inert]")) return false;
        return true;
      });
      const positive = all.filter((el) => el.tabIndex > 0).sort((a, b) => a.tabIndex - b.tabIndex);
      return [...positive, ...all.filter((el) => el.tabIndex === 0)];
    };
    const moveFocus = (from, back) => {
      const order = tabOrder(from.ownerDocument);
      const n = order.length;
      if (n === 0) return;
      const i = order.indexOf(from);
      const step = back ? -1 : 1;
      let at = i < 0 ? back ? n - 1 : 0 : (i + step + n) % n;
      for (let tries = 0; tries < n; tries++, at = (at + step + n) % n) {
        const next = order[at];
        if (next && next !== from && !restricted(next)) {
          next.focus();
          return;
        }
      }
    };
    const keyEvent = (el, type, key2, code, m) => {
      const Ctor = realmOf(el)?.KeyboardEvent ?? KeyboardEvent;
      return fire(
        el,
        new Ctor(type, {
          key: key2,
          code,
          shiftKey: m.shift,
          ctrlKey: m.ctrl,
          altKey: m.alt,
          metaKey: m.meta,
          bubbles: true,
          cancelable: true,
          composed: true
        })
      );
    };
    const keyAction = (el, key2, m) => {
      const printable = [...key2].length === 1 && !m.ctrl && !m.meta && !m.alt;
      if (key2 === "Tab") {
        moveFocus(el, m.shift);
        return;
      }
      if (isTextField(el)) {
        if (!writable(el)) {
          return;
        }
        const [from, to] = selection(el);
        if (printable) replaceText(el, from, to, key2, "insertText");
        else if (key2 === "Enter" && isA(el, "textarea")) replaceText(el, from, to, "\n", "insertLineBreak");
        else if (key2 === "Backspace") {
          if (from !== to) replaceText(el, from, to, "", "deleteContentBackward");
          else if (from > 0) replaceText(el, from - 1, from, "", "deleteContentBackward");
        } else if (key2 === "Delete") {
          if (from !== to) replaceText(el, from, to, "", "deleteContentForward");
          else if (to < el.value.length) replaceText(el, from, from + 1, "", "deleteContentForward");
        } else if (key2 === "ArrowLeft") setCaret(el, from === to ? Math.max(0, from - 1) : from);
        else if (key2 === "ArrowRight") setCaret(el, from === to ? Math.min(el.value.length, to + 1) : to);
        else if (key2 === "Home" || key2 === "ArrowUp" && isA(el, "input")) setCaret(el, 0);
        else if (key2 === "End" || key2 === "ArrowDown" && isA(el, "input")) setCaret(el, el.value.length);
        return;
      }
      if (editable(el)) {
        if (printable) insertInEditable(el, key2);
        else if (key2 === "Enter") insertInEditable(el, "\n");
        else if (key2 === "Backspace" || key2 === "Delete") {
          try {
            el.ownerDocument.execCommand(key2 === "Backspace" ? "delete" : "forwardDelete");
          } catch {
          }
        }
        return;
      }
      const tag = el.localName;
      if (key2 === "Enter" && (tag === "a" || tag === "button" || tag === "summary")) el.click();
      else if (key2 === " " && (tag === "button" || isA(el, "input") && ["checkbox", "radio", "button", "submit", "reset"].includes(el.type))) {
        el.click();
      }
    };
    const key = (el, k, code, m) => {
      let go = keyEvent(el, "keydown", k, code, m);
      if (go && ([...k].length === 1 && !m.ctrl && !m.meta || k === "Enter")) go = keyEvent(el, "keypress", k, code, m);
      if (go && el.isConnected) keyAction(el, k, m);
      keyEvent(el, "keyup", k, code, m);
    };
    const pointerInit = (el, p) => {
      const w = realmOf(el);
      const x = p.x - (w?.scrollX ?? 0);
      const y = p.y - (w?.scrollY ?? 0);
      return { bubbles: true, cancelable: true, composed: true, clientX: x, clientY: y, screenX: x, screenY: y, button: 0 };
    };
    const click = (el, p) => {
      const init = pointerInit(el, p);
      const realm = realmOf(el);
      const PointerCtor = realm?.PointerEvent;
      const MouseCtor = realm?.MouseEvent ?? MouseEvent;
      const pointer = (type, buttons) => {
        if (PointerCtor) fire(el, new PointerCtor(type, { ...init, pointerId: 1, pointerType: "mouse", isPrimary: true, buttons }));
      };
      pointer("pointerdown", 1);
      const down = fire(el, new MouseCtor("mousedown", { ...init, buttons: 1, detail: 1 }));
      if (down && el.isConnected) {
        const target = el.closest(FOCUSABLE);
        if (target && !target.disabled) target.focus();
      }
      pointer("pointerup", 0);
      fire(el, new MouseCtor("mouseup", { ...init, buttons: 0, detail: 1 }));
      if (el.isConnected) fire(el, new MouseCtor("click", { ...init, buttons: 0, detail: 1 }));
    };
    const isTab = (k, m) => k === "Tab" && !m.ctrl && !m.alt && !m.meta;
    const performChecked = (input) => {
      if (input.kind === "scroll" && input.target === DOCUMENT_ID) {
        win?.scrollTo({ left: input.point.x, top: input.point.y, behavior: "instant" });
        return true;
      }
      if (input.kind === "scroll") {
        const node = ctx.mirror.getNode(input.target);
        if (node !== void 0 && node.nodeType === 9 && node !== doc) {
          const frameWin = node.defaultView;
          const host = frameWin?.frameElement ?? null;
          if (!frameWin || host === null || restricted(host)) return false;
          frameWin.scrollTo({ left: input.point.x, top: input.point.y, behavior: "instant" });
          return true;
        }
      }
      const el = element(input.target);
      if (!el) return false;
      if (input.kind === "key" && isTab(input.key, input.modifiers) && restricted(el)) {
        moveFocus(el, input.modifiers.shift);
        return true;
      }
      if (input.kind === "click" ? clickRestricted(el) : restricted(el)) return false;
      switch (input.kind) {
        case "click":
          click(el, input.point);
          return true;
        case "key":
          key(el, input.key, input.code, input.modifiers);
          return true;
        case "setValue":
          if (!(isA(el, "input") || isA(el, "textarea") || isA(el, "select")) || !writable(el)) return false;
          setValue(el, input.value);
          inputEvent(el, "insertReplacementText", input.value);
          changeEvent(el);
          return true;
        case "setChecked": {
          if (!isA(el, "input") || el.type !== "checkbox" && el.type !== "radio" || el.disabled) return false;
          if (el.checked !== input.checked) el.click();
          return true;
        }
        case "focus":
          el.focus?.();
          return true;
        case "scroll":
          el.scrollTo?.({ left: input.point.x, top: input.point.y, behavior: "instant" });
          if (!el.scrollTo) {
            el.scrollLeft = input.point.x;
            el.scrollTop = input.point.y;
          }
          return true;
        default: {
          const never = input;
          return never;
        }
      }
    };
    return {
      perform(input) {
        if (!opts.writeMode()) return false;
        const node = ctx.mirror.getNode(input.target);
        const realm = node !== void 0 ? realmOf(node) : null;
        const inner = realm && realm !== win ? guardOf(realm) : null;
        const run = inner ? () => inner.during(() => performChecked(input)) : () => performChecked(input);
        return guard ? guard.during(run) : run();
      }
    };
  }

  // packages/sdk/src/navigation.ts
  var FORWARD_WATCH_MS = 1e3;
  function createNavigator(opts) {
    const { win } = opts;
    const timers = /* @__PURE__ */ new Set();
    let stopped = false;
    const later = (ms, fn) => {
      const t = setTimeout(() => {
        timers.delete(t);
        if (stopped) return;
        try {
          fn();
        } catch (err) {
          opts.report("navigation failed", err);
        }
      }, ms);
      timers.add(t);
    };
    const navApi = () => {
      const n = win.navigation;
      return n && typeof n === "object" && typeof n.canGoBack === "boolean" ? n : null;
    };
    const httpUrl = (url) => {
      if (!url) return null;
      try {
        const u = new URL(url);
        return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
      } catch {
        return null;
      }
    };
    const perform = (command, url) => {
      switch (command) {
        case "refresh":
          win.location.reload();
          return;
        case "url": {
          const target = httpUrl(url);
          if (!target) {
            opts.failed(command, "the URL is not an http or https URL");
            return;
          }
          win.location.assign(target);
          return;
        }
        case "back": {
          const n = navApi();
          if (n ? !n.canGoBack : win.history.length <= 1) {
            opts.failed(command, "there is no page to go back to");
            return;
          }
          win.history.back();
          return;
        }
        case "forward": {
          const n = navApi();
          if (n) {
            if (!n.canGoForward) {
              opts.failed(command, "there is no page to go forward to");
              return;
            }
            win.history.forward();
            return;
          }
          let left = false;
          const onHide = () => {
            left = true;
          };
          win.addEventListener("pagehide", onHide);
          win.history.forward();
          later(FORWARD_WATCH_MS, () => {
            win.removeEventListener("pagehide", onHide);
            if (!left) opts.failed(command, "there is no page to go forward to");
          });
          return;
        }
        default: {
          const never = command;
          return never;
        }
      }
    };
    return {
      navigate(command, url) {
        if (stopped) return;
        const target = command === "url" ? httpUrl(url) ?? url ?? void 0 : void 0;
        opts.announced(command, target);
        later(Math.max(0, opts.delay), () => {
          if (!opts.allowed()) return;
          perform(command, command === "url" ? url : null);
        });
      },
      stop() {
        stopped = true;
        for (const t of timers) clearTimeout(t);
        timers.clear();
      }
    };
  }

  // packages/sdk/src/chunks/write.ts
  var chunk = { createInputPerformer, createNavigator };
  handOver(chunk);
})();
