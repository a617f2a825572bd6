import Link from 'next/link';
import { formatAgo, formatDateTime } from '@/components/jobs/format';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { BackupHealth } from '@/lib/core/health/backup-health';

function Resolved({ resolved }: { resolved: boolean }) {
  return resolved ? (
    <Badge tone="success" title="A later backup of the same kind succeeded">
      resolved
    </Badge>
  ) : (
    <Badge tone="danger">unresolved</Badge>
  );
}

/** Failed backups and missed schedule runs of the last 7 days. `now` comes from the server render. */
export function RecentFailuresCard({ failures, now }: { failures: BackupHealth['recentFailures']; now: number }) {
  const { backups, missedRuns } = failures;
  return (
    <Card aria-label="Recent failures" className="min-w-0">
      <CardHeader>
        <CardTitle>Recent failures</CardTitle>
        <CardDescription>Failed backups and missed schedule runs of the last 7 days.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-2 text-sm">
        {backups.length === 0 && missedRuns.length === 0 && (
          <p className="text-muted-foreground">No backup failed and no schedule missed a run in the last 7 days.</p>
        )}
        {backups.length > 0 && (
          <ul aria-label="Failed backups" className="grid gap-2">
            {backups.map((b) => (
              <li key={b.backupId} className="min-w-0 break-words">
                <span className="flex flex-wrap items-center gap-x-2">
                  <Link className="text-primary hover:underline" href={b.fixPath} title={formatDateTime(b.at)}>
                    {formatAgo(b.at, now)}
                  </Link>
                  <span>
                    to {b.targetName}
                    {b.scheduleName ? ` by the schedule “${b.scheduleName}”` : ''}
                  </span>
                  <Resolved resolved={b.resolved} />
                </span>
                <span className="block text-xs text-muted-foreground">{b.message}</span>
              </li>
            ))}
          </ul>
        )}
        {missedRuns.length > 0 && (
          <ul aria-label="Missed schedule runs" className="grid gap-2">
            {missedRuns.map((r) => (
              <li key={`${r.scheduleId}-${r.fireAt}`} className="min-w-0 break-words">
                <span className="flex flex-wrap items-center gap-x-2">
                  <Link className="text-primary hover:underline" href={r.fixPath}>
                    {r.scheduleName}
                  </Link>
                  <span title={formatDateTime(r.fireAt)}>missed its run {formatAgo(r.fireAt, now)}</span>
                  <Resolved resolved={r.resolved} />
                </span>
                <span className="block text-xs text-muted-foreground">{r.message}</span>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
