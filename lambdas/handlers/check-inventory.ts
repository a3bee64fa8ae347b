import { taskHandler } from '../runtime/handler';
import { makeCheckInventory } from '../tasks/check-inventory';

export const handler = taskHandler(makeCheckInventory);
