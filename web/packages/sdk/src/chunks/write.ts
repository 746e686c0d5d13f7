// Entry of the chunk `gcb-write.js`: what only Write Mode runs (the agent's navigations), handed over
// to the SDK that loads it when the session's mode becomes write.
import { handOver } from '../chunk';
import { createNavigator } from '../navigation';

export interface WriteChunk {
  createNavigator: typeof createNavigator;
}

const chunk: WriteChunk = { createNavigator };
handOver(chunk);
