import { getBackup } from '../backup/catalog';
import type { Db } from '../db/client';
import { isTerminalStatus } from '../jobs/job-types';
import { ACTIVE_STATES, toVerificationView, type VerificationView } from './verification-view';

/**
 * Ends verifications still marked queued or running whose job has ended without saying so
 * itself: a queued job cancelled before it started, a worker killed mid-way (its job is
 * failed by job recovery), a job row that is gone. Run before reading or starting one, so a
 * dead verification never blocks a new one.
 */
export async function settleVerifications(db: Db, backupId?: string): Promise<void> {
  const active = await db.verification.findMany({
    where: { state: { in: [...ACTIVE_STATES] }, ...(backupId ? { backupId } : {}) },
    select: { id: true, jobId: true, startedAt: true },
  });
  for (const verification of active) {
    const job = verification.jobId
      ? await db.job.findUnique({
          where: { id: verification.jobId },
          select: { status: true, errorMessage: true, finishedAt: true },
        })
      : null;
    if (job && !isTerminalStatus(job.status)) continue;
    const cancelled = job?.status === 'cancelled';
    const message = !job
      ? 'Its job is gone; it never finished.'
      : cancelled
        ? 'Cancelled.'
        : `It stopped before finishing: ${job.errorMessage ?? `its job ${job.status}`}.`;
    await db.verification.updateMany({
      where: { id: verification.id, state: { in: [...ACTIVE_STATES] } },
      data: {
        state: cancelled ? 'cancelled' : 'failed',
        message,
        activeFor: null,
        finishedAt: job?.finishedAt ?? new Date(),
      },
    });
  }
}

async function withJob(db: Db, row: Parameters<typeof toVerificationView>[0]): Promise<VerificationView> {
  const job = row.jobId ? await db.job.findUnique({ where: { id: row.jobId } }) : null;
  return toVerificationView(row, job);
}

/**
 * The newest verification of a backup (id or unique prefix): state, checks so far and
 * timestamps, with its job's progress while it runs; null when none was ever started.
 * Throws not_found for an unknown backup.
 */
export async function getLatestVerification(db: Db, backupIdOrPrefix: string): Promise<VerificationView | null> {
  const backup = await getBackup(db, backupIdOrPrefix);
  await settleVerifications(db, backup.id);
  const row = await db.verification.findFirst({
    where: { backupId: backup.id },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    include: { results: true },
  });
  return row ? withJob(db, row) : null;
}

/** A backup's verifications, newest first. */
export async function listVerifications(db: Db, backupIdOrPrefix: string, limit = 20): Promise<VerificationView[]> {
  const backup = await getBackup(db, backupIdOrPrefix);
  await settleVerifications(db, backup.id);
  const rows = await db.verification.findMany({
    where: { backupId: backup.id },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
    include: { results: true },
  });
  return Promise.all(rows.map((row) => withJob(db, row)));
}

/** One verification by id, or null. */
export async function getVerification(db: Db, id: string): Promise<VerificationView | null> {
  const row = await db.verification.findUnique({ where: { id }, include: { results: true } });
  return row ? withJob(db, row) : null;
}
