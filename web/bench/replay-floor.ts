// The floor of the agent-side figures (replay.spec.ts), as floor.ts is the customer side's: the
// same final DOM put into the same kind of replica iframe by the cheapest means any replayer could
// have, measured as the two engines are (replay.ts `applyInPage`, engine `floor`, "replica alone").
// What no replayer can go below: the browser's own work to parse the page's markup into a DOM and
// to style, lay out and paint it. Where the floor is above 0.7× of rrweb's figure, "≤ 0.7× rrweb"
// cannot be reached by any replayer.
//
// Taken on our customer's page (its service elements and scripts removed, as every replica has
// them removed), outside any measurement:
// - a snapshot: the page's markup once the input's marker is in (`<!DOCTYPE html>` and the
//   `outerHTML` of its root), given to the replica in one `document.write` (no decompression, no
//   JSON, no sanitizing, no node ids);
// - a burst: the markup of the page before the burst (applied first, not measured, as the engines'
//   snapshots are) and the least set of changes that turns that DOM into the page after the burst:
//   the snapshot's nodes kept, each changed attribute and text set, and each run of siblings that
//   differs removed and its replacement inserted as markup (one `insertAdjacentHTML`; a node the
//   HTML parser would not give back as it is, such as a <div> put into a <p> by a script, is built
//   with `createElement`, `setAttribute` and `appendChild` instead). The changes
//   reference the snapshot's nodes by their child-index paths, resolved to nodes before the
//   measurement (a replayer has its id → node map from the snapshot too). Only the final state is
//   applied: intermediate states a workload went through (added, removed, added again) are
//   skipped, which no replayer receiving the changes as they happen can do either.

import type { Page } from '@playwright/test';

/** A node the HTML parser would not give back from its markup: built by DOM calls. */
export type FloorTree = { text: string } | { comment: string } | { ns: string | null; name: string; attributes: Array<[string, string]>; children: FloorTree[] };

/** One change of a burst's floor, on the snapshot's DOM; `path` is child indices from the root element. */
export type FloorChange =
  | { kind: 'attributes'; path: number[]; set: Array<[string, string]>; remove: string[] }
  | { kind: 'text'; path: number[]; data: string }
  /** The children `from` … `from + count - 1` of the node at `path` replaced by `insert` (markup, or nodes to build), in order. */
  | { kind: 'replace'; path: number[]; from: number; count: number; insert: Array<string | FloorTree> };

export interface FloorCapture {
  /** The page's markup. */
  markup: string;
  /** Elements under <body> (as replay.ts `countElements`). */
  elements: number;
  /** With a burst: the changes from the kept start (`keepFloorStart`) to now. */
  changes: FloorChange[] | null;
}

type FloorWindow = Window & { __floorStart?: HTMLElement };

/**
 * In the customer's page: the page as a replica shows it, and with `diff` the changes since the
 * copy `keep` stored. Self-contained (run by `page.evaluate`).
 */
