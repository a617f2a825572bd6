import type { LogLevel, ProgressUpdate } from './job-progress';
import type { JobPayload, JobType } from './job-types';

/** What a handler gets: its parsed payload, the cancel signal, a logger and progress. */
export interface JobContext<P> {
  jobId: string;
  payload: P;
  /** Aborted on user cancel, worker shutdown or lost lease; handlers must stop promptly. */
  signal: AbortSignal;
  log: (message: string, level?: LogLevel) => Promise<void>;
  /** Throttled: call as often as you like. */
  reportProgress: (update: ProgressUpdate) => void;
}

/**
 * A job type's implementation. Contract: resolve with a JSON-serialisable result on success;
 * throw an AppError (retryable or not) on failure; when `signal` aborts, throw (any error)
 * soon and leave nothing half-done that could be mistaken for a finished result.
 */
export type JobHandler<T extends JobType> = (context: JobContext<JobPayload<T>>) => Promise<unknown>;

export type JobHandlers = { [T in JobType]: JobHandler<T> };
