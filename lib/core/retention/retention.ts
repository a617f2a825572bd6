import { AppError } from '../errors';
import { assertTimeZone, dayKey, isoWeekKey } from './calendar';

/** A schedule's retention rules. Unset (undefined or null) = the rule is not used; 0 = it keeps nothing. */
export interface RetentionPolicy {
  keepLast?: number | null;
  keepDaily?: number | null;
  keepWeekly?: number | null;
}

export interface RetentionCandidate {
  id: string;
  startedAt: Date;
}

export interface RetentionOptions {
  /** The instance's time zone: days and weeks are the calendar days and ISO weeks there. */
  timeZone: string;
  /** Backups a restore or verification is using: never deleted. */
  protectedIds?: ReadonlySet<string>;
}

export interface RetentionDecision {
  id: string;
  startedAt: Date;
  action: 'keep' | 'delete';
  /** Every rule that keeps it ("last 3", "daily 2026-11-25", "weekly 2026-W48", "newest", "in use", "no policy"); empty when deleted. */
  reasons: string[];
}

const RULES = ['keepLast', 'keepDaily', 'keepWeekly'] as const;

function isSet(n: number | null | undefined): n is number {
  return n !== undefined && n !== null;
}

function checkPolicy(policy: RetentionPolicy): void {
  for (const rule of RULES) {
    const n = policy[rule];
    if (isSet(n) && (!Number.isInteger(n) || n < 0))
      throw new AppError('invalid_input', `${rule} must be a whole number of 0 or more (got ${n}).`);
  }
}

/**
 * Keeps the newest backup of each of the `count` most recent periods that HAVE backups
 * (newest first). Counting only periods with backups means a day or week without one never
 * shrinks what is kept — the mistake other tools made by counting back calendar days.
 */
function keepNewestPerPeriod(
  newestFirst: readonly RetentionCandidate[],
  count: number,
  periodOf: (b: RetentionCandidate) => string,
  label: string,
  keep: (id: string, reason: string) => void,
): void {
  const seen = new Set<string>();
  for (const backup of newestFirst) {
    if (seen.size >= count) return;
    const period = periodOf(backup);
    if (seen.has(period)) continue;
    seen.add(period);
    keep(backup.id, `${label} ${period}`);
  }
}

/**
 * Decides, for one schedule's successful backups, which to keep and which to delete (issue 7):
 * the union of the rules; the newest backup and protected ones are always kept; with no rule
 * set at all everything is kept. Pure: the same input always gives the same plan, so the
 * preview shows exactly what retention will do. Returned newest first.
 */
export function planRetention(
  backups: readonly RetentionCandidate[],
  policy: RetentionPolicy,
  { timeZone, protectedIds = new Set() }: RetentionOptions,
): RetentionDecision[] {
  assertTimeZone(timeZone);
  checkPolicy(policy);
  // Ties on the same instant are broken by id so the plan never depends on input order.
  const newestFirst = [...backups].sort(
    (a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
  );
  const reasons = new Map<string, string[]>(newestFirst.map((b) => [b.id, []]));
  const keep = (id: string, reason: string) => reasons.get(id)?.push(reason);

  const hasPolicy = RULES.some((rule) => isSet(policy[rule]));
  if (!hasPolicy) for (const b of newestFirst) keep(b.id, 'no policy');
  if (newestFirst[0]) keep(newestFirst[0].id, 'newest');
  if (isSet(policy.keepLast)) for (const b of newestFirst.slice(0, policy.keepLast)) keep(b.id, `last ${policy.keepLast}`);
  if (isSet(policy.keepDaily))
    keepNewestPerPeriod(newestFirst, policy.keepDaily, (b) => dayKey(b.startedAt, timeZone), 'daily', keep);
  if (isSet(policy.keepWeekly))
    keepNewestPerPeriod(newestFirst, policy.keepWeekly, (b) => isoWeekKey(b.startedAt, timeZone), 'weekly', keep);
  for (const b of newestFirst) if (protectedIds.has(b.id)) keep(b.id, 'in use');

  return newestFirst.map((b) => {
    const why = reasons.get(b.id) ?? [];
    return { id: b.id, startedAt: b.startedAt, action: why.length > 0 ? 'keep' : 'delete', reasons: why };
  });
}
