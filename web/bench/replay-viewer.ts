// Browser entry of the agent-side benchmark (replay.spec.ts): the real viewer package, bundled by
// esbuild as the agent desktop's bundle is (web/build.mjs), exposed to the runner's `evaluate`
// calls as `window.__benchCreateViewer`. Nothing else: the runner drives it as the agent desktop
// does (`createViewer`, then `handleFrame` per binary WebSocket message, as an ArrayBuffer).

import { createViewer } from '@cobrowse/viewer';

(window as unknown as { __benchCreateViewer: typeof createViewer }).__benchCreateViewer = createViewer;
