/** Form-state rules shared by capture and replica. */

import type { DomAccess } from './dom-access';

/**
 * Input types whose `value` property is the user's text (value mode "value"). For the others the
 * property mirrors the `value` attribute (setting it would add one), or is a file name.
 */
export function hasValueMode(type: string): boolean {
  switch (type) {
    case 'checkbox':
    case 'radio':
    case 'hidden':
    case 'button':
    case 'submit':
    case 'reset':
    case 'image':
    case 'file':
      return false;
    default:
      return true;
  }
}

/**
 * The element whose form state describes `el`'s: for an `<option>`, its `<select>` (its parent, or
 * the parent of its `<optgroup>`) when it has one; otherwise `el`. Walks with `dom` (pristine).
 */
export function formControlOf(el: Element, dom: Pick<DomAccess, 'parentNode'>): Element {
  if (el.localName !== 'option') return el;
  let parent = dom.parentNode(el);
  if (parent !== null && (parent as Element).localName === 'optgroup') parent = dom.parentNode(parent);
  return parent !== null && parent.nodeType === 1 && (parent as Element).localName === 'select' ? (parent as Element) : el;
}
