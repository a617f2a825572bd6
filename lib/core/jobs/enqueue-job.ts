import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { isJobType, type JobView, jobPayloadSchemas, toJobView } from './job-types';

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
  /** At most one job ever exists per unique key (e.g. one per schedule fire time). */
  uniqueKey?: string;
  createdBy?: string;
}

/** Validates the payload against its type's schema and queues the job. */
export async function enqueueJob(db: Db, type: string, payload: unknown, options: EnqueueOptions = {}): Promise<JobView> {
  const job = await db.job.create({ data: newJobRow(type, payload, options) });
  return toJobView(job);
}

/**
 * The row enqueueJob inserts, its payload validated: for callers that insert it in one
 * transaction with a row of their own.
 */
export function newJobRow(type: string, payload: unknown, options: EnqueueOptions = {}) {
  if (!isJobType(type)) throw new AppError('invalid_input', `Unknown job type "${type}".`);
  const parsed = jobPayloadSchemas[type].safeParse(payload ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('invalid_input', `Invalid ${type} payload: ${issue?.path.join('.') || 'payload'} ${issue?.message}`);
  }
  const now = new Date();
  return {
    id: randomUUID(),
    type,
    payload: JSON.stringify(parsed.data),
    runAt: options.runAt ?? now,
    maxAttempts: options.maxAttempts ?? 1,
    uniqueKey: options.uniqueKey,
    createdBy: options.createdBy,
    createdAt: now,
    updatedAt: now,
  };
}
