import { taskHandler } from '../runtime/handler';
import { makeRaiseException } from '../tasks/raise-exception';

export const handler = taskHandler(makeRaiseException);
