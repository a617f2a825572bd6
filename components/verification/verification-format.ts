import { formatAgo, formatDuration } from '@/components/jobs/format';
import type { CheckName, CheckResult } from '@/lib/core/verification/checks';
import type { VerificationState, VerificationView } from '@/lib/core/verification/verification-view';

export const CHECK_LABELS: Record<CheckName, string> = {
  size: 'Size',
  integrity: 'Integrity',
  'dry-run': 'Dry-run restore',
  staleness: 'Staleness',
};

export const STATE_TONES = {
  queued: 'neutral',
  running: 'info',
  passed: 'success',
  warned: 'warning',
  failed: 'danger',
  cancelled: 'warning',
} as const satisfies Record<VerificationState, string>;

export const RESULT_TONES = { pass: 'success', warn: 'warning', fail: 'danger' } as const satisfies Record<CheckResult, string>;

export function isActiveState(state: VerificationState): boolean {
  return state === 'queued' || state === 'running';
}

/** Checks take milliseconds to hours: "85 ms", "12 s", "3 min 4 s". */
export function formatCheckDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : formatDuration(ms);
}

/** "verified 2 h ago", "started just now", "queued 1 min ago", "cancelled 5 min ago". */
export function verificationWhen(
  v: Pick<VerificationView, 'state' | 'createdAt' | 'startedAt' | 'finishedAt'>,
  now: number,
): { text: string; at: string } {
  if (v.state === 'queued') return { text: `queued ${formatAgo(v.createdAt, now)}`, at: v.createdAt };
  if (v.state === 'running') {
    const at = v.startedAt ?? v.createdAt;
    return { text: `started ${formatAgo(at, now)}`, at };
  }
  const at = v.finishedAt ?? v.startedAt ?? v.createdAt;
  return { text: `${v.state === 'cancelled' ? 'cancelled' : 'verified'} ${formatAgo(at, now)}`, at };
}
