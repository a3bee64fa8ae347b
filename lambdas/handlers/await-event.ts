import { taskHandler } from '../runtime/handler';
import { makeAwaitEvent } from '../tasks/await-event';

export const handler = taskHandler(makeAwaitEvent);
