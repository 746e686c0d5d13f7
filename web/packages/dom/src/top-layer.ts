/**
 * Agent side: the replica's top layer (modal dialogs, open popovers), as the wire's `tl` says.
 * Used by the build (`build.ts`) and the ops (`apply.ts`).
 */

import { HTML_NS } from './names';

/**
 * Puts a replica element in the top layer as the customer's is (`'modal'`: `showModal()` on a
 * `<dialog>`; `'popover'`: `showPopover()` on an element with a `popover` attribute) or takes it
 * out (`null`: a modal dialog is closed, an open popover hidden). The element must be attached.
 * The replica runs no script, so no page handler sees these calls; the viewer keeps the agent's
 * own focus where it was. False when it does not apply (another element, no such API). Never throws.
 */
export function applyTopLayer(el: Element, tl: unknown): boolean {
  try {
    const html = el as HTMLElement & { showPopover?: () => void; hidePopover?: () => void };
    const isDialog = el.localName === 'dialog' && el.namespaceURI === HTML_NS;
    if (tl === 'modal') {
      if (!isDialog || !el.isConnected) return false;
      const dialog = el as HTMLDialogElement;
      if (dialog.matches(':modal')) return true;
      // The `open` attribute came with the element: showModal() refuses an open dialog.
      if (dialog.hasAttribute('open')) dialog.removeAttribute('open');
      dialog.showModal();
      return true;
    }
    if (tl === 'popover') {
      if (!el.hasAttribute('popover') || typeof html.showPopover !== 'function' || !el.isConnected) return false;
      if (!el.matches(':popover-open')) html.showPopover();
      return true;
    }
    if (tl !== null) return false;
    if (isDialog && el.matches(':modal')) {
      // close() does nothing without `open` (an `attr` op may have removed it first, which leaves
      // the dialog in the top layer) and removes it: the customer's dialog may still be open as a
      // non-modal one, so `open` is put back as it was.
      const open = el.hasAttribute('open');
      if (!open) el.setAttribute('open', '');
      (el as HTMLDialogElement).close();
      if (open) el.setAttribute('open', '');
    } else if (typeof html.hidePopover === 'function' && el.hasAttribute('popover') && el.matches(':popover-open')) {
      html.hidePopover();
    }
    return true;
  } catch {
    return false;
  }
}
