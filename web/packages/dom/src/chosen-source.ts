/**
 * The image the customer's browser chose from `srcset` / `<picture>` (docs/PROTOCOL.md, "Nodes",
 * `cs`), both halves.
 *
 * A responsive image's candidate depends on the browser's device pixel ratio (and on the types it
 * decodes); the agent's screen may differ from the customer's, so the replica would pick another
 * file. The capture sends the customer's choice, `currentSrc`, for unmasked `<img>` elements that
 * choose (a `srcset`, or a `<picture>` parent); the viewer makes the replica show exactly that
 * file: the `<img>`'s `srcset` and, in a `<picture>`, every `<source>`'s `srcset` become that one
 * URL, so whichever the replica selects shows the customer's file. A new choice (the customer's
 * window resized, `srcset` changed) loads the image again: its `load` event makes the capture send
 * a `cs` op.
 */

import type { Op } from '@cobrowse/protocol';
import type { CaptureContext } from './context';
import type { MaskScope } from './mask';
import type { UrlMapper } from './replica-resources';
import { sanitizeAttribute } from './sanitize';

const HTML_NS = 'http://www.w3.org/1999/xhtml';

function isHtmlImage(el: Element): boolean {
  return el.localName === 'img' && el.namespaceURI === HTML_NS;
}

/**
 * Customer side: the file `el` shows when its browser chose it among candidates (`currentSrc` of
 * an `<img>` with a `srcset` or in a `<picture>`), else `undefined`. Never throws.
 */
export function chosenSource(el: Element): string | undefined {
  try {
    if (!isHtmlImage(el)) return undefined;
    if (!el.hasAttribute('srcset') && el.parentElement?.localName !== 'picture') return undefined;
    const cs = (el as HTMLImageElement).currentSrc;
    return typeof cs === 'string' && cs !== '' ? cs : undefined;
  } catch {
    return undefined;
  }
}

/** Customer side: the `cs` op for an image that loaded (its choice now), or `null`. */
export function chosenSourceOp(el: Element, ctx: CaptureContext, scope: MaskScope): Op | null {
  const i = ctx.mirror.getId(el);
  if (i === undefined || scope.isMasked(el)) return null;
  const cs = chosenSource(el);
  return cs === undefined ? null : { o: 'cs', i, cs };
}

/**
 * Replica: makes `<img>` `el` show `cs` (see the module comment). The URL is sanitized as a
 * `srcset` candidate and mapped like one (`mapUrl`); an unsafe one changes nothing. False when
 * nothing was applied.
 */
export function applyChosenSource(el: Element, cs: unknown, base: string, mapUrl?: UrlMapper): boolean {
  if (!isHtmlImage(el) || typeof cs !== 'string' || cs === '' || /\s|,$/.test(cs)) return false;
  let value = sanitizeAttribute('img', 'srcset', cs, base);
  if (value === null) return false;
  if (mapUrl !== undefined) {
    try {
      const mapped: unknown = mapUrl(value, 'srcset', base);
      if (typeof mapped !== 'string') return false;
      value = mapped;
    } catch {
      return false;
    }
  }
  try {
    el.setAttribute('srcset', value);
    el.removeAttribute('sizes');
    const picture = el.parentElement;
    if (picture !== null && picture.localName === 'picture') {
      for (const source of picture.children) {
        if (source.localName !== 'source') continue;
        source.setAttribute('srcset', value);
        source.removeAttribute('sizes');
      }
    }
    return true;
  } catch {
    return false;
  }
}
