import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDecisionPolicy, judgeCarrierChange, judgeSiteChange, parseDecisionPolicy, InvalidDecisionPolicy, type DecisionPolicy } from '../../../lambdas/decisions/policy';

const policy: DecisionPolicy = parseDecisionPolicy({
  version: '2026-11-23.1',
  alternateCarrier: { auto: { maxCostIncreasePct: 5, maxRiskIncrease: 0, maxRisk: 0.5 }, approver: 'transport-planning' },
  alternateSite: { auto: { maxExtraDistanceKm: 400, maxRisk: 0.3 }, approver: 'procurement' },
});

describe('the decision policy', () => {
  it('ships a valid, versioned policy file', () => {
    const shipped = defaultDecisionPolicy();
    expect(shipped.version).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    expect(shipped).toEqual(parseDecisionPolicy(JSON.parse(readFileSync(join(__dirname, '../../../policies/decision-policy.json'), 'utf8'))));
  });

  describe('re-tender to another carrier', () => {
    const change = { costIncreasePct: 0, risk: 0.2, referenceRisk: 0.25 };
    it('applies it automatically just inside the cost limit (4.99%)', () => {
      expect(judgeCarrierChange(policy, { ...change, costIncreasePct: 4.99 }).action).toBe('AUTO');
    });
    it('asks the transport planner at the cost limit (5%) and above', () => {
      const verdict = judgeCarrierChange(policy, { ...change, costIncreasePct: 5 });
      expect(verdict).toMatchObject({ action: 'APPROVAL', approver: 'transport-planning', policyVersion: '2026-11-23.1' });
      expect(verdict.checks[0]).toBe('cost +5.0% >= 5% limit');
    });
    it('applies it when the risk stays level with the routing guide next carrier, and asks when it rises at all', () => {
      expect(judgeCarrierChange(policy, { ...change, risk: 0.25, referenceRisk: 0.25 }).action).toBe('AUTO');
      const verdict = judgeCarrierChange(policy, { ...change, risk: 0.251, referenceRisk: 0.25 });
      expect(verdict.action).toBe('APPROVAL');
      expect(verdict.checks[1]).toContain('too high');
    });
    it('has no absolute risk limit unless the policy sets one', () => {
      const uncapped = parseDecisionPolicy({ ...policy, alternateCarrier: { ...policy.alternateCarrier, auto: { maxCostIncreasePct: 5, maxRiskIncrease: 0 } } });
      expect(judgeCarrierChange(uncapped, { ...change, risk: 0.9, referenceRisk: 0.9 }).action).toBe('AUTO');
    });
    it('asks when the risk reaches the absolute limit even if it fell', () => {
      expect(judgeCarrierChange(policy, { ...change, risk: 0.4999, referenceRisk: 0.6 }).action).toBe('AUTO');
      expect(judgeCarrierChange(policy, { ...change, risk: 0.5, referenceRisk: 0.6 }).action).toBe('APPROVAL');
    });
  });

  describe('reallocate to another site', () => {
    it('applies it just inside the distance limit and asks the inventory owner at it', () => {
      expect(judgeSiteChange(policy, { extraDistanceKm: 399, risk: 0.1 }).action).toBe('AUTO');
      const verdict = judgeSiteChange(policy, { extraDistanceKm: 400, risk: 0.1 });
      expect(verdict).toMatchObject({ action: 'APPROVAL', approver: 'procurement' });
      expect(verdict.checks[0]).toBe('extra distance 400 km >= 400 km limit');
    });
    it('applies it just under the risk limit and asks at it', () => {
      expect(judgeSiteChange(policy, { extraDistanceKm: 0, risk: 0.299 }).action).toBe('AUTO');
      expect(judgeSiteChange(policy, { extraDistanceKm: 0, risk: 0.3 }).action).toBe('APPROVAL');
    });
  });

  describe('an invalid policy', () => {
    const valid = JSON.parse(JSON.stringify(policy));
    const errorOf = (raw: unknown) => {
      try {
        parseDecisionPolicy(raw);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidDecisionPolicy);
        return (error as Error).message;
      }
      throw new Error('expected the policy to be refused');
    };
    it('names the field and the rule it breaks', () => {
      expect(errorOf({ ...valid, alternateCarrier: { ...valid.alternateCarrier, auto: { ...valid.alternateCarrier.auto, maxRisk: 1.5 } } })).toBe(
        'invalid decision policy: alternateCarrier.auto.maxRisk: must be a probability between 0 and 1',
      );
      expect(errorOf({ ...valid, alternateSite: { ...valid.alternateSite, auto: { ...valid.alternateSite.auto, maxExtraDistanceKm: -1 } } })).toContain('alternateSite.auto.maxExtraDistanceKm: must be 0 or more');
    });
    it('refuses an unknown approver team, a bad version and unknown keys', () => {
      expect(errorOf({ ...valid, alternateSite: { ...valid.alternateSite, approver: 'robots' } })).toContain('alternateSite.approver');
      expect(errorOf({ ...valid, version: 'latest' })).toContain("version: must look like '2026-11-23.1'");
      expect(errorOf({ ...valid, alternateCarrier: { ...valid.alternateCarrier, auto: { ...valid.alternateCarrier.auto, maxCostIncrease: 5 } } })).toContain('alternateCarrier.auto');
    });
    it('lists every problem at once', () => {
      const message = errorOf({ version: 'x' });
      expect(message).toContain('version');
      expect(message).toContain('alternateCarrier');
      expect(message).toContain('alternateSite');
    });
  });
});
