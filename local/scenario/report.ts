import { formatReport } from '../../lambdas/insights/format';
import type { ScenarioReport } from './run';

const pad = (s: string | number, n: number) => String(s).padEnd(n);
const num = (s: string | number, n: number) => String(s).padStart(n);

function table(title: string, rows: Record<string, number>): string {
  const entries = Object.entries(rows).sort((a, b) => b[1] - a[1]);
  if (!entries.length) return `${title}: none\n`;
  return `${title}\n${entries.map(([k, v]) => `  ${pad(k, 26)}${num(v, 6)}`).join('\n')}\n`;
}

/** The end-of-day report a logistics manager reads. */
export function renderReport(r: ScenarioReport): string {
  const s = r.summary;
  return [
    '',
    '== Order-to-ship: end of run ==',
    `Simulated ${r.simulatedDays.toFixed(1)} days in ${r.wallSeconds.toFixed(1)} s; ${r.stateTransitions} state transitions; ${Object.values(r.lambdaInvocations).reduce((a, b) => a + b, 0)} Lambda invocations`,
    '',
    `Orders released   ${num(r.released, 6)}`,
    `  completed       ${num(r.completed, 6)}`,
    `  cancelled       ${num(r.cancelled, 6)}`,
    `  on hold         ${num(r.onHold, 6)}   (each with an open exception and an owner)`,
    `  unaccounted     ${num(r.unaccounted, 6)}${r.unaccounted ? `  <-- ${r.unaccountedOrders.slice(0, 10).join(', ')}` : ''}`,
    `Events quarantined ${num(r.quarantined, 5)}`,
    '',
    table('Orders by final stage', s.byFinalStage),
    table('Exceptions by owner', s.exceptionsByOwner),
    table('Open exceptions by owner (now)', r.openExceptions),
    `Re-tenders ${s.reTenders}   reallocations ${s.reallocations}   escalations to planners ${s.escalations}   delivery delays ${s.delays}`,
    `Recommendations ${s.recommendations.total}: auto-applied ${s.recommendations.byVerdict.AUTO_APPLIED}   sent for approval ${s.recommendations.total - s.recommendations.byVerdict.AUTO_APPLIED - s.recommendations.byVerdict.NO_ALTERNATE}   approved ${s.recommendations.byVerdict.APPROVED}   overridden ${s.recommendations.byVerdict.OVERRIDDEN}   unanswered ${s.recommendations.byVerdict.UNANSWERED}   (carriers: ${s.recommendations.byKind.CARRIER.autoApplied} auto, ${s.recommendations.byKind.CARRIER.sentForApproval} asked; sites: ${s.recommendations.byKind.SITE.autoApplied} auto, ${s.recommendations.byKind.SITE.sentForApproval} asked)`,
    '',
    formatReport(s.report, { variants: 5 }),
    '',
  ].join('\n');
}

/**
 * Prints progress lines: on a terminal one line rewritten in place (`final` ends it), otherwise a line
 * every 5 s and the final one.
 */
export function progressPrinter(out: (text: string) => void, interactive: boolean): (line: string, final: boolean) => void {
  let lastPrint = 0;
  return (line, final) => {
    if (interactive) out(`\r${line}\u001b[K${final ? '\n' : ''}`);
    else if (final || Date.now() - lastPrint > 5000) {
      out(`${line}\n`);
      lastPrint = Date.now();
    }
  };
}

/**
 * A number >= 0 from a command-line option (`fallback` when absent); `integer`: a whole number. A bad
 * value goes to `fail` (default: thrown as an Error).
 */
export function numberOption(
  name: string,
  value: string | undefined,
  fallback: number,
  { integer = false, fail = (message: string): never => { throw new Error(message); } }: { integer?: boolean; fail?: (message: string) => never } = {},
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (integer ? !Number.isInteger(n) || n < 0 : !(n >= 0)) fail(`--${name} must be ${integer ? 'a whole number' : 'a number >= 0'}, got '${value}'`);
  return n;
}
