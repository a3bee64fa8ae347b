import { taskHandler } from '../runtime/handler';
import { makeCreateWave } from '../tasks/create-wave';

export const handler = taskHandler(makeCreateWave);
