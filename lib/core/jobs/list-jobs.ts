import type { Db } from '../db/client';
import { AppError } from '../errors';
import { type JobLogView, type JobView, toJobView } from './job-types';

export async function listJobs(db: Db, { limit = 50 }: { limit?: number } = {}): Promise<JobView[]> {
  const jobs = await db.job.findMany({ orderBy: { createdAt: 'desc' }, take: Math.min(Math.max(limit, 1), 500) });
  return jobs.map(toJobView);
}

export async function getJob(db: Db, jobId: string): Promise<JobView> {
  const job = await db.job.findUnique({ where: { id: jobId } });
  if (!job) throw new AppError('not_found', 'No such job.');
  return toJobView(job);
}

/** Log lines after `afterId` in order (the SSE stream resumes from Last-Event-ID with this). */
export async function listJobLogs(db: Db, jobId: string, afterId = 0, limit = 500): Promise<JobLogView[]> {
  const rows = await db.jobLog.findMany({ where: { jobId, id: { gt: afterId } }, orderBy: { id: 'asc' }, take: limit });
  return rows.map((r) => ({ id: r.id, level: r.level, message: r.message, createdAt: r.createdAt.toISOString() }));
}

/** The running job of a type, else the oldest queued one (what the dashboard shows as "now"). */
export async function findActiveJob(db: Db, type: string): Promise<JobView | null> {
  const running = await db.job.findFirst({ where: { type, status: 'running' }, orderBy: { startedAt: 'desc' } });
  const job = running ?? (await db.job.findFirst({ where: { type, status: 'queued' }, orderBy: { createdAt: 'asc' } }));
  return job ? toJobView(job) : null;
}
