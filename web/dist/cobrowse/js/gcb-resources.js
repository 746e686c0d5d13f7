"use strict";
(() => {
  // packages/sdk/src/chunk.ts
  var RECEIVE = "__gcbReceive";
  function handOver(value) {
    const script = document.currentScript;
    const receive = script?.[RECEIVE];
    if (typeof receive === "function") receive(value);
  }

  // packages/sdk/src/resources.ts
  var MAX_BYTES = 10 * 1024 * 1024;
  var PROBE_ABOVE = 8 * 1024;
  var MAX_ACTIVE = 4;
  var MAX_QUEUED = 64;
  function isPassiveType(type) {
    const essence = type.split(";")[0].trim().toLowerCase();
    return /^(image|font|audio|video)\/[a-z0-9.+-]+$/.test(essence) || essence === "text/css" || /^application\/(font-woff2?|font-sfnt|x-font-[a-z]+|vnd\.ms-fontobject)$/.test(essence);
  }
  async function sha256Hex(win, bytes) {
    const subtle = win.crypto?.subtle;
    if (!subtle) return null;
    const digest = new Uint8Array(await subtle.digest("SHA-256", bytes));
    let hex = "";
    for (const b of digest) hex += b.toString(16).padStart(2, "0");
    return hex;
  }
  var URL_ATTRIBUTES = ["src", "href", "poster", "xlink:href"];
  var CSS_URL = /url\(\s*(['"]?)(.*?)\1\s*\)/g;
  var MAX_FRAME_DEPTH = 16;
  function resolves(value, base, url) {
    try {
      return new URL(value.trim(), base).href === url;
    } catch {
      return false;
    }
  }
  function cssReferences(text, base, url) {
    if (!text.includes("url(")) return false;
    CSS_URL.lastIndex = 0;
    for (let m = CSS_URL.exec(text); m !== null; m = CSS_URL.exec(text)) {
      if (resolves(m[2] ?? "", base, url)) return true;
    }
    return false;
  }
  function sheetReferences(sheet, base, url) {
    let rules;
    try {
      rules = sheet.cssRules;
    } catch {
      return false;
    }
    const sheetBase = sheet.href ?? base;
    for (let i = 0; i < rules.length; i++) {
      if (cssReferences(rules[i]?.cssText ?? "", sheetBase, url)) return true;
    }
    return false;
  }
  function isShownResource(doc, url, isMasked, scriptCss = () => [], depth = 0) {
    const base = doc.baseURI;
    for (const el of doc.querySelectorAll("[src], [srcset], [href], [poster], [style], [*|href]")) {
      let hit = false;
      for (const name of URL_ATTRIBUTES) {
        const v = el.getAttribute(name);
        if (v !== null && resolves(v, base, url)) hit = true;
      }
      const srcset = el.getAttribute("srcset");
      if (!hit && srcset !== null) {
        for (const candidate of srcset.split(",")) {
          if (resolves(candidate.trim().split(/\s+/)[0] ?? "", base, url)) hit = true;
        }
      }
      const style = el.getAttribute("style");
      if (!hit && style !== null && cssReferences(style, base, url)) hit = true;
      if (hit && !isMasked(el)) return true;
    }
    for (const el of doc.querySelectorAll("style")) {
      if (cssReferences(el.textContent ?? "", base, url)) return true;
    }
    const sheets = [...Array.from(doc.styleSheets), ...doc.adoptedStyleSheets ?? []];
    for (const sheet of sheets) if (sheetReferences(sheet, base, url)) return true;
    for (const css of scriptCss(doc)) if (cssReferences(css, base, url)) return true;
    if (depth < MAX_FRAME_DEPTH) {
      for (const frame of doc.querySelectorAll("iframe, frame")) {
        let inner = null;
        try {
          inner = frame.contentDocument;
        } catch {
          inner = null;
        }
        if (inner && !isMasked(frame) && isShownResource(inner, url, isMasked, scriptCss, depth + 1)) return true;
      }
    }
    return false;
  }
  function createResourceUploader(win, serverUrl, page) {
    const isMasked = (el) => page.isMasked?.(el) ?? false;
    const scriptCss = (doc) => page.scriptCss?.(doc) ?? [];
    const uploaded = /* @__PURE__ */ new Set();
    const queue = [];
    let active = 0;
    const readable = (url) => {
      if (url.protocol === "blob:") return url.origin === win.location.origin;
      return url.protocol === "http:" || url.protocol === "https:";
    };
    const upload = async (ticket, hash, type, body) => {
      const query = new URLSearchParams({ type });
      if (hash) query.set("sha256", hash);
      const res = await win.fetch(`${serverUrl}resource/upload/${encodeURIComponent(ticket)}?${query}`, {
        method: "POST",
        body: body ?? new ArrayBuffer(0),
        credentials: "omit",
        mode: "cors",
        referrerPolicy: "no-referrer",
        cache: "no-store"
      });
      return res.status;
    };
    const answer = async (urlText, ticket) => {
      const url = new URL(urlText);
      if (!readable(url)) return false;
      if (!isShownResource(win.document, url.href, isMasked, scriptCss)) {
        page.report(`not providing ${url.href}: the page does not show it to the agent`);
        return false;
      }
      const sameOrigin = url.origin === win.location.origin || url.protocol === "blob:";
      const res = await win.fetch(url.href, {
        credentials: sameOrigin ? "same-origin" : "omit",
        mode: sameOrigin ? "same-origin" : "cors",
        referrerPolicy: "no-referrer"
      });
      if (!res.ok) return false;
      const type = res.headers.get("content-type") ?? "";
      if (!isPassiveType(type)) return false;
      const declared = Number(res.headers.get("content-length") ?? "0");
      if (declared > MAX_BYTES) return false;
      const bytes = await res.arrayBuffer();
      if (bytes.byteLength > MAX_BYTES) return false;
      const hash = await sha256Hex(win, bytes);
      if (hash && (uploaded.has(hash) || bytes.byteLength > PROBE_ABOVE)) {
        if (await upload(ticket, hash, type, null) === 204) return true;
      }
      const status = await upload(ticket, hash, type, bytes);
      if (status === 204 && hash) uploaded.add(hash);
      return status === 204;
    };
    const decline = (ticket) => {
      try {
        page.decline(ticket);
      } catch (err) {
        page.report("cannot decline a resource request", err);
      }
    };
    const pump = () => {
      while (active < MAX_ACTIVE && queue.length > 0) {
        const next = queue.shift();
        active++;
        answer(next.url, next.ticket).catch((err) => {
          page.report("cannot provide a resource to the agent", err);
          return false;
        }).then((provided) => {
          if (!provided) decline(next.ticket);
        }).finally(() => {
          active--;
          pump();
        });
      }
    };
    return {
      request(url, ticket) {
        if (typeof ticket !== "string") return;
        if (typeof url !== "string" || queue.length >= MAX_QUEUED) {
          decline(ticket);
          return;
        }
        queue.push({ url, ticket });
        pump();
      },
      stop() {
        queue.length = 0;
      }
    };
  }

  // packages/sdk/src/chunks/resources.ts
  handOver(createResourceUploader);
})();
