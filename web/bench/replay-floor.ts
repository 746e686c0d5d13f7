// The floor of the agent-side figures (replay.spec.ts), as floor.ts is the customer side's: the
// same final DOM put into the same kind of replica iframe by the cheapest means any replayer could
// have, measured as the two engines are (replay.ts `applyInPage`, engine `floor`, "replica alone").
// What no replayer can go below: the browser's own work to parse the page's markup into a DOM and
// to style, lay out and paint it. Where the floor is above 0.7× of rrweb's figure, "≤ 0.7× rrweb"
// cannot be reached by any replayer.
//
// Taken on our customer's page (its service elements and scripts removed, as every replica has
// them removed), outside any measurement:
// - a snapshot: the page's markup once the input's marker is in, up to <body>'s start tag given
//   to the replica's document parser (`document.write`, left open as both engines leave theirs)
//   and <body>'s content to the fragment parser (`innerHTML`, which builds a large tree faster than
//   the document parser; BENCH_FLOOR=write writes it instead): no decompression, no JSON, no
//   sanitizing, no node ids;
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

/**
 * One change of a burst's floor, on the snapshot's DOM. Paths are child indices from the root
 * element in the snapshot's DOM (`before`: the snapshot's node the new nodes go before, `null`: last).
 */
export type FloorChange =
  | { kind: 'attributes'; path: number[]; set: Array<[string, string]>; remove: string[] }
  | { kind: 'text'; path: number[]; data: string }
  | { kind: 'remove'; path: number[] }
  /** New nodes (markup, or nodes to build), in order. */
  | { kind: 'insert'; path: number[]; before: number[] | null; insert: Array<string | FloorTree> };

export interface FloorCapture {
  /**
   * The page's markup in two parts: up to and with <body>'s start tag (the doctype, the root and its
   * <head>), and <body>'s content.
   */
  markup: [string, string];
  /** Elements under <body> (as replay.ts `countElements`). */
  elements: number;
  /** With a burst: the changes from the kept start (`keepFloorStart`) to now. */
  changes: FloorChange[] | null;
}

type FloorWindow = Window & { __floorStart?: { root: HTMLElement; copyOf: Map<Node, Node> } };

/**
 * In the customer's page, self-contained (run by `page.evaluate`; JSON text of a `FloorCapture`):
 * the page as a replica shows it; with `keep` a copy of it kept with, for each of the page's nodes,
 * its copy (the node's identity: what a replayer's node id is); with `diff` the changes from the
 * kept copy to the page now. A node still in the parent it had is kept (those whose order changed
 * among their siblings excepted), others are removed, and new ones inserted as markup.
 */
