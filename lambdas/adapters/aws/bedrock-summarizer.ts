import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { templateSummarizer, type RootCauseFacts, type RootCauseSummarizer } from '../../decisions/summarizer';
import { env } from '../../manifest';

const instructions =
  'You write root-cause summaries for logistics planners. From the JSON facts, write at most three plain sentences: ' +
  'what is going wrong (with the numbers), the likely cause, and the suggested next action. Use only the facts given; do not invent numbers, ' +
  'carriers, sites or dates. No greeting, no markdown.';

/**
 * Root-cause summaries from a language model on Amazon Bedrock, through the Converse API. Used only
 * where a team enables it (CDK context `rootCauseModelId`); every failure (throttling, timeout,
 * access denied, an empty answer) falls back to the template (see {@link rootCauseSummarizerFromEnv}).
 */
export class BedrockRootCauseSummarizer implements RootCauseSummarizer {
  readonly name: string;

  constructor(
    private readonly modelId: string,
    private readonly client: Pick<BedrockRuntimeClient, 'send'>,
    private readonly timeoutMs = 4000,
  ) {
    this.name = `bedrock:${modelId}`;
  }

  async summarize(facts: RootCauseFacts): Promise<string> {
    // Loaded here, so that functions with summaries switched off never load the client.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ConverseCommand } = require('@aws-sdk/client-bedrock-runtime') as typeof import('@aws-sdk/client-bedrock-runtime');
    const out = await this.client.send(
      new ConverseCommand({
        modelId: this.modelId,
        system: [{ text: instructions }],
        messages: [{ role: 'user', content: [{ text: JSON.stringify(facts) }] }],
        inferenceConfig: { maxTokens: 300, temperature: 0 },
      }),
      { abortSignal: AbortSignal.timeout(this.timeoutMs) },
    );
    return (out.output?.message?.content ?? []).map((c) => ('text' in c && c.text ? c.text : '')).join('').trim();
  }
}

/**
 * The summarizer a handler uses: the template unless `ROOT_CAUSE_MODEL_ID` names a Bedrock model.
 * The task wraps it with the template fallback (lambdas/decisions/summarizer.ts). Read once per container.
 */
export function rootCauseSummarizerFromEnv(environment: Record<string, string | undefined> = process.env): RootCauseSummarizer {
  const modelId = environment[env.rootCauseModelId];
  if (!modelId) return templateSummarizer;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { BedrockRuntimeClient: Client } = require('@aws-sdk/client-bedrock-runtime') as typeof import('@aws-sdk/client-bedrock-runtime');
  return new BedrockRootCauseSummarizer(modelId, new Client({ maxAttempts: 2 }));
}
