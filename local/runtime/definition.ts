import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { arnPlaceholder, functions } from '../../lambdas/manifest';

const root = resolve(__dirname, '..', '..');

/**
 * The deployed workflow definition with local ARNs where the CDK substitutes real ones. Fails on a
 * placeholder nothing fills, as `cdk synth` does.
 */
export function localDefinition(functionArn: (id: string) => string, file = join(root, 'statemachines', 'order-to-ship.asl.json')): string {
  let text = readFileSync(file, 'utf8');
  for (const fn of functions) text = text.split('${' + arnPlaceholder(fn.id) + '}').join(functionArn(fn.id));
  const left = text.match(/\$\{[A-Za-z]+\}/);
  if (left) throw new Error(`${file}: placeholder ${left[0]} has no local value`);
  return text;
}
