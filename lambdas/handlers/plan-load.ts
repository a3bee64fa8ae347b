import { taskHandler } from '../runtime/handler';
import { makePlanLoad } from '../tasks/plan-load';

export const handler = taskHandler(makePlanLoad);
