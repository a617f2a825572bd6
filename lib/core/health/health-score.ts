/**
 * The health score's reasons and weights (docs/VERIFICATION.md, "Health score"). The score is
 * 100 minus the weights of the reasons, never below 0. Each kind of reason has a weight per
 * occurrence and a cap: the weights of one kind add up to at most its cap (later occurrences
 * weigh what is left, possibly 0), so one broken schedule cannot hide every other problem.
 */
export const REASON_WEIGHTS = {
  no_backup: { each: 60, cap: 60 },
  failed_verification: { each: 25, cap: 50 },
  stale_schedule: { each: 20, cap: 40 },
  target_test_failed: { each: 15, cap: 30 },
  failed_backup: { each: 10, cap: 30 },
  stale_app: { each: 10, cap: 30 },
  stale_target: { each: 10, cap: 20 },
  unverified_target: { each: 10, cap: 20 },
  missed_run: { each: 5, cap: 15 },
  no_schedule: { each: 10, cap: 10 },
} as const;
export type ReasonCode = keyof typeof REASON_WEIGHTS;

/** A problem found, before weighing. */
export interface HealthFinding {
  code: ReasonCode;
  message: string;
  /** Where in the app to fix it, e.g. /schedules, /targets/ID/edit, /backups/ID. */
  fixPath: string;
}

/** A weighed finding: what the score lost because of it. */
export interface HealthReason extends HealthFinding {
  weight: number;
}

export type HealthGrade = 'good' | 'fair' | 'poor' | 'critical';

/** 90–100 good, 70–89 fair, 40–69 poor, 0–39 critical. */
export function gradeOf(score: number): HealthGrade {
  if (score >= 90) return 'good';
  if (score >= 70) return 'fair';
  if (score >= 40) return 'poor';
  return 'critical';
}

/**
 * Weighs findings into a 0–100 score. Pure: the same findings always give the same score.
 * Reasons come back heaviest first (ties in the order found).
 */
export function scoreHealth(findings: HealthFinding[]): { score: number; grade: HealthGrade; reasons: HealthReason[] } {
  const used = new Map<ReasonCode, number>();
  const reasons = findings.map((finding): HealthReason => {
    const { each, cap } = REASON_WEIGHTS[finding.code];
    const taken = used.get(finding.code) ?? 0;
    const weight = Math.max(0, Math.min(each, cap - taken));
    used.set(finding.code, taken + weight);
    return { ...finding, weight };
  });
  const lost = reasons.reduce((sum, r) => sum + r.weight, 0);
  const score = Math.max(0, 100 - lost);
  const ordered = reasons.map((r, i) => ({ r, i })).sort((a, b) => b.r.weight - a.r.weight || a.i - b.i);
  return { score, grade: gradeOf(score), reasons: ordered.map(({ r }) => r) };
}
