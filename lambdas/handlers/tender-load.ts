import { taskHandler } from '../runtime/handler';
import { makeTenderLoad } from '../tasks/tender-load';

export const handler = taskHandler(makeTenderLoad);
