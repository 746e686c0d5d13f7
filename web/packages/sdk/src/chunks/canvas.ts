// Entry of the chunk `gcb-canvas.js`: what only a page with canvases runs (which canvases were
// drawn on, and their encoding), handed over to the capture that loads it when it first finds a
// canvas (capture.ts).
import { canvasImage, createCanvasDrawings } from '@cobrowse/dom';
import { handOver } from '../chunk';

export interface CanvasChunk {
  createCanvasDrawings: typeof createCanvasDrawings;
  canvasImage: typeof canvasImage;
}

const chunk: CanvasChunk = { createCanvasDrawings, canvasImage };
handOver(chunk);
