"use strict";
(() => {
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

  // packages/sdk/src/config.ts
  function asRecord(v) {
    return v && typeof v === "object" ? v : null;
  }
  function readConfig(win, scriptSrc) {
    const g = asRecord(win["_genesys"]) ?? {};
    const direct = asRecord(g["cobrowse"]);
    const widgets = asRecord(asRecord(g["widgets"])?.["cobrowse"]);
    const merged = { ...widgets ?? {}, ...direct ?? {} };
    const host = direct ?? widgets ?? {};
    if (!direct) g["cobrowse"] = host;
    if (!asRecord(win["_genesys"])) win["_genesys"] = g;
    let serverUrl = typeof merged["url"] === "string" ? merged["url"] : "";
    for (const src of [merged["src"], scriptSrc]) {
      if (serverUrl || typeof src !== "string") continue;
      const i = src.indexOf("/cobrowse/");
      if (i >= 0) serverUrl = src.slice(0, i + "/cobrowse/".length);
    }
    if (serverUrl) {
      try {
        serverUrl = new URL(serverUrl, win.location.href).href;
        if (!serverUrl.endsWith("/")) serverUrl += "/";
      } catch {
        serverUrl = "";
      }
    }
    const pm = asRecord(merged["primaryMedia"]);
    return {
      serverUrl,
      debug: merged["debug"] === true,
      disableBuiltInUI: merged["disableBuiltInUI"] === true,
      primaryMedia: pm,
      setDocumentDomain: merged["setDocumentDomain"] === true,
      disableBackForwardCache: merged["disableBackForwardCache"] !== false,
      lang: typeof merged["lang"] === "string" ? merged["lang"] : void 0,
      localization: merged["localization"],
      navigationDelay: typeof merged["navigationDelay"] === "number" && Number.isFinite(merged["navigationDelay"]) && merged["navigationDelay"] >= 0 ? Math.min(merged["navigationDelay"], 6e4) : 2e3,
      onReady: host["onReady"],
      host
    };
  }
  function relaxDocumentDomain(doc) {
    try {
      doc.domain = doc.domain;
      return true;
    } catch {
      return false;
    }
  }

  // packages/sdk/src/strings.ts
  var en = {
    agentJoined: "Representative has joined the session",
    youLeft: "You have left the session. Co-browse is now terminated.",
    sessionTimedOut: "Session timed out. Co-browse is now terminated.",
    sessionInactiveTimedOut: "Session timed out. Co-browse is now terminated.",
    agentLeft: "Representative has left the session. Co-browse is now terminated.",
    sessionError: "Unexpected error occured. Co-browse is now terminated.",
    sessionsOverLimit: "Representative is currently busy with another Co-browse session. Cobrowse is now terminated.",
    serverUnavailable: "Could not reach Co-browse server. Co-browse is now terminated.",
    sessionStarted: "Your co-browse session ID is {sessionId}. Please spell it to our representative to continue with co-browsing.",
    navRefresh: "Representative has refreshed the page. Reloading.",
    navBack: 'Representative has pressed the "Back" button. Reloading page.',
    navForward: 'Representative has pressed the "Forward" button. Reloading page.',
    navUrl: "Representative has requested navigation. Reloading page.",
    navFailed: "Navigation request by representative has failed.",
    toolbarContent: "Session ID: {sessionId}",
    contentMasked: "Content is hidden from representative",
    contentMaskedPartially: "Some content is hidden from representative",
    exitBtnTitle: "Exit Co-browse session",
    areYouOnPhone: "Are you on the phone with our representative?",
    areYouOnPhoneOrChat: "Are you on the phone or chat with our representative?",
    connectBeforeCobrowse: "You need to be connected with our representative to continue with co-browsing. Please call us or start a live chat with us, and then start Co-browse again.",
    sessionStartedAutoConnect: "Co-browse session started. Waiting for representative to connect to the session…",
    browserUnsupported: "Unfortunately, your browser is not currently supported. Supported browsers are: Google Chrome, Mozilla Firefox, Internet Explorer 11 and above, and Safari 6 and above.",
    modalTitle: "Co-browse",
    modalYes: "Yes",
    modalNo: "No",
    writeModeInProgress: "Agent has control over the page.",
    downgradeMode: "Revoke control",
    modeUpgraded: "Co-browse session was upgraded. Agent has control over the page.",
    modeDowngraded: "Co-browse session was downgraded. Agent has no control",
    modeUpgradeRequested: 'Agent requests upgrading Co-browse session to "write" mode. In "write" mode agent will have control over the page.'
  };
  var enExtra = {
    modalClose: "Close"
  };
  var english = { ...en, ...enExtra };
  function languageOf(lang) {
    const primary = typeof lang === "string" ? lang.trim().toLowerCase().split(/[-_]/)[0] : "";
    return primary === "de" || primary === "fr" ? primary : null;
  }
  function resolveStrings(overrides, table) {
    const out = { ...english };
    for (const layer of [table, overrides]) {
      if (!layer || typeof layer !== "object") continue;
      for (const key of Object.keys(english)) {
        let v;
        try {
          v = layer[key];
        } catch {
          continue;
        }
        if (typeof v === "string") out[key] = v;
      }
    }
    return out;
  }
  function format(template, vars) {
    const id = vars.sessionId ?? "";
    return template.split("{sessionId}").join(id);
  }

  // packages/sdk/src/start.ts
  var MEDIA_READY_TIMEOUT_MS = 1e4;
  function prepareMedia(media, report) {
    let readyNow = true;
    let resolveReady = () => {
    };
    const readyPromise = new Promise((resolve) => {
      resolveReady = resolve;
    });
    const method = (name) => {
      if (!media) return null;
      try {
        const fn = media[name];
        return typeof fn === "function" ? fn : null;
      } catch {
        return null;
      }
    };
    const init = method("initializeAsync");
    if (init) {
      readyNow = false;
      let called = false;
      const done = () => {
        if (called) return;
        called = true;
        readyNow = true;
        resolveReady();
      };
      try {
        init.call(media, done);
      } catch (err) {
        report("primaryMedia.initializeAsync threw", err);
      }
    } else {
      resolveReady();
    }
    return {
      ready: () => readyPromise,
      isReady: () => readyNow,
      agentConnected() {
        const fn = method("isAgentConnected");
        if (!fn || !readyNow) return null;
        try {
          return fn.call(media) === true;
        } catch (err) {
          report("primaryMedia.isAgentConnected threw", err);
          return null;
        }
      },
      sendToken(token) {
        const fn = method("sendCbSessionToken");
        if (!fn) return false;
        try {
          fn.call(media, token);
          return true;
        } catch (err) {
          report("primaryMedia.sendCbSessionToken threw", err);
          return false;
        }
      }
    };
  }
  async function decideStart(deps) {
    const { media, ask } = deps;
    if (!media.isReady()) await Promise.race([media.ready(), deps.timeout(MEDIA_READY_TIMEOUT_MS)]);
    const connected2 = media.agentConnected();
    if (connected2 === true) return "autoConnect";
    if (!ask) return "confirmed";
    const yes = await ask(connected2 === false ? "areYouOnPhone" : "areYouOnPhoneOrChat");
    return yes ? "confirmed" : "declined";
  }

  // packages/protocol/src/frame.ts
  var FRAME_HEADER_LEN = 12;
  var FRAME_VERSION = 1;
  var FLAG_DEFLATE = 1;
  var FrameKind = { Full: 1, Incremental: 2 };
  function encodeHeader(h, into) {
    const v = new DataView(into.buffer, into.byteOffset, FRAME_HEADER_LEN);
    v.setUint8(0, FRAME_VERSION);
    v.setUint8(1, h.kind);
    v.setUint8(2, h.flags);
    v.setUint8(3, 0);
    v.setUint32(4, h.seq >>> 0, false);
    v.setUint32(8, h.rawLen >>> 0, false);
  }
  var COMPRESS_THRESHOLD = 16 * 1024;
  async function readAll(reader) {
    const out = [];
    for (; ; ) {
      const r = await reader.read();
      if (r.done) return out;
      out.push(r.value);
    }
  }
  function concat(chunks, header = 0) {
    if (header === 0 && chunks.length === 1) return chunks[0];
    let size = header;
    for (const b of chunks) size += b.byteLength;
    const out = new Uint8Array(size);
    let at = header;
    for (const b of chunks) {
      out.set(b, at);
      at += b.byteLength;
    }
    return out;
  }
  var PART_CHARS = 32 * 1024;
  function* jsonParts(value, split, stringify) {
    const stack = [];
    let next = value;
    let has = true;
    let prefix = "";
    for (; ; ) {
      if (has) {
        has = false;
        const parent = stack[stack.length - 1];
        if (typeof next === "object" && next !== null && (split.has(next) || Array.isArray(next) && parent?.keys != null)) {
          const arr = Array.isArray(next);
          stack.push({ v: next, keys: arr ? null : Object.keys(next), i: 0, n: 0 });
          yield prefix + (arr ? "[" : "{");
        } else {
          yield prefix + (stringify(next) ?? "null");
        }
      }
      const top = stack[stack.length - 1];
      if (top === void 0) return;
      if (top.keys === null) {
        const a = top.v;
        if (top.i < a.length) {
          prefix = top.i > 0 ? "," : "";
          next = a[top.i++];
          has = true;
          continue;
        }
      } else {
        while (top.i < top.keys.length) {
          const k = top.keys[top.i++];
          const x = top.v[k];
          if (x === void 0 || typeof x === "function" || typeof x === "symbol") continue;
          prefix = (top.n++ > 0 ? "," : "") + JSON.stringify(k) + ":";
          next = x;
          has = true;
          break;
        }
        if (has) continue;
      }
      stack.pop();
      yield top.keys === null ? "]" : "}";
    }
  }
  function compressor() {
    const cs = new CompressionStream("deflate-raw");
    const writer = cs.writable.getWriter();
    const reader = cs.readable.getReader();
    const read = readAll(reader);
    read.catch(() => {
    });
    const ignore = () => {
    };
    return {
      // Resolves once the chunk went through deflate (which runs on this thread).
      write: (b) => writer.write(b).catch(ignore),
      end: async () => {
        await writer.close();
        return read;
      },
      abort: () => void writer.abort().catch(ignore)
    };
  }
  function utf8(encoder, text) {
    const head = new Uint8Array(text.length);
    const { read, written } = encoder.encodeInto(text, head);
    if (read === text.length) return written === head.length ? head : head.subarray(0, written);
    const tail = new Uint8Array((text.length - read) * 3);
    const rest = encoder.encodeInto(text.slice(read), tail);
    return concat([head.subarray(0, written), tail.subarray(0, rest.written)]);
  }
  function encodeFrame(kind, seq, payload, stringify = JSON.stringify) {
    const raw = utf8(new TextEncoder(), stringify(payload) ?? "null");
    if (raw.byteLength >= COMPRESS_THRESHOLD && typeof CompressionStream === "function") return compressedFrame(kind, seq, raw);
    const out = concat([raw], FRAME_HEADER_LEN);
    encodeHeader({ kind, flags: 0, seq, rawLen: raw.byteLength }, out);
    return out;
  }
  async function compressedFrame(kind, seq, raw) {
    const zip = compressor();
    void zip.write(raw);
    const out = concat(await zip.end(), FRAME_HEADER_LEN);
    encodeHeader({ kind, flags: FLAG_DEFLATE, seq, rawLen: raw.byteLength }, out);
    return out;
  }
  async function encodeFrameParts(kind, seq, payload, opts = {}) {
    const stringify = opts.stringify ?? JSON.stringify;
    const encoder = new TextEncoder();
    const canCompress = typeof CompressionStream === "function";
    let raw = [];
    let rawLen = 0;
    let zip = null;
    let text = "";
    const encode = async () => {
      const b = utf8(encoder, text);
      text = "";
      rawLen += b.byteLength;
      if (zip !== null) return zip.write(b);
      raw.push(b);
      if (rawLen < COMPRESS_THRESHOLD || !canCompress) return;
      zip = compressor();
      let last;
      for (const r of raw) last = zip.write(r);
      raw = [];
      return last;
    };
    for (const part of jsonParts(payload, opts.split ?? /* @__PURE__ */ new Set(), stringify)) {
      text += part;
      if (text.length < PART_CHARS) continue;
      await encode();
      const wait = opts.pause?.() ?? null;
      if (wait !== null && !await wait) {
        zip?.abort();
        return null;
      }
    }
    if (text !== "") await encode();
    const out = concat(zip !== null ? await zip.end() : raw, FRAME_HEADER_LEN);
    encodeHeader({ kind, flags: zip !== null ? FLAG_DEFLATE : 0, seq, rawLen }, out);
    return out;
  }
  var POINTER_MOVE_TAG = 112;
  function pointerMoveEncoder() {
    let lastX = 0;
    let lastY = 0;
    return (p) => {
      const out = new Uint8Array(11);
      out[0] = POINTER_MOVE_TAG;
      let at = 1;
      for (const d of [p.x - lastX | 0, p.y - lastY | 0]) {
        let z = (d << 1 ^ d >> 31) >>> 0;
        while (z >= 128) {
          out[at++] = z & 127 | 128;
          z >>>= 7;
        }
        out[at++] = z;
      }
      lastX = p.x | 0;
      lastY = p.y | 0;
      return out.slice(0, at);
    };
  }

  // packages/dom/src/dom-access.ts
  function getterOf(proto, name) {
    if (!proto) return void 0;
    const desc = Object.getOwnPropertyDescriptor(proto, name);
    return desc && typeof desc.get === "function" ? desc.get : void 0;
  }
  function createDomAccess(realm) {
    const proto = realm?.Node?.prototype;
    const call2 = (realm?.Function ?? Function).prototype.call;
    const bind2 = (name, fallback) => {
      const get = getterOf(proto, name);
      return get ? call2.bind(get) : fallback;
    };
    const elementProto = realm?.Element?.prototype;
    const shadowGet = getterOf(elementProto, "shadowRoot");
    const shadowOf = shadowGet ? call2.bind(shadowGet) : (el) => el.shadowRoot;
    const kept = /* @__PURE__ */ new WeakMap();
    let anyKept = false;
    return {
      shadowRoot(el) {
        try {
          const root = shadowOf(el) ?? (anyKept ? kept.get(el) : void 0);
          return root !== void 0 && root !== null && root.nodeType === 11 ? root : null;
        } catch {
          return null;
        }
      },
      keepShadowRoot(host, root) {
        anyKept = true;
        kept.set(host, root);
      },
      firstChild: bind2("firstChild", (n) => n.firstChild),
      lastChild: bind2("lastChild", (n) => n.lastChild),
      nextSibling: bind2("nextSibling", (n) => n.nextSibling),
      previousSibling: bind2("previousSibling", (n) => n.previousSibling),
      parentNode: bind2("parentNode", (n) => n.parentNode)
    };
  }

  // packages/dom/src/capture-mirror.ts
  var DOCUMENT_ID = 1;
  var CHUNK_BITS = 10;
  var CHUNK = 1 << CHUNK_BITS;
  function createCaptureMirror(dom = createDomAccess(null), content = () => null) {
    let key = /* @__PURE__ */ Symbol("cobrowse node id");
    let refused = null;
    let chunks = [];
    let live = [];
    let next = DOCUMENT_ID + 1;
    const nodeOf = (id) => {
      if (typeof id !== "number" || id >>> 0 !== id) return void 0;
      return chunks[id >>> CHUNK_BITS]?.[id & CHUNK - 1];
    };
    const idOf = (node) => {
      const id = node[key];
      if (typeof id === "number" && nodeOf(id) === node) return id;
      if (refused === null) return void 0;
      const kept = refused.get(node);
      return kept !== void 0 && nodeOf(kept) === node ? kept : void 0;
    };
    const forget = (node) => {
      const id = idOf(node);
      if (id === void 0) return;
      refused?.delete(node);
      const k = id >>> CHUNK_BITS;
      const chunk = chunks[k];
      chunk[id & CHUNK - 1] = void 0;
      live[k] = live[k] - 1;
      if (live[k] === 0) chunks[k] = void 0;
    };
    const forgetSubtree = (root) => {
      let node = root;
      while (node !== null) {
        forget(node);
        if (node.nodeType === 1) {
          const inner = content(node);
          if (inner !== null && inner !== root) forgetSubtree(inner);
        }
        let step = dom.firstChild(node);
        if (step === null) {
          while (node !== null && node !== root && dom.nextSibling(node) === null) node = dom.parentNode(node);
          step = node === null || node === root ? null : dom.nextSibling(node);
        }
        node = step;
      }
    };
    return {
      getId: idOf,
      getNode: nodeOf,
      assign(node) {
        const existing = idOf(node);
        if (existing !== void 0) return existing;
        const id = node.nodeType === 9 && nodeOf(DOCUMENT_ID) === void 0 ? DOCUMENT_ID : next++;
        const tagged = node;
        try {
          tagged[key] = id;
        } catch {
        }
        if (tagged[key] !== id) (refused ?? (refused = /* @__PURE__ */ new WeakMap())).set(node, id);
        const k = id >>> CHUNK_BITS;
        let chunk = chunks[k];
        if (chunk === void 0) {
          chunk = new Array(CHUNK).fill(void 0);
          chunks[k] = chunk;
          live[k] = 0;
        }
        chunk[id & CHUNK - 1] = node;
        live[k] = live[k] + 1;
        return id;
      },
      forgetSubtree,
      reset() {
        key = /* @__PURE__ */ Symbol("cobrowse node id");
        refused = null;
        chunks = [];
        live = [];
        next = DOCUMENT_ID + 1;
      }
    };
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
    const isMasked2 = (el) => {
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
      isMasked: isMasked2
    };
    const view = (d) => d === doc ? engine : Object.assign(Object.create(engine), { match: () => matchDocs([d]) });
    return engine;
  }

  // packages/dom/src/context.ts
  var SERVICE_ATTRIBUTE = "data-gcb-service-node";
  var FRAME_DEPTH_LIMIT = 16;
  var UPDATE_LIMIT = 2e3;
  var FRAMES_SELECTOR = "iframe, frame";
  function isFrameElement(el) {
    const name = el.localName;
    return (name === "iframe" || name === "frame") && el.namespaceURI === "http://www.w3.org/1999/xhtml";
  }
  function frameContent(el) {
    try {
      const d = el.contentDocument;
      return d !== null && d !== void 0 && d.nodeType === 9 ? d : null;
    } catch {
      return null;
    }
  }
  function stillConnected(node) {
    try {
      return node.isConnected !== false;
    } catch {
      return true;
    }
  }
  function createCaptureContext(doc, opts = {}) {
    const dom = createDomAccess(opts.realm ?? doc.defaultView);
    const shown = /* @__PURE__ */ new WeakMap();
    const hosts = /* @__PURE__ */ new WeakMap();
    const mirror = opts.mirror ?? createCaptureMirror(dom, (el) => shown.get(el) ?? dom.shadowRoot(el));
    const shadowRoots = /* @__PURE__ */ new Set();
    let newRoots = [];
    const marked = /* @__PURE__ */ new WeakSet();
    const extra = opts.isService;
    const restrictions = createRestrictions(doc, opts.report);
    const animationIds = /* @__PURE__ */ new WeakMap();
    let nextAnimationId = 1;
    const parentOf = (node) => {
      const parent = dom.parentNode(node);
      if (parent !== null) return parent;
      if (node.nodeType === 11) {
        const host2 = node.host;
        return host2 !== void 0 && host2 !== null && dom.shadowRoot(host2) === node ? host2 : null;
      }
      if (node.nodeType !== 9 || node === doc) return parent;
      const host = hosts.get(node);
      return host !== void 0 && frameContent(host) === node ? host : null;
    };
    const documents = () => {
      const out = [doc];
      const depths = [0];
      for (let k = 0; k < out.length; k++) {
        const d = out[k];
        const depth = depths[k];
        if (depth >= FRAME_DEPTH_LIMIT) continue;
        let frames;
        try {
          frames = d.querySelectorAll(FRAMES_SELECTOR);
        } catch {
          continue;
        }
        for (let i = 0; i < frames.length; i++) {
          const content = frameContent(frames[i]);
          if (content !== null && !out.includes(content)) {
            out.push(content);
            depths.push(depth + 1);
          }
        }
      }
      return out;
    };
    let known = null;
    let framesDirty = false;
    const match = () => {
      const docs = documents();
      known = docs;
      framesDirty = false;
      const roots = [...docs];
      for (const root of shadowRoots) {
        if (root.host.isConnected && dom.shadowRoot(root.host) === root) roots.push(root);
        else shadowRoots.delete(root);
      }
      return restrictions.matchAll(roots);
    };
    const knownFramesHold = (docs) => {
      const set = new Set(docs);
      for (const d of docs) {
        if (d === doc) continue;
        let host;
        try {
          host = d.defaultView?.frameElement;
        } catch {
          return false;
        }
        if (!host || !host.isConnected || frameContent(host) !== d || !set.has(host.ownerDocument)) return false;
      }
      return true;
    };
    const unlessSame = (prev, next) => {
      if (next.mask.size !== prev.mask.size || next.control.size !== prev.control.size) return next;
      for (const el of next.mask) if (!prev.mask.has(el)) return next;
      for (const el of next.control) if (!prev.control.has(el)) return next;
      return prev;
    };
    const updateMatch = (prev, records) => {
      if (known === null) return unlessSame(prev, match());
      const knownSet = new Set(known);
      const shapes = /* @__PURE__ */ new Map();
      const roots = /* @__PURE__ */ new Set();
      const selves = /* @__PURE__ */ new Set();
      let removals = false;
      let lastDoc;
      let shape;
      for (let r = 0; r < records.length; r++) {
        const rec = records[r];
        const target = rec.target;
        const d = target.nodeType === 9 ? target : target.ownerDocument;
        if (d !== lastDoc) {
          lastDoc = d;
          shape = d === null || !knownSet.has(d) ? null : shapes.get(d);
          if (shape === void 0 && d !== null) {
            shape = restrictions.shapeOf(d);
            shapes.set(d, shape);
          }
        }
        if (shape === null || shape === void 0) continue;
        if (!shape.local) return unlessSame(prev, match());
        if (rec.type === "childList") {
          if (!stillConnected(target)) continue;
          if (!removals) {
            const removedNodes = rec.removedNodes;
            for (let i = 0; i < removedNodes.length && !removals; i++) if (removedNodes[i].nodeType === 1) removals = true;
          }
          const addedNodes = rec.addedNodes;
          for (let i = 0; i < addedNodes.length; i++) {
            const n = addedNodes[i];
            if (n.nodeType === 1) roots.add(n);
          }
        } else if (rec.type === "attributes") {
          const names = shape.attributes;
          if (names !== null) {
            const name = rec.attributeName ?? "";
            if (!names.has(name) && !names.has(name.toLowerCase())) continue;
          }
          if (shape.combinators) roots.add(target);
          else selves.add(target);
        }
        if (roots.size + selves.size > UPDATE_LIMIT) return unlessSame(prev, match());
      }
      let docs = known;
      const framesMoved = framesDirty || removals && !knownFramesHold(docs);
      if (roots.size === 0 && selves.size === 0 && !removals && !framesMoved) return prev;
      const memo = /* @__PURE__ */ new Map();
      const inRoot = (start) => {
        const chain = [];
        let state = false;
        for (let cur = start; cur !== null; cur = cur.parentNode) {
          const m = memo.get(cur);
          if (m !== void 0) {
            state = m;
            break;
          }
          chain.push(cur);
          if (cur.nodeType === 1 && roots.has(cur)) {
            state = true;
            break;
          }
        }
        for (const n of chain) memo.set(n, state);
        return state;
      };
      const keep = (el) => {
        try {
          return el.isConnected && !selves.has(el) && !(roots.size > 0 && inRoot(el));
        } catch {
          return false;
        }
      };
      const mask = /* @__PURE__ */ new Set();
      const control = /* @__PURE__ */ new Set();
      for (const el of prev.mask) if (keep(el)) mask.add(el);
      for (const el of prev.control) if (keep(el)) control.add(el);
      let framesFound = framesMoved;
      const onFrame = () => {
        framesFound = true;
      };
      for (const root of roots) {
        if (!root.isConnected || inRoot(root.parentNode)) continue;
        restrictions.matchSubtree(root, mask, control, false, FRAMES_SELECTOR, onFrame);
      }
      for (const el of selves) {
        if (el.isConnected) restrictions.matchSubtree(el, mask, control, true, null, null);
      }
      if (framesFound) {
        const now = documents();
        const before = new Set(docs);
        const after = new Set(now);
        const fresh = now.filter((d) => !before.has(d));
        if (fresh.length > 0) {
          const m = restrictions.matchAll(fresh);
          for (const el of m.mask) {
            mask.add(el);
            control.delete(el);
          }
          for (const el of m.control) if (!mask.has(el)) control.add(el);
        }
        if (docs.some((d) => !after.has(d))) {
          for (const el of mask) if (!after.has(el.ownerDocument)) mask.delete(el);
          for (const el of control) if (!after.has(el.ownerDocument)) control.delete(el);
        }
        docs = now;
        known = now;
        framesDirty = false;
      }
      return unlessSame(prev, { mask, control });
    };
    return {
      doc,
      mirror,
      dom,
      parentOf,
      showFrame(el, content) {
        const before = shown.get(el);
        if (before !== void 0 && before !== null && before !== content) {
          mirror.forgetSubtree(before);
          if (hosts.get(before) === el) hosts.delete(before);
        }
        shown.set(el, content);
        if (content !== null) hosts.set(content, el);
      },
      shownIn: (el) => shown.get(el),
      frameDepth(d) {
        let depth = 0;
        for (let cur = d; cur !== void 0 && cur !== doc && depth <= FRAME_DEPTH_LIMIT; depth++) {
          const host = hosts.get(cur);
          cur = host?.ownerDocument;
        }
        return depth;
      },
      documents,
      match,
      updateMatch,
      knownDocuments: () => known ?? (known = documents()),
      framesChanged() {
        framesDirty = true;
      },
      noteShadowRoot(root) {
        if (shadowRoots.has(root)) return false;
        shadowRoots.add(root);
        newRoots.push(root);
        return true;
      },
      takeNewShadowRoots() {
        const out = newRoots;
        newRoots = [];
        return out;
      },
      scriptedSheets: /* @__PURE__ */ new WeakSet(),
      cssomWatched: /* @__PURE__ */ new WeakSet(),
      adoptedSent: /* @__PURE__ */ new Map(),
      fontSources: /* @__PURE__ */ new WeakMap(),
      fontsSent: /* @__PURE__ */ new Map(),
      canvasSerialized: false,
      animationId(anim) {
        let n = animationIds.get(anim);
        if (n === void 0) {
          n = nextAnimationId++;
          animationIds.set(anim, n);
        }
        return n;
      },
      isService(el, names) {
        if (marked.has(el)) return true;
        if ((names === void 0 || names.includes(SERVICE_ATTRIBUTE)) && typeof el.getAttribute === "function" && el.getAttribute(SERVICE_ATTRIBUTE) === "true") {
          return true;
        }
        return extra !== void 0 && extra(el);
      },
      markService(el) {
        marked.add(el);
      },
      restrictions,
      MutationObserver: opts.MutationObserver ?? doc.defaultView?.MutationObserver ?? MutationObserver
    };
  }

  // packages/dom/src/mask.ts
  function createMaskScope(ctx, match) {
    const memo = /* @__PURE__ */ new Map();
    const mask = match.mask;
    const dom = ctx.dom;
    let empty = mask.size === 0;
    return {
      match,
      isMasked(node) {
        if (empty) return false;
        const known = memo.get(node);
        if (known !== void 0) return known;
        const chain = [];
        let state = true;
        for (let cur = node; ; cur = cur.nodeType === 9 || cur.nodeType === 11 ? ctx.parentOf(cur) : dom.parentNode(cur)) {
          if (cur === null) break;
          if (cur === ctx.doc) {
            state = false;
            break;
          }
          const m = memo.get(cur);
          if (m !== void 0) {
            state = m;
            break;
          }
          if (cur.nodeType === 1 && mask.has(cur)) {
            state = true;
            memo.set(cur, true);
            break;
          }
          chain.push(cur);
        }
        for (let k = 0; k < chain.length; k++) memo.set(chain[k], state);
        return state;
      },
      markOf(el) {
        return mask.has(el) ? MASK : match.control.has(el) ? CONTROL : NONE;
      },
      include(extra) {
        if (match === EMPTY_MATCH || extra.mask.size === 0 && extra.control.size === 0) return;
        const m = match.mask;
        const c = match.control;
        for (const el of extra.mask) m.add(el);
        for (const el of extra.control) if (!m.has(el)) c.add(el);
        empty = m.size === 0;
        memo.clear();
      }
    };
  }
  var EMPTY_MATCH = Object.freeze({
    mask: /* @__PURE__ */ new Set(),
    control: /* @__PURE__ */ new Set()
  });
  var NON_SPACE = /\S/g;
  function maskText(data) {
    return data.replace(NON_SPACE, "*");
  }
  function maskValue(value) {
    return "*".repeat(value.length);
  }
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
  function maskAttribute(name, value) {
    let rule = MASKED_ATTRIBUTES[name];
    if (rule === void 0) rule = MASKED_ATTRIBUTES[name.toLowerCase()];
    if (rule === void 0) {
      return name === "xmlns" || name.startsWith("xmlns:") ? value : null;
    }
    switch (rule) {
      case KEEP:
        return value;
      case ASTERISKS:
        return maskValue(value);
      case STYLE:
        return maskStyle(value);
      default:
        return null;
    }
  }
  var IMAGE_FUNCTION = /(?<![\w-])(?:(?:-webkit-)?image-set|image|url|src|(?:-webkit-)?cross-fade)\(/gi;
  function maskStyle(css) {
    if (css.indexOf("\\") >= 0) return null;
    if (css.indexOf("(") < 0) return css;
    let out = "";
    let from = 0;
    IMAGE_FUNCTION.lastIndex = 0;
    for (let m = IMAGE_FUNCTION.exec(css); m !== null; m = IMAGE_FUNCTION.exec(css)) {
      const start = m.index;
      const end = closingParen(css, start + m[0].length);
      out += css.slice(from, start) + "none";
      from = end;
      IMAGE_FUNCTION.lastIndex = end;
    }
    return out + css.slice(from);
  }
  function closingParen(css, i) {
    let depth = 1;
    const len = css.length;
    while (i < len) {
      const c = css.charCodeAt(i);
      if (c === 34 || c === 39) {
        const close = css.indexOf(String.fromCharCode(c), i + 1);
        if (close < 0) return len;
        i = close + 1;
        continue;
      }
      if (c === 40) depth++;
      else if (c === 41 && --depth === 0) return i + 1;
      i++;
    }
    return len;
  }
  var HTML_NS2 = "http://www.w3.org/1999/xhtml";
  var SVG_NS = "http://www.w3.org/2000/svg";
  function isImageElement(el) {
    const ns = el.namespaceURI;
    const name = el.localName;
    if (ns === HTML_NS2) {
      if (name === "img" || name === "video" || name === "canvas") return true;
      if (name === "input") {
        const type = el.getAttribute("type");
        return type !== null && type.toLowerCase() === "image";
      }
      return false;
    }
    return ns === SVG_NS && name === "image";
  }
  function hasBackgroundImage(el) {
    if (el.namespaceURI !== HTML_NS2) return false;
    try {
      const view = el.ownerDocument.defaultView;
      const image = view ? view.getComputedStyle(el).backgroundImage : "";
      return typeof image === "string" && image.includes("url(");
    } catch {
      return false;
    }
  }
  function renderedSize(el) {
    try {
      const r = el.getBoundingClientRect();
      const w = Math.round(r.width);
      const h = Math.round(r.height);
      return [Number.isFinite(w) && w > 0 ? w : 0, Number.isFinite(h) && h > 0 ? h : 0];
    } catch {
      return [0, 0];
    }
  }
  function maskedTitle(doc, scope) {
    const title = doc.title;
    if (title === "" || scope.match.mask.size === 0) return title;
    let el = null;
    try {
      el = doc.querySelector("title");
    } catch {
      el = null;
    }
    return el !== null && scope.isMasked(el) ? maskText(title) : title;
  }

  // packages/dom/src/marks.ts
  var RESERVED_PREFIX = "data-cobrowse-";
  function isReservedAttribute(name) {
    return name.length > RESERVED_PREFIX.length && (name.charCodeAt(0) | 32) === 100 && name.slice(0, RESERVED_PREFIX.length).toLowerCase() === RESERVED_PREFIX;
  }

  // packages/dom/src/form.ts
  function hasValueMode(type) {
    switch (type) {
      case "checkbox":
      case "radio":
      case "hidden":
      case "button":
      case "submit":
      case "reset":
      case "image":
      case "file":
        return false;
      default:
        return true;
    }
  }
  function formControlOf(el, dom) {
    if (el.localName !== "option") return el;
    let parent = dom.parentNode(el);
    if (parent !== null && parent.localName === "optgroup") parent = dom.parentNode(parent);
    return parent !== null && parent.nodeType === 1 && parent.localName === "select" ? parent : el;
  }

  // packages/dom/src/names.ts
  var HTML_NS3 = "http://www.w3.org/1999/xhtml";
  var SVG_NS2 = "http://www.w3.org/2000/svg";
  var MATH_NS = "http://www.w3.org/1998/Math/MathML";
  var XLINK_NS = "http://www.w3.org/1999/xlink";
  var XML_NS = "http://www.w3.org/XML/1998/namespace";
  var XMLNS_NS = "http://www.w3.org/2000/xmlns/";
  var FALLBACK_TAG = "span";
  var FALLBACK_DOCTYPE = "html";
  var NAME_START = ":A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}";
  var NAME_CHAR = NAME_START + "\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040";
  var XML_NAME = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`, "u");
  var NCNAME_START = NAME_START.slice(1);
  var NCNAME_CHAR = NAME_CHAR.slice(1);
  var QNAME = new RegExp(
    `^(?:[${NCNAME_START}][${NCNAME_CHAR}]*:)?[${NCNAME_START}][${NCNAME_CHAR}]*$`,
    "u"
  );
  function isSimpleName(name) {
    const len = name.length;
    if (len === 0) return false;
    let c = name.charCodeAt(0) | 32;
    if (!(c >= 97 && c <= 122 || name.charCodeAt(0) === 95)) return false;
    for (let i = 1; i < len; i++) {
      c = name.charCodeAt(i);
      if (c >= 97 && c <= 122 || // a-z
      c >= 65 && c <= 90 || // A-Z
      c >= 48 && c <= 57 || // 0-9
      c === 45 || // -
      c === 95 || // _
      c === 46) {
        continue;
      }
      return false;
    }
    return true;
  }
  function isValidName(name) {
    return isSimpleName(name) || XML_NAME.test(name);
  }
  function isValidQName(name) {
    return isSimpleName(name) || QNAME.test(name);
  }
  function nsTag(namespaceURI) {
    if (namespaceURI === SVG_NS2) return "svg";
    if (namespaceURI === MATH_NS) return "math";
    return void 0;
  }

  // packages/dom/src/sanitize.ts
  function isFrameLike(tag) {
    switch (tag) {
      case "iframe":
      case "frame":
      case "object":
      case "embed":
      case "portal":
      case "fencedframe":
        return true;
      default:
        return false;
    }
  }
  function isAnimation(tag) {
    switch (tag) {
      case "animate":
      case "set":
      case "animatemotion":
      case "animatetransform":
        return true;
      default:
        return false;
    }
  }
  var IGNORED_URL_CHARS = /[\u0000-\u0020\u007f]+/g;
  var HAS_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
  var EDGE_SPACE = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;
  function isUnsafeUrl(value) {
    let i = 0;
    const len = value.length;
    while (i < len && value.charCodeAt(i) <= 32) i++;
    if (i === len) return false;
    const c = value.charCodeAt(i) | 32;
    if (c !== 106 && c !== 118 && c !== 100) return false;
    const s = value.replace(IGNORED_URL_CHARS, "").toLowerCase();
    return s.startsWith("javascript:") || s.startsWith("vbscript:") || s.startsWith("data:text/html");
  }
  function containsUnsafeUrl(value) {
    const s = value.replace(IGNORED_URL_CHARS, "").toLowerCase();
    return s.includes("javascript:") || s.includes("vbscript:") || s.includes("data:text/html");
  }
  var resolved = /* @__PURE__ */ new Map();
  var resolvedBase = "";
  var RESOLVED_LIMIT = 1024;
  function absoluteUrl(value, baseURI) {
    const v = value.replace(EDGE_SPACE, "");
    if (v === "" || v.charCodeAt(0) === 35) return value;
    if (HAS_SCHEME.test(v)) return v;
    if (baseURI !== resolvedBase || resolved.size >= RESOLVED_LIMIT) {
      resolved.clear();
      resolvedBase = baseURI;
    }
    let out = resolved.get(value);
    if (out === void 0) {
      try {
        out = new URL(v, baseURI).href;
      } catch {
        out = value;
      }
      resolved.set(value, out);
    }
    return out;
  }
  function safeUrl(value, baseURI) {
    if (isUnsafeUrl(value)) return null;
    return absoluteUrl(value, baseURI);
  }
  function isSpace(c) {
    return c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
  }
  function safeSrcset(value, baseURI) {
    const len = value.length;
    let out = "";
    let i = 0;
    for (; ; ) {
      while (i < len && (isSpace(value.charCodeAt(i)) || value.charCodeAt(i) === 44)) i++;
      if (i >= len) break;
      const urlStart = i;
      while (i < len && !isSpace(value.charCodeAt(i))) i++;
      let url = value.slice(urlStart, i);
      let descriptors = "";
      let endsCandidate = false;
      if (url.endsWith(",")) {
        url = url.replace(/,+$/, "");
        endsCandidate = true;
      }
      if (!endsCandidate) {
        const dStart = i;
        let depth = 0;
        while (i < len) {
          const c = value.charCodeAt(i);
          if (c === 40) depth++;
          else if (c === 41) depth = depth > 0 ? depth - 1 : 0;
          else if (c === 44 && depth === 0) break;
          i++;
        }
        descriptors = value.slice(dStart, i).replace(EDGE_SPACE, "").replace(/\s+/g, " ");
        i++;
      }
      if (url === "") continue;
      if (isUnsafeUrl(url)) return null;
      const abs = absoluteUrl(url, baseURI);
      if (out !== "") out += ", ";
      out += descriptors === "" ? abs : abs + " " + descriptors;
    }
    return out === "" ? value : out;
  }
  var CSS_REFERENCE = /url\(\s*(?:'([^']*)'|"([^"]*)"|([^)'"\s]*))\s*\)|@import\s*(?:'([^']*)'|"([^"]*)")/gi;
  var CSS_HAS_REFERENCE = /url\(|@import/i;
  var CSS_URL_SPECIAL = /['"()\s\\]/g;
  function encodeCssUrlChar(c) {
    return "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0");
  }
  function absoluteCssUrl(url, baseURI) {
    if (url.includes("\\")) return url;
    const abs = absoluteUrl(url, baseURI);
    if (abs === url) return url;
    return abs.replace(CSS_URL_SPECIAL, encodeCssUrlChar);
  }
  function rewritten(match, url, open, close, baseURI) {
    const abs = absoluteCssUrl(url, baseURI);
    return abs === url ? match : open + abs + close;
  }
  function absolutizeCss(css, baseURI) {
    if (!CSS_HAS_REFERENCE.test(css)) return css;
    return css.replace(
      CSS_REFERENCE,
      (match, single, double, bare, importSingle, importDouble) => {
        if (single !== void 0) return rewritten(match, single, "url('", "')", baseURI);
        if (double !== void 0) return rewritten(match, double, 'url("', '")', baseURI);
        if (bare !== void 0) return bare === "" ? match : rewritten(match, bare, "url(", ")", baseURI);
        if (importSingle !== void 0) return rewritten(match, importSingle, "@import '", "'", baseURI);
        if (importDouble !== void 0) return rewritten(match, importDouble, '@import "', '"', baseURI);
        return match;
      }
    );
  }
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
  function isPlainAttribute(attrName) {
    if ((attrName.charCodeAt(0) | 32) === 111 && (attrName.charCodeAt(1) | 32) === 110) return false;
    if (isReservedAttribute(attrName)) return false;
    return RULES[attrName] === void 0 && RULES[attrName.toLowerCase()] === void 0;
  }
  function sanitizeAttribute(tagName, attrName, value, baseURI) {
    if ((attrName.charCodeAt(0) | 32) === 111 && (attrName.charCodeAt(1) | 32) === 110) return null;
    if (isReservedAttribute(attrName)) return null;
    let rule = RULES[attrName];
    if (rule === void 0) {
      const lower = attrName.toLowerCase();
      if (lower === attrName || (rule = RULES[lower]) === void 0) return value;
    }
    switch (rule) {
      case Rule.Href:
        return tagName.toLowerCase() === "base" ? null : safeUrl(value, baseURI);
      case Rule.Src:
        return isFrameLike(tagName.toLowerCase()) ? null : safeUrl(value, baseURI);
      case Rule.Data:
        return isFrameLike(tagName.toLowerCase()) ? null : value;
      case Rule.Url:
        return safeUrl(value, baseURI);
      case Rule.Srcset:
        return safeSrcset(value, baseURI);
      case Rule.Style:
        return absolutizeCss(value, baseURI);
      case Rule.Drop:
        return null;
      case Rule.FramePolicy:
        return isFrameLike(tagName.toLowerCase()) ? null : value;
      case Rule.HttpEquiv:
        return tagName.toLowerCase() === "meta" ? null : value;
      case Rule.CheckUrl:
        return containsUnsafeUrl(value) ? null : value;
      case Rule.Animation:
        return isAnimation(tagName.toLowerCase()) && containsUnsafeUrl(value) ? null : value;
      case Rule.MetaContent:
        return tagName.toLowerCase() === "meta" && containsUnsafeUrl(value) ? null : value;
      default:
        return value;
    }
  }

  // packages/dom/src/stylesheet.ts
  var IMPORT_RULE = 3;
  var MAX_IMPORT_DEPTH = 8;
  var IMPORT_STATEMENT = /@import[^;]*;?/gi;
  function rulesOf(sheet) {
    try {
      return sheet.cssRules ?? null;
    } catch {
      return null;
    }
  }
  function countOwnRules(rules) {
    let n = 0;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i];
      if (r && r.type !== IMPORT_RULE) n++;
    }
    return n;
  }
  function stylesheetText(sheet, baseURI, depth = 0, imports) {
    const rules = rulesOf(sheet);
    if (rules === null) return null;
    let out = "";
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (!rule) continue;
      let text = null;
      if (rule.type === IMPORT_RULE) {
        if (imports !== void 0) imports.n++;
        if (depth < MAX_IMPORT_DEPTH) text = importedText(rule, baseURI, depth);
      }
      out += text ?? rule.cssText;
    }
    return absolutizeCss(out, baseURI);
  }
  var PENDING = /[\w-]:\s*;/;
  function lostDeclarations(text) {
    return PENDING.test(text);
  }
  function importedText(rule, baseURI, depth) {
    try {
      const inner = rule.styleSheet;
      if (!inner || rule.media && rule.media.length > 0) return null;
      const r = rule;
      if (r.layerName != null || r.supportsText) return null;
      const text = stylesheetText(inner, inner.href || baseURI, depth + 1);
      return text === "" ? null : text;
    } catch {
      return null;
    }
  }
  function childText(el) {
    let text = "";
    for (let c = el.firstChild; c !== null; c = c.nextSibling) {
      if (c.nodeType === 3 || c.nodeType === 4) text += c.data;
    }
    return text;
  }
  function isBlank(text) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 32) return false;
    return true;
  }
  var referenceCounts = /* @__PURE__ */ new WeakMap();
  function referenceRuleCount(el, text) {
    const known = referenceCounts.get(el);
    if (known !== void 0 && known.text === text) return known.n;
    const n = parseRuleCount(el, text);
    referenceCounts.set(el, { text, n });
    return n;
  }
  function parseRuleCount(el, text) {
    const win = el.ownerDocument.defaultView;
    const Sheet = win?.CSSStyleSheet;
    if (typeof Sheet !== "function") return null;
    try {
      const ref = new Sheet();
      if (typeof ref.replaceSync !== "function") return null;
      ref.replaceSync(text.includes("@import") ? text.replace(IMPORT_STATEMENT, "") : text);
      return countOwnRules(ref.cssRules);
    } catch {
      return null;
    }
  }
  function styleElementCss(el, baseURI, scripted) {
    try {
      const sheet = el.sheet;
      if (!sheet) return void 0;
      const rules = rulesOf(sheet);
      if (rules === null) return void 0;
      if (scripted !== void 0 && scripted(sheet)) return stylesheetText(sheet, baseURI) ?? void 0;
      const text = childText(el);
      if (isBlank(text)) {
        if (rules.length === 0) return void 0;
      } else {
        const reference = referenceRuleCount(el, text);
        if (reference === null || reference === countOwnRules(rules)) return void 0;
      }
      return stylesheetText(sheet, baseURI) ?? void 0;
    } catch {
      return void 0;
    }
  }
  function linkTravelsByUrl(el, watched, scripted) {
    try {
      if (!watched.has(el.ownerDocument)) return false;
      const sheet = el.sheet;
      return !sheet || !scripted(sheet);
    } catch {
      return false;
    }
  }
  function linkElementCss(el, baseURI, cache) {
    try {
      const sheet = el.sheet;
      if (!sheet) return void 0;
      const base = sheet.href || baseURI;
      const known = cache?.get(sheet);
      if (known !== void 0 && known.base === base) return known.css;
      const imports = { n: 0 };
      const text = stylesheetText(sheet, base, 0, imports);
      const css = text && !lostDeclarations(text) ? text : void 0;
      if (cache !== void 0 && imports.n === 0) cache.set(sheet, { base, css });
      return css;
    } catch {
      return void 0;
    }
  }
  function adoptedSheets(root) {
    try {
      const list = root.adoptedStyleSheets;
      if (list === void 0 || list === null || typeof list.length !== "number") return null;
      const out = [];
      for (let i = 0; i < list.length; i++) {
        const sheet = list[i];
        if (sheet) out.push(sheet);
      }
      return out;
    } catch {
      return null;
    }
  }
  function sameSheets(a, b) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  function adoptedCss(sheets, baseURI) {
    const out = [];
    for (const sheet of sheets) out.push(stylesheetText(sheet, sheet.href || baseURI) ?? "");
    return out;
  }

  // packages/dom/src/fonts.ts
  var MAX_FONT_FACE_BYTES = 2 * 1024 * 1024;
  var MAX_FONT_SOURCE_CHARS = 64 * 1024;
  var MAX_FONT_CHARS = 8 * 1024 * 1024;
  var MAX_FONT_FACES = 100;
  var DESCRIPTORS = [
    ["style", "normal"],
    ["weight", "normal"],
    ["stretch", "normal"],
    ["unicodeRange", "U+0-10FFFF"],
    ["featureSettings", "normal"],
    ["variationSettings", "normal"],
    ["display", "auto"],
    ["ascentOverride", "normal"],
    ["descentOverride", "normal"],
    ["lineGapOverride", "normal"],
    ["sizeAdjust", "100%"]
  ];
  var MAX_DESCRIPTOR_CHARS = 1024;
  var SOURCE_ITEM = /\s*(?:url\(\s*(?:"([^"\\\n]*)"|'([^'\\\n]*)'|([^\s"'()\\]+))\s*\)(?:\s*(?:format|tech)\([^()\\;{}]*\))*|local\([^()\\;{}]*\))\s*(?:,|$)/iy;
  function fontSourceUrls(text) {
    const urls = [];
    const re = new RegExp(SOURCE_ITEM.source, SOURCE_ITEM.flags);
    let items = 0;
    while (re.lastIndex < text.length) {
      const m = re.exec(text);
      if (m === null) return null;
      const url = m[1] ?? m[2] ?? m[3];
      if (url !== void 0) urls.push(url);
      items++;
      if (m[0].length === 0) return null;
    }
    return items > 0 ? urls : null;
  }
  function binaryBytes(source) {
    if (typeof source !== "object" || source === null) return null;
    try {
      if (ArrayBuffer.isView(source)) {
        const view = source;
        if (view.byteLength > MAX_FONT_FACE_BYTES) return new Uint8Array(0);
        return new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
      }
      if (Object.prototype.toString.call(source) !== "[object ArrayBuffer]") return null;
      const all = new Uint8Array(source);
      return all.byteLength > MAX_FONT_FACE_BYTES ? new Uint8Array(0) : all.slice();
    } catch {
      return null;
    }
  }
  function recordFontSource(ctx, face, source, baseURI) {
    try {
      const record = {};
      if (typeof source === "string") {
        const text = absolutizeCss(source, baseURI);
        const urls = text.length <= MAX_FONT_SOURCE_CHARS ? fontSourceUrls(text) : null;
        if (urls !== null && !urls.some(isUnsafeUrl)) record.s = text;
      } else {
        const bytes = binaryBytes(source);
        if (bytes !== null && bytes.byteLength > 0) record.bytes = bytes;
      }
      ctx.fontSources.set(face, record);
    } catch {
    }
  }
  function dataUrl(bytes) {
    let binary = "";
    const CHUNK2 = 32768;
    for (let k = 0; k < bytes.length; k += CHUNK2) {
      binary += String.fromCharCode.apply(null, bytes.subarray(k, k + CHUNK2));
    }
    return "data:application/octet-stream;base64," + btoa(binary);
  }
  function scriptFontFaces(ctx, doc) {
    const out = [];
    try {
      const set = doc.fonts;
      if (!set || typeof set.forEach !== "function") return out;
      set.forEach((face) => {
        if (ctx.fontSources.has(face)) out.push(face);
      });
    } catch {
    }
    return out;
  }
  function unescapeCss(_, e) {
    if (!/^[0-9a-fA-F]/.test(e)) return e;
    const cp = parseInt(e, 16);
    return cp > 0 && cp <= 1114111 && (cp < 55296 || cp > 57343) ? String.fromCodePoint(cp) : "�";
  }
  function fontFamilyName(family) {
    const m = /^"((?:[^"\\]|\\[\s\S])*)"$/.exec(family);
    return m === null ? family : m[1].replace(/\\([0-9a-fA-F]{1,6}\s?|[\s\S])/g, unescapeCss);
  }
  function fontSourceTexts(ctx, doc) {
    const out = [];
    for (const face of scriptFontFaces(ctx, doc)) {
      const s = ctx.fontSources.get(face)?.s;
      if (s !== void 0) out.push(s);
    }
    return out;
  }
  function fontEntry(face, record) {
    const family = face.family;
    if (typeof family !== "string" || family.length > MAX_DESCRIPTOR_CHARS) return null;
    const entry = { f: fontFamilyName(family) };
    if (record.s !== void 0) entry.s = record.s;
    else if (record.bytes !== void 0) entry.b = record.b ?? (record.b = dataUrl(record.bytes));
    else return null;
    const d = {};
    let any = false;
    for (const [name, fallback] of DESCRIPTORS) {
      const v = face[name];
      if (typeof v === "string" && v !== fallback && v.length <= MAX_DESCRIPTOR_CHARS) {
        d[name] = v;
        any = true;
      }
    }
    if (any) entry.d = d;
    return entry;
  }
  function fontFaceEntries(ctx, faces) {
    const ff = [];
    let fx = 0;
    let chars = 0;
    for (const face of faces) {
      let entry = null;
      try {
        const record = ctx.fontSources.get(face);
        if (record !== void 0 && ff.length < MAX_FONT_FACES) entry = fontEntry(face, record);
      } catch {
        entry = null;
      }
      const size = entry === null ? 0 : (entry.s ?? entry.b ?? "").length;
      if (entry === null || chars + size > MAX_FONT_CHARS) {
        fx++;
        continue;
      }
      chars += size;
      ff.push(entry);
    }
    return { ff, fx };
  }
  function sameFaces(a, b) {
    return a.length === b.length && a.every((face, k) => face === b[k]);
  }
  function fontOps(ctx) {
    const ops = [];
    for (const [doc, before] of ctx.fontsSent) {
      const i = ctx.mirror.getId(doc);
      if (i === void 0) {
        ctx.fontsSent.delete(doc);
        continue;
      }
      const now = scriptFontFaces(ctx, doc);
      if (sameFaces(before, now)) continue;
      ctx.fontsSent.set(doc, now);
      const { ff, fx } = fontFaceEntries(ctx, now);
      ops.push(fx > 0 ? { o: "fonts", i, ff, fx } : { o: "fonts", i, ff });
    }
    return ops;
  }

  // packages/dom/src/interaction.ts
  function matches(el, selector) {
    try {
      return el.matches(selector);
    } catch {
      return false;
    }
  }
  function topLayerOf(el) {
    try {
      if (el.localName === "dialog" && el.open && matches(el, ":modal")) return "modal";
      if (el.hasAttribute("popover") && matches(el, ":popover-open")) return "popover";
    } catch {
    }
    return void 0;
  }
  function topLayerOp(el, ctx) {
    const i = ctx.mirror.getId(el);
    if (i === void 0) return null;
    return { o: "tl", i, tl: topLayerOf(el) ?? null };
  }
  function nearestElementId(node, ctx) {
    for (let cur = node, hops = 0; cur !== null && hops < 4096; hops++) {
      if (cur.nodeType === 1) {
        const id = ctx.mirror.getId(cur);
        if (id !== void 0) return id;
      }
      cur = cur.nodeType === 9 || cur.nodeType === 11 ? ctx.parentOf(cur) : ctx.dom.parentNode(cur);
    }
    return void 0;
  }
  function focusedElement(ctx) {
    try {
      let el = ctx.doc.activeElement;
      for (let hops = 0; el !== null && hops < 64; hops++) {
        let inner = null;
        if (isFrameElement(el)) {
          const content = frameContent(el);
          if (content !== null && ctx.shownIn(el) === content) inner = content.activeElement;
        } else {
          inner = ctx.dom.shadowRoot(el)?.activeElement ?? null;
        }
        if (inner === null || inner === el) break;
        el = inner;
      }
      if (el === null) return null;
      const owner = el.ownerDocument;
      return el === owner.body || el === owner.documentElement ? null : el;
    } catch {
      return null;
    }
  }
  function uiState(ctx, pointer, scope, selection) {
    const out = {};
    const h = pointer.hovered !== null ? nearestElementId(pointer.hovered, ctx) : void 0;
    if (h !== void 0) out.h = h;
    const a = pointer.active !== null ? nearestElementId(pointer.active, ctx) : void 0;
    if (a !== void 0) out.a = a;
    const focused = focusedElement(ctx);
    if (focused !== null) {
      const f = nearestElementId(focused, ctx);
      if (f !== void 0) {
        out.f = f;
        if (matches(focused, ":focus-visible")) out.fv = true;
      }
    }
    if (selection !== void 0) {
      if (selection.sel !== void 0) out.sel = selection.sel;
      return out;
    }
    try {
      const sel = ctx.doc.getSelection();
      if (sel !== null && sel.rangeCount > 0 && !sel.isCollapsed && sel.anchorNode !== null && sel.focusNode !== null) {
        const anchor = ctx.mirror.getId(sel.anchorNode);
        const focus = ctx.mirror.getId(sel.focusNode);
        if (anchor !== void 0 && focus !== void 0 && !scope.isMasked(sel.anchorNode) && !scope.isMasked(sel.focusNode)) {
          out.sel = [anchor, sel.anchorOffset, focus, sel.focusOffset];
        }
      }
    } catch {
    }
    return out;
  }
  function sameUiState(a, b) {
    const sa = a.sel;
    const sb = b.sel;
    const sameSel = sa === void 0 || sb === void 0 ? sa === sb : sa[0] === sb[0] && sa[1] === sb[1] && sa[2] === sb[2] && sa[3] === sb[3];
    return a.h === b.h && a.a === b.a && a.f === b.f && a.fv === b.fv && sameSel;
  }
  function isEmptyUiState(s) {
    return s.h === void 0 && s.a === void 0 && s.f === void 0 && s.sel === void 0;
  }

  // packages/dom/src/media.ts
  var HTML_NS4 = "http://www.w3.org/1999/xhtml";
  function isMediaElement(el) {
    const name = el.localName;
    return (name === "video" || name === "audio") && el.namespaceURI === HTML_NS4;
  }
  function mediaState(el) {
    try {
      const m = el;
      const t = Number.isFinite(m.currentTime) ? Math.round(m.currentTime * 1e3) / 1e3 : 0;
      const playing = !m.paused && !m.ended ? 1 : 0;
      return t === 0 && playing === 0 ? void 0 : [t, playing];
    } catch {
      return void 0;
    }
  }
  function mediaOp(el, ctx, scope) {
    const i = ctx.mirror.getId(el);
    if (i === void 0 || !isMediaElement(el) || scope.isMasked(el)) return null;
    const s = mediaState(el) ?? [0, 0];
    return { o: "media", i, t: s[0], p: s[1] };
  }
  var MAX_CANVAS_PIXELS = 4096 * 4096;

  // packages/dom/src/chosen-source.ts
  var HTML_NS5 = "http://www.w3.org/1999/xhtml";
  function isHtmlImage(el) {
    return el.localName === "img" && el.namespaceURI === HTML_NS5;
  }
  function chosenSource(el) {
    try {
      if (!isHtmlImage(el)) return void 0;
      if (!el.hasAttribute("srcset") && el.parentElement?.localName !== "picture") return void 0;
      const cs = el.currentSrc;
      return typeof cs === "string" && cs !== "" ? cs : void 0;
    } catch {
      return void 0;
    }
  }
  function chosenSourceOp(el, ctx, scope) {
    const i = ctx.mirror.getId(el);
    if (i === void 0 || scope.isMasked(el)) return null;
    const cs = chosenSource(el);
    return cs === void 0 ? null : { o: "cs", i, cs };
  }

  // packages/dom/src/serialize.ts
  function startWalk(ctx, match) {
    const doc = ctx.doc;
    const top = { base: doc.baseURI || doc.URL, scrolling: scrollingElement(doc) };
    return {
      ctx,
      base: top.base,
      scrolling: top.scrolling,
      scope: createMaskScope(ctx, match ?? ctx.match()),
      docs: /* @__PURE__ */ new Map([[doc, top]]),
      scripted: (sheet) => ctx.scriptedSheets.has(sheet)
    };
  }
  function documentInfo(w, node) {
    const owner = node.nodeType === 9 ? node : node.ownerDocument;
    if (owner === null) return w.docs.get(w.ctx.doc);
    let info = w.docs.get(owner);
    if (info === void 0) {
      info = { base: owner.baseURI || owner.URL, scrolling: scrollingElement(owner) };
      w.docs.set(owner, info);
    }
    return info;
  }
  function frameChild(el, out, w) {
    const ctx = w.ctx;
    if (ctx.frameDepth(el.ownerDocument) + 1 > FRAME_DEPTH_LIMIT) {
      ctx.showFrame(el, null);
      return null;
    }
    const content = frameContent(el);
    ctx.showFrame(el, content);
    if (content === null) out.xo = true;
    else w.frames?.push(content);
    return content;
  }
  function scrollingElement(doc) {
    const el = doc.scrollingElement;
    if (el !== void 0) return el;
    return doc.compatMode === "BackCompat" ? doc.body : doc.documentElement;
  }
  function isScript(local) {
    return local === "script" || local.length === 6 && local.toLowerCase() === "script";
  }
  function isCapturedNode(node, ctx) {
    switch (node.nodeType) {
      case 1:
        return !isScript(node.localName) && !ctx.isService(node);
      case 3:
      case 4:
      case 8:
      case 10:
        return true;
      case 9:
        return true;
      case 11:
        return true;
      default:
        return false;
    }
  }
  function capturesChildren(node) {
    const t = node.nodeType;
    if (t === 9 || t === 11) return true;
    if (t !== 1) return false;
    const name = node.localName;
    return name !== "noscript" && !isScript(name);
  }
  function formState(el, name, out, masked) {
    switch (name) {
      case "input": {
        const input = el;
        const type = input.type;
        if (type === "checkbox" || type === "radio") {
          if (input.checked) out.k = true;
        } else if (hasValueMode(type)) {
          const v = input.value;
          if (v !== "") out.v = masked ? maskValue(v) : v;
        }
        return;
      }
      case "textarea": {
        const v = el.value;
        if (v !== "" && v != null) out.v = masked ? maskValue(v) : v;
        return;
      }
      case "select": {
        const v = el.value;
        if (v !== "" && v != null && !masked) out.v = v;
        return;
      }
      case "option":
        if (el.selected) out.s = true;
        return;
    }
  }
  var VALID_NAME = 1;
  var PLAIN_NAME = 2;
  var nameFlags = /* @__PURE__ */ new Map();
  function attributeNameFlags(name) {
    let f = nameFlags.get(name);
    if (f === void 0) {
      f = (isValidName(name) ? VALID_NAME : 0) | (isPlainAttribute(name) ? PLAIN_NAME : 0);
      if (nameFlags.size >= 1024) nameFlags.clear();
      nameFlags.set(name, f);
    }
    return f;
  }
  function readAttributes(el, names, local, base, masked) {
    const count = names.length;
    if (count === 0) return void 0;
    let a;
    let bare = false;
    for (let i = 0; i < count; i++) {
      const name = names[i];
      const flags = attributeNameFlags(name);
      if ((flags & VALID_NAME) === 0) continue;
      const raw = el.getAttribute(name) ?? el.attributes.getNamedItemNS(null, name)?.value ?? null;
      if (raw === null) continue;
      let value = (flags & PLAIN_NAME) !== 0 ? raw : sanitizeAttribute(local, name, raw, base);
      if (value !== null && masked) value = maskAttribute(name, value);
      if (value === null) continue;
      if (!bare && name in Object.prototype) {
        bare = true;
        a = Object.assign(/* @__PURE__ */ Object.create(null), a);
      }
      a ?? (a = {});
      a[name] = value;
    }
    return a;
  }
  function serializeElement(el, w, masked) {
    const ctx = w.ctx;
    const local = el.localName;
    const names = el.getAttributeNames();
    if (isScript(local) || ctx.isService(el, names)) return null;
    const ns = nsTag(el.namespaceURI);
    const valid = ns === void 0 ? (attributeNameFlags(local) & VALID_NAME) !== 0 : isValidQName(local);
    const out = { i: ctx.mirror.assign(el), t: 1, n: valid ? local : FALLBACK_TAG };
    if (ns !== void 0) out.ns = ns;
    const info = el.ownerDocument === ctx.doc ? w : documentInfo(w, el);
    const base = info.base;
    const a = readAttributes(el, names, local, base, masked);
    if (a !== void 0) out.a = a;
    const r = w.scope.markOf(el);
    if (r !== 0) {
      out.r = r;
      w.sent?.[r === 2 ? "mask" : "control"].add(el);
    }
    if (masked && (isImageElement(el) || hasBackgroundImage(el))) out.sz = renderedSize(el);
    if (ns === void 0) {
      formState(el, local, out, masked);
      if (local === "canvas") ctx.canvasSerialized = true;
      else if (local === "style") {
        const css = styleElementCss(el, base, w.scripted);
        if (css !== void 0) out.css = css;
      } else if (local === "link" && !linkTravelsByUrl(el, w.ctx.cssomWatched, w.scripted)) {
        const css = linkElementCss(el, base, w.linkCss);
        if (css !== void 0) out.css = css;
      }
    } else if (local === "style") {
      const css = styleElementCss(el, base, w.scripted);
      if (css !== void 0) out.css = css;
    }
    if (ns === void 0 && !masked && local === "img") {
      const cs = chosenSource(el);
      if (cs !== void 0) out.cs = cs;
    }
    if (ns === void 0 && !masked && (local === "video" || local === "audio")) {
      const md = mediaState(el);
      if (md !== void 0) out.md = md;
    }
    if (ns === void 0 && (local === "dialog" || a !== void 0 && a["popover"] !== void 0)) {
      const tl = topLayerOf(el);
      if (tl !== void 0) out.tl = tl;
    }
    if (ns === void 0 && !w.noScroll && el !== info.scrolling) {
      const field = local === "input" || local === "textarea";
      const sw = w.scrollWatch;
      if ((field || ctx.dom.firstChild(el) !== null) && (sw === void 0 || sw.all || field || info !== w || w.inShadow === true || sw.scrolled.has(el))) {
        const left = el.scrollLeft;
        const top = el.scrollTop;
        if (left || top) {
          out.sc = [left, top];
          sw?.scrolled.add(el);
        }
      }
    }
    return out;
  }
  function serializeShallow(node, w, parentIsStyle, masked, text) {
    switch (node.nodeType) {
      case 1:
        return serializeElement(node, w, masked);
      case 3: {
        const data = text ?? node.data;
        const x = parentIsStyle ? absolutizeCss(data, documentInfo(w, node).base) : masked ? maskText(data) : data;
        return { i: w.ctx.mirror.assign(node), t: 3, x };
      }
      case 4: {
        const data = node.data;
        return { i: w.ctx.mirror.assign(node), t: 4, x: masked ? maskText(data) : data };
      }
      case 8: {
        const data = node.data;
        return { i: w.ctx.mirror.assign(node), t: 8, x: masked ? maskText(data) : data };
      }
      case 10: {
        const dt = node;
        const out = {
          i: w.ctx.mirror.assign(node),
          t: 10,
          n: isValidQName(dt.name) ? dt.name : FALLBACK_DOCTYPE
        };
        if (dt.publicId) out.pub = dt.publicId;
        if (dt.systemId) out.sys = dt.systemId;
        return out;
      }
      case 11: {
        const root = node;
        const out = { i: w.ctx.mirror.assign(root), t: 11 };
        if (w.ctx.noteShadowRoot(root)) w.scope.include(w.ctx.restrictions.matchAll([root]));
        const adopted = adoptedSheets(root);
        if (adopted !== null) {
          if (adopted.length > 0) out.as = adoptedCss(adopted, documentInfo(w, root).base);
          w.ctx.adoptedSent.set(root, adopted);
        }
        return out;
      }
      case 9: {
        const doc = node;
        const out = { i: w.ctx.mirror.assign(node), t: 9, c: [] };
        if (doc.compatMode === "BackCompat") out.quirks = true;
        const adopted = adoptedSheets(doc);
        if (adopted !== null) {
          if (adopted.length > 0) out.as = adoptedCss(adopted, documentInfo(w, doc).base);
          w.ctx.adoptedSent.set(doc, adopted);
        }
        const faces = scriptFontFaces(w.ctx, doc);
        w.ctx.fontsSent.set(doc, faces);
        if (faces.length > 0) {
          const { ff, fx } = fontFaceEntries(w.ctx, faces);
          if (ff.length > 0) out.ff = ff;
          if (fx > 0) out.fx = fx;
        }
        if (doc !== w.ctx.doc) {
          const win = doc.defaultView;
          const x = win ? win.scrollX : 0;
          const y = win ? win.scrollY : 0;
          if (x || y) out.sc = [x, y];
        }
        return out;
      }
      default:
        return null;
    }
  }
  function firstChild(node, out, w, frame) {
    if (frame) return frameChild(node, out, w);
    return w.ctx.dom.firstChild(node);
  }
  function isFrameWire(node, wire) {
    return wire.t === 1 && (wire.n === "iframe" || wire.n === "frame") && wire.ns === void 0 && isFrameElement(node);
  }
  var CHECK_EVERY = 256;
  var BIG_SUBTREE = 2048;
  function walkTree(root, w) {
    return walker(root, w, newStacks(), /* @__PURE__ */ new Set());
  }
  function newStacks() {
    return { parents: [], doms: [], cursors: [], masks: [], shadows: [], counts: [], kids: [], kidNodes: [], starts: [] };
  }
  function walker(root, w, stacks, big) {
    let scope = w.scope;
    let maskSet = scope.match.mask;
    const ctx = w.ctx;
    const dom = ctx.dom;
    const rootParent = ctx.parentOf(root);
    const inherited = rootParent !== null && scope.isMasked(rootParent);
    const rootMasked = inherited || root.nodeType === 1 && maskSet.has(root);
    const rootIsStyle = rootParent !== null && rootParent.nodeType === 1 && rootParent.localName === "style";
    const out = serializeShallow(root, w, rootIsStyle && root.nodeType === 3, rootMasked);
    const { parents, doms, cursors, masks, shadows, counts, kids, kidNodes, starts } = stacks;
    let kidCount = 0;
    let last = out === null ? 0 : out.i;
    const implicitId = (child) => {
      const i = child.i;
      if (i === last + 1) child.i = 0;
      last = i;
    };
    let runText = null;
    let runAt = 0;
    let runNext = null;
    const textOf = (node, next) => {
      if (runText !== null && runNext === node) {
        const len = node.length;
        if (runAt + len <= runText.length) {
          const x = runText.slice(runAt, runAt + len);
          runAt += len;
          runNext = next;
          return x;
        }
      }
      runText = null;
      if (next !== null && next.nodeType === 3) {
        const prev = dom.previousSibling(node);
        if (prev === null || prev.nodeType !== 3 && prev.nodeType !== 4) {
          const whole = node.wholeText;
          const len = node.length;
          if (len <= whole.length) {
            runText = whole;
            runAt = len;
            runNext = next;
            return whole.slice(0, len);
          }
        }
      }
      return node.data;
    };
    let skipped = null;
    let top = -1;
    const push = (node, wire, first, masked, shadow) => {
      parents.push(wire);
      doms.push(node);
      cursors.push(first);
      masks.push(masked);
      shadows.push(shadow);
      counts.push(1);
      starts.push(kidCount);
      top++;
    };
    const pop = () => {
      const n = counts.pop();
      const wire = parents[top];
      if (big !== null && n >= BIG_SUBTREE) big.add(wire);
      const start = starts.pop();
      if (kidCount > start) {
        wire.c = kids.slice(start, kidCount);
        kidCount = start;
      }
      parents.pop();
      doms.pop();
      cursors.pop();
      masks.pop();
      shadows.pop();
      top--;
      if (top >= 0) counts[top] = counts[top] + n;
    };
    const addKid = (child, node) => {
      kids[kidCount] = child;
      kidNodes[kidCount] = node;
      kidCount++;
    };
    const enter = (node, wire, masked, inShadow) => {
      const frame = isFrameWire(node, wire);
      const first = firstChild(node, wire, w, frame);
      const shadow = wire.t === 1 && !frame ? dom.shadowRoot(node) : null;
      if (first !== null || shadow !== null) push(node, wire, first, masked, inShadow);
      if (shadow === null) return;
      const rootWire = serializeShallow(shadow, w, false, masked);
      implicitId(rootWire);
      addKid(rootWire, shadow);
      const rootFirst = dom.firstChild(shadow);
      if (rootFirst !== null) push(shadow, rootWire, rootFirst, masked, true);
    };
    if (out !== null && (out.t === 1 || out.t === 9 || out.t === 11) && capturesChildren(root)) enter(root, out, rootMasked, root.nodeType === 11);
    const run = (stop) => {
      let budget = CHECK_EVERY;
      const skip = skipped;
      const skipping = skip !== null && skip.size > 0;
      runText = null;
      while (top >= 0) {
        const node = cursors[top];
        if (node === null) {
          pop();
          continue;
        }
        if (stop !== void 0 && --budget === 0) {
          budget = CHECK_EVERY;
          if (stop()) return false;
        }
        const next = dom.nextSibling(node);
        cursors[top] = next;
        if (skipping && skip.has(node)) continue;
        const parent = parents[top];
        const parentMasked = masks[top];
        const type = node.nodeType;
        const masked = parentMasked || type === 1 && maskSet.has(node);
        const inShadow = shadows[top];
        w.inShadow = inShadow;
        const child = serializeShallow(node, w, parent.t === 1 && parent.n === "style", masked, type === 3 ? textOf(node, next) : void 0);
        if (child === null) continue;
        implicitId(child);
        counts[top] = counts[top] + 1;
        addKid(child, node);
        if (child.t === 1 && child.n !== "noscript" || child.t === 9) enter(node, child, masked, inShadow);
      }
      if (big !== null) {
        kids.length = 0;
        kidNodes.length = 0;
      }
      return true;
    };
    const resume = (records, match) => {
      const dirty = /* @__PURE__ */ new Set();
      const skip = skipped ?? (skipped = /* @__PURE__ */ new Set());
      for (let r = 0; r < records.length; r++) {
        const rec = records[r];
        if (rec.type !== "childList") continue;
        dirty.add(rec.target);
        const added = rec.addedNodes;
        for (let i = 0; i < added.length; i++) skip.add(added[i]);
      }
      for (let k = 1; k <= top; k++) {
        const node = doms[k];
        if (skip.has(node) || ctx.parentOf(node) !== doms[k - 1]) {
          while (top >= k) pop();
          break;
        }
      }
      if (match !== null) {
        w.scope = scope = createMaskScope(ctx, match);
        maskSet = match.mask;
        for (let k = 0; k <= top; k++) if (!masks[k]) masks[k] = scope.isMasked(doms[k]);
      }
      for (let k = 0; k <= top; k++) {
        const node = doms[k];
        if (!dirty.has(node) || node.nodeType === 1 && isFrameElement(node)) continue;
        const end = k < top ? starts[k + 1] : kidCount;
        let next = dom.firstChild(node);
        for (let j = end - 1; j >= starts[k]; j--) {
          const n = kidNodes[j];
          if (!skip.has(n) && dom.parentNode(n) === node) {
            next = dom.nextSibling(n);
            break;
          }
        }
        cursors[k] = next;
      }
    };
    return { out, big: big ?? NO_BIG, run, resume };
  }
  var NO_BIG = /* @__PURE__ */ new Set();
  function serializeTree(root, w) {
    const stacks = w.stacks ?? newStacks();
    w.stacks = void 0;
    const t = walker(root, w, stacks, null);
    t.run();
    w.stacks = stacks;
    return t.out;
  }
  function documentSnapshot(w, tree) {
    const doc = w.ctx.doc;
    const win = doc.defaultView;
    return {
      url: doc.URL,
      title: maskedTitle(doc, w.scope),
      viewport: { w: win ? win.innerWidth : 0, h: win ? win.innerHeight : 0 },
      scroll: [win ? win.scrollX : 0, win ? win.scrollY : 0],
      doc: tree
    };
  }

  // packages/dom/src/mutations.ts
  var OUT = 0;
  var STABLE = 1;
  var COVERED = 2;
  function batchState(ctx) {
    return { ctx, added: /* @__PURE__ */ new Set(), memo: /* @__PURE__ */ new Map(), lastParent: null, parentCaptures: false, parentIsFrame: false, chain: [] };
  }
  function statusOf(node, b) {
    const memo = b.memo;
    const known = memo.get(node);
    if (known !== void 0) return known;
    const dom = b.ctx.dom;
    const doc = b.ctx.doc;
    const chain = b.chain;
    let count = 0;
    let cur = node;
    let s = OUT;
    for (; ; ) {
      if (cur === null) {
        s = OUT;
        break;
      }
      const m = memo.get(cur);
      if (m !== void 0) {
        s = m;
        break;
      }
      if (cur === doc) {
        s = STABLE;
        memo.set(cur, s);
        break;
      }
      chain[count++] = cur;
      cur = cur.nodeType === 9 || cur.nodeType === 11 ? b.ctx.parentOf(cur) : dom.parentNode(cur);
    }
    for (let k = count - 1; k >= 0; k--) {
      const n = chain[k];
      if (s !== OUT) {
        const parent = k + 1 < count ? chain[k + 1] : cur;
        if (parent !== b.lastParent) {
          b.lastParent = parent;
          b.parentCaptures = capturesChildren(parent);
          b.parentIsFrame = parent.nodeType === 1 && isFrameElement(parent);
        }
        if (!b.parentCaptures || !isCapturedNode(n, b.ctx)) s = OUT;
        else if (b.parentIsFrame !== (n.nodeType === 9)) s = OUT;
        else if (s === STABLE && b.added.has(n)) s = COVERED;
      }
      if (k > 0) memo.set(n, s);
    }
    return s;
  }
  function qualifiedName(ns, local) {
    if (ns === null || ns === "") return local;
    if (ns === XLINK_NS) return "xlink:" + local;
    if (ns === XML_NS) return "xml:" + local;
    if (ns === XMLNS_NS) return local === "xmlns" ? local : "xmlns:" + local;
    return local;
  }
  function isHtml(el) {
    return el.namespaceURI === HTML_NS3;
  }
  function affectsFormState(el, local) {
    if (local !== "value" && local !== "checked" && local !== "type" && local !== "selected" && local !== "multiple") return false;
    if (!isHtml(el)) return false;
    switch (el.localName) {
      case "input":
        return local === "value" || local === "checked" || local === "type";
      case "option":
        return local === "selected" || local === "value";
      case "select":
        return local === "multiple";
      default:
        return false;
    }
  }
  function formStateOp(el, ctx, scope) {
    const i = ctx.mirror.getId(el);
    if (i === void 0 || !isHtml(el)) return null;
    switch (el.localName) {
      case "input": {
        const input = el;
        const type = input.type;
        if (type === "checkbox" || type === "radio") return { o: "val", i, k: input.checked };
        if (!hasValueMode(type)) return null;
        const v = input.value;
        return { o: "val", i, v: isMasked(el, ctx, scope) ? maskValue(v) : v };
      }
      case "textarea": {
        const v = el.value;
        return { o: "val", i, v: isMasked(el, ctx, scope) ? maskValue(v) : v };
      }
      case "select":
        if (isMasked(el, ctx, scope)) return null;
        return { o: "val", i, v: el.value };
      case "option":
        return { o: "val", i, s: el.selected };
      default:
        return null;
    }
  }
  function isMasked(el, ctx, scope) {
    return scope !== void 0 ? scope.isMasked(el) : ctx.restrictions.isMasked(el);
  }
  function formStateOps(el, ctx, scope) {
    const out = [];
    const op = formStateOp(el, ctx, scope);
    if (op !== null) out.push(op);
    if (isHtml(el) && el.localName === "select") {
      const options = el.options;
      for (let i = 0; i < options.length; i++) {
        const o = options[i];
        const oop = o ? formStateOp(o, ctx, scope) : null;
        if (oop !== null) out.push(oop);
      }
    }
    return out;
  }
  function scrollOp(target, ctx) {
    const doc = target.nodeType === 9 ? target : target.ownerDocument;
    if (target.nodeType === 9 || target === scrollingElement(doc)) {
      const win = doc.defaultView;
      if (!win) return null;
      const known = ctx.mirror.getId(doc);
      if (known === void 0 && doc !== ctx.doc) return null;
      const i2 = known ?? DOCUMENT_ID;
      return { o: "scroll", i: i2, x: win.scrollX, y: win.scrollY };
    }
    const i = ctx.mirror.getId(target);
    if (i === void 0) return null;
    const el = target;
    return { o: "scroll", i, x: el.scrollLeft, y: el.scrollTop };
  }
  function inReverseOrder(parent, set, b) {
    const out = [];
    const dom = b.ctx.dom;
    for (let c = dom.lastChild(parent); c !== null; c = dom.previousSibling(c)) {
      if (set.has(c)) out.push(c);
    }
    return out;
  }
  function nextKnownSibling(node, b) {
    const { dom, mirror } = b.ctx;
    for (let s = dom.nextSibling(node); s !== null; s = dom.nextSibling(s)) {
      if (!isCapturedNode(s, b.ctx)) continue;
      const id = mirror.getId(s);
      if (id !== void 0) return id;
    }
    return null;
  }
  function noteContentChange(node, styles, forms) {
    if (node === null || node.nodeType !== 1) return;
    const el = node;
    const name = el.localName;
    if (name === "style") styles.add(el);
    else if ((name === "textarea" || name === "select") && isHtml(el)) forms.add(el);
  }
  function connected(el) {
    try {
      return el.isConnected !== false;
    } catch {
      return true;
    }
  }
  function mutationsToOps(records, ctx, change, resend) {
    const { mirror, dom } = ctx;
    const after = change !== void 0 ? change.after : ctx.match();
    const before = change !== void 0 ? change.before : after;
    const b = batchState(ctx);
    const added = b.added;
    const removed = /* @__PURE__ */ new Set();
    const attrs = /* @__PURE__ */ new Map();
    const texts = /* @__PURE__ */ new Set();
    const styles = /* @__PURE__ */ new Set();
    const forms = /* @__PURE__ */ new Set();
    for (let r = 0; r < records.length; r++) {
      const rec = records[r];
      const target = rec.target;
      switch (rec.type) {
        case "childList": {
          if (mirror.getId(target) === void 0) break;
          const removedNodes = rec.removedNodes;
          for (let i = 0; i < removedNodes.length; i++) {
            const n = removedNodes[i];
            if (mirror.getId(n) !== void 0) removed.add(n);
          }
          const addedNodes = rec.addedNodes;
          for (let i = 0; i < addedNodes.length; i++) {
            const n = addedNodes[i];
            added.add(n);
            if (mirror.getId(n) !== void 0) removed.add(n);
          }
          noteContentChange(target, styles, forms);
          break;
        }
        case "characterData": {
          texts.add(target);
          const parent = dom.parentNode(target);
          if (parent !== null && mirror.getId(parent) !== void 0) noteContentChange(parent, styles, forms);
          break;
        }
        case "attributes": {
          const el = target;
          const local = rec.attributeName ?? "";
          const ns = rec.attributeNamespace;
          if (local === SERVICE_ATTRIBUTE && ns === null) {
            added.add(el);
            if (mirror.getId(el) !== void 0) removed.add(el);
            break;
          }
          const key = ns ? ns + " " + local : local;
          const keys = attrs.get(el);
          if (keys === void 0) attrs.set(el, key);
          else if (typeof keys === "string") {
            if (keys !== key) attrs.set(el, [keys, key]);
          } else if (!keys.includes(key)) keys.push(key);
          if (affectsFormState(el, local)) forms.add(el);
          break;
        }
      }
    }
    if (resend !== void 0) {
      for (const el of resend) {
        if (mirror.getId(el) === void 0) continue;
        added.add(el);
        removed.add(el);
      }
    }
    const marks = [];
    if (before !== after) {
      const resend2 = (el) => {
        if (mirror.getId(el) === void 0 || !connected(el)) return;
        added.add(el);
        removed.add(el);
      };
      for (const el of before.mask) if (!after.mask.has(el)) resend2(el);
      for (const el of after.mask) if (!before.mask.has(el)) resend2(el);
      for (const el of before.control) {
        if (!after.control.has(el) && !after.mask.has(el) && mirror.getId(el) !== void 0) marks.push([el, 0]);
      }
      for (const el of after.control) {
        if (!before.control.has(el) && !before.mask.has(el) && mirror.getId(el) !== void 0) marks.push([el, 1]);
      }
    }
    const ops = [];
    for (const n of removed) added.add(n);
    const forget = [];
    for (const n of removed) {
      const id = mirror.getId(n);
      if (id === void 0 || id === DOCUMENT_ID) continue;
      ops.push({ o: "rm", i: id });
      if (statusOf(n, b) === OUT) forget.push(n);
    }
    for (const n of forget) mirror.forgetSubtree(n);
    const groups = /* @__PURE__ */ new Map();
    for (const n of added) {
      const parent = dom.parentNode(n);
      if (parent === null || added.has(parent)) continue;
      if (statusOf(n, b) === OUT || statusOf(parent, b) !== STABLE) continue;
      const group = groups.get(parent);
      if (group === void 0) groups.set(parent, [n]);
      else group.push(n);
    }
    const walk = { ...startWalk(ctx, after), noScroll: true };
    const scope = walk.scope;
    for (const [parent, group] of groups) {
      const p = mirror.getId(parent);
      if (p === void 0) continue;
      const ordered = group.length === 1 ? group : inReverseOrder(parent, new Set(group), b);
      for (const n of ordered) {
        const nx = nextKnownSibling(n, b);
        const node = serializeTree(n, walk);
        if (node !== null) ops.push({ o: "add", p, nx, n: node });
      }
    }
    for (const [el, r] of marks) {
      if (statusOf(el, b) !== STABLE) continue;
      const i = mirror.getId(el);
      if (i !== void 0) ops.push({ o: "restrict", i, r });
    }
    const validNames = /* @__PURE__ */ new Map();
    const attrOp = (el, i, key, masked, local, base2) => {
      const space = key.indexOf(" ");
      let k;
      let raw;
      if (space < 0) {
        k = key;
        raw = el.getAttributeNS(null, key);
      } else {
        const ns = key.slice(0, space);
        const name = key.slice(space + 1);
        const attr = el.getAttributeNodeNS(ns, name);
        k = attr ? attr.name : qualifiedName(ns, name);
        raw = attr ? attr.value : null;
      }
      let valid = validNames.get(k);
      if (valid === void 0) validNames.set(k, valid = isValidName(k));
      if (!valid) return;
      let v = raw !== null ? sanitizeAttribute(local, k, raw, base2) : null;
      if (masked) {
        if (maskAttribute(k, "") === null) return;
        if (v !== null) v = maskAttribute(k, v);
      }
      const last = ops[ops.length - 1];
      if (last !== void 0 && last.o === "attr" && last.k === k && last.v === v) {
        if (last.is === void 0) last.is = [i];
        else last.is.push(i);
        return;
      }
      ops.push({ o: "attr", i, k, v });
    };
    let baseDoc = null;
    let base = walk.base;
    for (const [el, keys] of attrs) {
      const i = mirror.getId(el);
      if (i === void 0 || statusOf(el, b) !== STABLE) continue;
      const masked = scope.isMasked(el);
      const local = el.localName;
      const owner = el.ownerDocument;
      if (owner !== baseDoc) {
        baseDoc = owner;
        base = documentInfo(walk, el).base;
      }
      if (typeof keys === "string") attrOp(el, i, keys, masked, local, base);
      else for (const key of keys) attrOp(el, i, key, masked, local, base);
      if (typeof keys === "string" ? keys === "open" || keys === "popover" : keys.includes("open") || keys.includes("popover")) {
        const tl = topLayerOp(el, ctx);
        if (tl !== null) ops.push(tl);
      }
    }
    for (const t of texts) {
      if (statusOf(t, b) !== STABLE) continue;
      const i = mirror.getId(t);
      if (i === void 0) continue;
      const parent = dom.parentNode(t);
      const data = t.data;
      const isCss = parent !== null && parent.nodeType === 1 && parent.localName === "style";
      const x = isCss ? absolutizeCss(data, documentInfo(walk, t).base) : parent !== null && scope.isMasked(parent) ? maskText(data) : data;
      ops.push({ o: "text", i, x });
    }
    for (const el of forms) {
      if (statusOf(el, b) !== STABLE) continue;
      const state = formStateOps(el, ctx, scope);
      for (const op of state) ops.push(op);
    }
    for (const el of styles) {
      if (statusOf(el, b) !== STABLE) continue;
      const i = mirror.getId(el);
      if (i === void 0) continue;
      const css = styleElementCss(el, documentInfo(walk, el).base, walk.scripted);
      if (css !== void 0) ops.push({ o: "css", i, css });
    }
    return ops;
  }
  function forgetRemoved(records, ctx) {
    const { mirror } = ctx;
    const b = batchState(ctx);
    const gone = /* @__PURE__ */ new Set();
    for (let r = 0; r < records.length; r++) {
      const rec = records[r];
      if (rec.type !== "childList") continue;
      const removedNodes = rec.removedNodes;
      for (let i = 0; i < removedNodes.length; i++) {
        const n = removedNodes[i];
        if (mirror.getId(n) !== void 0) gone.add(n);
      }
    }
    for (const n of gone) {
      const id = mirror.getId(n);
      if (id !== void 0 && id !== DOCUMENT_ID && statusOf(n, b) === OUT) mirror.forgetSubtree(n);
    }
  }
  function attached(node) {
    try {
      return node.isConnected !== false;
    } catch {
      return true;
    }
  }
  function stylesheetOps(ctx, changed, sent = /* @__PURE__ */ new Set()) {
    const ops = [];
    for (const sheet of changed) {
      let owner = null;
      try {
        owner = sheet.ownerNode;
      } catch {
        owner = null;
      }
      if (owner === null || owner.nodeType !== 1) continue;
      const i = ctx.mirror.getId(owner);
      if (i === void 0 || sent.has(i) || !attached(owner)) continue;
      const el = owner;
      const base = el.ownerDocument.baseURI || el.ownerDocument.URL;
      if (el.localName === "style") {
        ctx.scriptedSheets.add(sheet);
        const css = stylesheetText(sheet, base);
        if (css !== null) ops.push({ o: "css", i, css });
      } else if (el.localName === "link") {
        ctx.scriptedSheets.add(sheet);
        const css = linkElementCss(el, base);
        if (css !== void 0) ops.push({ o: "css", i, css });
      }
    }
    for (const [doc, before] of ctx.adoptedSent) {
      const i = ctx.mirror.getId(doc);
      if (i === void 0) {
        ctx.adoptedSent.delete(doc);
        continue;
      }
      const now = adoptedSheets(doc);
      if (now === null) continue;
      let dirty = !sameSheets(before, now);
      for (let k = 0; !dirty && k < now.length; k++) dirty = changed.has(now[k]);
      if (!dirty) continue;
      ctx.adoptedSent.set(doc, now);
      const owner = doc.nodeType === 9 ? doc : doc.ownerDocument;
      ops.push({ o: "adopt", i, as: adoptedCss(now, owner.baseURI || owner.URL) });
    }
    return ops;
  }

  // packages/dom/src/prototype-watch.ts
  var apply = Reflect.apply;
  var construct = Reflect.construct;
  var ProxyOf = Proxy;
  var call = Function.prototype.call;
  var bind = Function.prototype.bind;
  var getOwnDescriptor = Object.getOwnPropertyDescriptor;
  var defineProperty = Object.defineProperty;
  function descriptorOf(proto, name) {
    if (!proto) return void 0;
    try {
      const desc = getOwnDescriptor(proto, name);
      return desc?.configurable ? desc : void 0;
    } catch {
      return void 0;
    }
  }
  function createPrototypeWatch() {
    let active = true;
    const patches = [];
    const install = (proto, name, original, installed) => {
      try {
        defineProperty(proto, name, installed);
        patches.push({ proto, name, original, installed });
      } catch {
      }
    };
    const wrapMethod = (proto, name, after) => {
      const desc = descriptorOf(proto, name);
      if (!proto || !desc || typeof desc.value !== "function") return;
      const original = desc.value;
      const wrapped = {
        // A method definition: no `prototype`, like native methods; keeps the name.
        [name](...args) {
          const result = apply(original, this, args);
          if (active) {
            try {
              after(this, result);
            } catch {
            }
          }
          return result;
        }
      }[name];
      try {
        defineProperty(wrapped, "length", { value: original.length });
      } catch {
      }
      install(proto, name, desc, { ...desc, value: wrapped });
    };
    const wrapSetter = (proto, name, after) => {
      const desc = descriptorOf(proto, name);
      if (!proto || !desc || typeof desc.set !== "function") return;
      const set = apply(bind, call, [desc.set]);
      const wrapped = {
        set(value) {
          set(this, value);
          if (!active) return;
          try {
            after(this);
          } catch {
          }
        }
      }.set;
      try {
        defineProperty(wrapped, "name", { value: `set ${name}` });
      } catch {
      }
      install(proto, name, desc, { ...desc, set: wrapped });
    };
    const wrapConstructor = (owner, name, after) => {
      const desc = descriptorOf(owner, name);
      if (!owner || !desc || typeof desc.value !== "function") return;
      const wrapped = new ProxyOf(desc.value, {
        construct(target, args, newTarget) {
          const instance = construct(target, args, newTarget === wrapped ? target : newTarget);
          if (active) {
            try {
              after(instance, args);
            } catch {
            }
          }
          return instance;
        }
      });
      install(owner, name, desc, { ...desc, value: wrapped });
    };
    return {
      get active() {
        return active;
      },
      methods(proto, names, after) {
        for (const name of names) wrapMethod(proto, name, after);
      },
      setters(proto, names, after) {
        for (const name of names) wrapSetter(proto, name, after);
      },
      constructors(owner, names, after) {
        for (const name of names) wrapConstructor(owner, name, after);
      },
      unwatch() {
        active = false;
        for (const p of patches) {
          try {
            const now = getOwnDescriptor(p.proto, p.name);
            const ours = now !== void 0 && now.value === p.installed.value && now.set === p.installed.set;
            if (ours) defineProperty(p.proto, p.name, p.original);
          } catch {
          }
        }
        patches.length = 0;
      }
    };
  }

  // packages/dom/src/cssom-watch.ts
  function topLevelSheet(target) {
    try {
      let sheet = typeof target === "object" && target !== null && "ownerRule" in target ? target : target.parentStyleSheet;
      for (let hops = 0; sheet && hops < 16; hops++) {
        const owner = sheet.ownerRule;
        if (!owner || !owner.parentStyleSheet) return sheet;
        sheet = owner.parentStyleSheet;
      }
      return sheet ?? null;
    } catch {
      return null;
    }
  }
  function watchStylesheets(win, onSheet, onAdopt) {
    const watch = createPrototypeWatch();
    const w = win;
    const sheetChanged = (target) => {
      const sheet = topLevelSheet(target);
      if (sheet) onSheet(sheet);
    };
    const sheetReplaced = (target, result) => {
      sheetChanged(target);
      if (result && typeof result.then === "function") {
        result.then(
          () => {
            try {
              if (watch.active) sheetChanged(target);
            } catch {
            }
          },
          () => void 0
        );
      }
    };
    const adopted = (target) => onAdopt(target);
    const sheetProto = w["CSSStyleSheet"]?.prototype;
    watch.methods(sheetProto, ["insertRule", "deleteRule", "addRule", "removeRule", "replaceSync"], sheetChanged);
    watch.methods(sheetProto, ["replace"], sheetReplaced);
    watch.methods(w["CSSGroupingRule"]?.prototype, ["insertRule", "deleteRule"], sheetChanged);
    watch.setters(w["Document"]?.prototype, ["adoptedStyleSheets"], adopted);
    watch.setters(w["ShadowRoot"]?.prototype, ["adoptedStyleSheets"], adopted);
    return { unwatch: watch.unwatch };
  }

  // packages/dom/src/animation.ts
  var MAX_ANIMATIONS = 500;
  function nameOf(anim) {
    if (typeof anim.animationName === "string") return "a:" + anim.animationName;
    if (typeof anim.transitionProperty === "string") return "t:" + anim.transitionProperty;
    return void 0;
  }
  function targetOf(anim) {
    const effect = anim.effect;
    if (!effect || effect.pseudoElement) return null;
    return effect.target ?? null;
  }
  function animationTime(anim, ctx) {
    const name = nameOf(anim);
    const target = targetOf(anim);
    const time = anim.currentTime;
    if (name === void 0 || target === null || typeof time !== "number" || !Number.isFinite(time)) return null;
    const id = ctx.mirror.getId(target);
    if (id === void 0) return null;
    return [id, name, Math.round(time), anim.playState === "paused" ? 1 : 0];
  }
  var MAX_KEYFRAMES = 100;
  var MAX_VALUE_CHARS = 4096;
  var KEYFRAME_MEMBERS = /* @__PURE__ */ new Set(["offset", "easing", "composite"]);
  var TIMING_STRINGS = /* @__PURE__ */ new Set(["fill", "direction", "easing", "duration"]);
  var TIMING_NUMBERS = /* @__PURE__ */ new Set(["delay", "endDelay", "iterationStart", "iterations", "duration"]);
  var PLAY_STATES = /* @__PURE__ */ new Set(["idle", "running", "paused", "finished"]);
  function isCssProperty(style, name) {
    if (name.startsWith("--")) return /^--[\w-]+$/.test(name);
    return name !== "cssText" && typeof style[name] === "string";
  }
  function styleOf(el) {
    const style = el.style ?? el.ownerDocument.documentElement?.style;
    return style ?? null;
  }
  function wireTiming(timing) {
    const out = {};
    for (const [k, v] of Object.entries(timing)) {
      if (typeof v === "number" && TIMING_NUMBERS.has(k)) {
        if (Number.isFinite(v)) out[k] = v;
        else if (v === Infinity) out[k] = "Infinity";
      } else if (typeof v === "string" && TIMING_STRINGS.has(k) && v.length <= MAX_VALUE_CHARS) {
        out[k] = v;
      }
    }
    return out;
  }
  function scriptAnimation(anim, ctx, scope) {
    if (nameOf(anim) !== void 0) return null;
    const effect = anim.effect;
    if (!effect || typeof effect.getKeyframes !== "function" || typeof effect.getTiming !== "function") return null;
    const target = targetOf(anim);
    if (target === null) return null;
    const i = ctx.mirror.getId(target);
    const style = styleOf(target);
    if (i === void 0 || style === null) return null;
    const n = ctx.animationId(anim);
    const masked = scope.isMasked(target);
    const base = target.ownerDocument.baseURI || target.ownerDocument.URL;
    const kf = [];
    for (const frame of effect.getKeyframes().slice(0, MAX_KEYFRAMES)) {
      const out = {};
      for (const [k, v] of Object.entries(frame)) {
        if (k === "offset") {
          if (typeof v === "number" || v === null) out[k] = v;
        } else if (KEYFRAME_MEMBERS.has(k)) {
          if (typeof v === "string" && v.length <= MAX_VALUE_CHARS) out[k] = v;
        } else if (typeof v === "string" && v.length <= MAX_VALUE_CHARS && isCssProperty(style, k)) {
          const value = masked ? maskStyle(v) : absolutizeCss(v, base);
          if (value !== null) out[k] = value;
        }
      }
      kf.push(out);
    }
    const time = anim.currentTime;
    const rate = anim.playbackRate;
    const ps = anim.playState;
    const entry = {
      n,
      i,
      kf,
      tm: wireTiming(effect.getTiming()),
      t: typeof time === "number" && Number.isFinite(time) ? Math.round(time) : null,
      ps: PLAY_STATES.has(ps) ? ps : "idle"
    };
    if (typeof rate === "number" && Number.isFinite(rate) && rate !== 1) entry.r = rate;
    return entry;
  }
  function snapshotAnimations(ctx, scope) {
    const out = { an: [], wa: [] };
    for (const doc of ctx.knownDocuments()) {
      let list;
      try {
        list = typeof doc.getAnimations === "function" ? doc.getAnimations() : [];
      } catch {
        continue;
      }
      const times = doc === ctx.doc;
      for (const anim of list) {
        if (out.wa.length >= MAX_ANIMATIONS && (!times || out.an.length >= MAX_ANIMATIONS)) return out;
        try {
          if (nameOf(anim) !== void 0) {
            if (!times || out.an.length >= MAX_ANIMATIONS) continue;
            const entry = animationTime(anim, ctx);
            if (entry !== null) out.an.push(entry);
          } else if (out.wa.length < MAX_ANIMATIONS) {
            const entry = scriptAnimation(anim, ctx, scope);
            if (entry !== null) out.wa.push(entry);
          }
        } catch {
        }
      }
    }
    return out;
  }
  function scriptAnimationOp(anim, ctx, scope) {
    try {
      const a = scriptAnimation(anim, ctx, scope);
      return a === null ? null : { o: "anim", a };
    } catch {
      return null;
    }
  }

  // packages/dom/src/form-watch.ts
  function watchFormState(win, onValue) {
    const watch = createPrototypeWatch();
    const w = win;
    const changed = onValue;
    const input = w["HTMLInputElement"]?.prototype;
    watch.setters(input, ["value", "checked", "valueAsNumber", "valueAsDate"], changed);
    watch.methods(input, ["setRangeText", "stepUp", "stepDown"], changed);
    const textarea = w["HTMLTextAreaElement"]?.prototype;
    watch.setters(textarea, ["value"], changed);
    watch.methods(textarea, ["setRangeText"], changed);
    watch.setters(w["HTMLSelectElement"]?.prototype, ["value", "selectedIndex"], changed);
    watch.setters(w["HTMLOptionElement"]?.prototype, ["selected"], changed);
    return { unwatch: watch.unwatch };
  }

  // packages/dom/src/shadow-watch.ts
  function watchShadowRoots(win, dom, onAttach = () => {
  }) {
    const watch = createPrototypeWatch();
    const w = win;
    watch.methods(w["Element"]?.prototype, ["attachShadow"], (host, root) => {
      dom.keepShadowRoot(host, root);
      onAttach(host);
    });
    return { unwatch: watch.unwatch };
  }

  // packages/dom/src/font-watch.ts
  function watchFonts(win, fonts) {
    const watch = createPrototypeWatch();
    const w = win;
    watch.constructors(win, ["FontFace"], (face, args) => fonts.constructed(face, args[1], win));
    watch.methods(w["FontFaceSet"]?.prototype, ["add", "delete", "clear"], () => fonts.changed());
    return { unwatch: watch.unwatch };
  }

  // packages/dom/src/animation-watch.ts
  function watchScriptAnimations(win, animations) {
    const watch = createPrototypeWatch();
    const w = win;
    watch.methods(w["Element"]?.prototype, ["animate"], (_el, anim) => animations.changed(anim));
    watch.methods(
      w["Animation"]?.prototype,
      ["play", "pause", "cancel", "finish"],
      (anim) => animations.changed(anim)
    );
    return { unwatch: watch.unwatch };
  }

  // packages/sdk/src/snapshot.ts
  var SLICE_MS = 8;
  function createSlicer() {
    let until = 0;
    const start = () => {
      until = performance.now() + SLICE_MS;
    };
    const waiting = [];
    let port = null;
    return {
      start,
      over: () => performance.now() > until,
      next: () => new Promise((resolve) => {
        if (port === null) {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => {
            start();
            waiting.shift()?.();
            if (waiting.length === 0) {
              ch.port1.close();
              port = null;
            }
          };
          port = ch.port2;
        }
        waiting.push(resolve);
        port.postMessage(0);
      })
    };
  }
  function takeSnapshot(ctx, slicer, hooks, memory) {
    let cancelled = false;
    let version = ctx.restrictions.version;
    let url = ctx.doc.URL;
    const w = startWalk(ctx);
    const sent = { mask: /* @__PURE__ */ new Set(), control: /* @__PURE__ */ new Set() };
    w.sent = sent;
    w.frames = [];
    w.linkCss = memory?.linkCss;
    w.scrollWatch = memory?.scroll;
    const walk = walkTree(ctx.doc, w);
    slicer.start();
    const step = (resumed) => {
      if (cancelled) return;
      try {
        if (resumed) {
          const records = hooks.records();
          const rematch = records.length > 0 || ctx.restrictions.version !== version || ctx.doc.URL !== url;
          version = ctx.restrictions.version;
          url = ctx.doc.URL;
          walk.resume(records, rematch ? ctx.match() : null);
        }
        if (!walk.run(slicer.over)) {
          hooks.paused(w.frames.splice(0));
          void slicer.next().then(() => step(true));
          return;
        }
        const snapshot = documentSnapshot(w, walk.out);
        const split = walk.big.size > 0 ? walk.big.add(snapshot) : void 0;
        hooks.done({ snapshot, sent, scope: w.scope, split, frames: w.frames });
      } catch (err) {
        hooks.failed(err);
      }
    };
    step(false);
    return {
      cancel() {
        cancelled = true;
      }
    };
  }

  // packages/sdk/src/capture.ts
  function originalTarget(ev) {
    try {
      const path = ev.composedPath();
      if (path.length > 0) return path[0] ?? ev.target;
    } catch {
    }
    return ev.target;
  }
  function withRadioGroups(controls) {
    let out = controls;
    const done = /* @__PURE__ */ new Map();
    for (const el of controls) {
      try {
        if (el.localName !== "input" || el.type !== "radio") continue;
        const radio = el;
        const name = radio.name;
        if (!name) continue;
        const scope = radio.form ?? radio.getRootNode();
        let names = done.get(scope);
        if (names === void 0) done.set(scope, names = /* @__PURE__ */ new Set());
        if (names.has(name)) continue;
        names.add(name);
        if (out === controls) out = new Set(controls);
        for (const other of scope.querySelectorAll('input[type="radio"]')) {
          if (other.name === name) out.add(other);
        }
      } catch {
      }
    }
    return out;
  }
  function isElement(t) {
    return t !== null && typeof t === "object" && t.nodeType === 1;
  }
  var OBSERVE = { childList: true, subtree: true, attributes: true, characterData: true };
  var BACKLOG_LIMIT = 8 * 1024 * 1024;
  var IN_FLIGHT_LIMIT = 32;
  var ENCODE_AHEAD = 2;
  var PENDING_LIMIT = 25e3;
  var BURST_LIMIT = 3e4;
  var FLUSH_INTERVAL_MS = 16;
  var CANVAS_POLL_MS = 500;
  var CANVAS_FALLBACK_MS = 5e3;
  var URL_POLL_MS = 250;
  function hoveredNow(doc) {
    try {
      const all = doc.querySelectorAll(":hover");
      return all.length > 0 ? all[all.length - 1] ?? null : null;
    } catch {
      return null;
    }
  }
  function withoutArrayToJSON(fn) {
    const proto = Array.prototype;
    const desc = Object.getOwnPropertyDescriptor(proto, "toJSON");
    if (!desc?.configurable) return fn();
    delete proto["toJSON"];
    try {
      return fn();
    } finally {
      Object.defineProperty(proto, "toJSON", desc);
    }
  }
  function startCapture(ctx, sink, report, loadCanvasCode) {
    const win = ctx.doc.defaultView;
    const doc = ctx.doc;
    let stopped = false;
    let seq = 0;
    let sentFull = false;
    let needFull = false;
    let pending = [];
    const values = /* @__PURE__ */ new Set();
    const scrolls = /* @__PURE__ */ new Set();
    let viewportChanged = false;
    const sheets = /* @__PURE__ */ new Set();
    const animations = /* @__PURE__ */ new Set();
    let fontsDirty = false;
    const shadowHosts = /* @__PURE__ */ new Set();
    const watchedRoots = /* @__PURE__ */ new Set();
    const pointer = { hovered: hoveredNow(doc), active: null };
    let uiDirty = false;
    let selectionDirty = false;
    let uiSent = {};
    const toggled = /* @__PURE__ */ new Set();
    const media = /* @__PURE__ */ new Set();
    const chosen = /* @__PURE__ */ new Set();
    let canvasSent = /* @__PURE__ */ new WeakMap();
    const encoding = /* @__PURE__ */ new WeakSet();
    let canvasEncoded = /* @__PURE__ */ new WeakMap();
    let canvasCode = null;
    let canvasLoading = false;
    let drawings = null;
    const drawingWatches = /* @__PURE__ */ new Map();
    const pictures = /* @__PURE__ */ new Map();
    const loaded = /* @__PURE__ */ new Set();
    const watched = /* @__PURE__ */ new Map();
    let sent = EMPTY_MATCH;
    let restrictionsDirty = false;
    let lastUrl = doc.URL;
    let lastPage = { url: doc.URL, title: doc.title };
    let microtaskQueued = false;
    let timerHandle = 0;
    let lastFlush = -Infinity;
    let sendChain = Promise.resolve();
    const boundary = (what, fn) => (...args) => {
      try {
        fn(...args);
      } catch (err) {
        report(`error in ${what}`, err);
      }
    };
    let fullGeneration = 0;
    let inFlight = 0;
    let waitingForEncoder = false;
    const slicer = createSlicer();
    const memory = { linkCss: /* @__PURE__ */ new WeakMap(), scroll: { scrolled: /* @__PURE__ */ new WeakSet(), all: true } };
    let snapshotRun = null;
    let seen = 0;
    let matchWhole = false;
    const send = (kind, payload, split) => {
      if (canvasPoll === 0 && ctx.canvasSerialized) canvasPoll = setInterval(canvasTick, CANVAS_POLL_MS);
      const frameSeq = seq;
      seq = seq + 1 >>> 0;
      if (kind === FrameKind.Full) fullGeneration += 1;
      let ready = null;
      if (split === void 0 && inFlight === 0 && !stopped) {
        try {
          ready = withoutArrayToJSON(() => encodeFrame(kind, frameSeq, payload));
          if (ready instanceof Uint8Array) {
            sink.sendFrame(ready);
            return;
          }
        } catch (err) {
          report("could not encode a frame", err);
          return;
        }
      }
      inFlight += 1;
      const generation = fullGeneration;
      const current = () => !stopped && generation === fullGeneration;
      sendChain = sendChain.then(() => {
        if (!current()) return null;
        if (ready !== null) return ready;
        if (split === void 0) return withoutArrayToJSON(() => encodeFrame(kind, frameSeq, payload));
        return encodeFrameParts(kind, frameSeq, payload, {
          split,
          stringify: (v) => withoutArrayToJSON(() => JSON.stringify(v)),
          // A newer snapshot or stop() gives this one up.
          pause: () => slicer.over() ? slicer.next().then(current) : null
        });
      }).then((bytes) => {
        if (bytes && !stopped) sink.sendFrame(bytes);
      }).catch((err) => report("could not encode a frame", err)).finally(() => {
        inFlight -= 1;
        if (waitingForEncoder && inFlight < ENCODE_AHEAD) {
          waitingForEncoder = false;
          schedule();
        }
      });
    };
    const schedule = () => {
      if (stopped || microtaskQueued || timerHandle) return;
      const wait = lastFlush + FLUSH_INTERVAL_MS - performance.now();
      if (wait <= 0) {
        microtaskQueued = true;
        queueMicrotask(() => {
          if (!microtaskQueued) return;
          microtaskQueued = false;
          flushSafely();
        });
      } else {
        timerHandle = setTimeout(flushSafely, Math.ceil(wait));
      }
    };
    const flushesNow = () => snapshotRun === null && inFlight < ENCODE_AHEAD && (microtaskQueued || timerHandle === 0 && lastFlush + FLUSH_INTERVAL_MS - performance.now() <= 0);
    const unschedule = () => {
      microtaskQueued = false;
      if (timerHandle) clearTimeout(timerHandle);
      timerHandle = 0;
    };
    const clearPending = () => {
      const records = observer.takeRecords();
      if (pending.length) forgetRemoved(pending, ctx);
      if (records.length) forgetRemoved(records, ctx);
      pending = [];
      seen = 0;
      values.clear();
      scrolls.clear();
      loaded.clear();
      sheets.clear();
      fontsDirty = false;
      animations.clear();
      shadowHosts.clear();
      toggled.clear();
      media.clear();
      chosen.clear();
      pictures.clear();
      viewportChanged = false;
    };
    const fullSnapshot = () => {
      if (stopped) return;
      try {
        snapshotRun?.cancel();
        snapshotRun = null;
        unschedule();
        clearPending();
        needFull = false;
        restrictionsDirty = false;
        lastUrl = doc.URL;
        seen = 0;
        let walking = true;
        let paused = false;
        const run = takeSnapshot(ctx, slicer, {
          records() {
            for (const r of observer.takeRecords()) pending.push(r);
            const out = pending.slice(seen);
            seen = pending.length;
            return out;
          },
          paused(frames) {
            paused = true;
            watchFrames(frames);
            syncShadowRoots();
          },
          done({ snapshot, sent: marks, scope, split, frames }) {
            walking = false;
            snapshotRun = null;
            uiSent = uiState(ctx, pointer, scope);
            uiDirty = false;
            selectionDirty = false;
            if (!isEmptyUiState(uiSent)) snapshot.ui = uiSent;
            const { an, wa } = snapshotAnimations(ctx, scope);
            if (an.length > 0) snapshot.an = an;
            if (wa.length > 0) snapshot.wa = wa;
            send(FrameKind.Full, snapshot, split);
            memory.scroll.all = false;
            sent = marks;
            canvasSent = /* @__PURE__ */ new WeakMap();
            canvasEncoded = /* @__PURE__ */ new WeakMap();
            watchFrames(frames);
            syncShadowRoots();
            sentFull = true;
            if (paused) {
              matchWhole = true;
              schedule();
            }
          },
          failed(err) {
            walking = false;
            snapshotRun = null;
            report("could not take a snapshot", err);
          }
        }, memory);
        if (walking) snapshotRun = run;
      } catch (err) {
        report("could not take a snapshot", err);
      }
    };
    const checkPage = (match) => {
      if (doc.URL !== lastPage.url || doc.title !== lastPage.title) {
        lastPage = { url: doc.URL, title: doc.title };
        const scope = createMaskScope(ctx, match ?? ctx.match());
        sink.pageChanged({ url: lastPage.url, title: maskedTitle(doc, scope) });
      }
    };
    function flush() {
      unschedule();
      if (stopped || snapshotRun !== null) return;
      if (inFlight >= ENCODE_AHEAD && !needFull) {
        waitingForEncoder = true;
        return;
      }
      lastFlush = performance.now();
      try {
        if (doc.URL !== lastUrl) {
          lastUrl = doc.URL;
          restrictionsDirty = true;
        }
        pending.push(...observer.takeRecords());
        const reloaded = [];
        for (const el of loaded) {
          const shown = ctx.shownIn(el);
          if (shown !== void 0 && ctx.mirror.getId(el) !== void 0 && frameContent(el) !== shown) reloaded.push(el);
        }
        loaded.clear();
        for (const host of shadowHosts) {
          if (ctx.mirror.getId(host) !== void 0 && ctx.dom.shadowRoot(host) !== null) reloaded.push(host);
        }
        shadowHosts.clear();
        const contentChanged = pending.length > 0 || values.size > 0 || restrictionsDirty || reloaded.length > 0;
        const fresh = contentChanged && sentFull && !needFull ? restrictionsDirty || matchWhole ? ctx.match() : ctx.updateMatch(sent, pending) : null;
        if (fresh !== null) matchWhole = false;
        checkPage(fresh);
        if (!sentFull) return;
        if (sink.bufferedAmount() > BACKLOG_LIMIT || inFlight > IN_FLIGHT_LIMIT) {
          clearPending();
          needFull = true;
          schedule();
          return;
        }
        if (needFull) {
          fullSnapshot();
          return;
        }
        const match = fresh ?? sent;
        const ops = contentChanged ? mutationsToOps(pending, ctx, { before: sent, after: match }, reloaded) : [];
        if (contentChanged) {
          syncFrames();
          syncShadowRoots();
        }
        const cssSent = /* @__PURE__ */ new Set();
        for (const op of ops) if (op.o === "css") cssSent.add(op.i);
        for (const op of stylesheetOps(ctx, sheets, cssSent)) ops.push(op);
        sheets.clear();
        if (fontsDirty) {
          fontsDirty = false;
          for (const op of fontOps(ctx)) ops.push(op);
        }
        for (const el of toggled) {
          const op = topLayerOp(el, ctx);
          if (op !== null) ops.push(op);
        }
        toggled.clear();
        if (media.size > 0 || chosen.size > 0 || pictures.size > 0 || animations.size > 0) {
          const scope = createMaskScope(ctx, match);
          for (const anim of animations) {
            const op = scriptAnimationOp(anim, ctx, scope);
            if (op !== null) ops.push(op);
          }
          animations.clear();
          for (const el of media) {
            const op = mediaOp(el, ctx, scope);
            if (op !== null) ops.push(op);
          }
          for (const el of chosen) {
            const op = chosenSourceOp(el, ctx, scope);
            if (op !== null) ops.push(op);
          }
          for (const [el, src] of pictures) {
            const i = ctx.mirror.getId(el);
            if (i === void 0 || scope.isMasked(el)) continue;
            canvasSent.set(el, src);
            ops.push({ o: "canvas", i, src });
          }
          media.clear();
          chosen.clear();
          pictures.clear();
        }
        if (uiDirty) {
          uiDirty = false;
          const now = uiState(ctx, pointer, createMaskScope(ctx, match), selectionDirty ? void 0 : uiSent);
          selectionDirty = false;
          if (!sameUiState(now, uiSent)) {
            uiSent = now;
            ops.push({ o: "ui", s: now });
          }
        }
        sent = match;
        restrictionsDirty = false;
        pending = [];
        if (values.size) {
          const scope = createMaskScope(ctx, match);
          for (const el of withRadioGroups(values)) ops.push(...formStateOps(el, ctx, scope));
        }
        values.clear();
        for (const target of scrolls) {
          const op = scrollOp(target, ctx);
          if (op) ops.push(op);
        }
        scrolls.clear();
        if (viewportChanged) {
          ops.push({ o: "vp", w: win.innerWidth, h: win.innerHeight });
          viewportChanged = false;
        }
        if (ops.length) send(FrameKind.Incremental, { ops });
      } catch (err) {
        report("could not capture changes", err);
        needFull = true;
      }
    }
    const flushSafely = boundary("a capture flush", flush);
    const observer = new ctx.MutationObserver(
      boundary("the mutation observer", (records) => {
        if (needFull) {
          forgetRemoved(records, ctx);
        } else {
          if (pending.length === 0) pending = records;
          else for (const r of records) pending.push(r);
          if (pending.length > (pending.length <= BURST_LIMIT && flushesNow() ? BURST_LIMIT : PENDING_LIMIT)) {
            if (snapshotRun !== null) {
              fullSnapshot();
              return;
            }
            clearPending();
            needFull = true;
          }
        }
        schedule();
      })
    );
    observer.observe(doc, OBSERVE);
    const noteValue = (el) => {
      const control = formControlOf(el, ctx.dom);
      if (ctx.mirror.getId(control) === void 0) return;
      values.add(control);
      schedule();
    };
    const onInput = boundary("an input listener", (ev) => {
      const t = originalTarget(ev);
      if (isElement(t)) noteValue(t);
    });
    const onScroll = boundary("a scroll listener", (ev) => {
      const t = originalTarget(ev);
      if (isElement(t) || t !== null && t.nodeType === 9) {
        if (isElement(t)) memory.scroll.scrolled.add(t);
        scrolls.add(t);
        schedule();
      }
    });
    const onLoad = boundary("a load listener", (ev) => {
      const t = ev.target;
      if (!isElement(t)) return;
      if (isFrameElement(t)) {
        loaded.add(t);
        ctx.framesChanged();
        schedule();
      } else if (chosenSource(t) !== void 0) {
        chosen.add(t);
        schedule();
      }
    });
    const onInteraction = boundary("an interaction listener", (ev) => {
      switch (ev.type) {
        case "mouseover": {
          const t = originalTarget(ev);
          pointer.hovered = isElement(t) ? t : null;
          break;
        }
        case "mouseout":
        case "focusout":
          if (ev.relatedTarget !== null) return;
          if (ev.type === "mouseout" && ev.target?.ownerDocument === doc) pointer.hovered = null;
          break;
        case "pointerdown": {
          const t = originalTarget(ev);
          pointer.active = isElement(t) ? t : null;
          break;
        }
        case "pointerup":
        case "pointercancel":
          pointer.active = null;
          break;
        case "selectionchange":
          selectionDirty = true;
          break;
      }
      uiDirty = true;
      schedule();
    });
    const onToggle = boundary("a toggle listener", (ev) => {
      const t = originalTarget(ev);
      if (isElement(t)) {
        toggled.add(t);
        schedule();
      }
    });
    const onMedia = boundary("a media listener", (ev) => {
      const t = originalTarget(ev);
      if (isElement(t)) {
        media.add(t);
        schedule();
      }
    });
    const mediaEvents = ["play", "pause", "seeked", "ratechange", "ended"];
    const pollCanvases = (d, scope, now, code, drawn) => {
      const canvases = d.querySelectorAll("canvas");
      for (let k = 0; k < canvases.length; k++) {
        const canvas = canvases[k];
        if (encoding.has(canvas) || ctx.mirror.getId(canvas) === void 0 || scope.isMasked(canvas)) continue;
        const encoded = canvasEncoded.get(canvas);
        const due = drawn.take(canvas) || encoded === void 0 || drawn.untracked(canvas) || now - encoded >= CANVAS_FALLBACK_MS;
        if (!due) continue;
        canvasEncoded.set(canvas, now);
        encoding.add(canvas);
        void code.canvasImage(canvas).then((src) => {
          encoding.delete(canvas);
          if (stopped || src === null || canvasSent.get(canvas) === src) return;
          pictures.set(canvas, src);
          schedule();
        });
      }
    };
    const pollAllCanvases = boundary("the canvas watch", () => {
      if (!sentFull || stopped || canvasCode === null || drawings === null) return;
      const scope = createMaskScope(ctx, sent);
      const now = performance.now();
      pollCanvases(doc, scope, now, canvasCode, drawings);
      for (const d of watched.keys()) pollCanvases(d, scope, now, canvasCode, drawings);
      for (const root of watchedRoots) pollCanvases(root, scope, now, canvasCode, drawings);
    });
    let canvasLoadFailed = false;
    const loadCanvases = () => {
      if (canvasLoading) return;
      canvasLoading = true;
      loadCanvasCode().then(
        (code) => {
          if (stopped) return;
          canvasCode = code;
          drawings = code.createCanvasDrawings(createPrototypeWatch);
          for (const w of drawingWatches.keys()) drawingWatches.set(w, drawings.watch(w));
          pollSoon();
        },
        (err) => {
          if (!canvasLoadFailed) report("could not load the canvas code", err);
          canvasLoadFailed = true;
          canvasLoading = false;
        }
      );
    };
    let canvasFrame = 0;
    const maybeCanvases = () => {
      if (watchedRoots.size > 0 || doc.getElementsByTagName("canvas").length > 0) return true;
      for (const d of watched.keys()) if (d.getElementsByTagName("canvas").length > 0) return true;
      return false;
    };
    const pollSoon = () => {
      if (doc.visibilityState === "hidden") pollAllCanvases();
      else if (canvasFrame === 0) {
        canvasFrame = win.requestAnimationFrame(() => {
          canvasFrame = 0;
          pollAllCanvases();
        });
      }
    };
    const canvasTick = boundary("the canvas timer", () => {
      if (!sentFull || stopped || !maybeCanvases()) return;
      if (canvasCode === null) loadCanvases();
      else pollSoon();
    });
    let canvasPoll = 0;
    const interactionEvents = ["mouseover", "mouseout", "pointerdown", "pointerup", "pointercancel", "focusin", "focusout", "selectionchange"];
    const listenerOptions = { capture: true, passive: true };
    const nodeListeners = [
      ["input", onInput],
      ["change", onInput],
      ["scroll", onScroll],
      ["load", onLoad],
      ["toggle", onToggle],
      ...interactionEvents.map((t) => [t, onInteraction]),
      ...mediaEvents.map((t) => [t, onMedia])
    ];
    const listen = (target, on) => {
      for (const [type, handler] of nodeListeners) {
        if (on) target.addEventListener(type, handler, listenerOptions);
        else target.removeEventListener(type, handler, listenerOptions);
      }
    };
    const watch = (d) => {
      observer.observe(d, OBSERVE);
      const frameWin = d.defaultView;
      const unwatchFrame = frameWin !== null && frameWin !== win ? watchWindow(frameWin) : null;
      listen(d, true);
      return () => {
        listen(d, false);
        unwatchFrame?.();
      };
    };
    function syncShadowRoots() {
      for (const root of ctx.takeNewShadowRoots()) {
        if (watchedRoots.has(root)) continue;
        watchedRoots.add(root);
        observer.observe(root, OBSERVE);
        listen(root, true);
      }
      for (const root of watchedRoots) {
        if (!root.host.isConnected) unwatchRoot(root);
      }
    }
    function unwatchRoot(root) {
      watchedRoots.delete(root);
      listen(root, false);
    }
    function watchFrames(docs) {
      for (const d of docs) if (d !== doc && !watched.has(d)) watched.set(d, watch(d));
    }
    function syncFrames() {
      const docs = ctx.knownDocuments();
      for (const d of docs) {
        if (d !== doc && !watched.has(d)) watched.set(d, watch(d));
      }
      for (const [d, off] of watched) {
        if (!docs.includes(d)) {
          off();
          watched.delete(d);
        }
      }
    }
    const onSheet = (sheet) => {
      sheets.add(sheet);
      memory.linkCss.delete(sheet);
      schedule();
    };
    const onShadow = (host) => {
      shadowHosts.add(host);
      schedule();
    };
    const fontWatch = {
      constructed: (face, source, w) => recordFontSource(ctx, face, source, w.document.baseURI),
      changed: () => {
        fontsDirty = true;
        schedule();
      }
    };
    const animationWatch = {
      changed: (anim) => {
        animations.add(anim);
        schedule();
      }
    };
    function watchWindow(w) {
      const sheetWatch = watchStylesheets(w, onSheet, schedule);
      const shadowWatch = watchShadowRoots(w, ctx.dom, onShadow);
      const formWatch = watchFormState(w, noteValue);
      drawingWatches.set(w, drawings !== null ? drawings.watch(w) : null);
      const fontsWatch = watchFonts(w, fontWatch);
      const animationsWatch = watchScriptAnimations(w, animationWatch);
      return () => {
        sheetWatch.unwatch();
        shadowWatch.unwatch();
        formWatch.unwatch();
        drawingWatches.get(w)?.();
        drawingWatches.delete(w);
        fontsWatch.unwatch();
        animationsWatch.unwatch();
      };
    }
    const unwatchTop = watchWindow(win);
    const onResize = boundary("a resize listener", () => {
      viewportChanged = true;
      scrolls.add(doc);
      schedule();
    });
    const onNavigation = boundary("a navigation listener", schedule);
    const navigation = win.navigation;
    const watchesNavigation = typeof navigation?.addEventListener === "function";
    if (watchesNavigation) navigation.addEventListener("currententrychange", onNavigation);
    const urlPoll = watchesNavigation ? 0 : setInterval(
      boundary("the URL watch", () => {
        if (doc.URL !== lastUrl) schedule();
      }),
      URL_POLL_MS
    );
    listen(doc, true);
    win.addEventListener("resize", onResize, listenerOptions);
    win.addEventListener("popstate", onNavigation, listenerOptions);
    win.addEventListener("hashchange", onNavigation, listenerOptions);
    return {
      fullSnapshot,
      restrictionsChanged() {
        restrictionsDirty = true;
        schedule();
      },
      stop() {
        if (stopped) return;
        stopped = true;
        snapshotRun?.cancel();
        unschedule();
        if (watchesNavigation) navigation?.removeEventListener("currententrychange", onNavigation);
        if (urlPoll) clearInterval(urlPoll);
        observer.disconnect();
        unwatchTop();
        for (const root of [...watchedRoots]) unwatchRoot(root);
        for (const off of watched.values()) off();
        watched.clear();
        listen(doc, false);
        if (canvasPoll) clearInterval(canvasPoll);
        if (canvasFrame !== 0) win.cancelAnimationFrame(canvasFrame);
        win.removeEventListener("resize", onResize, listenerOptions);
        win.removeEventListener("popstate", onNavigation, listenerOptions);
        win.removeEventListener("hashchange", onNavigation, listenerOptions);
      }
    };
  }

  // packages/sdk/src/pointer.ts
  function clientToPage(clientX, clientY, scrollX, scrollY) {
    return { x: Math.round(clientX + scrollX), y: Math.round(clientY + scrollY) };
  }
  function pageToClient(p, scrollX, scrollY) {
    return { x: p.x - scrollX, y: p.y - scrollY };
  }
  var POINTER_INTERVAL_MS = 50;
  function coalesceEvery(clock, intervalMs, deliver) {
    let pending = null;
    let frame = 0;
    let timer = 0;
    let last = -Infinity;
    const fire = () => {
      frame = 0;
      timer = 0;
      const p = pending;
      pending = null;
      if (!p) return;
      last = clock.now();
      deliver(p.value);
    };
    return {
      push(value) {
        pending = { value };
        if (frame || timer) return;
        const wait = last + intervalMs - clock.now();
        if (wait <= 0) frame = clock.request(fire);
        else timer = clock.setTimer(fire, wait);
      },
      cancel() {
        pending = null;
        if (frame) clock.cancel(frame);
        if (timer) clock.clearTimer(timer);
        frame = 0;
        timer = 0;
      }
    };
  }
  function windowClock(win) {
    const frames = windowFrames(win);
    const perf = win.performance;
    const now = perf.now.bind(perf);
    const set = win.setTimeout.bind(win);
    const clear = win.clearTimeout.bind(win);
    return { ...frames, now, setTimer: (cb, ms) => set(cb, ms), clearTimer: (h) => clear(h) };
  }
  function windowFrames(win) {
    const raf = win.requestAnimationFrame.bind(win);
    const caf = win.cancelAnimationFrame.bind(win);
    return { request: raf, cancel: caf };
  }
  function trackPointer(win, send, boundary, clock = windowClock(win)) {
    const doc = win.document;
    let client = null;
    let lastSent = null;
    const out = coalesceEvery(clock, POINTER_INTERVAL_MS, boundary("pointer send", (msg) => send(msg)));
    const emit = () => {
      if (!client) return;
      const p = clientToPage(client.x, client.y, win.scrollX, win.scrollY);
      if (lastSent && lastSent.x === p.x && lastSent.y === p.y) return;
      lastSent = p;
      out.push({ type: "pointer", x: p.x, y: p.y });
    };
    const onMove = boundary("pointer move", (ev) => {
      client = { x: ev.clientX, y: ev.clientY };
      emit();
    });
    const onOut = boundary("pointer out", (ev) => {
      if (ev.relatedTarget || !client) return;
      client = null;
      lastSent = null;
      out.push({ type: "pointerLeave" });
    });
    const onScroll = boundary("pointer scroll", () => emit());
    const capture = { capture: true, passive: true };
    doc.addEventListener("mousemove", onMove, capture);
    doc.addEventListener("mouseout", onOut, capture);
    win.addEventListener("scroll", onScroll, capture);
    return {
      stop() {
        doc.removeEventListener("mousemove", onMove, capture);
        doc.removeEventListener("mouseout", onOut, capture);
        win.removeEventListener("scroll", onScroll, capture);
        out.cancel();
      }
    };
  }

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
  function eachChild(hub, fn) {
    for (const child of [...hub.children]) {
      try {
        fn(child);
      } catch {
        hub.children.delete(child);
      }
    }
  }
  function attachTopContext(hub, restrictions) {
    const top = { restrictions, token: null };
    hub.top = top;
    return {
      sessionStarted(token) {
        top.token = token;
        eachChild(hub, (c) => c.started(token));
      },
      sessionEnded(reason) {
        top.token = null;
        eachChild(hub, (c) => c.ended(reason));
      },
      restrictionsChanged() {
        eachChild(hub, (c) => c.restrictionsChanged());
      }
    };
  }

  // packages/sdk/src/realm.ts
  function pristineRealm(win) {
    const own = win;
    const fallback = { realm: null, MutationObserver: own.MutationObserver };
    const doc = win.document;
    const root = doc.documentElement;
    if (!root) return fallback;
    let frame = null;
    try {
      frame = doc.createElement("iframe");
      frame.setAttribute("data-gcb-service-node", "true");
      frame.setAttribute("aria-hidden", "true");
      frame.tabIndex = -1;
      frame.style.cssText = "display:none!important";
      root.appendChild(frame);
      const clean = frame.contentWindow;
      if (!clean || typeof clean.MutationObserver !== "function" || !clean.Node || !clean.Element) return fallback;
      return {
        realm: { Node: clean.Node, Element: clean.Element, Function: clean.Function },
        MutationObserver: clean.MutationObserver
      };
    } catch {
      return fallback;
    } finally {
      try {
        frame?.remove();
      } catch {
      }
    }
  }

  // packages/sdk/src/session.ts
  function apiReason(reason) {
    switch (reason) {
      case "customerExited":
        return "self";
      case "agentExited":
      case "agentDisconnected":
      case "endedByIntegration":
        return "external";
      case "inactivityTimeout":
        return "inactivityTimeout";
      case "customerDisconnected":
        return "timeout";
      case "sessionsOverLimit":
        return "sessionsOverLimit";
      case "serverShutdown":
        return "serverUnavailable";
      case "error":
        return "error";
      default: {
        const never = reason;
        return never;
      }
    }
  }
  function answerOnce(answer) {
    let answered = false;
    return (allow) => {
      if (answered) return;
      answered = true;
      answer(allow === true);
    };
  }
  function readRules(rules) {
    if (!Array.isArray(rules)) return null;
    const out = [];
    for (const r of rules) {
      if (!r || typeof r !== "object") return null;
      const rule = r;
      if (typeof rule.selector !== "string") return null;
      const id = typeof rule.id === "number" || typeof rule.id === "bigint" ? Number(rule.id) : 0;
      out.push({
        id,
        selector: rule.selector,
        kind: rule.kind === "control" ? "control" : "mask",
        urlPattern: typeof rule.urlPattern === "string" && rule.urlPattern !== "" ? rule.urlPattern : null
      });
    }
    return out;
  }
  function modeChangedPayload(mode) {
    return { pointer: mode === "pointer", write: mode === "write" };
  }
  var STORAGE_KEY = "gcb.session";
  var PROTOCOL_VERSION = 1;
  var RECONNECT_GIVE_UP_MS = 3e4;
  var CLOSE_REPLACED = 4e3;
  var OPEN = 1;
  function loadStored(win, serverUrl) {
    try {
      const raw = win.sessionStorage.getItem(STORAGE_KEY);
      if (!raw) return null;
      const s = JSON.parse(raw);
      if (typeof s.token === "string" && typeof s.secret === "string" && typeof s.socketUrl === "string" && s.serverUrl === serverUrl) {
        return s;
      }
    } catch {
    }
    return null;
  }
  function store(win, s) {
    try {
      if (s) win.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(s));
      else win.sessionStorage.removeItem(STORAGE_KEY);
    } catch {
    }
  }
  function createSessionController(win, serverUrl, given, chunks) {
    const doc = win.document;
    const hub = frameHub(win);
    const pristine = pristineRealm(win);
    const ctx = createCaptureContext(doc, {
      isService: (el) => hub !== null && hub.marked.has(el),
      realm: pristine.realm,
      MutationObserver: pristine.MutationObserver
    });
    watchShadowRoots(win, ctx.dom);
    watchStylesheets(win, (sheet) => ctx.scriptedSheets.add(sheet), () => {
    });
    ctx.cssomWatched.add(doc);
    const frames = hub !== null ? attachTopContext(hub, ctx.restrictions) : null;
    const events = {
      ...given,
      connected(token, resumed2) {
        given.connected(token, resumed2);
        frames?.sessionStarted(token);
      },
      ended(reason) {
        given.ended(reason);
        frames?.sessionEnded(reason);
      },
      restrictionsChanged() {
        given.restrictionsChanged();
        frames?.restrictionsChanged();
      }
    };
    const Socket = win.WebSocket;
    let uploader = null;
    let uploaderLoading = null;
    const declineResource = (ticket) => {
      if (typeof ticket === "string") sendControl({ type: "resourceDeclined", ticket });
    };
    const requestResource = (url, ticket) => {
      if (!agent) {
        declineResource(ticket);
        return;
      }
      if (uploader) {
        uploader.request(url, ticket);
        return;
      }
      const loading = uploaderLoading ?? (uploaderLoading = chunks.load("resources").then(
        (create) => {
          uploader = create(win, serverUrl, {
            report: (msg, err) => events.report(msg, err),
            decline: declineResource,
            isMasked: (el) => ctx.restrictions.isMasked(el),
            scriptCss: (d) => fontSourceTexts(ctx, d)
          });
        },
        (err) => {
          events.report("could not load the resource uploader", err);
          uploaderLoading = null;
        }
      ));
      const session = current;
      void loading.then(() => {
        if (current !== session) return;
        if (agent && uploader) uploader.request(url, ticket);
        else declineResource(ticket);
      });
    };
    let current = null;
    let socket = null;
    let rulesReceived = false;
    let snapshotDeferred = false;
    let capture = null;
    let agent = false;
    let everConnected = false;
    let resumed = false;
    let downSince = 0;
    let retryDelay = 250;
    let retryTimer = 0;
    let starting = false;
    let pointer = null;
    let pointerMove = pointerMoveEncoder();
    let mode = "pointer";
    let request = 0;
    let requestOpen = false;
    const writeMode = () => mode === "write" && agent && current !== null && rulesReceived;
    const guard = createSubmissionGuard(win, (msg, err) => events.report(msg, err));
    let performer = null;
    let performerLoading = false;
    let pendingInput = [];
    const loadPerformer = () => {
      if (performer || performerLoading) return;
      performerLoading = true;
      chunks.load("write").then(
        boundary("Write Mode input", ({ createInputPerformer }) => {
          performerLoading = false;
          const made = createInputPerformer({ ctx, guard, writeMode, report: (msg, err) => events.report(msg, err) });
          performer = made;
          const waiting = pendingInput;
          pendingInput = [];
          for (const input of waiting) made.perform(input);
        }),
        (err) => {
          performerLoading = false;
          pendingInput = [];
          events.report("could not load the Write Mode code", err);
        }
      );
    };
    const page = () => ({ url: doc.URL, title: doc.title });
    const boundary = (what, fn) => (...args) => {
      try {
        fn(...args);
      } catch (err) {
        try {
          events.report(`error in ${what}`, err);
        } catch {
        }
      }
    };
    const sendControl = (msg) => {
      if (socket && socket.readyState === OPEN) socket.send(JSON.stringify(msg));
    };
    const sendPointer = (msg) => {
      if (msg.type === "pointerLeave") sendControl(msg);
      else if (socket && socket.readyState === OPEN) socket.send(pointerMove(msg));
    };
    const stopCapture = () => {
      capture?.stop();
      capture = null;
      snapshotDeferred = false;
    };
    const snapshot = () => {
      if (!rulesReceived) {
        snapshotDeferred = true;
        return;
      }
      snapshotDeferred = false;
      if (!capture) {
        capture = startCapture(
          ctx,
          {
            sendFrame: (bytes) => {
              if (socket && socket.readyState === OPEN && rulesReceived) socket.send(bytes);
            },
            bufferedAmount: () => socket?.bufferedAmount ?? 0,
            pageChanged: (p) => sendControl({ type: "pageChanged", page: p })
          },
          events.report,
          () => chunks.load("canvas")
        );
      }
      capture.fullSnapshot();
    };
    const setMode = (next, notify) => {
      if (next === mode) return;
      mode = next;
      if (next === "write") loadPerformer();
      events.modeChanged(next, notify);
    };
    const withdrawRequest = () => {
      request += 1;
      if (!requestOpen) return;
      requestOpen = false;
      events.modeRequestWithdrawn();
    };
    const agentArrived = (already) => {
      if (agent) return;
      agent = true;
      if (!pointer) pointer = trackPointer(win, sendPointer, boundary);
      events.agentJoined(already);
    };
    const agentGone = () => {
      pointer?.stop();
      pointer = null;
      withdrawRequest();
      events.agentPointer(null);
      setMode("pointer", true);
    };
    const finish = (reason) => {
      if (!current) return;
      current = null;
      store(win, null);
      stopCapture();
      pointer?.stop();
      pointer = null;
      withdrawRequest();
      pendingInput = [];
      uploader?.stop();
      mode = "pointer";
      agent = false;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = 0;
      const s = socket;
      socket = null;
      if (s) {
        s.onopen = null;
        s.onclose = null;
        s.onmessage = null;
        s.onerror = null;
        try {
          s.close(1e3);
        } catch {
        }
      }
      events.ended(reason);
    };
    const handle = (msg) => {
      switch (msg.type) {
        case "welcome":
          downSince = 0;
          retryDelay = 250;
          if (!everConnected) {
            everConnected = true;
            events.connected(msg.token, resumed);
            setMode(msg.mode === "write" ? "write" : "pointer", false);
          } else {
            setMode(msg.mode === "write" ? "write" : "pointer", true);
          }
          if (msg.agentPresent) agentArrived(resumed);
          return;
        case "agentJoined":
          agentArrived(false);
          return;
        case "agentDisconnected":
          if (agent) agentGone();
          agent = false;
          events.agentLeft();
          stopCapture();
          return;
        case "agentPointer":
          if (agent) events.agentPointer({ x: msg.x, y: msg.y });
          return;
        case "agentPointerLeave":
          events.agentPointer(null);
          return;
        case "agentMark":
          if (agent) events.agentMark({ x: msg.x, y: msg.y });
          return;
        case "modeUpgradeRequested": {
          if (mode !== "pointer") return;
          withdrawRequest();
          const id = request;
          requestOpen = true;
          events.modeUpgradeRequested(
            answerOnce((allow) => {
              if (id !== request || !current) return;
              requestOpen = false;
              sendControl({ type: "modeResponse", allow });
            })
          );
          return;
        }
        case "modeChanged":
          withdrawRequest();
          setMode(msg.mode, true);
          return;
        case "agentInput":
          if (performer) performer.perform(msg.input);
          else if (writeMode()) {
            pendingInput.push(msg.input);
            loadPerformer();
          }
          return;
        case "navigate":
          if (mode === "write" && agent) events.navigate(msg.command, msg.url);
          return;
        case "navigationRefused":
          if (agent) events.navigationRefused(msg.command);
          return;
        case "snapshotRequest":
          snapshot();
          return;
        case "sessionEnded":
          finish(apiReason(msg.reason));
          return;
        case "error":
          switch (msg.code) {
            case "sessionNotFound":
            case "sessionEnded":
              finish(resumed ? "timeout" : "error");
              return;
            case "protocolVersion":
            case "unauthenticated":
            case "forbidden":
            case "handshakeRequired":
              events.report(`server refused the session: ${msg.code} (${msg.message})`);
              finish("error");
              return;
            default:
              events.report(`server error ${msg.code}: ${msg.message}`);
              return;
          }
        case "resourceRequest":
          requestResource(msg.url, msg.ticket);
          return;
        case "restrictions": {
          const rules = readRules(msg.rules);
          if (!rules) {
            events.report("unreadable restrictions from the server");
            return;
          }
          ctx.restrictions.setRules(rules);
          rulesReceived = true;
          capture?.restrictionsChanged();
          events.restrictionsChanged();
          if (snapshotDeferred) snapshot();
          return;
        }
        default: {
          const never = msg;
          return never;
        }
      }
    };
    const lost = () => {
      const now = Date.now();
      if (!downSince) downSince = now;
      if (now - downSince > RECONNECT_GIVE_UP_MS || !everConnected && !resumed) {
        finish("serverUnavailable");
        return;
      }
      retryTimer = setTimeout(
        boundary("reconnecting", () => {
          retryTimer = 0;
          connect();
        }),
        retryDelay
      );
      retryDelay = Math.min(retryDelay * 2, 4e3);
    };
    const connect = () => {
      if (!current) return;
      const session = current;
      let s;
      try {
        s = new Socket(session.socketUrl);
      } catch (err) {
        events.report("could not open a socket", err);
        socket = null;
        lost();
        return;
      }
      s.binaryType = "arraybuffer";
      socket = s;
      pointerMove = pointerMoveEncoder();
      rulesReceived = false;
      pendingInput = [];
      snapshotDeferred = false;
      s.onopen = boundary("socket open", () => {
        if (socket !== s) return;
        s.send(
          JSON.stringify({
            type: "hello",
            protocolVersion: PROTOCOL_VERSION,
            token: session.token,
            secret: session.secret,
            page: page()
          })
        );
      });
      s.onmessage = boundary("socket message", (ev) => {
        if (socket !== s || typeof ev.data !== "string") return;
        let msg;
        try {
          msg = JSON.parse(ev.data);
        } catch (err) {
          events.report("unreadable message from the server", err);
          return;
        }
        handle(msg);
      });
      s.onclose = boundary("socket close", (ev) => {
        if (socket !== s || !current) return;
        socket = null;
        stopCapture();
        if (ev.code === CLOSE_REPLACED) {
          finish(void 0);
          return;
        }
        lost();
      });
    };
    win.addEventListener(
      "pagehide",
      boundary("pagehide", () => {
        if (current) sendControl({ type: "unloading" });
      })
    );
    return {
      resume() {
        const stored = loadStored(win, serverUrl);
        if (!stored) return false;
        current = stored;
        resumed = true;
        connect();
        return true;
      },
      async start() {
        if (current || starting) return;
        starting = true;
        try {
          const res = await fetch(`${serverUrl}rest/live/sessions`, {
            method: "POST",
            mode: "cors",
            credentials: "omit",
            headers: { "content-type": "application/json" },
            body: "{}"
          });
          if (!res.ok) {
            events.report(`the server refused to create a session (HTTP ${res.status})`);
            events.ended(res.status === 403 ? "error" : "serverUnavailable");
            return;
          }
          const created = await res.json();
          current = { token: created.token, secret: created.secret, socketUrl: created.socketUrl, serverUrl };
          store(win, current);
          resumed = false;
          everConnected = false;
          connect();
        } catch (err) {
          events.report("could not reach the server", err);
          events.ended("serverUnavailable");
        } finally {
          starting = false;
        }
      },
      exit() {
        if (!current) return;
        sendControl({ type: "exit" });
        finish("self");
      },
      token: () => current?.token ?? null,
      agentPresent: () => agent,
      captureContext: () => ctx,
      mode: () => mode,
      downgradeMode() {
        if (current && mode === "write") sendControl({ type: "downgradeMode" });
      },
      navigationFailed(command, reason) {
        if (current) sendControl({ type: "navigationFailed", command, reason });
      },
      pageRestored() {
        if (!current) return;
        const stored = loadStored(win, serverUrl);
        if (!stored || stored.token !== current.token) {
          finish(void 0);
          return;
        }
        if (retryTimer) clearTimeout(retryTimer);
        retryTimer = 0;
        const old = socket;
        socket = null;
        if (old) {
          old.onopen = null;
          old.onclose = null;
          old.onmessage = null;
          old.onerror = null;
          try {
            old.close(1e3);
          } catch {
          }
        }
        stopCapture();
        downSince = 0;
        retryDelay = 250;
        connect();
      }
    };
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

  // packages/sdk/src/ui/toolbar.ts
  var STYLE2 = `
:host { all: initial; }
.bar { position: fixed; top: 8px; left: 8px; right: 8px; margin: 0 auto; width: max-content; z-index: 2147483647;
  display: flex; align-items: center; gap: 12px; padding: 8px 8px 8px 16px; border-radius: 8px;
  background: #1f2933; color: #fff; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  box-shadow: 0 4px 16px rgba(0,0,0,.25); box-sizing: border-box; max-width: calc(100vw - 16px); flex-wrap: wrap; }
.content { font-variant-numeric: tabular-nums; letter-spacing: .02em; white-space: nowrap; }
button { all: unset; cursor: pointer; width: 28px; height: 28px; border-radius: 6px; display: grid;
  place-items: center; color: #fff; background: #c62828; font-size: 16px; line-height: 1; }
button:hover { background: #e53935; }
.write { display: flex; align-items: center; gap: 10px; padding-left: 12px; border-left: 1px solid rgba(255,255,255,.25); }
.write-text { color: #ffd8a8; white-space: nowrap; }
.masked { padding-left: 12px; border-left: 1px solid rgba(255,255,255,.25); color: #d0bfff; white-space: nowrap; }
.masked::before { content: ""; display: inline-block; width: 9px; height: 9px; margin-right: 6px;
  border: 2px solid #b197fc; border-radius: 2px; vertical-align: -1px; }
button.revoke { width: auto; padding: 0 12px; white-space: nowrap; background: #e8590c; font-size: 14px; font-weight: 500; }
button.revoke:hover { background: #d9480f; }
button:focus-visible { outline: 2px solid #90caf9; outline-offset: 2px; }
.note { position: fixed; top: 60px; left: 50%; transform: translateX(-50%); z-index: 2147483647;
  max-width: min(90vw, 520px); padding: 10px 14px; border-radius: 8px; background: #fff; color: #1f2933;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; box-shadow: 0 4px 16px rgba(0,0,0,.2); }
[hidden] { display: none !important; }
`;
  var NOTE_MS = 6e3;
  function createToolbar(doc, strings, onExit, onRevoke = () => {
  }) {
    let host = null;
    let bar = null;
    let content = null;
    let write = null;
    let masked = null;
    let note = null;
    let noteTimer = 0;
    const remove = () => {
      host?.remove();
      host = bar = content = write = masked = note = null;
    };
    const attach = () => {
      if (host && !host.isConnected) doc.documentElement.appendChild(host);
    };
    const ensure = () => {
      if (host) return;
      const made = serviceHost(doc, "gcb-toolbar-host", STYLE2);
      host = made.host;
      bar = element(doc, "div", "bar");
      bar.setAttribute("role", "toolbar");
      bar.setAttribute("aria-label", strings.modalTitle);
      content = element(doc, "span", "content");
      const exit = element(doc, "button", "", "✕");
      exit.type = "button";
      exit.title = strings.exitBtnTitle;
      exit.setAttribute("aria-label", strings.exitBtnTitle);
      exit.addEventListener("click", () => onExit());
      write = element(doc, "span", "write");
      write.hidden = true;
      const revoke = element(doc, "button", "revoke", strings.downgradeMode);
      revoke.type = "button";
      revoke.addEventListener("click", () => onRevoke());
      write.append(element(doc, "span", "write-text", strings.writeModeInProgress), revoke);
      masked = element(doc, "span", "masked", strings.contentMaskedPartially);
      masked.setAttribute("aria-live", "polite");
      masked.setAttribute("data-gcb-masked-notice", "");
      masked.hidden = true;
      bar.append(content, write, masked, exit);
      note = element(doc, "div", "note");
      note.setAttribute("role", "status");
      note.setAttribute("aria-live", "polite");
      note.hidden = true;
      made.root.append(bar, note);
    };
    return {
      show(token) {
        ensure();
        if (content) content.textContent = format(strings.toolbarContent, { sessionId: token });
        if (bar) bar.hidden = false;
        attach();
      },
      notify(text) {
        ensure();
        if (!note || !host) return;
        attach();
        note.textContent = text;
        note.hidden = false;
        if (noteTimer) clearTimeout(noteTimer);
        noteTimer = setTimeout(() => {
          noteTimer = 0;
          if (note) note.hidden = true;
          if (bar?.hidden) remove();
        }, NOTE_MS);
      },
      setMode(mode) {
        if (!host && mode === "pointer") return;
        ensure();
        if (write) write.hidden = mode !== "write";
      },
      setMasked(present) {
        if (!host && !present) return;
        ensure();
        if (masked) masked.hidden = !present;
      },
      end(text) {
        if (!host && !text) return;
        ensure();
        if (bar) bar.hidden = true;
        if (text) this.notify(text);
        else remove();
      }
    };
  }

  // packages/sdk/src/ui/overlay.ts
  var MARK_MS = 1200;
  var STYLE3 = `
:host { all: initial; }
.pointer, .mark { position: fixed; left: 0; top: 0; pointer-events: none; z-index: 2147483646; }
.pointer { width: 22px; height: 26px; will-change: transform; }
.pointer.moving { transition: transform 80ms linear; }
.pointer svg { display: block; overflow: visible; filter: drop-shadow(0 1px 2px rgba(0,0,0,.35)); }
.mark { width: 36px; height: 36px; margin: -18px 0 0 -18px; border-radius: 50%; box-sizing: border-box;
  border: 3px solid #e8590c; animation: gcb-ring ${MARK_MS}ms ease-out forwards; }
@keyframes gcb-ring {
  0% { transform: var(--at) scale(.3); opacity: 1; }
  70% { opacity: .9; }
  100% { transform: var(--at) scale(1.4); opacity: 0; }
}
@media (prefers-reduced-motion: reduce) { .pointer.moving { transition: none; } .mark { animation: none; } }
[hidden] { display: none !important; }
`;
  var ARROW = '<svg xmlns="http://www.w3.org/2000/svg" width="22" height="26" viewBox="0 0 22 26" aria-hidden="true"><path d="M1 1 L1 21 L6.5 16 L10.5 24.5 L14 23 L10 14.5 L17.5 14.5 Z" fill="#e8590c" stroke="#fff" stroke-width="1.6" stroke-linejoin="round"/></svg>';
  function createAgentOverlay(win) {
    const doc = win.document;
    let host = null;
    let root = null;
    let arrow = null;
    let at = null;
    const timers = /* @__PURE__ */ new Set();
    const ensure = () => {
      if (!host || !root) ({ host, root } = serviceHost(doc, "gcb-agent-overlay", STYLE3));
      if (!host.isConnected) doc.documentElement.appendChild(host);
      return root;
    };
    const place = (el, p) => {
      const c = pageToClient(p, win.scrollX, win.scrollY);
      el.style.transform = `translate(${c.x}px, ${c.y}px)`;
    };
    const onScroll = () => {
      try {
        if (arrow && at) {
          arrow.classList.remove("moving");
          place(arrow, at);
        }
      } catch {
      }
    };
    win.addEventListener("scroll", onScroll, { capture: true, passive: true });
    return {
      pointer(p) {
        if (!p) {
          at = null;
          if (arrow) arrow.hidden = true;
          return;
        }
        const r = ensure();
        if (!arrow) {
          arrow = element(doc, "div", "pointer");
          arrow.setAttribute("data-gcb-agent-pointer", "");
          arrow.innerHTML = ARROW;
          r.append(arrow);
        }
        arrow.classList.toggle("moving", at !== null && !arrow.hidden);
        at = { x: p.x, y: p.y };
        arrow.hidden = false;
        place(arrow, at);
      },
      mark(p) {
        const r = ensure();
        const ring = element(doc, "div", "mark");
        ring.setAttribute("data-gcb-agent-mark", "");
        const c = pageToClient(p, win.scrollX, win.scrollY);
        ring.style.setProperty("--at", `translate(${c.x}px, ${c.y}px)`);
        ring.style.transform = `translate(${c.x}px, ${c.y}px)`;
        r.append(ring);
        const t = setTimeout(() => {
          timers.delete(t);
          ring.remove();
        }, MARK_MS);
        timers.add(t);
      },
      destroy() {
        win.removeEventListener("scroll", onScroll, { capture: true });
        for (const t of timers) clearTimeout(t);
        timers.clear();
        host?.remove();
        host = root = arrow = null;
        at = null;
      }
    };
  }

  // packages/sdk/src/ui/modal.ts
  var STYLE4 = `
:host { all: initial; }
.backdrop { position: fixed; inset: 0; z-index: 2147483647; background: rgba(15, 23, 42, .45);
  display: grid; place-items: center; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.dialog { background: #fff; color: #1f2933; max-width: min(92vw, 440px); padding: 22px 24px 18px; border-radius: 10px;
  box-shadow: 0 12px 40px rgba(0,0,0,.3); }
h2 { font-size: 18px; margin: 0 0 8px; font-weight: 600; }
p { margin: 0 0 18px; }
.actions { display: flex; justify-content: flex-end; gap: 10px; }
button { all: unset; cursor: pointer; padding: 8px 18px; border-radius: 6px; font-weight: 500; }
button.yes { background: #2563eb; color: #fff; }
button.yes:hover { background: #1d4ed8; }
button.no { background: #e2e8f0; color: #1f2933; }
button.no:hover { background: #cbd5e1; }
button.close { background: #2563eb; color: #fff; }
button.close:hover { background: #1d4ed8; }
button:focus-visible { outline: 2px solid #1d4ed8; outline-offset: 2px; }
`;
  function openDialog(doc, strings, spec) {
    const previous = doc.activeElement;
    const { host, root } = serviceHost(doc, "gcb-modal-host", STYLE4);
    const backdrop = element(doc, "div", "backdrop");
    const dialog = element(doc, "div", "dialog");
    dialog.setAttribute("role", spec.role);
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("aria-labelledby", "gcb-modal-title");
    dialog.setAttribute("aria-describedby", "gcb-modal-text");
    const title = element(doc, "h2", "", strings.modalTitle);
    title.id = "gcb-modal-title";
    const text = element(doc, "p", "", spec.text);
    text.id = "gcb-modal-text";
    const actions = element(doc, "div", "actions");
    const buttons = spec.buttons.map((b) => {
      const button = element(doc, "button", b.className, b.label);
      button.type = "button";
      button.addEventListener("click", () => decide(b.value));
      return button;
    });
    actions.append(...buttons);
    dialog.append(title, text, actions);
    backdrop.append(dialog);
    root.append(backdrop);
    const safe = buttons[buttons.length - 1];
    const safeValue = spec.buttons[spec.buttons.length - 1].value;
    let open = true;
    const close = () => {
      if (!open) return;
      open = false;
      doc.removeEventListener("focusin", onFocusIn, true);
      host.remove();
      try {
        if (previous && previous.isConnected && typeof previous.focus === "function") previous.focus();
      } catch {
      }
    };
    const decide = (value) => {
      if (!open) return;
      close();
      spec.answer(value);
    };
    const onKey = (ev) => {
      if (ev.key === "Escape") {
        ev.preventDefault();
        ev.stopPropagation();
        decide(safeValue);
        return;
      }
      if (ev.key === "Tab") {
        ev.preventDefault();
        const i = buttons.indexOf(root.activeElement);
        const next = ev.shiftKey ? i <= 0 ? buttons.length - 1 : i - 1 : (i + 1) % buttons.length;
        buttons[next]?.focus();
      }
    };
    const onFocusIn = (ev) => {
      if (open && ev.target !== host) safe.focus();
    };
    dialog.addEventListener("keydown", onKey);
    doc.addEventListener("focusin", onFocusIn, true);
    doc.documentElement.appendChild(host);
    safe.focus();
    return { close };
  }
  function openQuestion(doc, strings, text, answer) {
    return openDialog(doc, strings, {
      role: "dialog",
      text,
      buttons: [
        { label: strings.modalYes, className: "yes", value: true },
        { label: strings.modalNo, className: "no", value: false }
      ],
      answer
    });
  }
  function openConsentModal(doc, strings, answer) {
    return openQuestion(doc, strings, strings.modeUpgradeRequested, answer);
  }
  function openNotice(doc, strings, text, closed = () => {
  }) {
    return openDialog(doc, strings, {
      role: "alertdialog",
      text,
      buttons: [{ label: strings.modalClose, className: "close", value: false }],
      answer: () => closed()
    });
  }

  // packages/sdk/src/ui/mask-markers.ts
  var MAX_MARKERS = 50;
  var MAX_MEASURED = 1e3;
  var FALLBACK_MS2 = 200;
  var STYLE5 = `
:host { all: initial; }
.frame { position: fixed; left: 0; top: 0; box-sizing: border-box; pointer-events: none;
  z-index: 2147483645; border: 2px solid #7048e8; border-radius: 3px;
  box-shadow: 0 0 0 1px rgba(255,255,255,.85); }
.label { position: absolute; right: 4px; top: -9px; max-width: min(260px, calc(100% - 8px));
  padding: 1px 6px; border-radius: 3px; background: #7048e8; color: #fff; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; font: 600 11px/16px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.frame.below .label { top: auto; bottom: -9px; }
@media (forced-colors: active) {
  .frame { border-color: Highlight; box-shadow: none; }
  .label { background: Canvas; color: CanvasText; border: 1px solid Highlight; }
}
[hidden] { display: none !important; }
`;
  function createMaskMarkers(win, strings) {
    const doc = win.document;
    const { host, root } = serviceHost(doc, "gcb-mask-markers", STYLE5);
    host.setAttribute("aria-hidden", "true");
    let elements = [];
    const pool = [];
    let dirty = false;
    let frame = 0;
    let timer = 0;
    let destroyed = false;
    const marker = (i) => {
      let m = pool[i];
      if (!m) {
        m = element(doc, "div", "frame");
        m.setAttribute("data-gcb-mask-marker", "");
        m.append(element(doc, "span", "label", strings.contentMasked));
        root.append(m);
        pool[i] = m;
      }
      return m;
    };
    const draw = () => {
      unschedule();
      if (destroyed || !dirty) return;
      dirty = false;
      try {
        const vw = win.innerWidth;
        const vh = win.innerHeight;
        const rects = [];
        const n = Math.min(elements.length, MAX_MEASURED);
        for (let i = 0; i < n && rects.length < MAX_MARKERS; i++) {
          const el = elements[i];
          if (!el || !el.isConnected) continue;
          const r = el.getBoundingClientRect();
          if (r.width <= 0 && r.height <= 0) continue;
          if (r.bottom < 0 || r.right < 0 || r.top > vh || r.left > vw) continue;
          rects.push(r);
        }
        if (rects.length > 0 && !host.isConnected) doc.documentElement.appendChild(host);
        rects.forEach((r, i) => {
          const m = marker(i);
          m.style.transform = `translate(${Math.round(r.left) - 2}px, ${Math.round(r.top) - 2}px)`;
          m.style.width = `${Math.round(r.width) + 4}px`;
          m.style.height = `${Math.round(r.height) + 4}px`;
          m.classList.toggle("below", r.top < 10);
          m.hidden = false;
        });
        for (let i = rects.length; i < pool.length; i++) {
          const m = pool[i];
          if (m) m.hidden = true;
        }
      } catch {
      }
    };
    const schedule = () => {
      dirty = true;
      if (destroyed || frame || timer) return;
      frame = win.requestAnimationFrame(draw);
      timer = setTimeout(draw, FALLBACK_MS2);
    };
    function unschedule() {
      if (frame) win.cancelAnimationFrame(frame);
      if (timer) clearTimeout(timer);
      frame = 0;
      timer = 0;
    }
    const onLayout = () => {
      if (elements.length > 0) schedule();
    };
    const passive = { capture: true, passive: true };
    win.addEventListener("scroll", onLayout, passive);
    win.addEventListener("resize", onLayout, passive);
    win.addEventListener("load", onLayout, passive);
    return {
      set(next) {
        elements = next.slice();
        schedule();
      },
      destroy() {
        destroyed = true;
        unschedule();
        win.removeEventListener("scroll", onLayout, passive);
        win.removeEventListener("resize", onLayout, passive);
        win.removeEventListener("load", onLayout, passive);
        host.remove();
        pool.length = 0;
        elements = [];
      }
    };
  }

  // packages/sdk/src/api.ts
  function isBrowserSupported(win) {
    const w = win;
    return typeof w["MutationObserver"] === "function" && typeof w["WebSocket"] === "function" && typeof w["WeakMap"] === "function" && typeof w["fetch"] === "function" && typeof w["Promise"] === "function" && typeof w["requestAnimationFrame"] === "function" && typeof w["sessionStorage"] === "object";
  }

  // packages/sdk/src/inspect.ts
  var TICKET_KEY = "gcb-inspect";
  function readInspectTicket(hash) {
    const body = hash.startsWith("#") ? hash.slice(1) : hash;
    if (!body) return null;
    const parts = body.split("&");
    const at = parts.findIndex((p) => p.startsWith(`${TICKET_KEY}=`));
    if (at < 0) return null;
    const ticket = parts[at].slice(TICKET_KEY.length + 1);
    parts.splice(at, 1);
    return { ticket, rest: parts.join("&") };
  }
  function takeInspectTicket(win, report) {
    const found = readInspectTicket(win.location.hash);
    if (!found) return null;
    try {
      const url = new URL(win.location.href);
      url.hash = found.rest;
      const href = found.rest ? url.href : url.href.replace(/#$/, "");
      win.history.replaceState(win.history.state, "", href);
    } catch (err) {
      report("could not remove the inspect ticket from the URL", err);
    }
    return found.ticket;
  }

  // packages/sdk/src/chunk.ts
  var RECEIVE = "__gcbReceive";
  function chunkBase(scriptSrc, serverUrl) {
    for (const src of [scriptSrc, serverUrl ? `${serverUrl}js/` : null]) {
      if (!src) continue;
      try {
        const url = new URL(src);
        return { base: new URL(".", url).href, query: url.search };
      } catch {
      }
    }
    return null;
  }
  var TRUSTED_TYPES_POLICY = "cobrowse";
  function createChunkLoader(doc, opts) {
    const loaded = /* @__PURE__ */ new Map();
    const where = chunkBase(opts.scriptSrc, opts.serverUrl);
    let policy;
    const scriptUrl = (url) => {
      if (policy === void 0) {
        try {
          const tt = doc.defaultView?.trustedTypes;
          policy = tt ? tt.createPolicy(TRUSTED_TYPES_POLICY, { createScriptURL: (u) => u }) : null;
        } catch {
          policy = null;
        }
      }
      return policy ? policy.createScriptURL(url) : url;
    };
    const fetchChunk = (name) => new Promise((resolve, reject) => {
      if (!where) throw new Error("no URL to load the SDK chunk from");
      const script = doc.createElement("script");
      let done = false;
      const finish = (ok, value) => {
        if (done) return;
        done = true;
        script.remove();
        if (ok) resolve(value);
        else reject(value);
      };
      script[RECEIVE] = (value) => finish(true, value);
      script.onload = () => finish(false, new Error(`SDK chunk ${name} handed nothing over`));
      script.onerror = () => finish(false, new Error(`SDK chunk ${name} could not be loaded`));
      if (opts.nonce) script.nonce = opts.nonce;
      script.setAttribute("data-gcb-service-node", "true");
      script.src = scriptUrl(`${where.base}gcb-${name}${opts.suffix}${where.query}`);
      (doc.head ?? doc.documentElement).appendChild(script);
    });
    return {
      load(name) {
        let p = loaded.get(name);
        if (!p) {
          p = fetchChunk(name);
          p.catch(() => loaded.delete(name));
          loaded.set(name, p);
        }
        return p;
      }
    };
  }

  // packages/sdk/src/webgl.ts
  var WEBGL_TYPES = /* @__PURE__ */ new Set(["webgl", "webgl2", "experimental-webgl"]);
  var apply2 = Reflect.apply;
  var getOwnDescriptor2 = Object.getOwnPropertyDescriptor;
  var defineProperty2 = Object.defineProperty;
  var createObject = Object.create;
  function preserving(attributes) {
    if (attributes === void 0 || attributes === null) return { preserveDrawingBuffer: true };
    if (typeof attributes !== "object" && typeof attributes !== "function") return attributes;
    const out = createObject(attributes);
    defineProperty2(out, "preserveDrawingBuffer", { value: true, enumerable: true });
    return out;
  }
  function keepWebglDrawingBuffers(win) {
    try {
      const proto = win.HTMLCanvasElement?.prototype;
      const desc = proto === void 0 ? void 0 : getOwnDescriptor2(proto, "getContext");
      if (proto === void 0 || !desc || typeof desc.value !== "function" || !desc.configurable) return () => {
      };
      const original = desc.value;
      const wrapped = {
        getContext(...args) {
          const type = args[0];
          if (typeof type === "string" && WEBGL_TYPES.has(type)) {
            const given = [...args];
            given[1] = preserving(args[1]);
            return apply2(original, this, given);
          }
          return apply2(original, this, args);
        }
      }.getContext;
      defineProperty2(wrapped, "length", { value: original.length });
      const installed = { ...desc, value: wrapped };
      defineProperty2(proto, "getContext", installed);
      return () => {
        try {
          if (getOwnDescriptor2(proto, "getContext")?.value === wrapped) defineProperty2(proto, "getContext", desc);
        } catch {
        }
      };
    } catch {
      return () => {
      };
    }
  }

  // packages/sdk/src/index.ts
  var ENDED_TEXT = {
    self: "youLeft",
    external: "agentLeft",
    timeout: "sessionTimedOut",
    inactivityTimeout: "sessionInactiveTimedOut",
    serverUnavailable: "serverUnavailable",
    sessionsOverLimit: "sessionsOverLimit",
    error: "sessionError"
  };
  function boot(win) {
    const flag = "__gcbLoaded";
    const w = win;
    if (w[flag]) return;
    w[flag] = true;
    keepWebglDrawingBuffers(win);
    const doc = win.document;
    const script = doc.currentScript;
    const config = readConfig(win, script?.src ?? null);
    const log = (msg, err) => {
      if (config.debug) console.warn("[cobrowse]", msg, err ?? "");
    };
    const report = (msg, err) => {
      if (config.debug) console.error("[cobrowse]", msg, err ?? "");
    };
    const isTopContext = win === win.top;
    if (config.setDocumentDomain && !relaxDocumentDomain(doc)) log("document.domain could not be set");
    const chunks = createChunkLoader(doc, {
      scriptSrc: script?.src ?? null,
      serverUrl: config.serverUrl,
      nonce: script?.nonce ?? "",
      suffix: ".js"
    });
    if (!isTopContext) {
      chunks.load("frame").then((start) => start({ win, config, version: "0.1.0", report })).catch((err) => report("could not start in this frame", err));
      return;
    }
    const strings = resolveStrings(config.localization);
    const language = config.disableBuiltInUI ? null : languageOf(config.lang);
    let waiting = null;
    const enqueue = (next) => {
      waiting = next;
      void next.then(() => {
        if (waiting === next) waiting = null;
      });
    };
    if (language) {
      enqueue(
        chunks.load(language).then(
          (table) => {
            Object.assign(strings, resolveStrings(config.localization, table));
          },
          (err) => report(`the ${language} strings could not be loaded: English instead`, err)
        )
      );
    }
    const ui = (show) => {
      if (!waiting) {
        show();
        return;
      }
      enqueue(
        waiting.then(() => {
          try {
            show();
          } catch (err) {
            report("the built-in UI failed", err);
          }
        })
      );
    };
    const dialog = (open) => {
      let closed = false;
      let opened = null;
      ui(() => {
        if (!closed) opened = open();
      });
      return {
        close() {
          closed = true;
          opened?.close();
        }
      };
    };
    const media = prepareMedia(config.primaryMedia, report);
    const onInitialized = createSignal("onInitialized", report);
    const onSessionStarted = createSignal("onSessionStarted", report);
    const onSessionEnded = createSignal("onSessionEnded", report);
    const onConnected = createSignal("onConnected", report);
    const onAgentJoined = createSignal("onAgentJoined", report);
    const onAgentNavigated = createSignal("onAgentNavigated", report);
    const onNavigationFailed = createSignal("onNavigationFailed", report);
    const onModeUpgradeRequested = createSignal("onModeUpgradeRequested", report);
    const onModeChanged = createSignal("onModeChanged", report);
    const onMaskedElement = createSignal("onMaskedElement", report);
    let session = null;
    let inspecting = false;
    let overlay = null;
    let modal = null;
    let startDialog = null;
    let deciding = false;
    let autoConnect = false;
    const closeStartDialog = () => {
      startDialog?.close();
      startDialog = null;
    };
    const notice = (text) => {
      if (config.disableBuiltInUI) return;
      closeStartDialog();
      const opened = dialog(
        () => openNotice(doc, strings, text(), () => {
          if (startDialog === opened) startDialog = null;
        })
      );
      startDialog = opened;
    };
    const agentOverlay = () => overlay ?? (overlay = createAgentOverlay(win));
    const closeModal = () => {
      modal?.close();
      modal = null;
    };
    let masking = null;
    let markers = null;
    const startMasking = () => {
      if (masking) return;
      const ctx = controller.captureContext();
      if (toolbar) markers = createMaskMarkers(win, strings);
      masking = watchMasking({
        win,
        MutationObserver: ctx.MutationObserver,
        restrictions: ctx.restrictions,
        isService: (el) => ctx.isService(el),
        masked(el) {
          onMaskedElement.dispatch(el);
          onMaskedElement.reset();
        },
        maskedContent: (present) => toolbar?.setMasked(present),
        outermost: markers ? (elements) => ui(() => markers?.set(elements)) : void 0,
        report
      });
    };
    const stopMasking = () => {
      masking?.stop();
      masking = null;
      markers?.destroy();
      markers = null;
    };
    const toolbar = config.disableBuiltInUI ? null : /* @__PURE__ */ ((bar) => ({
      show: (token) => ui(() => bar.show(token)),
      notify: (text) => ui(() => bar.notify(text())),
      setMode: (mode) => ui(() => bar.setMode(mode)),
      setMasked: (present) => ui(() => bar.setMasked(present)),
      end: (text) => ui(() => bar.end(text?.()))
    }))(
      createToolbar(
        doc,
        strings,
        () => api.exitSession(),
        () => api.downgradeMode()
      )
    );
    const NAV_TEXT = { back: "navBack", forward: "navForward", refresh: "navRefresh", url: "navUrl" };
    const navFailed = (command, reason) => {
      onNavigationFailed.dispatch();
      toolbar?.notify(() => strings.navFailed);
      controller.navigationFailed(command, reason);
    };
    let navigator = null;
    const navigation = () => {
      if (navigator) return navigator;
      const loading = chunks.load("write").then(
        ({ createNavigator }) => createNavigator({
          win,
          delay: config.navigationDelay,
          allowed: () => controller.mode() === "write" && controller.agentPresent() && controller.token() !== null,
          announced(command, url) {
            onAgentNavigated.dispatch(command === "url" ? { command, url } : { command });
            toolbar?.notify(() => strings[NAV_TEXT[command]]);
          },
          failed: navFailed,
          report
        }),
        (err) => {
          report("could not load the navigation code", err);
          if (navigator === loading) navigator = null;
          return null;
        }
      );
      navigator = loading;
      return loading;
    };
    const controller = createSessionController(win, config.serverUrl, {
      connected(token, resumed) {
        session = { token, agents: [] };
        onSessionEnded.reset();
        onSessionStarted.dispatch(session);
        onConnected.dispatch(session);
        toolbar?.show(token);
        const viaAdapter = autoConnect && !resumed;
        autoConnect = false;
        if (viaAdapter) media.sendToken(token);
        if (!resumed) toolbar?.notify(() => viaAdapter ? strings.sessionStartedAutoConnect : format(strings.sessionStarted, { sessionId: token }));
        startMasking();
        log(`session ${token} ${resumed ? "resumed" : "started"}`);
      },
      agentJoined(already) {
        if (!session) return;
        const agent = {};
        session.agents = [agent];
        onAgentJoined.dispatch(agent, session);
        if (!already) toolbar?.notify(() => strings.agentJoined);
      },
      agentLeft() {
        if (session) session.agents = [];
      },
      agentPointer(p) {
        if (p) agentOverlay().pointer(p);
        else overlay?.pointer(null);
      },
      agentMark(p) {
        agentOverlay().mark(p);
      },
      modeUpgradeRequested(answer) {
        closeModal();
        if (onModeUpgradeRequested.size() > 0) {
          onModeUpgradeRequested.dispatch(answer);
          onModeUpgradeRequested.reset();
          return;
        }
        if (!toolbar) {
          answer(false);
          return;
        }
        const opened = dialog(
          () => openConsentModal(doc, strings, (allow) => {
            if (modal === opened) modal = null;
            answer(allow);
          })
        );
        modal = opened;
      },
      navigate(command, url) {
        const loading = navigation();
        loading.then((nav) => {
          if (navigator !== loading && nav) return;
          if (nav) nav.navigate(command, url);
          else navFailed(command, "the SDK could not load its navigation code");
        }).catch((err) => report("navigation failed", err));
      },
      navigationRefused() {
        onNavigationFailed.dispatch();
        toolbar?.notify(() => strings.navFailed);
      },
      modeRequestWithdrawn() {
        closeModal();
      },
      restrictionsChanged() {
        masking?.changed();
      },
      modeChanged(mode, notify) {
        if (mode === "write") void navigation();
        onModeChanged.dispatch(modeChangedPayload(mode));
        toolbar?.setMode(mode);
        if (notify) toolbar?.notify(() => mode === "write" ? strings.modeUpgraded : strings.modeDowngraded);
      },
      ended(reason) {
        session = null;
        autoConnect = false;
        stopMasking();
        void navigator?.then((nav) => nav?.stop());
        navigator = null;
        closeModal();
        overlay?.destroy();
        overlay = null;
        onModeChanged.reset();
        toolbar?.setMode("pointer");
        onSessionStarted.reset();
        onConnected.reset();
        onAgentJoined.reset();
        onSessionEnded.dispatch({ reason });
        toolbar?.end(reason ? () => strings[ENDED_TEXT[reason]] : void 0);
        log(`session ended: ${reason}`);
      },
      report
    }, chunks);
    const api = {
      VERSION: "0.1.0",
      isBrowserSupported: () => isBrowserSupported(win),
      startSession() {
        if (!isBrowserSupported(win)) {
          notice(() => strings.browserUnsupported);
          throw new Error("Co-browse: this browser is not supported");
        }
        if (inspecting) {
          report("this page is in inspect mode: no new co-browse session on this page load");
          return;
        }
        if (!config.serverUrl) {
          report("no server URL configured (_genesys.cobrowse.url)");
          onSessionEnded.dispatch({ reason: "error" });
          return;
        }
        if (deciding || controller.token()) return;
        deciding = true;
        decideStart({
          media,
          ask: config.disableBuiltInUI ? null : (question) => new Promise((resolve) => {
            closeStartDialog();
            const opened = dialog(
              () => openQuestion(doc, strings, strings[question], (yes) => {
                if (startDialog === opened) startDialog = null;
                resolve(yes);
              })
            );
            startDialog = opened;
          }),
          timeout: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
        }).then((decision) => {
          deciding = false;
          log(`startSession: ${decision}`);
          if (decision === "declined") {
            notice(() => strings.connectBeforeCobrowse);
            return;
          }
          autoConnect = decision === "autoConnect";
          return controller.start();
        }).catch((err) => {
          deciding = false;
          report("could not start a session", err);
        });
      },
      exitSession: () => {
        try {
          controller.exit();
        } catch (err) {
          report("could not exit the session", err);
        }
      },
      downgradeMode: () => {
        try {
          controller.downgradeMode();
        } catch (err) {
          report("could not downgrade the mode", err);
        }
      },
      markServiceElement: (el) => {
        try {
          controller.captureContext().markService(el);
        } catch (err) {
          report("markServiceElement needs an element", err);
        }
      },
      onInitialized: onInitialized.signal,
      onSessionStarted: onSessionStarted.signal,
      onSessionEnded: onSessionEnded.signal,
      onConnected: onConnected.signal,
      onAgentJoined: onAgentJoined.signal,
      onAgentNavigated: onAgentNavigated.signal,
      onNavigationFailed: onNavigationFailed.signal,
      onModeUpgradeRequested: onModeUpgradeRequested.signal,
      onModeChanged: onModeChanged.signal,
      onMaskedElement: onMaskedElement.signal
    };
    config.host["VERSION"] = api.VERSION;
    const runReady = (cb) => {
      if (typeof cb !== "function") return;
      try {
        cb(api, isTopContext);
      } catch (err) {
        report("an onReady callback threw", err);
      }
    };
    const queue = Array.isArray(config.onReady) ? config.onReady : [];
    const ready = {
      push: (...cbs) => {
        for (const cb of cbs) runReady(cb);
        return cbs.length;
      }
    };
    config.host["onReady"] = ready;
    if (isTopContext) {
      try {
        const ticket = takeInspectTicket(win, report);
        if (ticket !== null) {
          inspecting = true;
          chunks.load("inspect").then(
            (start) => start(
              {
                win,
                MutationObserver: controller.captureContext().MutationObserver,
                serverUrl: config.serverUrl,
                isService: (el) => controller.captureContext().isService(el),
                report
              },
              ticket
            )
          ).catch((err) => report("could not start inspect mode", err));
        }
      } catch (err) {
        report("could not start inspect mode", err);
      }
    }
    if (isTopContext) controller.resume();
    win.addEventListener("pageshow", (ev) => {
      try {
        if (ev.persisted && config.disableBackForwardCache && controller.token()) controller.pageRestored();
      } catch (err) {
        report("could not reconnect a page restored from the back/forward cache", err);
      }
    });
    for (const cb of queue) runReady(cb);
    onInitialized.dispatch(controller.token() ? { token: controller.token(), agents: [] } : null);
  }
  try {
    boot(window);
  } catch (err) {
    if (typeof console !== "undefined") console.error("[cobrowse] failed to start", err);
  }
})();
//# sourceMappingURL=gcb.js.map
