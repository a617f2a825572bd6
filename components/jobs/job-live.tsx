'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Progress } from '@/components/ui/progress';
import { fetchJson } from '@/lib/client/fetch-json';
import { useJobEvents } from '@/lib/client/use-job-events';
import type { JobView } from '@/lib/core/jobs/job-types';
import type { VerificationView } from '@/lib/core/verification/verification-view';
import { formatDateTime, formatJobType } from './format';
import { JobLogList } from './job-log-list';
import { JobOutcome } from './job-outcome';
import { JobProgressDetails } from './job-progress-details';
import { JobStatusBadge } from './job-status-badge';
import { StreamLost } from './stream-lost';

/**
 * Re-renders the server page (shortly after the last of a burst of changes) whenever `key`
 * changes: the job stream says that something happened, the page reads what (a verification's
 * checks are rows of their own, not part of the job's events).
 */
function useRefreshOnChange(key: string | null) {
  const router = useRouter();
  const last = useRef(key);
  useEffect(() => {
    if (key === null || key === last.current) return;
    last.current = key;
    const timer = setTimeout(() => router.refresh(), 250);
    return () => clearTimeout(timer);
  }, [key, router]);
}

/**
 * A job's progress bar, details and log, following the job live over SSE. For a verification
 * job, `verification` is the page's read of its checks so far, refreshed as the job moves.
 * `recovery`: the restore of a recovery from backups, whose end is told as such (its system
 * part ends the session this page runs in).
 */
export function JobLive({
  initial,
  verification = null,
  recovery = false,
}: {
  initial: JobView;
  verification?: VerificationView | null;
  recovery?: boolean;
}) {
  const { job: live, logs, done, lost } = useJobEvents(initial.id, initial);
  const job = live ?? initial;
  // Each check logs a line when it is recorded; the status and phase change between checks.
  useRefreshOnChange(verification ? `${logs.length}:${job.status}:${job.phase ?? ''}` : null);
  const [cancelling, setCancelling] = useState(false);
  const active = job.status === 'queued' || job.status === 'running';

  async function cancel() {
    setCancelling(true);
    try {
      await fetchJson(`/api/jobs/${job.id}/cancel`, { method: 'POST' });
      toast.info('Cancellation requested.');
    } catch (error) {
      toast.error((error as Error).message);
    } finally {
      setCancelling(false);
    }
  }

  return (
    <div className="grid gap-4">
      <Card>
        <CardHeader className="flex-row items-center justify-between gap-2">
          <CardTitle className="flex items-center gap-2">
            {formatJobType(job.type)} <JobStatusBadge status={job.status} />
          </CardTitle>
          {active && (
            <Button variant="outline" size="sm" onClick={cancel} disabled={cancelling || job.cancelRequested}>
              {job.cancelRequested ? 'Cancelling…' : 'Cancel'}
            </Button>
          )}
        </CardHeader>
        <CardContent className="grid gap-3">
          <Progress value={job.percent ?? (job.status === 'queued' ? 0 : null)} label="Job progress" />
          <p className="text-sm" aria-live="polite" data-testid="job-percent">
            {job.percent === null ? 'Waiting for progress…' : `${job.percent} %`}
            {job.message ? ` — ${job.message}` : ''}
          </p>
          {job.status === 'queued' && (
            <p className="text-sm text-muted-foreground">Queued: waiting for the background worker to pick it up.</p>
          )}
          {job.errorMessage && job.status !== 'succeeded' && (
            <Alert tone={job.status === 'cancelled' ? 'warning' : 'danger'}>{job.errorMessage}</Alert>
          )}
          <JobProgressDetails job={job} />
          {lost && !done && <StreamLost reason={lost} recovery={recovery} />}
          <JobOutcome job={job} verification={verification} recovery={recovery} />
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-muted-foreground">Created</dt>
            <dd>{formatDateTime(job.createdAt)}</dd>
            <dt className="text-muted-foreground">Finished</dt>
            <dd>{formatDateTime(job.finishedAt)}</dd>
            <dt className="text-muted-foreground">Started by</dt>
            <dd>{job.createdBy ?? '—'}</dd>
          </dl>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Log</CardTitle>
        </CardHeader>
        <CardContent>
          <JobLogList logs={logs} emptyText={done ? 'No log lines.' : 'Waiting for log lines…'} />
        </CardContent>
      </Card>
    </div>
  );
}
