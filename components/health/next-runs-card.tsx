import Link from 'next/link';
import { formatDateTime, formatIn } from '@/components/jobs/format';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { BackupHealth } from '@/lib/core/health/backup-health';

/** The next fire time of each enabled schedule, soonest first. `now` comes from the server render. */
export function NextRunsCard({ runs, now }: { runs: BackupHealth['nextRuns']; now: number }) {
  return (
    <Card aria-label="Next scheduled runs" className="min-w-0">
      <CardHeader>
        <CardTitle>Next scheduled runs</CardTitle>
        <CardDescription>When each enabled schedule backs up next.</CardDescription>
      </CardHeader>
      <CardContent className="text-sm">
        {runs.length === 0 ? (
          <p className="text-muted-foreground">
            No schedule is enabled: backups happen only when started by hand.{' '}
            <Link className="text-primary hover:underline" href="/schedules">
              Schedules
            </Link>
          </p>
        ) : (
          <dl className="grid grid-cols-[minmax(0,auto)_1fr] gap-x-4 gap-y-1">
            {runs.map((run) => (
              <div key={run.scheduleId} className="contents">
                <dt className="break-words font-medium">{run.name}</dt>
                <dd title={new Date(run.nextAt).toISOString()}>
                  {formatIn(run.nextAt, now)} <span className="text-muted-foreground">({formatDateTime(run.nextAt)})</span>
                </dd>
              </div>
            ))}
          </dl>
        )}
      </CardContent>
    </Card>
  );
}
