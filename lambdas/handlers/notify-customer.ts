import { taskHandler } from '../runtime/handler';
import { makeNotifyCustomer } from '../tasks/notify-customer';

export const handler = taskHandler(makeNotifyCustomer);
