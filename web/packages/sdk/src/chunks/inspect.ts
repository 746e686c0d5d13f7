// Entry of the chunk `gcb-inspect.js`: inspect mode (`startInspect`), handed over to the SDK that
// loads it when the page's URL holds an inspect ticket.
import { handOver } from '../chunk';
import { startInspect } from '../inspect';

handOver(startInspect);
