import { taskHandler } from '../runtime/handler';
import { makeReleaseInvoice } from '../tasks/release-invoice';

export const handler = taskHandler(makeReleaseInvoice);
