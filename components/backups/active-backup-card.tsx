import Link from 'next/link';
import { JobStatusBadge } from '@/components/jobs/job-status-badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Progress } from '@/components/ui/progress';
import type { JobView } from '@/lib/core/jobs/job-types';

/** The backup running (or next in the queue) right now, as of this page load. */
export function ActiveBackupCard({ job }: { job: JobView | null }) {
  return (
    <Card aria-label="Backup in progress">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          Backup in progress {job && <JobStatusBadge status={job.status} />}
        </CardTitle>
      </CardHeader>
      <CardContent className="grid gap-2 text-sm">
        {job ? (
          <>
            <Progress value={job.percent ?? (job.status === 'queued' ? 0 : null)} label="Backup progress" />
            <p>
              {job.phase ?? 'Waiting for the worker'}
              {job.percent !== null && ` — ${job.percent} %`}
            </p>
            <Link className="text-primary hover:underline" href={`/jobs/${job.id}`}>
              Follow it live
            </Link>
          </>
        ) : (
          <p className="text-muted-foreground">No backup is running.</p>
        )}
      </CardContent>
    </Card>
  );
}
