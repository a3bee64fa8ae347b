import { taskHandler } from '../runtime/handler';
import { makeUpdatePromise } from '../tasks/update-promise';

export const handler = taskHandler(makeUpdatePromise);
