import type { Db } from '../db/client';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ProgressUpdate {
  phase?: string;
  bytesDone?: number;
  bytesTotal?: number | null;
  filesDone?: number;
  filesTotal?: number | null;
  currentItem?: string | null;
  message?: string | null;
}

export const PROGRESS_WRITE_INTERVAL_MS = 500;

export async function appendJobLog(db: Db, jobId: string, message: string, level: LogLevel = 'info'): Promise<void> {
  await db.jobLog.create({ data: { jobId, level, message: message.slice(0, 4000) } });
}

function toData(update: ProgressUpdate) {
  const { bytesDone, bytesTotal, ...rest } = update;
  return {
    ...rest,
    ...(bytesDone !== undefined ? { bytesDone: BigInt(Math.round(bytesDone)) } : {}),
    ...(bytesTotal !== undefined ? { bytesTotal: bytesTotal === null ? null : BigInt(Math.round(bytesTotal)) } : {}),
  };
}

/**
 * Collects progress updates and writes them at most once per interval: a backup reports
 * thousands of files a second, the database and the browser need a few updates a second.
 * Writes are guarded by the lease owner so a worker that lost its job cannot touch it.
 */
export class ProgressReporter {
  private pending: ProgressUpdate | null = null;
  private lastWrite = 0;
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly jobId: string,
    private readonly leaseOwner: string,
    private readonly intervalMs = PROGRESS_WRITE_INTERVAL_MS,
  ) {}

  report(update: ProgressUpdate): void {
    this.pending = { ...this.pending, ...update };
    if (this.timer) return;
    const wait = Math.max(0, this.lastWrite + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.write();
    }, wait);
  }

  /** Writes whatever is pending now and waits for every write so far. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.write();
    await this.chain;
  }

  private write(): void {
    const update = this.pending;
    if (!update) return;
    this.pending = null;
    this.lastWrite = Date.now();
    this.chain = this.chain
      .then(async () => {
        await this.db.job.updateMany({
          where: { id: this.jobId, leaseOwner: this.leaseOwner, status: 'running' },
          data: { ...toData(update), updatedAt: new Date() },
        });
      })
      .catch(() => {
        // A lost progress write is harmless (the next one carries the same fields); the
        // job's outcome is written separately and its errors do surface.
      });
  }
}
