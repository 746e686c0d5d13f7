"use strict";
(() => {
  // packages/sdk/src/chunk.ts
  var RECEIVE = "__gcbReceive";
  function handOver(value) {
    const script = document.currentScript;
    const receive = script?.[RECEIVE];
    if (typeof receive === "function") receive(value);
  }

  // packages/dom/src/restriction.ts
  var NONE = 0;
  var CONTROL = 1;
  var MASK = 2;
  var DEFAULT_MASK_SELECTOR = 'input[type="password" i]';
  var DEFAULT_CONTROL_SELECTOR = 'input[type="submit" i], input[type="image" i], button[type="submit" i]';
  var TYPELESS_BUTTON_SELECTOR = 'button:not([type="submit" i]):not([type="button" i]):not([type="reset" i])';
  var TYPELESS_BUTTON_DESCRIPTION = "form button:not([type])";
  var FAIL_CLOSED_SELECTOR = "body";
  var HTML_NS = "http://www.w3.org/1999/xhtml";
  function isDefaultSubmit(el) {
    if (el.localName !== "button" || el.namespaceURI !== HTML_NS) return false;
    const b = el;
    try {
      return b.type === "submit" && b.form !== null;
    } catch {
      return true;
    }
  }
  function isSelfContained(sel) {
    const len = sel.length;
    const open = [];
    for (let i = 0; i < len; i++) {
      const c = sel.charCodeAt(i);
      switch (c) {
        case 92:
          if (i + 1 >= len) return false;
          i++;
          break;
        case 34:
        // "
        case 39: {
          let j = i + 1;
          for (; j < len; j++) {
            const d = sel.charCodeAt(j);
            if (d === 92) j++;
            else if (d === c) break;
          }
          if (j >= len) return false;
          i = j;
          break;
        }
        case 47:
          if (sel.charCodeAt(i + 1) === 42) {
            const end = sel.indexOf("*/", i + 2);
            if (end < 0) return false;
            i = end + 1;
          }
          break;
        case 40:
          open.push(41);
          break;
        case 91:
          open.push(93);
          break;
        case 41:
        case 93:
          if (open.pop() !== c) return false;
          break;
      }
    }
    return open.length === 0;
  }
  var NOT_LOCAL = { local: false, combinators: true, attributes: null };
  function selectorShape(sel) {
    const attributes = /* @__PURE__ */ new Set();
    let combinators = false;
    const len = sel.length;
    let inCompound = false;
    let spaced = false;
    for (let i = 0; i < len; i++) {
      const c = sel.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 12 || c === 13) {
        if (inCompound) spaced = true;
        continue;
      }
      if (c === 44) {
        inCompound = false;
        spaced = false;
        continue;
      }
      if (c === 62) {
        combinators = true;
        inCompound = false;
        spaced = false;
        continue;
      }
      if (spaced) combinators = true;
      spaced = false;
      inCompound = true;
      if (c === 46) {
        attributes.add("class");
        continue;
      }
      if (c === 35) {
        attributes.add("id");
        continue;
      }
      if (c === 42 || c === 45 || c === 95 || c >= 48 && c <= 57 || c >= 65 && c <= 90 || c >= 97 && c <= 122 || c >= 128) continue;
      if (c === 91) {
        let j = i + 1;
        while (j < len && /\s/.test(sel[j])) j++;
        const start = j;
        while (j < len && /[A-Za-z0-9_\-\u0080-\uffff]/.test(sel[j])) j++;
        if (j === start) return NOT_LOCAL;
        attributes.add(sel.slice(start, j).toLowerCase());
        let quote = 0;
        for (; j < len; j++) {
          const d = sel.charCodeAt(j);
          if (quote !== 0) {
            if (d === 92) j++;
            else if (d === quote) quote = 0;
          } else if (d === 34 || d === 39) quote = d;
          else if (d === 93) break;
          else if (d === 124 && sel.charCodeAt(j + 1) !== 61) return NOT_LOCAL;
        }
        if (j >= len) return NOT_LOCAL;
        i = j;
        continue;
      }
      return NOT_LOCAL;
    }
    return { local: true, combinators, attributes };
  }
  function joinShapes(shapes) {
    let combinators = false;
    const attributes = /* @__PURE__ */ new Set();
    for (const s of shapes) {
      if (!s.local) return NOT_LOCAL;
      combinators || (combinators = s.combinators);
      if (s.attributes === null) return { local: true, combinators: true, attributes: null };
      for (const a of s.attributes) attributes.add(a);
    }
    return { local: true, combinators, attributes };
  }
  var DEFAULT_SHAPE = { local: true, combinators: false, attributes: /* @__PURE__ */ new Set(["type", "form"]) };
  function hostDocument(doc) {
    try {
      const host = doc.defaultView?.frameElement;
      return host ? host.ownerDocument : null;
    } catch {
      return null;
    }
  }
  function documentUrl(doc) {
    let cur = doc;
    for (let hops = 0; cur !== null && hops < 32; hops++) {
      const url = cur.URL;
      if (!url.startsWith("about:")) return url;
      cur = hostDocument(cur);
    }
    return doc.URL;
  }
  function upOf(el) {
    const parent = el.parentElement;
    if (parent !== null) return parent;
    try {
      const node = el.parentNode;
      if (node !== null && node.nodeType === 11) return node.host ?? null;
      const doc = el.ownerDocument;
      if (doc.documentElement !== el) return null;
      return doc.defaultView?.frameElement ?? null;
    } catch {
      return null;
    }
  }
  function createRestrictions(doc, report = () => {
  }) {
    let compiled = [];
    let version = 0;
    let cache = /* @__PURE__ */ new Map();
    const validSelector = (sel) => {
      if (sel.trim() === "" || !isSelfContained(sel)) return false;
      try {
        doc.createDocumentFragment().querySelector(sel);
        return true;
      } catch {
        return false;
      }
    };
    const applies = (c, url) => {
      if (c.pattern === null) return true;
      try {
        c.pattern.lastIndex = 0;
        return c.pattern.test(url);
      } catch {
        return true;
      }
    };
    const lists = (url) => {
      const known = cache.get(url);
      if (known !== void 0) return known;
      let mask = DEFAULT_MASK_SELECTOR;
      let controlRules = DEFAULT_CONTROL_SELECTOR;
      const shapes = [DEFAULT_SHAPE];
      for (const c of compiled) {
        if (c.selector === null || !applies(c, url)) continue;
        if (c.kind === "mask") mask += ",\n" + c.selector;
        else controlRules += ",\n" + c.selector;
        shapes.push(c.shape);
      }
      const control = controlRules + ",\n" + TYPELESS_BUTTON_SELECTOR;
      const made = {
        mask,
        control,
        controlRules,
        all: mask + ",\n" + controlRules,
        any: mask + ",\n" + control,
        shape: joinShapes(shapes)
      };
      if (cache.size >= 64) cache.clear();
      cache.set(url, made);
      return made;
    };
    const safeAll = (d, sel) => {
      try {
        return d.querySelectorAll(sel);
      } catch (err) {
        report("a restriction selector failed", err);
        return [];
      }
    };
    const safeMatches = (el, sel) => {
      try {
        return el.matches(sel);
      } catch {
        return true;
      }
    };
    const elementOf = (node) => {
      if (node === null || node === void 0 || typeof node !== "object") return null;
      return node.nodeType === 1 ? node : node.parentElement;
    };
    const compile = (raw) => {
      if (typeof raw !== "object" || raw === null) return null;
      const rule = raw;
      const id = typeof rule.id === "number" ? rule.id : 0;
      let kind = "mask";
      if (rule.kind === "control") kind = "control";
      else if (rule.kind !== "mask") report(`restriction ${id}: unknown kind, applied as a mask`);
      let pattern = null;
      if (typeof rule.urlPattern === "string" && rule.urlPattern !== "") {
        try {
          pattern = new RegExp(rule.urlPattern);
        } catch (err) {
          report(`restriction ${id}: invalid URL pattern, applied to every page`, err);
        }
      }
      const source = typeof rule.selector === "string" ? rule.selector : "";
      let selector = source;
      if (!validSelector(source)) {
        report(`restriction ${id}: invalid selector` + (kind === "mask" ? ", body masked" : ", ignored"));
        selector = kind === "mask" ? FAIL_CLOSED_SELECTOR : null;
      }
      return { id, kind, source, pattern, selector, shape: selector === null ? DEFAULT_SHAPE : selectorShape(selector) };
    };
    const isControl = (el, l) => (
      // A button found as a type-less candidate counts only when it submits a form or when a
      // control rule matches it by itself.
      !(el.localName === "button" && !isDefaultSubmit(el) && !safeMatches(el, l.controlRules))
    );
    const matchDocs = (docs) => {
      const mask = /* @__PURE__ */ new Set();
      const control = /* @__PURE__ */ new Set();
      for (const d of docs) {
        const l = lists(documentUrl(d.nodeType === 9 ? d : d.ownerDocument));
        const found = safeAll(d, l.mask);
        for (let k = 0; k < found.length; k++) mask.add(found[k]);
        const candidates = safeAll(d, l.control);
        for (let k = 0; k < candidates.length; k++) {
          const el = candidates[k];
          if (mask.has(el)) continue;
          if (isControl(el, l)) control.add(el);
        }
      }
      return { mask, control };
    };
    let scopedQueryWorks = null;
    const probeScopedQuery = () => {
      try {
        const outer = doc.createElement("section");
        outer.className = "a";
        const mid = outer.appendChild(doc.createElement("p"));
        mid.appendChild(doc.createElement("i")).className = "c";
        return mid.querySelectorAll('[x="y" i],\n.a .c').length === 1;
      } catch {
        return false;
      }
    };
    const listsFor = (d) => lists(documentUrl(d));
    const matchSubtree = (root, mask, control, self, extra, found) => {
      const l = listsFor(root.ownerDocument);
      let sel = l.any;
      if (extra !== null) {
        if (l.anyWith?.extra !== extra) l.anyWith = { extra, sel: l.any + ",\n" + extra };
        sel = l.anyWith.sel;
      }
      const judge = (el) => {
        if (safeMatches(el, l.mask)) {
          mask.add(el);
          control.delete(el);
        } else if (safeMatches(el, l.control) && isControl(el, l)) {
          if (!mask.has(el)) control.add(el);
        }
        if (found !== null && extra !== null && safeMatches(el, extra)) found(el);
      };
      if (safeMatches(root, sel)) judge(root);
      if (self) return;
      let all;
      try {
        if (scopedQueryWorks === null) scopedQueryWorks = probeScopedQuery();
        if (scopedQueryWorks) all = root.querySelectorAll(sel);
        else {
          const every = root.getElementsByTagName("*");
          const out = [];
          for (let k = 0; k < every.length; k++) if (safeMatches(every[k], sel)) out.push(every[k]);
          all = out;
        }
      } catch (err) {
        report("a restriction selector failed", err);
        mask.add(root);
        return;
      }
      for (let k = 0; k < all.length; k++) judge(all[k]);
    };
    let lastDoc = null;
    let lastLists = null;
    const listsOf = (el) => {
      const d = el.ownerDocument;
      if (d !== lastDoc || lastLists === null) {
        lastDoc = d;
        lastLists = lists(documentUrl(d));
      }
      return lastLists;
    };
    const isRestricted = (el) => {
      lastLists = null;
      for (let cur = elementOf(el); cur !== null; cur = upOf(cur)) {
        if (safeMatches(cur, listsOf(cur).all) || isDefaultSubmit(cur)) return true;
      }
      return false;
    };
    const isMasked = (el) => {
      lastLists = null;
      for (let cur = elementOf(el); cur !== null; cur = upOf(cur)) {
        if (safeMatches(cur, listsOf(cur).mask)) return true;
      }
      return false;
    };
    const engine = {
      setRules(rules) {
        version += 1;
        cache = /* @__PURE__ */ new Map();
        const next = [];
        if (Array.isArray(rules)) {
          for (const raw of rules) {
            const c = compile(raw);
            if (c !== null) next.push(c);
          }
        } else {
          report("restrictions: the rules are not a list; only the defaults apply");
        }
        compiled = next;
      },
      get version() {
        return version;
      },
      applicable(url) {
        const out = [
          { id: -1, kind: "mask", selector: DEFAULT_MASK_SELECTOR, builtIn: true },
          { id: -2, kind: "control", selector: DEFAULT_CONTROL_SELECTOR + ", " + TYPELESS_BUTTON_DESCRIPTION, builtIn: true }
        ];
        for (const c of compiled) {
          if (applies(c, url)) out.push({ id: c.id, kind: c.kind, selector: c.source, builtIn: false });
        }
        return out;
      },
      match: () => matchDocs([doc]),
      matchAll: (docs) => matchDocs(docs),
      forDocument: (d) => view(d),
      markOf(el, m) {
        return m.mask.has(el) ? MASK : m.control.has(el) ? CONTROL : NONE;
      },
      shapeOf: (d) => listsFor(d).shape,
      matchSubtree,
      isRestricted,
      isMasked
    };
    const view = (d) => d === doc ? engine : Object.assign(Object.create(engine), { match: () => matchDocs([d]) });
    return engine;
  }

  // packages/sdk/src/ui/dom.ts
  function element(doc, tag, cls, text) {
    const e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== void 0) e.textContent = text;
    return e;
  }
  function serviceHost(doc, cls, css) {
    const host = element(doc, "div", cls);
    host.setAttribute("data-gcb-service-node", "true");
    const root = host.attachShadow({ mode: "open" });
    root.append(element(doc, "style", "", css));
    return { host, root };
  }

  // packages/sdk/src/ui/inspect-overlay.ts
  var MAX_OUTLINES = 300;
  var MAX_MEASURED = 3e3;
  var STYLE = `
:host { all: initial; }
.outline { position: fixed; left: 0; top: 0; box-sizing: border-box; pointer-events: none; z-index: 2147483644;
  border: 2px solid var(--c); border-radius: 3px; box-shadow: 0 0 0 1px rgba(255,255,255,.85); }
.outline.mask { --c: #7048e8; }
.outline.control { --c: #2b8a3e; }
.tag { position: absolute; left: -2px; bottom: 100%; margin-bottom: 2px; max-width: 320px; padding: 1px 6px;
  border-radius: 3px; background: var(--c); color: #fff; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
  font: 600 11px/16px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.outline.below .tag { bottom: auto; top: 100%; margin: 2px 0 0; }
.panel { position: fixed; top: 12px; right: 12px; z-index: 2147483647; width: min(420px, calc(100vw - 24px));
  max-height: calc(100vh - 24px); overflow: auto; box-sizing: border-box; padding: 12px 14px; border-radius: 8px;
  background: #fff; color: #1f2933; box-shadow: 0 6px 24px rgba(0,0,0,.28);
  font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.panel:focus { outline: none; }
.panel:focus-visible { outline: 2px solid #1971c2; outline-offset: 2px; }
.head { display: flex; align-items: center; gap: 8px; margin-bottom: 8px; }
h2 { flex: 1; margin: 0; font-size: 15px; font-weight: 600; }
button.close { all: unset; cursor: pointer; width: 28px; height: 28px; border-radius: 6px; display: grid;
  place-items: center; font-size: 16px; color: #1f2933; }
button.close:hover { background: #f1f3f5; }
button.close:focus-visible { outline: 2px solid #1971c2; outline-offset: 1px; }
.msg { margin: 4px 0; }
.msg.error { color: #c92a2a; font-weight: 600; }
ul { list-style: none; margin: 0; padding: 0; }
li { padding: 6px 0; border-top: 1px solid #e9ecef; }
.line { display: flex; align-items: baseline; gap: 6px; flex-wrap: wrap; }
.kind { padding: 0 6px; border-radius: 3px; color: #fff; font-size: 11px; font-weight: 600; white-space: nowrap; }
.kind.mask { background: #7048e8; }
.kind.control { background: #2b8a3e; }
.name { font-weight: 600; }
.group { color: #495057; }
.count { margin-left: auto; color: #495057; white-space: nowrap; }
code { display: block; margin-top: 2px; color: #364fc7; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace;
  overflow-wrap: anywhere; }
.pattern { color: #495057; font-size: 12px; overflow-wrap: anywhere; }
details { margin-top: 10px; }
summary { cursor: pointer; color: #495057; }
summary:focus-visible { outline: 2px solid #1971c2; outline-offset: 2px; }
@media (forced-colors: active) {
  .outline { border-color: Highlight; box-shadow: none; }
  .tag, .kind { background: Canvas; color: CanvasText; border: 1px solid Highlight; }
}
[hidden] { display: none !important; }
`;
  var KIND_TEXT = { mask: "Masked", control: "DOM control" };
  function countText(n) {
    if (n === null) return "invalid selector";
    return n === 1 ? "1 element" : `${n} elements`;
  }
  function createInspectOverlay(win, texts, onClose) {
    const doc = win.document;
    const el = (tag, cls, text) => element(doc, tag, cls, text);
    const { host, root } = serviceHost(doc, "gcb-inspect", STYLE);
    const outlinesBox = el("div");
    outlinesBox.setAttribute("aria-hidden", "true");
    const panel = el("section", "panel");
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "false");
    panel.setAttribute("aria-labelledby", "gcb-inspect-title");
    panel.setAttribute("data-gcb-inspect-panel", "");
    panel.tabIndex = -1;
    const head = el("div", "head");
    const title = el("h2", void 0, texts.title);
    title.id = "gcb-inspect-title";
    const close = el("button", "close", "✕");
    close.type = "button";
    close.setAttribute("aria-label", texts.close);
    close.title = texts.close;
    close.addEventListener("click", () => onClose());
    head.append(title, close);
    const msg = el("p", "msg");
    msg.hidden = true;
    const list = el("ul");
    list.setAttribute("data-gcb-inspect-applicable", "");
    const details = el("details");
    details.hidden = true;
    const summary = el("summary");
    const otherList = el("ul");
    otherList.setAttribute("data-gcb-inspect-other", "");
    details.append(summary, otherList);
    panel.append(head, msg, list, details);
    panel.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") {
        ev.stopPropagation();
        onClose();
      }
    });
    root.append(outlinesBox, panel);
    doc.documentElement.appendChild(host);
    try {
      panel.focus({ preventScroll: true });
    } catch {
    }
    const pool = [];
    let shown = "";
    const item = (v, withCount) => {
      const li = el("li");
      li.setAttribute("data-rule-id", String(v.id));
      const line = el("div", "line");
      line.append(el("span", `kind ${v.kind}`, KIND_TEXT[v.kind]));
      if (v.description.trim()) line.append(el("span", "name", v.description));
      line.append(el("span", "group", v.group));
      if (withCount) {
        const c = el("span", "count", countText(v.count));
        c.setAttribute("data-count", v.count === null ? "" : String(v.count));
        line.append(c);
      }
      li.append(line, el("code", void 0, v.selector));
      if (v.urlPattern) li.append(el("div", "pattern", `URL pattern: ${v.urlPattern}`));
      return li;
    };
    return {
      message(text, error) {
        msg.hidden = text === null;
        msg.textContent = text ?? "";
        msg.className = error ? "msg error" : "msg";
        if (error) msg.setAttribute("role", "alert");
        else msg.removeAttribute("role");
      },
      rules(model) {
        const sig = JSON.stringify([model.applicable.map((v) => [v.id, v.count]), model.other.map((v) => v.id)]);
        if (sig === shown) return;
        shown = sig;
        list.replaceChildren(...model.applicable.map((v) => item(v, true)));
        otherList.replaceChildren(...model.other.map((v) => item(v, false)));
        summary.textContent = `Rules that do not apply to this page (${model.other.length})`;
        details.hidden = model.other.length === 0;
      },
      layout(outlines) {
        const vw = win.innerWidth;
        const vh = win.innerHeight;
        const placed = [];
        const n = Math.min(outlines.length, MAX_MEASURED);
        for (let i = 0; i < n && placed.length < MAX_OUTLINES; i++) {
          const o = outlines[i];
          if (!o.el.isConnected) continue;
          const r = o.el.getBoundingClientRect();
          if (r.width <= 0 && r.height <= 0) continue;
          if (r.bottom < 0 || r.right < 0 || r.top > vh || r.left > vw) continue;
          placed.push({ o, r });
        }
        placed.forEach(({ o, r }, i) => {
          let box = pool[i];
          if (!box) {
            box = el("div");
            box.setAttribute("data-gcb-inspect-outline", "");
            box.append(el("span", "tag"));
            outlinesBox.append(box);
            pool[i] = box;
          }
          box.className = `outline ${o.kind}${r.top < 22 ? " below" : ""}`;
          box.setAttribute("data-kind", o.kind);
          const tag = box.firstChild;
          const name = o.names.join(", ");
          if (tag.textContent !== name) tag.textContent = name;
          box.style.transform = `translate(${Math.round(r.left) - 2}px, ${Math.round(r.top) - 2}px)`;
          box.style.width = `${Math.round(r.width) + 4}px`;
          box.style.height = `${Math.round(r.height) + 4}px`;
          box.hidden = false;
        });
        for (let i = placed.length; i < pool.length; i++) {
          const box = pool[i];
          if (box) box.hidden = true;
        }
      },
      destroy() {
        host.remove();
        pool.length = 0;
      }
    };
  }

  // packages/sdk/src/inspect.ts
  var TICKET_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;
  var FALLBACK_MS = 200;
  var INSPECT_TEXT = {
    title: "DOM restrictions on this page",
    loading: "Loading restrictions…",
    invalid: "This inspect link is invalid or has expired",
    unreachable: "Could not reach the co-browse server to load the restrictions",
    close: "Close",
    builtInGroup: "Built-in",
    builtInMask: "Password fields",
    builtInControl: "Submit buttons"
  };
  function readInspectRules(body) {
    const list = body?.restrictions;
    if (!Array.isArray(list)) return null;
    const out = [];
    for (const r of list) {
      const x = r;
      if (!x || typeof x["selector"] !== "string" || x["kind"] !== "mask" && x["kind"] !== "control") continue;
      if (x["enabled"] === false) continue;
      out.push({
        ...x,
        description: typeof x["description"] === "string" ? x["description"] : "",
        group: typeof x["group"] === "string" ? x["group"] : "",
        urlPattern: typeof x["urlPattern"] === "string" && x["urlPattern"] !== "" ? x["urlPattern"] : null
      });
    }
    return out;
  }
  function startInspect(opts, ticket) {
    const { win, report } = opts;
    const doc = win.document;
    const overlay = createInspectOverlay(win, INSPECT_TEXT, () => mode.stop());
    overlay.message(INSPECT_TEXT.loading, false);
    let rules = [];
    const engine = createRestrictions(doc, report);
    let stopped = false;
    let observer = null;
    let frame = 0;
    let timer = 0;
    let modelDirty = true;
    let model = null;
    const inService = (el) => {
      for (let cur = el; cur !== null; cur = cur.parentElement) if (opts.isService(cur)) return true;
      return false;
    };
    const safeAll = (selector) => {
      try {
        return Array.from(doc.querySelectorAll(selector)).filter((el) => !inService(el));
      } catch {
        return null;
      }
    };
    const computeModel = () => {
      const byId = new Map(rules.map((r) => [Number(r.id), r]));
      const applied = engine.applicable(doc.URL);
      const views = applied.map((a) => {
        const rule = byId.get(a.id);
        return {
          id: a.id,
          kind: a.kind,
          selector: a.selector,
          description: a.builtIn ? a.kind === "mask" ? INSPECT_TEXT.builtInMask : INSPECT_TEXT.builtInControl : rule?.description ?? "",
          group: a.builtIn ? INSPECT_TEXT.builtInGroup : rule?.group ?? "",
          urlPattern: rule?.urlPattern ?? null,
          builtIn: a.builtIn,
          count: safeAll(a.selector)?.length ?? null
        };
      });
      const appliedIds = new Set(applied.map((a) => a.id));
      const other = rules.filter((r) => !appliedIds.has(Number(r.id))).map((r) => ({
        id: Number(r.id),
        kind: r.kind,
        selector: r.selector,
        description: r.description,
        group: r.group,
        urlPattern: r.urlPattern,
        builtIn: false,
        count: null
      }));
      const m = engine.match();
      const outlines = [];
      const outline = (el, kind) => {
        if (inService(el)) return;
        const names = [];
        for (const v of views) {
          try {
            if (el.matches(v.selector)) names.push(ruleName(v));
          } catch {
          }
        }
        if (names.length === 0) names.push(ruleName(views.find((v) => v.builtIn && v.kind === kind) ?? views[0]));
        outlines.push({ el, kind, names });
      };
      for (const el of m.mask) outline(el, "mask");
      for (const el of m.control) outline(el, "control");
      outlines.sort((a, b) => a.el === b.el ? 0 : a.el.compareDocumentPosition(b.el) & 4 ? -1 : 1);
      return { applicable: views, other, outlines };
    };
    const render = () => {
      unschedule();
      if (stopped) return;
      try {
        if (modelDirty || !model) {
          modelDirty = false;
          model = computeModel();
          overlay.rules(model);
        }
        overlay.layout(model.outlines);
      } catch (err) {
        report("inspect mode could not evaluate the page", err);
      }
    };
    const schedule = (changedModel) => {
      if (changedModel) modelDirty = true;
      if (stopped || frame || timer) return;
      frame = win.requestAnimationFrame(render);
      timer = setTimeout(render, FALLBACK_MS);
    };
    function unschedule() {
      if (frame) win.cancelAnimationFrame(frame);
      if (timer) clearTimeout(timer);
      frame = 0;
      timer = 0;
    }
    const onMutation = () => schedule(true);
    const onLayout = () => schedule(false);
    const passive = { capture: true, passive: true };
    const watch = () => {
      observer = new (opts.MutationObserver ?? win.MutationObserver)(onMutation);
      observer.observe(doc, { childList: true, subtree: true, attributes: true });
      win.addEventListener("scroll", onLayout, passive);
      win.addEventListener("resize", onLayout, passive);
      win.addEventListener("load", onLayout, passive);
      win.addEventListener("hashchange", onMutation, passive);
      win.addEventListener("popstate", onMutation, passive);
      render();
    };
    const mode = {
      stop() {
        if (stopped) return;
        stopped = true;
        unschedule();
        observer?.disconnect();
        win.removeEventListener("scroll", onLayout, passive);
        win.removeEventListener("resize", onLayout, passive);
        win.removeEventListener("load", onLayout, passive);
        win.removeEventListener("hashchange", onMutation, passive);
        win.removeEventListener("popstate", onMutation, passive);
        overlay.destroy();
      }
    };
    const load = async () => {
      if (!TICKET_SHAPE.test(ticket) || !opts.serverUrl) {
        overlay.message(INSPECT_TEXT.invalid, true);
        return;
      }
      let res;
      try {
        res = await win.fetch(`${opts.serverUrl}rest/restrictions/inspect/${encodeURIComponent(ticket)}`, {
          method: "POST",
          mode: "cors",
          credentials: "omit"
        });
      } catch (err) {
        report("inspect mode could not reach the server", err);
        overlay.message(INSPECT_TEXT.unreachable, true);
        return;
      }
      if (stopped) return;
      if (!res.ok) {
        report(`the server refused the inspect ticket (HTTP ${res.status})`);
        overlay.message(res.status === 404 || res.status === 400 ? INSPECT_TEXT.invalid : `${INSPECT_TEXT.unreachable} (HTTP ${res.status})`, true);
        return;
      }
      const read = readInspectRules(await res.json().catch(() => null));
      if (stopped) return;
      if (!read) {
        overlay.message(INSPECT_TEXT.unreachable, true);
        return;
      }
      rules = read;
      engine.setRules(
        rules.map((r) => ({ id: Number(r.id), selector: r.selector, kind: r.kind, urlPattern: r.urlPattern }))
      );
      overlay.message(null, false);
      watch();
    };
    load().catch((err) => {
      report("inspect mode failed", err);
      overlay.message(INSPECT_TEXT.unreachable, true);
    });
    return mode;
  }
  function ruleName(v) {
    const name = v.description.trim() || v.selector;
    return v.group ? `${name} · ${v.group}` : name;
  }

  // packages/sdk/src/chunks/inspect.ts
  handOver(startInspect);
})();
