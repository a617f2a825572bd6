import type { Db } from '../db/client';
import { toVerificationView, type VerificationState, type VerificationView } from './verification-view';
import { settleVerifications } from './verifications';

/** What a list of backups shows of each one's newest verification. */
export interface VerificationSummary {
  id: string;
  jobId: string | null;
  state: VerificationState;
  dryRun: boolean;
  createdAt: string;
  finishedAt: string | null;
}

/**
 * The newest verification of each of these backups (those never verified this way are
 * absent), for history lists: one query for the whole page instead of one per row. Dead
 * verifications are settled first, so a row never shows "running" for a job that ended.
 */
export async function latestVerificationsOf(db: Db, backupIds: readonly string[]): Promise<Map<string, VerificationSummary>> {
  const latest = new Map<string, VerificationSummary>();
  if (backupIds.length === 0) return latest;
  await settleVerifications(db);
  const rows = await db.verification.findMany({
    where: { backupId: { in: [...backupIds] } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true, backupId: true, jobId: true, state: true, dryRun: true, createdAt: true, finishedAt: true },
  });
  for (const row of rows) {
    if (latest.has(row.backupId)) continue;
    latest.set(row.backupId, {
      id: row.id,
      jobId: row.jobId,
      state: row.state as VerificationState,
      dryRun: row.dryRun,
      createdAt: row.createdAt.toISOString(),
      finishedAt: row.finishedAt?.toISOString() ?? null,
    });
  }
  return latest;
}

/**
 * The verification a `verify` job runs, with its checks so far and its job's progress; null
 * for any other job (a manual verify, a backup). For the job page, which follows it live.
 */
export async function getVerificationForJob(db: Db, jobId: string): Promise<VerificationView | null> {
  const found = await db.verification.findUnique({ where: { jobId }, select: { backupId: true } });
  if (!found) return null;
  await settleVerifications(db, found.backupId);
  const row = await db.verification.findUnique({ where: { jobId }, include: { results: true } });
  if (!row) return null;
  return toVerificationView(row, await db.job.findUnique({ where: { id: jobId } }));
}
