import { taskHandler } from '../runtime/handler';
import { makeCancelOrder } from '../tasks/cancel-order';

export const handler = taskHandler(makeCancelOrder);
