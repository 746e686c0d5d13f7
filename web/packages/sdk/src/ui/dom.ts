/**
 * What the parts of the built-in UI share: each lives in an open shadow root (the page's CSS
 * neither reaches in nor leaks out) of a service element (`data-gcb-service-node`: never sent to
 * the agent), with its style sheet first, and builds its elements with a class and a text.
 */

/** A `tag` element of `doc`, with `cls` as its class and `text` as its text when given. */
export function element<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A service element of class `cls` (not yet in the document) and its shadow root, styled by `css`. */
export function serviceHost(doc: Document, cls: string, css: string): { host: HTMLDivElement; root: ShadowRoot } {
  const host = element(doc, 'div', cls);
  host.setAttribute('data-gcb-service-node', 'true');
  const root = host.attachShadow({ mode: 'open' });
  root.append(element(doc, 'style', '', css));
  return { host, root };
}
