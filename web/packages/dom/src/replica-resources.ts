/**
 * Agent side: the sub-resources of the replica (docs/PROTOCOL.md, "Resources"). With the viewer's
 * `mapUrl` hook, every value that makes the replica load something (`resourceKind`) and all CSS
 * text is set as the hook maps it, after sanitizing; a hook that fails drops the value. Used by the
 * build (`build.ts`) and the ops (`apply.ts`).
 */

import { HTML_NS, SVG_NS } from './names';

/**
 * What a replica value that loads a sub-resource is: one URL (`'url'`), a `srcset` candidate list
 * (`'srcset'`) or CSS text whose `url(…)` / `@import` references load (`'css'`).
 */
export type ResourceKind = 'url' | 'srcset' | 'css';

/**
 * Maps a sub-resource value of the replica (already sanitized, its URLs absolute; `base` is the
 * customer page's URL, for a stray relative one) to the value to set. Must keep the value's form
 * (a candidate list stays one, CSS stays CSS). A mapper that throws or returns a non-string drops
 * the value: the attribute is removed, the CSS text emptied.
 */
export type UrlMapper = (value: string, kind: ResourceKind, base: string) => string;

/** SVG presentation attributes whose value may be a `url(…)` (a paint server, mask, filter, …). */
const SVG_URL_ATTRIBUTES: ReadonlySet<string> = new Set([
  'fill',
  'stroke',
  'clip-path',
  'mask',
  'filter',
  'marker-start',
  'marker-mid',
  'marker-end',
  'cursor',
]);

/**
 * The kind of attribute `name` of replica element `el` when its value makes the replica load
 * something, else `null`: `src`, `poster`, `background` (`'url'`); `srcset`, `imagesrcset`
 * (`'srcset'`); `style` (`'css'`); `href` of an HTML `<link>` and `href` / `xlink:href` of SVG
 * elements other than `<a>` (`'url'`: `<image>`, `<use>`, `<feImage>`, …; an `<a>`'s or `<area>`'s
 * link is never followed in the replica); SVG presentation attributes that take a `url(…)`
 * (`fill`, `stroke`, `clip-path`, `mask`, `filter`, `marker-*`, `cursor`: `'css'`).
 */
export function resourceKind(el: Element, name: string): ResourceKind | null {
  return resourceKindOf(el, el.localName, name);
}

/**
 * `resourceKind` of an element given by its local name and its namespace URI, or the element
 * itself, whose namespace is then read only for the names that depend on it.
 */
export function resourceKindOf(nsOrEl: string | null | Element, local: string, name: string): ResourceKind | null {
  const lower = name.toLowerCase();
  switch (lower) {
    case 'src':
    case 'poster':
    case 'background':
      return 'url';
    case 'srcset':
    case 'imagesrcset':
      return 'srcset';
    case 'style':
      return 'css';
    case 'href':
    case 'xlink:href': {
      const ns = namespaceOf(nsOrEl);
      if (ns === HTML_NS) return lower === 'href' && local === 'link' ? 'url' : null;
      return ns === SVG_NS && local !== 'a' ? 'url' : null;
    }
    default:
      return SVG_URL_ATTRIBUTES.has(lower) && namespaceOf(nsOrEl) === SVG_NS ? 'css' : null;
  }
}

function namespaceOf(nsOrEl: string | null | Element): string | null {
  return nsOrEl === null || typeof nsOrEl === 'string' ? nsOrEl : nsOrEl.namespaceURI;
}

/** `value` as `mapUrl` maps it; `null` when the mapper fails (see `UrlMapper`). */
export function mapValue(mapUrl: UrlMapper, value: string, kind: ResourceKind, base: string): string | null {
  try {
    const out: unknown = mapUrl(value, kind, base);
    return typeof out === 'string' ? out : null;
  } catch {
    return null;
  }
}

/** CSS text with its references mapped (unchanged without a mapper; empty when it fails). */
export function mapCss(mapUrl: UrlMapper | undefined, css: string, base: string): string {
  return mapUrl === undefined ? css : (mapValue(mapUrl, css, 'css', base) ?? '');
}

/** `mapCss` bound to one mapper and base, for `applyAdoptedSheets`; `undefined` without a mapper. */
export function cssMapper(mapUrl: UrlMapper | undefined, base: string): ((css: string) => string) | undefined {
  return mapUrl === undefined ? undefined : (css) => mapCss(mapUrl, css, base);
}

/**
 * `data` as the text of `node`, a child of `parent`: mapped as CSS when `node` is a text (or
 * CDATA) node and `parent` a `<style>` (HTML or SVG), so that the stylesheet the replica parses
 * from it loads its references through `mapUrl`. Computed before the text is set or the node
 * inserted: the browser parses a connected `<style>` at once.
 */
export function styleChildText(parent: Node | null, node: Node, data: string, mapUrl: UrlMapper | undefined, base: string): string {
  if (mapUrl === undefined || (node.nodeType !== 3 && node.nodeType !== 4)) return data;
  if (parent === null || parent.nodeType !== 1 || (parent as Element).localName !== 'style') return data;
  return mapCss(mapUrl, data, base);
}

/** Maps the text of `node` in place when it is a text child of `parent`, a `<style>`. */
export function mapStyleChild(parent: Node | null, node: Node, mapUrl: UrlMapper | undefined, base: string): void {
  if (mapUrl === undefined || (node.nodeType !== 3 && node.nodeType !== 4)) return;
  const text = node as CharacterData;
  const mapped = styleChildText(parent, node, text.data, mapUrl, base);
  if (mapped !== text.data) text.data = mapped;
}
