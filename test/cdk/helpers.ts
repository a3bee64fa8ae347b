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

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** Every IAM statement of the stack's identity policies, with the role(s) it is attached to. */
export function iamStatements(template: Template): Array<{ roles: string[]; statement: Statement }> {
  const out: Array<{ roles: string[]; statement: Statement }> = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const roles = ((policy.Properties.Roles ?? []) as Array<{ Ref: string }>).map((r) => r.Ref);
    for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) out.push({ roles, statement });
  }
  for (const [id, role] of Object.entries(template.findResources('AWS::IAM::Role'))) {
    for (const p of (role.Properties.Policies ?? []) as Array<{ PolicyDocument: { Statement: Statement[] } }>) {
      for (const statement of p.PolicyDocument.Statement) out.push({ roles: [id], statement });
    }
  }
  return out;
}

export const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
export const resourcesOf = (s: Statement): unknown[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

/** Logical id of the execution role of a workflow function (by manifest id). */
export function roleOfFunction(template: Template, functionId: string): string {
  const fns = template.findResources('AWS::Lambda::Function');
  const match = Object.entries(fns).filter(([id]) => new RegExp(`^OrderToShip${functionId}[0-9A-F]{8}$`).test(id));
  if (match.length !== 1) throw new Error(`No single function ${functionId}`);
  return (match[0][1].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
}

/** Logical id and properties of a workflow function (by manifest id). */
export function functionResource(template: Template, functionId: string): { id: string; props: Record<string, any> } {
  const fns = template.findResources('AWS::Lambda::Function');
  const match = Object.entries(fns).filter(([id]) => new RegExp(`^OrderToShip${functionId}[0-9A-F]{8}$`).test(id));
  if (match.length !== 1) throw new Error(`No single function ${functionId}`);
  return { id: match[0][0], props: match[0][1].Properties };
}

/** Statements attached to one function's role. */
export function statementsOfFunction(template: Template, functionId: string): Statement[] {
  const role = roleOfFunction(template, functionId);
  return iamStatements(template)
    .filter((s) => s.roles.includes(role))
    .map((s) => s.statement);
}
