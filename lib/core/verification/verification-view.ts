import type { Job, Verification, VerificationCheck } from '../generated/prisma/client';
import type { CheckName, CheckResult } from './checks';

export const VERIFICATION_STATES = ['queued', 'running', 'passed', 'warned', 'failed', 'cancelled'] as const;
export type VerificationState = (typeof VERIFICATION_STATES)[number];
export const ACTIVE_STATES: readonly VerificationState[] = ['queued', 'running'];

/** A verification as the API, the UI and the CLI show it (ISO dates). */
export interface VerificationView {
  id: string;
  backupId: string;
  jobId: string | null;
  state: VerificationState;
  /** The checks asked for, in the order they run. */
  requestedChecks: CheckName[];
  dryRun: boolean;
  /** The checks that finished so far, in the order they ran. */
  checks: { name: CheckName; result: CheckResult; message: string; durationMs: number }[];
  /** Why it ended so when no check says it (cancelled, its worker died), else null. */
  message: string | null;
  /** While queued or running: what its job is doing. */
  progress: { phase: string | null; percent: number | null; bytesDone: number; bytesTotal: number | null } | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export type VerificationRow = Verification & { results: VerificationCheck[] };

export function toVerificationView(row: VerificationRow, job: Job | null): VerificationView {
  const state = row.state as VerificationState;
  const active = ACTIVE_STATES.includes(state);
  let progress: VerificationView['progress'] = null;
  if (active && job) {
    const bytesDone = Number(job.bytesDone);
    const bytesTotal = job.bytesTotal === null ? null : Number(job.bytesTotal);
    progress = {
      phase: job.phase,
      percent: bytesTotal ? Math.min(100, Math.floor((bytesDone / bytesTotal) * 100)) : null,
      bytesDone,
      bytesTotal,
    };
  }
  return {
    id: row.id,
    backupId: row.backupId,
    jobId: row.jobId,
    state,
    requestedChecks: JSON.parse(row.checks) as CheckName[],
    dryRun: row.dryRun,
    checks: [...row.results]
      .sort((a, b) => a.id - b.id)
      .map((c) => ({ name: c.name as CheckName, result: c.result as CheckResult, message: c.message, durationMs: c.durationMs })),
    message: row.message,
    progress,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
