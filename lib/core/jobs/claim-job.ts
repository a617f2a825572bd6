import type { Db } from '../db/client';
import type { Job } from '../generated/prisma/client';

export const DEFAULT_LEASE_MS = 30_000;
const MAX_CLAIM_RACES = 5;

export interface ClaimOptions {
  workerId: string;
  leaseMs?: number;
  now?: Date;
}

/**
 * Compare-and-set from queued to running: of several workers updating the same row, exactly
 * one sees count = 1 (SQLite serialises writers). Returns the claimed job or null.
 */
async function tryClaim(db: Db, id: string, { workerId, leaseMs = DEFAULT_LEASE_MS, now = new Date() }: ClaimOptions) {
  const { count } = await db.job.updateMany({
    where: { id, status: 'queued' },
    data: {
      status: 'running',
      leaseOwner: workerId,
      leaseExpiresAt: new Date(now.getTime() + leaseMs),
      heartbeatAt: now,
      startedAt: now,
      attempts: { increment: 1 },
      updatedAt: now,
    },
  });
  return count === 1 ? db.job.findUnique({ where: { id } }) : null;
}

/** Claims the oldest due queued job, if any. */
export async function claimNextJob(db: Db, options: ClaimOptions): Promise<Job | null> {
  const now = options.now ?? new Date();
  for (let race = 0; race < MAX_CLAIM_RACES; race += 1) {
    const candidate = await db.job.findFirst({
      where: { status: 'queued', runAt: { lte: now } },
      orderBy: [{ runAt: 'asc' }, { createdAt: 'asc' }],
      select: { id: true },
    });
    if (!candidate) return null;
    const job = await tryClaim(db, candidate.id, { ...options, now });
    if (job) return job;
  }
  return null;
}

/** Claims one specific job (the CLI runs the job it just queued), or null if another took it. */
export function claimJobById(db: Db, id: string, options: ClaimOptions): Promise<Job | null> {
  return tryClaim(db, id, options);
}
