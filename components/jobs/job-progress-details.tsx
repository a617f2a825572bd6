import Link from 'next/link';
import type { JobView } from '@/lib/core/jobs/job-types';
import { formatBytes } from './format';

function backupIdOf(result: unknown): string | null {
  const id = (result as { backupId?: unknown } | null)?.backupId;
  return typeof id === 'string' ? id : null;
}

/**
 * What a long job is doing right now: its step, bytes and files so far and the item in hand
 * (a backup's current file). Rows appear only for what the job reports.
 */
export function JobProgressDetails({ job }: { job: JobView }) {
  // Restore and verify jobs link their backup with their outcome (JobOutcome).
  const backupId = job.status === 'succeeded' && job.type === 'backup' ? backupIdOf(job.result) : null;
  const active = job.status === 'running';
  return (
    <>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" aria-label="Progress details">
        {job.phase && (
          <>
            <dt className="text-muted-foreground">Step</dt>
            <dd data-testid="job-phase">{job.phase}</dd>
          </>
        )}
        {(job.bytesTotal !== null || job.bytesDone > 0) && (
          <>
            <dt className="text-muted-foreground">Data</dt>
            <dd data-testid="job-bytes">
              {formatBytes(job.bytesDone)}
              {job.bytesTotal !== null && ` of ${formatBytes(job.bytesTotal)}`}
            </dd>
          </>
        )}
        {(job.filesTotal !== null || job.filesDone > 0) && (
          <>
            <dt className="text-muted-foreground">Files</dt>
            <dd data-testid="job-files">
              {job.filesDone.toLocaleString()}
              {job.filesTotal !== null && ` of ${job.filesTotal.toLocaleString()}`}
            </dd>
          </>
        )}
        {active && job.currentItem && (
          <>
            <dt className="text-muted-foreground">Current</dt>
            <dd className="truncate font-mono text-xs leading-5" title={job.currentItem} data-testid="job-current-item">
              {job.currentItem}
            </dd>
          </>
        )}
      </dl>
      {backupId && (
        <p className="text-sm">
          <Link className="text-primary hover:underline" href={`/backups/${backupId}`}>
            View the backup
          </Link>
        </p>
      )}
    </>
  );
}
