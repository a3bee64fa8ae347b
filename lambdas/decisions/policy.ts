import { z } from 'zod';
import { ownerTeam } from '../contracts/common';
import type { OwnerTeam } from '../domain/order';
import defaultPolicyJson from '../../policies/decision-policy.json';

/**
 * The decision policy: declarative, versioned data (policies/decision-policy.json) that says which
 * recommendations the workflow applies on its own and which go to a person. The policy, not the
 * model, decides who acts: the model only supplies the risk score the policy compares.
 */

const probability = z.number().min(0, 'must be a probability between 0 and 1').max(1, 'must be a probability between 0 and 1');

export const decisionPolicySchema = z
  .object({
    version: z.string().regex(/^\d{4}-\d{2}-\d{2}\.\d+$/, "must look like '2026-11-23.1' (date of the change, then a counter)"),
    description: z.string().max(500).optional(),
    alternateCarrier: z
      .object({
        auto: z
          .object({
            /** Re-tender automatically only when the recommended carrier costs less than this much more than the routing guide's next carrier. */
            maxCostIncreasePct: z.number().min(0, 'must be 0 or more').max(100, 'must be at most 100'),
            /** ...and its delay risk is at most this much above the routing guide's next carrier's (0: the risk must not rise). */
            maxRiskIncrease: z.number().min(0, 'must be 0 or more').max(1, 'must be at most 1'),
            /** ...and, when set, its delay risk is under this (absent: no absolute limit; the routing guide's own next carrier is then always tendered). */
            maxRisk: probability.optional(),
          })
          .strict(),
        approver: ownerTeam,
      })
      .strict(),
    alternateSite: z
      .object({
        auto: z
          .object({
            /** Reallocate automatically only when the recommended site is less than this many km farther than the assigned site... */
            maxExtraDistanceKm: z.number().min(0, 'must be 0 or more'),
            /** ...and the order's delay risk from there is under this. */
            maxRisk: probability,
          })
          .strict(),
        approver: ownerTeam,
      })
      .strict(),
  })
  .strict();

export type DecisionPolicy = z.output<typeof decisionPolicySchema>;

/** The policy file does not satisfy its schema; the message names each field and the rule it breaks. */
export class InvalidDecisionPolicy extends Error {
  constructor(readonly issues: ReadonlyArray<{ field: string; rule: string }>) {
    super(`invalid decision policy: ${issues.map((i) => `${i.field}: ${i.rule}`).join('; ')}`);
    this.name = 'InvalidDecisionPolicy';
  }
}

/** Checks a policy document; throws InvalidDecisionPolicy naming every bad field. */
export function parseDecisionPolicy(raw: unknown): DecisionPolicy {
  const parsed = decisionPolicySchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new InvalidDecisionPolicy(parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'policy', rule: i.message })));
}

let cached: DecisionPolicy | undefined;
/** The policy shipped in policies/decision-policy.json (validated once). */
export function defaultDecisionPolicy(): DecisionPolicy {
  cached ??= parseDecisionPolicy(defaultPolicyJson);
  return cached;
}

export type PolicyAction = 'AUTO' | 'APPROVAL';

export interface PolicyVerdict {
  readonly action: PolicyAction;
  /** Who decides when the action is APPROVAL (and who is told when it is AUTO). */
  readonly approver: OwnerTeam;
  /** Each rule the candidate was checked against, in words with the numbers. */
  readonly checks: readonly string[];
  readonly policyVersion: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Re-tender facts the carrier rule compares: the recommended carrier against the routing guide's next carrier. */
export interface CarrierChange {
  /** Cost increase of the recommended carrier over the reference, in percent (negative: cheaper). */
  readonly costIncreasePct: number;
  readonly risk: number;
  /** Risk with the routing guide's next carrier (the reference the risk must not rise above). */
  readonly referenceRisk: number;
}

export function judgeCarrierChange(policy: DecisionPolicy, change: CarrierChange): PolicyVerdict {
  const rule = policy.alternateCarrier.auto;
  const costOk = change.costIncreasePct < rule.maxCostIncreasePct;
  const riskRise = change.risk - change.referenceRisk;
  const riskRiseOk = riskRise <= rule.maxRiskIncrease + 1e-12;
  const riskOk = rule.maxRisk === undefined || change.risk < rule.maxRisk;
  const checks = [
    `cost ${change.costIncreasePct >= 0 ? '+' : ''}${change.costIncreasePct.toFixed(1)}% ${costOk ? '<' : '>='} ${rule.maxCostIncreasePct}% limit`,
    `risk ${pct(change.risk)} vs ${pct(change.referenceRisk)} for the routing guide's next carrier (change ${riskRise >= 0 ? '+' : ''}${pct(riskRise)}, limit +${pct(rule.maxRiskIncrease)}) ${riskRiseOk ? 'ok' : 'too high'}`,
    ...(rule.maxRisk === undefined ? [] : [`risk ${pct(change.risk)} ${riskOk ? '<' : '>='} ${pct(rule.maxRisk)} limit`]),
  ];
  return { action: costOk && riskRiseOk && riskOk ? 'AUTO' : 'APPROVAL', approver: policy.alternateCarrier.approver, checks, policyVersion: policy.version };
}

/** Reallocation facts the site rule compares. */
export interface SiteChange {
  /** How much farther the recommended site is from the customer than the assigned site, in km. */
  readonly extraDistanceKm: number;
  readonly risk: number;
}

export function judgeSiteChange(policy: DecisionPolicy, change: SiteChange): PolicyVerdict {
  const rule = policy.alternateSite.auto;
  const distanceOk = change.extraDistanceKm < rule.maxExtraDistanceKm;
  const riskOk = change.risk < rule.maxRisk;
  const checks = [
    `extra distance ${Math.round(change.extraDistanceKm)} km ${distanceOk ? '<' : '>='} ${rule.maxExtraDistanceKm} km limit`,
    `risk ${pct(change.risk)} ${riskOk ? '<' : '>='} ${pct(rule.maxRisk)} limit`,
  ];
  return { action: distanceOk && riskOk ? 'AUTO' : 'APPROVAL', approver: policy.alternateSite.approver, checks, policyVersion: policy.version };
}
