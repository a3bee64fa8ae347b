import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { arnPlaceholder, functions, queues, schedules } from '../../lambdas/manifest';
import { orderToShipRoutes } from '../../statemachines/routes';

const root = join(__dirname, '..', '..');

describe('the manifest the CDK app and the local runtime share', () => {
  it('points every function at a handler module that exists', () => {
    for (const fn of functions) expect(existsSync(join(root, fn.entry))).toBe(true);
  });

  it('names a function for every ARN placeholder in the workflow, and none that is unused', () => {
    const asl = readFileSync(join(root, 'statemachines', 'order-to-ship.asl.json'), 'utf8');
    const placeholders = new Set([...asl.matchAll(/\$\{([A-Za-z]+)\}/g)].map((m) => m[1]));
    const routed = new Set<string>(orderToShipRoutes.flatMap((r) => ('function' in r.target ? [r.target.function] : [])));
    const consumers = new Set<string>(queues.map((q) => q.consumer));
    for (const p of placeholders) expect(functions.map((f) => arnPlaceholder(f.id))).toContain(p);
    for (const fn of functions) {
      const scheduled = schedules.some((s) => s.function === fn.id);
      const used = placeholders.has(arnPlaceholder(fn.id)) || routed.has(fn.id) || consumers.has(fn.id) || scheduled;
      expect({ fn: fn.id, used }).toEqual({ fn: fn.id, used: true });
    }
  });

  it('schedules only functions the manifest declares', () => {
    for (const schedule of schedules) expect(functions.map((f) => f.id)).toContain(schedule.function);
  });

  it('routes every rule to a queue or function the manifest declares', () => {
    for (const route of orderToShipRoutes) {
      if ('queue' in route.target) expect(queues.map((q) => q.id)).toContain(route.target.queue);
      else expect(functions.map((f) => f.id)).toContain(route.target.function);
    }
  });
});
