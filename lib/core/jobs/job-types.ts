import { z } from 'zod';
import { backupRequestSchema } from '../backup/backup-request';
import type { Job } from '../generated/prisma/client';
import { restoreRequestSchema } from '../restore/restore-request';
import { verifyJobSchema } from '../verification/verification-request';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

export function isTerminalStatus(status: string): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

/**
 * Payload schema per job type. Enqueueing validates against it and so does the worker before
 * running, because a row can also come from an older version or a hand-edited database.
 */
export const jobPayloadSchemas = {
  selftest: z
    .object({
      steps: z.number().int().min(1).max(100).default(10),
      stepMs: z.number().int().min(0).max(10_000).default(300),
    })
    .strict(),
  backup: backupRequestSchema,
  restore: restoreRequestSchema,
  verify: verifyJobSchema,
} as const;

export type JobType = keyof typeof jobPayloadSchemas;
export type JobPayload<T extends JobType> = z.output<(typeof jobPayloadSchemas)[T]>;

export function isJobType(type: string): type is JobType {
  return Object.hasOwn(jobPayloadSchemas, type);
}

/** How a job looks to the UI, the API and the CLI: numbers instead of BigInt, ISO dates. */
export interface JobView {
  id: string;
  type: string;
  status: JobStatus;
  phase: string | null;
  bytesDone: number;
  bytesTotal: number | null;
  filesDone: number;
  filesTotal: number | null;
  currentItem: string | null;
  message: string | null;
  percent: number | null;
  attempts: number;
  maxAttempts: number;
  cancelRequested: boolean;
  errorCode: string | null;
  errorMessage: string | null;
  result: unknown;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
}

export interface JobLogView {
  id: number;
  level: string;
  message: string;
  createdAt: string;
}

function parseResult(result: string | null): unknown {
  if (result === null) return null;
  try {
    return JSON.parse(result);
  } catch {
    return null;
  }
}

export function toJobView(job: Job): JobView {
  const bytesDone = Number(job.bytesDone);
  const bytesTotal = job.bytesTotal === null ? null : Number(job.bytesTotal);
  let percent: number | null = null;
  if (job.status === 'succeeded') percent = 100;
  else if (bytesTotal !== null && bytesTotal > 0) percent = Math.min(100, Math.floor((bytesDone / bytesTotal) * 100));
  return {
    id: job.id,
    type: job.type,
    status: job.status as JobStatus,
    phase: job.phase,
    bytesDone,
    bytesTotal,
    filesDone: job.filesDone,
    filesTotal: job.filesTotal,
    currentItem: job.currentItem,
    message: job.message,
    percent,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    cancelRequested: job.cancelRequested,
    errorCode: job.errorCode,
    errorMessage: job.errorMessage,
    result: parseResult(job.result),
    createdBy: job.createdBy,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    updatedAt: job.updatedAt.toISOString(),
  };
}
