import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { BedrockRootCauseSummarizer, rootCauseSummarizerFromEnv } from '../../../lambdas/adapters/aws/bedrock-summarizer';
import { defaultProfile } from '../../../lambdas/adapters/simulators/profile';
import { createSimulatedSystems, type SentNotification } from '../../../lambdas/adapters/simulators/simulators';
import { templateSummary, withTemplateFallback, type RootCauseFacts } from '../../../lambdas/decisions/summarizer';
import { summarize } from '../../../lambdas/domain/order';
import { defaultSla } from '../../../lambdas/domain/sla';
import type { OrchestratorEvent } from '../../../lambdas/ports';
import type { TaskDeps } from '../../../lambdas/tasks/deps';
import { makeRaiseException } from '../../../lambdas/tasks/raise-exception';
import { startDynamo, type LocalDynamo } from '../../support/dynalite';
import { orderReleased } from '../../support/orders';

const facts: RootCauseFacts = { category: 'STOCK_SHORT', orderId: 'O-1', reason: 'Stock short at DC-HAM', nextAction: 'Approve shipping from DC-WAW (recommended) or cancel' };

/** Stands in for the Bedrock runtime client: answers, fails like Bedrock does, or never answers. */
function bedrock(behaviour: 'answer' | 'throttle' | 'empty' | 'hang') {
  const sent: ConverseCommand[] = [];
  return {
    sent,
    client: {
      send: async (command: ConverseCommand, options?: { abortSignal?: AbortSignal }) => {
        sent.push(command);
        if (behaviour === 'throttle') throw Object.assign(new Error('Too many requests'), { name: 'ThrottlingException' });
        if (behaviour === 'hang') return new Promise((_, reject) => options?.abortSignal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
        return { output: { message: { role: 'assistant', content: behaviour === 'empty' ? [] : [{ text: ' DC-HAM ran short; ship from DC-WAW. ' }] } } };
      },
    } as never,
  };
}

describe('root-cause summaries', () => {
  it('uses the template when no model is configured (the default)', () => {
    expect(rootCauseSummarizerFromEnv({}).name).toBe('template');
    expect(rootCauseSummarizerFromEnv({ ROOT_CAUSE_MODEL_ID: 'amazon.nova-lite-v1:0' }).name).toBe('bedrock:amazon.nova-lite-v1:0');
  });

  it("asks the configured model through the Converse API, deterministically, and uses its answer", async () => {
    const b = bedrock('answer');
    const summary = await withTemplateFallback(new BedrockRootCauseSummarizer('amazon.nova-lite-v1:0', b.client)).summarize(facts);
    expect(summary).toBe('DC-HAM ran short; ship from DC-WAW.');
    expect(b.sent[0]!.input).toMatchObject({ modelId: 'amazon.nova-lite-v1:0', inferenceConfig: { temperature: 0 }, messages: [{ role: 'user', content: [{ text: JSON.stringify(facts) }] }] });
  });

  it.each(['throttle', 'empty', 'hang'] as const)('falls back to the template when Bedrock fails (%s)', async (behaviour) => {
    const errors: unknown[] = [];
    const summarizer = withTemplateFallback(new BedrockRootCauseSummarizer('amazon.nova-lite-v1:0', bedrock(behaviour).client, 50), (e) => errors.push(e));
    expect(await summarizer.summarize(facts)).toBe(templateSummary(facts));
    expect(errors).toHaveLength(behaviour === 'empty' ? 0 : 1);
  });

  describe('in the approval message', () => {
    let dynamo: LocalDynamo;
    beforeAll(async () => {
      dynamo = await startDynamo();
      await dynamo.store.createOrder(summarize(orderReleased('O-SUM')), orderReleased('O-SUM').lines, '2026-11-23T08:00:00Z');
    });
    afterAll(() => dynamo.close());

    it('sends the planner the template summary when Bedrock is down, and counts the fallback', async () => {
      const published: OrchestratorEvent[] = [];
      const sent: SentNotification[] = [];
      const counted: string[] = [];
      const deps: TaskDeps = {
        store: dynamo.store,
        systems: createSimulatedSystems(defaultProfile(1), { schedule: async () => {} }, sent),
        callbacks: { succeed: async () => true, fail: async () => true },
        publisher: { publish: async (events) => void published.push(...events) },
        sla: defaultSla,
        telemetry: { count: (name) => void counted.push(name) },
      };
      const recommendation = {
        recommendationId: 'R-1', kind: 'SITE', choice: 'DC-WAW', action: 'APPROVAL', approver: 'procurement', riskScore: 0.2, modelVersion: 'm', policyVersion: '2026-11-23.1',
        reasons: ['600 km to DE, +300 km vs DC-HAM'], checks: ['extra distance 300 km >= 250 km limit'], message: 'Recommended site DC-WAW: 600 km to DE, +300 km vs DC-HAM.',
      };
      await makeRaiseException(deps, { summarizer: new BedrockRootCauseSummarizer('amazon.nova-lite-v1:0', bedrock('throttle').client) })({
        orderId: 'O-SUM', at: '2026-11-23T09:00:00Z', step: 'Ask planner to approve the recommended site', category: 'STOCK_SHORT', reason: 'Stock short at DC-HAM', recommendation,
      });
      const raised = published.find((e) => e.detailType === 'ExceptionRaised')!.detail as { data: { summary: string } };
      expect(raised.data.summary).toBe(
        'STOCK_SHORT on order O-SUM: Stock short at DC-HAM. Recommendation: Recommended site DC-WAW: 600 km to DE, +300 km vs DC-HAM. Suggested next action: Approve shipping from DC-WAW (recommended) or cancel.',
      );
      expect(sent.find((n) => n.to === 'team:procurement')?.message).toContain(raised.data.summary);
      expect(counted).toContain('SummaryFallback');
    });
  });
});
