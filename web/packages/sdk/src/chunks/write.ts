// Entry of the chunk `gcb-write.js`: what only Write Mode runs (the agent's input and navigations),
// handed over to the SDK that loads it when the session's mode becomes write.
import { handOver } from '../chunk';
import { createInputPerformer } from '../input';
import { createNavigator } from '../navigation';

export interface WriteChunk {
  createInputPerformer: typeof createInputPerformer;
  createNavigator: typeof createNavigator;
}

const chunk: WriteChunk = { createInputPerformer, createNavigator };
handOver(chunk);
