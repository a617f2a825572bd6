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

/** Why a backup is kept: one entry per rule that keeps it. */
export type RetentionReason =
  /** The newest successful backup of its schedule. */
  | { rule: 'newest' }
  /** Among the schedule's `count` newest. */
  | { rule: 'last'; count: number }
  /** The newest of its calendar day (YYYY-MM-DD in the instance time zone). */
  | { rule: 'daily'; day: string }
  /** The newest of its ISO week (YYYY-Www). */
  | { rule: 'weekly'; week: string }
  /** The newest successful backup on its target. */
  | { rule: 'target-newest'; target: string }
  /** Among the `count` newest on its target (the target's own "keep last"). */
  | { rule: 'target-last'; count: number; target: string }
  /** A queued or running restore or verification uses it. */
  | { rule: 'in-use' }
  /** No retention rule applies to it at all. */
  | { rule: 'no-policy' };

/** The short form used in logs and the CLI: "last 3", "daily 2026-11-25", "target last 7". */
export function reasonLabel(reason: RetentionReason): string {
  switch (reason.rule) {
    case 'newest':
      return 'newest';
    case 'last':
      return `last ${reason.count}`;
    case 'daily':
      return `daily ${reason.day}`;
    case 'weekly':
      return `weekly ${reason.week}`;
    case 'target-newest':
      return 'newest on target';
    case 'target-last':
      return `target last ${reason.count}`;
    case 'in-use':
      return 'in use';
    case 'no-policy':
      return 'no policy';
  }
}

export interface RetentionDecision {
  id: string;
  startedAt: Date;
  action: 'keep' | 'delete';
  /** Every rule that keeps it; empty when deleted. */
  reasons: RetentionReason[];
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
  reasonFor: (period: string) => RetentionReason,
  keep: (id: string, reason: RetentionReason) => void,
): void {
  const seen = new Set<string>();
  for (const backup of newestFirst) {
    if (seen.size >= count) return;
    const period = periodOf(backup);
    if (seen.has(period)) continue;
    seen.add(period);
    keep(backup.id, reasonFor(period));
  }
}

/** Newest first; ties on the same instant broken by id, so a plan never depends on input order. */
export function newestFirst<T extends RetentionCandidate>(backups: readonly T[]): T[] {
  return [...backups].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

export function hasRetentionRule(policy: RetentionPolicy): boolean {
  return RULES.some((rule) => isSet(policy[rule]));
}

/**
 * Decides, for one schedule's successful backups, which to keep and which to delete:
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
  const sorted = newestFirst(backups);
  const reasons = new Map<string, RetentionReason[]>(sorted.map((b) => [b.id, []]));
  const keep = (id: string, reason: RetentionReason) => reasons.get(id)?.push(reason);

  if (!hasRetentionRule(policy)) for (const b of sorted) keep(b.id, { rule: 'no-policy' });
  if (sorted[0]) keep(sorted[0].id, { rule: 'newest' });
  if (isSet(policy.keepLast)) {
    const count = policy.keepLast;
    for (const b of sorted.slice(0, count)) keep(b.id, { rule: 'last', count });
  }
  if (isSet(policy.keepDaily))
    keepNewestPerPeriod(
      sorted,
      policy.keepDaily,
      (b) => dayKey(b.startedAt, timeZone),
      (day) => ({ rule: 'daily', day }),
      keep,
    );
  if (isSet(policy.keepWeekly))
    keepNewestPerPeriod(
      sorted,
      policy.keepWeekly,
      (b) => isoWeekKey(b.startedAt, timeZone),
      (week) => ({ rule: 'weekly', week }),
      keep,
    );
  for (const b of sorted) if (protectedIds.has(b.id)) keep(b.id, { rule: 'in-use' });

  return sorted.map((b) => {
    const why = reasons.get(b.id) ?? [];
    return { id: b.id, startedAt: b.startedAt, action: why.length > 0 ? 'keep' : 'delete', reasons: why };
  });
}
