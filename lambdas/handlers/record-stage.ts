import { taskHandler } from '../runtime/handler';
import { makeRecordStage } from '../tasks/record-stage';

export const handler = taskHandler(makeRecordStage);
