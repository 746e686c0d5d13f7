// Entry of the chunk `gcb-fr.js`: the French table, handed over to the SDK that loads it.
import { handOver } from '../chunk';
import { fr } from '../strings-fr';

handOver(fr);
