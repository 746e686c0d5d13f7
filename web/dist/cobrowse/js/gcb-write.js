"use strict";
(() => {
  // packages/sdk/src/chunk.ts
  var RECEIVE = "__gcbReceive";
  function handOver(value) {
    const script = document.currentScript;
    const receive = script?.[RECEIVE];
    if (typeof receive === "function") receive(value);
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
  var chunk = { createNavigator };
  handOver(chunk);
})();