function floorCapture({ keep, diff }: { keep: boolean; diff: boolean }): string {
  const w = window as FloorWindow;
  const skipped = (n: Node): boolean =>
    n.nodeType === Node.ELEMENT_NODE && ((n as Element).localName === 'script' || (n as Element).hasAttribute('data-gcb-service-node'));
  const clean = <T extends Node>(n: T): T => {
    const copy = n.cloneNode(true) as T;
    if (copy instanceof Element) for (const el of copy.querySelectorAll('script, [data-gcb-service-node]')) el.remove();
    return copy;
  };
  const root = clean(document.documentElement);
  if (keep) {
    // The page's nodes and their copies, walked side by side before the copy is cleaned.
    const copy = document.documentElement.cloneNode(true) as HTMLElement;
    const copyOf = new Map<Node, Node>();
    const pair = (a: Node, b: Node): void => {
      copyOf.set(a, b);
      for (let x = a.firstChild, y = b.firstChild; x !== null && y !== null; x = x.nextSibling, y = y.nextSibling) pair(x, y);
    };
    pair(document.documentElement, copy);
    for (const el of copy.querySelectorAll('script, [data-gcb-service-node]')) el.remove();
    w.__floorStart = { root: copy, copyOf };
  }
  const rawText = new Set(['style', 'script', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext']);
  const escapeText = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\u00a0/g, '&nbsp;');
  const markupOf = (n: Node, parent: Node): string => {
    if (n instanceof Element) return n.outerHTML;
    if (n.nodeType === Node.TEXT_NODE) return rawText.has((parent as Element).localName ?? '') ? (n as Text).data : escapeText((n as Text).data);
    if (n.nodeType === Node.COMMENT_NODE) return `<!--${(n as Comment).data}-->`;
    return '';
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
  // New nodes (cleaned copies) as one markup when it gives them back, else each as markup or as a tree.
  const insertion = (nodes: Node[], parent: Node): Array<string | FloorTree> => {
    const all = nodes.map((n) => markupOf(n, parent)).join('');
    if (roundTrips(all, nodes, parent)) return [all];
    return nodes.map((n) => {
      const m = markupOf(n, parent);
      return roundTrips(m, [n], parent) ? m : tree(n);
    });
  };
  const changes: FloorChange[] = [];
  // `old`: the kept copy of live node `now`, at `path`.
  const diffNode = (old: Node, now: Node, path: number[], copyOf: Map<Node, Node>): void => {
    if (old instanceof Element && now instanceof Element) {
      const set: Array<[string, string]> = [];
      const remove: string[] = [];
      for (const name of now.getAttributeNames()) {
        const v = now.getAttribute(name) ?? '';
        if (old.getAttribute(name) !== v) set.push([name, v]);
      }
      for (const name of old.getAttributeNames()) if (!now.hasAttribute(name)) remove.push(name);
      if (set.length || remove.length) changes.push({ kind: 'attributes', path, set, remove });
    } else if (old instanceof CharacterData && (old as CharacterData).data !== (now as CharacterData).data) {
      changes.push({ kind: 'text', path, data: (now as CharacterData).data });
    }
    const oldChildren = Array.from(old.childNodes);
    const index = new Map<Node, number>(oldChildren.map((c, k) => [c, k]));
    // Kept: the children that were children of the same node, in their old order.
    const kept: Array<[Node, number]> = [];
    const added: Node[][] = [[]];
    let last = -1;
    for (let c = now.firstChild; c !== null; c = c.nextSibling) {
      if (skipped(c)) continue;
      const k = index.get(copyOf.get(c) as Node);
      if (k !== undefined && k > last) {
        kept.push([c, k]);
        added.push([]);
        last = k;
      } else (added[added.length - 1] as Node[]).push(clean(c));
    }
    const keptOld = new Set(kept.map(([, k]) => k));
    oldChildren.forEach((_, k) => {
      if (!keptOld.has(k)) changes.push({ kind: 'remove', path: [...path, k] });
    });
    added.forEach((nodes, g) => {
      if (nodes.length === 0) return;
      const next = kept[g];
      changes.push({ kind: 'insert', path, before: next ? [...path, next[1]] : null, insert: insertion(nodes, now) });
    });
    for (const [c, k] of kept) diffNode(oldChildren[k] as Node, c, [...path, k], copyOf);
  };
  if (diff) {
    const start = w.__floorStart;
    if (!start) throw new Error('floor: no start kept');
    diffNode(start.root, document.documentElement, [], start.copyOf);
  }
  const body = root.querySelector('body');
  if (!body) throw new Error('floor: a page without <body>');
  const content = body.innerHTML;
  const elements = body.getElementsByTagName('*').length;
  body.replaceChildren();
  const shell = root.outerHTML;
  if (!shell.endsWith('</body></html>')) throw new Error('floor: <body> is not last in the page');
  const capture: FloorCapture = {
    markup: [`<!DOCTYPE html>${shell.slice(0, -'</body></html>'.length)}`, content],
    elements,
    changes: diff ? changes : null,
  };
  return JSON.stringify(capture);
}

/** Keeps the customer's page as it is now (the start of a burst) and returns its markup. */
export async function keepFloorStart(page: Page): Promise<FloorCapture> {
  return JSON.parse(await page.evaluate(floorCapture, { keep: true, diff: false })) as FloorCapture;
}

/** The customer's page now: its markup, and with `burst` the changes since `keepFloorStart`. */
export async function floorNow(page: Page, burst: boolean): Promise<FloorCapture> {
  return JSON.parse(await page.evaluate(floorCapture, { keep: false, diff: burst })) as FloorCapture;
}
