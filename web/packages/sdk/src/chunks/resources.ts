// Entry of the chunk `gcb-resources.js`: the resource uploader (`createResourceUploader`), handed
// over to the SDK that loads it at the server's first `resourceRequest` of the page.
import { handOver } from '../chunk';
import { createResourceUploader } from '../resources';

handOver(createResourceUploader);
