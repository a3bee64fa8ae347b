import { rootCauseSummarizerFromEnv } from '../adapters/aws/bedrock-summarizer';
import { taskHandler } from '../runtime/handler';
import { makeRaiseException } from '../tasks/raise-exception';

export const handler = taskHandler((deps) => makeRaiseException(deps, { summarizer: rootCauseSummarizerFromEnv() }));
