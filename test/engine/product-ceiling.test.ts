import { benchEngineCeiling } from '../../scripts/bench-runtime';
import { localDefinition } from '../../local/runtime/definition';

/**
 * `npm run bench` measures the engine alone on the product's state machine with canned task
 * results: that run must keep walking the happy path to the end whenever the ASL changes (a field
 * the canned results lack fails the execution, as a JSONata expression evaluating to nothing does
 * on AWS).
 */
describe('the engine ceiling of the runtime benchmark', () => {
  it('runs the product state machine to success with no-op tasks', async () => {
    const definition = localDefinition((id) => `arn:aws:lambda:us-east-1:000000000000:function:${id}`);
    expect(await benchEngineCeiling(5, definition)).toBeGreaterThan(0);
  });
});
