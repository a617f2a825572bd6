import { z } from 'zod';

/** The checks a verification can run, in the order they run (docs/VERIFICATION.md). */
export const CHECK_NAMES = ['size', 'integrity', 'dry-run', 'staleness'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** What runs when a request names no checks; `dryRun` adds `dry-run`. */
export const DEFAULT_CHECKS: readonly CheckName[] = ['size', 'integrity', 'staleness'];

export type CheckResult = 'pass' | 'warn' | 'fail';

/** How one check ended. */
export interface CheckOutcome {
  name: CheckName;
  result: CheckResult;
  message: string;
  durationMs: number;
}

export const checkNameSchema = z.enum(CHECK_NAMES, {
  error: `Unknown check; the checks are ${CHECK_NAMES.join(', ')}.`,
});

/**
 * The checks to run: the requested ones (the defaults when none are named), plus `dry-run`
 * when `dryRun` is set, plus `integrity` whenever `dry-run` runs — the dry run extracts
 * during the integrity check's one read of the object — in the order of CHECK_NAMES.
 */
export function resolveChecks(requested: readonly CheckName[] | undefined, dryRun: boolean | undefined): CheckName[] {
  const wanted = new Set<CheckName>(requested && requested.length > 0 ? requested : DEFAULT_CHECKS);
  if (dryRun) wanted.add('dry-run');
  if (wanted.has('dry-run')) wanted.add('integrity');
  return CHECK_NAMES.filter((name) => wanted.has(name));
}

/** The worst result wins: fail over warn over pass. */
export function worstResult(results: readonly CheckResult[]): CheckResult {
  if (results.includes('fail')) return 'fail';
  if (results.includes('warn')) return 'warn';
  return 'pass';
}
