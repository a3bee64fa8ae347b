#!/usr/bin/env node
// Runs Jest with its normal output and ends with one line `N passed, N failed` (from Jest's JSON
// report), so CI shows at a glance whether tests ran at all. Exits with Jest's exit code.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';

mkdirSync('reports', { recursive: true });
const out = 'reports/jest-results.json';
if (existsSync(out)) rmSync(out);
const jest = spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', '--json', `--outputFile=${out}`, ...process.argv.slice(2)], { stdio: 'inherit' });
let passed = 0;
let failed = 0;
if (existsSync(out)) {
  const report = JSON.parse(readFileSync(out, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(jest.status ?? 1);