function floorCapture({ keep, diff }: { keep: boolean; diff: boolean }): FloorCapture {
  const w = window as FloorWindow;
  const root = document.documentElement.cloneNode(true) as HTMLElement;
  for (const el of root.querySelectorAll('script, [data-gcb-service-node]')) el.remove();
  const start = w.__floorStart;
  if (keep) w.__floorStart = root;
  const rawText = new Set(['style', 'script', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext']);
  const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\u00a0/g, '&nbsp;');
  const markupOf = (n: Node, parent: Node): string => {
    if (n instanceof Element) return n.outerHTML;
    if (n.nodeType === Node.TEXT_NODE) return rawText.has((parent as Element).localName ?? '') ? (n as Text).data : escapeText((n as Text).data);
    if (n.nodeType === Node.COMMENT_NODE) return `<!--${(n as Comment).data}-->`;
    return '';
  };
  const changes: FloorChange[] = [];
  const diffNode = (a: Node, b: Node, path: number[]): void => {
    if (a.isEqualNode(b)) return;
    if (a instanceof Element && b instanceof Element) {
      const set: Array<[string, string]> = [];
      const remove: string[] = [];
      for (const name of b.getAttributeNames()) {
        const v = b.getAttribute(name) ?? '';
        if (a.getAttribute(name) !== v) set.push([name, v]);
      }
      for (const name of a.getAttributeNames()) if (!b.hasAttribute(name)) remove.push(name);
      if (set.length || remove.length) changes.push({ kind: 'attributes', path, set, remove });
      diffChildren(a, b, path);
    } else changes.push({ kind: 'text', path, data: (b as CharacterData).data });
  };
  const diffChildren = (a: Node, b: Node, path: number[]): void => {
    const x = a.childNodes;
    const y = b.childNodes;
    const min = Math.min(x.length, y.length);
    let p = 0;
    while (p < min && (x[p] as Node).isEqualNode(y[p] as Node)) p++;
    let s = 0;
    while (s < min - p && (x[x.length - 1 - s] as Node).isEqualNode(y[y.length - 1 - s] as Node)) s++;
    const oldCount = x.length - p - s;
    const newCount = y.length - p - s;
    let pairwise = oldCount === newCount;
    for (let k = p; pairwise && k < p + oldCount; k++) pairwise = (x[k] as Node).nodeName === (y[k] as Node).nodeName;
    if (pairwise) {
      for (let k = p; k < p + oldCount; k++) diffNode(x[k] as Node, y[k] as Node, [...path, k]);
      return;
    }
    const added = Array.from(y).slice(p, p + newCount);
    changes.push({ kind: 'replace', path, from: p, count: oldCount, insert: insertion(added, b) });
  };
  // Whether `markup` parsed in `parent` gives `nodes` back.
  const roundTrips = (markup: string, nodes: Node[], parent: Node): boolean => {
    const range = document.createRange();
    range.selectNodeContents(parent);
    const parsed = range.createContextualFragment(markup).childNodes;
    return parsed.length === nodes.length && nodes.every((n, k) => (parsed[k] as Node).isEqualNode(n));
  };
  const tree = (n: Node): FloorTree => {
    if (n instanceof Element) {
      const attributes: Array<[string, string]> = n.getAttributeNames().map((a) => [a, n.getAttribute(a) ?? '']);
      return { ns: n.namespaceURI, name: n.localName, attributes, children: Array.from(n.childNodes, tree) };
    }
    return n.nodeType === Node.COMMENT_NODE ? { comment: (n as Comment).data } : { text: (n as CharacterData).data };
  };
  // The nodes as one markup when it gives them back, else each as markup or as a tree.
  const insertion = (nodes: Node[], parent: Node): Array<string | FloorTree> => {
    if (nodes.length === 0) return [];
    const all = nodes.map((n) => markupOf(n, parent)).join('');
    if (roundTrips(all, nodes, parent)) return [all];
    return nodes.map((n) => {
      const m = markupOf(n, parent);
      return roundTrips(m, [n], parent) ? m : tree(n);
    });
  };
  if (diff) {
    if (!start) throw new Error('floor: no start kept');
    diffNode(start, root, []);
  }
  const body = root.querySelector('body');
  return {
    markup: `<!DOCTYPE html>${root.outerHTML}`,
    elements: body ? body.getElementsByTagName('*').length : 0,
    changes: diff ? changes : null,
  };
}

/** Keeps the customer's page as it is now (the start of a burst) and returns its markup. */
export function keepFloorStart(page: Page): Promise<FloorCapture> {
  return page.evaluate(floorCapture, { keep: true, diff: false });
}

/** The customer's page now: its markup, and with `burst` the changes since `keepFloorStart`. */
export function floorNow(page: Page, burst: boolean): Promise<FloorCapture> {
  return page.evaluate(floorCapture, { keep: false, diff: burst });
}
