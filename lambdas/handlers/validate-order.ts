import { taskHandler } from '../runtime/handler';
import { makeValidateOrder } from '../tasks/validate-order';

export const handler = taskHandler(makeValidateOrder);
