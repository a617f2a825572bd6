// Prints per-suite counts and the closing line "summary: N passed, N failed" from the JSON
// reports of Vitest and Playwright. Arguments are the names of steps that failed; a failed
// step without test counts (typecheck, lint, build) counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

const failedSteps = process.argv.slice(2);
const read = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null);

const suites = [];
const unit = read('.test-output/unit.json');
if (unit)
  suites.push({
    name: 'unit',
    passed: unit.numPassedTests,
    failed: unit.numFailedTests,
    skipped: unit.numPendingTests + unit.numTodoTests,
  });
const e2e = read('.test-output/e2e.json');
if (e2e)
  suites.push({
    name: 'e2e',
    passed: e2e.stats.expected + e2e.stats.flaky,
    failed: e2e.stats.unexpected,
    skipped: e2e.stats.skipped,
  });

let passed = 0;
let failed = 0;
let skipped = 0;
for (const s of suites) {
  console.log(`${s.name}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
  passed += s.passed;
  failed += s.failed;
  skipped += s.skipped;
}
const stepsWithoutCounts = failedSteps.filter(
  (step) =>
    !(step === 'unit and integration tests' && unit?.numFailedTests) && !(step === 'end-to-end tests' && e2e?.stats.unexpected),
);
if (failedSteps.length) console.log(`failed steps: ${failedSteps.join(', ')}`);
failed += stepsWithoutCounts.length;
if (passed === 0 && failed === 0) failed = 1; // no test ran at all: that is a failure, not a pass
console.log(`summary: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
