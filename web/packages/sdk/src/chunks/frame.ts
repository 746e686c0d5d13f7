// Entry of the chunk `gcb-frame.js`: the child context of an SDK loaded inside a frame
// (`startChildContext`), handed over to the SDK that loads it there.
import { handOver } from '../chunk';
import { startChildContext } from '../frames';

handOver(startChildContext);
