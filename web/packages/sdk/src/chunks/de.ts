// Entry of the chunk `gcb-de.js`: the German table, handed over to the SDK that loads it.
import { handOver } from '../chunk';
import { de } from '../strings-de';

handOver(de);
