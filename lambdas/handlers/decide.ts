import { taskHandler } from '../runtime/handler';
import { makeDecide } from '../tasks/decide';

export const handler = taskHandler((deps) => makeDecide(deps));
