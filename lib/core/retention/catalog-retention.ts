import {
  hasRetentionRule,
  newestFirst,
  planRetention,
  type RetentionCandidate,
  type RetentionDecision,
  type RetentionPolicy,
  type RetentionReason,
} from './retention';

/** A successful backup as the catalog knows it: which schedule made it (if any) and where it is. */
export interface CatalogCandidate extends RetentionCandidate {
  scheduleId: string | null;
  targetId: string;
}

export interface CatalogRules {
  /** The policies of the schedules that exist, by id. A backup whose schedule is gone has none. */
  schedules: ReadonlyMap<string, RetentionPolicy>;
  /** Each target's own "keep last" by id (null = not set) and its name (for the reasons). */
  targets: ReadonlyMap<string, { name: string; keepLast: number | null }>;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === null) continue;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/**
 * Retention over the whole catalog: each schedule's policy over its own backups, and each
 * target's "keep last N" over every backup on it (scheduled or not), combined so that nothing
 * a user expects to keep is lost (docs/SCHEDULES.md):
 *
 * - a backup is kept when ANY rule that applies to it keeps it (union, as within a policy);
 * - it is deleted only when at least one rule applies to it and none keeps it: a schedule
 *   without rules and a target without "keep last" have no say, and a backup that no rule
 *   applies to at all is kept ("no policy");
 * - always kept: the newest backup of each schedule, the newest on each target, and those a
 *   restore or verification is using.
 *
 * Pure, so the preview shows exactly what retention will do. Returned newest first.
 */
export function planCatalogRetention(
  backups: readonly CatalogCandidate[],
  rules: CatalogRules,
  { timeZone, protectedIds = new Set() }: { timeZone: string; protectedIds?: ReadonlySet<string> },
): RetentionDecision[] {
  const sorted = newestFirst(backups);
  const reasons = new Map<string, RetentionReason[]>(sorted.map((b) => [b.id, []]));
  const ruled = new Set<string>();
  const keep = (id: string, reason: RetentionReason) => reasons.get(id)?.push(reason);

  for (const [scheduleId, group] of groupBy(sorted, (b) => b.scheduleId)) {
    const policy = rules.schedules.get(scheduleId);
    if (!policy) continue;
    if (!hasRetentionRule(policy)) {
      if (group[0]) keep(group[0].id, { rule: 'newest' });
      continue;
    }
    for (const decision of planRetention(group, policy, { timeZone })) {
      ruled.add(decision.id);
      for (const reason of decision.reasons) keep(decision.id, reason);
    }
  }
  for (const [targetId, group] of groupBy(sorted, (b) => b.targetId)) {
    const target = rules.targets.get(targetId);
    if (!target || target.keepLast === null) continue;
    if (group[0]) keep(group[0].id, { rule: 'target-newest', target: target.name });
    const count = target.keepLast;
    group.forEach((b, index) => {
      ruled.add(b.id);
      if (index < count) keep(b.id, { rule: 'target-last', count, target: target.name });
    });
  }
  for (const b of sorted) {
    if (protectedIds.has(b.id)) keep(b.id, { rule: 'in-use' });
    if (!ruled.has(b.id)) keep(b.id, { rule: 'no-policy' });
  }
  return sorted.map((b) => {
    const why = reasons.get(b.id) ?? [];
    return { id: b.id, startedAt: b.startedAt, action: why.length > 0 ? 'keep' : 'delete', reasons: why };
  });
}
