/**
 * Root-cause summaries for planners, in the incident and approval messages. A port: the template
 * below is the default (deterministic, and the only one tests use); a language model (Amazon
 * Bedrock, lambdas/adapters/aws/bedrock-summarizer.ts) may be enabled by configuration, and falls
 * back to the template whenever it fails.
 */
export interface RootCauseFacts {
  readonly category: string;
  readonly pattern?: string;
  readonly count?: number;
  readonly windowStart?: string;
  readonly windowEnd?: string;
  readonly orderId: string;
  readonly reason: string;
  readonly nextAction: string;
  readonly recommendation?: string;
  /** Carrier record on the lane, in words. */
  readonly history?: string;
}

export interface RootCauseSummarizer {
  /** Which implementation wrote the summary (`template`, or the model id). */
  readonly name: string;
  summarize(facts: RootCauseFacts): Promise<string>;
}

const when = (iso?: string) => (iso ? iso.slice(0, 16).replace('T', ' ') : '?');

export function templateSummary(f: RootCauseFacts): string {
  const parts = [
    f.pattern && f.count ? `${f.count} ${f.category} exception${f.count === 1 ? '' : 's'} for ${f.pattern} from ${when(f.windowStart)} to ${when(f.windowEnd)} UTC (latest: order ${f.orderId}: ${f.reason}).` : `${f.category} on order ${f.orderId}: ${f.reason}.`,
    f.history ? `History: ${f.history}.` : '',
    f.recommendation ? `Recommendation: ${f.recommendation}` : '',
    `Suggested next action: ${f.nextAction}.`,
  ];
  return parts.filter(Boolean).join(' ');
}

export const templateSummarizer: RootCauseSummarizer = {
  name: 'template',
  async summarize(facts) {
    return templateSummary(facts);
  },
};

/** Uses the primary summarizer and falls back to the template when it fails or returns nothing. */
export function withTemplateFallback(primary: RootCauseSummarizer, onError: (error: unknown) => void = () => {}): RootCauseSummarizer {
  return {
    name: primary.name,
    async summarize(facts) {
      try {
        const text = (await primary.summarize(facts)).trim();
        if (text) return text;
      } catch (error) {
        onError(error);
      }
      return templateSummary(facts);
    },
  };
}
