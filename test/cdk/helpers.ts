import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig, type StackConfig } from '../../lib/config';
import { LogisticsOrchestratorStack } from '../../lib/logistics-orchestrator-stack';

const root = path.resolve(__dirname, '..', '..');
export const fixtureAsl = path.join(__dirname, 'fixtures', 'order-to-ship.asl.json');

/** The context of cdk.json, so tests start from the same defaults as `cdk synth`. */
export const cdkJsonContext: Record<string, unknown> = JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf8')).context;

export interface Synthesized {
  readonly app: App;
  readonly stack: LogisticsOrchestratorStack;
  readonly template: Template;
  readonly config: StackConfig;
}

/** Synthesizes the stack without bundling (stub code) against the fixture ASL; context overrides cdk.json like `-c`. */
export function synthesize(context: Record<string, unknown> = {}, definitionPath = fixtureAsl): Synthesized {
  const app = new App({ context: { ...cdkJsonContext, ...context } });
  const config = readConfig(app.node);
  const stack = new LogisticsOrchestratorStack(app, 'LogisticsOrchestratorStack', {
    config,
    bundle: false,
    orderToShipDefinitionPath: definitionPath,
  });
  return { app, stack, template: Template.fromStack(stack), config };
}

/** cdk-nag AwsSolutions findings that nobody acknowledged, as `RuleId at construct path` lines. */
export function unacknowledgedNagFindings(s: Synthesized): string[] {
  const report = new AwsSolutionsChecks(s.app, { verbose: true }).validateScope(s.stack);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}: ${v.description}`));
}

/** Logical id of the one resource of a type whose properties match. */
export function logicalIdOf(template: Template, type: string, props: Record<string, unknown> = {}): string {
  const found = Object.keys(template.findResources(type, { Properties: props }));
  if (found.length !== 1) throw new Error(`Expected one ${type}, found ${found.length}`);
  return found[0];
}
