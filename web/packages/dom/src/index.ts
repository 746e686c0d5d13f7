/**
 * @cobrowse/dom: the two halves of the DOM mirror contract (docs/PROTOCOL.md, "DOM frames").
 *
 * Capture (customer's page): `createCaptureContext`, `serializeDocument`, `serializeNode`,
 * `mutationsToOps`, `formStateOp(s)`, `scrollOp`; restrictions (`createRestrictions`) and the
 * masking rules (`mask.ts`).
 * Replica (agent's page): `createReplicaMirror`, `rebuildDocument`, `applyOps`; restriction marks
 * (`marks.ts`).
 * Shared: `sanitizeAttribute` and the URL helpers.
 */

export { createCaptureMirror, DOCUMENT_ID, type CaptureMirror } from './capture-mirror';
export {
  createCaptureContext,
  frameContent,
  isFrameElement,
  FRAME_DEPTH_LIMIT,
  SERVICE_ATTRIBUTE,
  type CaptureContext,
  type CaptureOptions,
} from './context';
export { createDomAccess, type DomAccess } from './dom-access';
export {
  createRestrictions,
  documentUrl,
  NONE,
  CONTROL,
  MASK,
  DEFAULT_MASK_SELECTOR,
  DEFAULT_CONTROL_SELECTOR,
  selectorShape,
  type SelectorShape,
  type Restrictions,
  type RestrictionRule,
  type RestrictionMatch,
  type AppliedRule,
} from './restriction';
export {
  createMaskScope,
  EMPTY_MATCH,
  maskText,
  maskValue,
  maskAttribute,
  maskedTitle,
  type MaskScope,
} from './mask';
export {
  RESTRICTED_ATTRIBUTE,
  MASKED_IMAGE_ATTRIBUTE,
  isReservedAttribute,
  restrictedAncestor,
  restrictionMark,
} from './marks';
export {
  serializeDocument,
  serializeNode,
  isCapturedNode,
  capturesChildren,
  startWalk,
  walkTree,
  documentSnapshot,
  type ScrollWatch,
  type TreeWalk,
  type Walk,
} from './serialize';
export { mutationsToOps, forgetRemoved, stylesheetOps, formStateOp, formStateOps, scrollOp, type MatchChange } from './mutations';
export { chosenSource, chosenSourceOp, applyChosenSource } from './chosen-source';
export { watchStylesheets, topLevelSheet, type StylesheetWatch } from './cssom-watch';
export {
  topLayerOf,
  topLayerOp,
  focusedElement,
  uiState,
  sameUiState,
  isEmptyUiState,
  type PointerState,
} from './interaction';
export { stylesheetText, styleElementCss, linkElementCss, linkTravelsByUrl, adoptedSheets, adoptedCss, sameSheets, type LinkCssCache } from './stylesheet';
export { restoreImplicitIds } from './build';
export { applyAdoptedSheets } from './replica-sheets';
export { applyTopLayer } from './top-layer';
export { cssMapper } from './replica-resources';
export {
  recordFontSource,
  scriptFontFaces,
  fontFaceEntries,
  fontOps,
  fontSourceUrls,
  fontSourceTexts,
  fontFamilyName,
  applyFontFaces,
  MAX_FONT_FACE_BYTES,
  MAX_FONT_SOURCE_CHARS,
  MAX_FONT_CHARS,
  MAX_FONT_FACES,
  type FontSourceRecord,
} from './fonts';
export {
  applyAnimationTimes,
  snapshotAnimations,
  type SnapshotAnimations,
  scriptAnimationOp,
  applyScriptAnimation,
  applyScriptAnimations,
  MAX_ANIMATIONS,
} from './animation';
export {
  isMediaElement,
  mediaState,
  mediaOp,
  canvasImage,
  applyMediaState,
  drawCanvasPicture, ensureCanvasPicture, CANVAS_PICTURE_ATTRIBUTE,
  MAX_CANVAS_PIXELS,
} from './media';
export {
  sanitizeAttribute,
  isPlainAttribute,
  isUnsafeUrl,
  absoluteUrl,
  safeUrl,
  safeSrcset,
  absolutizeCss,
} from './sanitize';
export { isValidName, isValidQName, FALLBACK_TAG, FALLBACK_DOCTYPE } from './names';
export { hasValueMode, formControlOf } from './form';
export { watchFormState, type FormStateWatch } from './form-watch';
export { createPrototypeWatch, type PrototypeWatch } from './prototype-watch';
export { watchShadowRoots, type ShadowRootWatch } from './shadow-watch';
export { watchFonts, type FontWatch, type FontFaceWatch } from './font-watch';
export { watchScriptAnimations, type ScriptAnimationWatch, type AnimationWatch } from './animation-watch';
export { createCanvasDrawings, type CanvasDrawings } from './canvas-watch';
export { createReplicaMirror, type ReplicaMirror } from './replica-mirror';
export { rebuildDocument } from './rebuild';
export { applyOps, type ApplyResult, type ReplicaHost } from './apply';
export { type FrameHooks } from './build';
export { resourceKind, type ResourceKind, type UrlMapper } from './replica-resources';
