import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { ScheduleOverview } from '@/lib/core/schedules/schedule-overview';
import { RunOutcomeBadge } from './run-outcome-badge';
import { ScheduleActions } from './schedule-actions';
import { formatInstanceTime, retentionSummary, scopeSummary } from './schedule-format';

/** Every schedule: when in plain words, what, where, retention, next run and how the last one went. */
export function SchedulesTable({ schedules, timeZone }: { schedules: ScheduleOverview[]; timeZone: string }) {
  return (
    <Table aria-label="Schedules">
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>When</TableHead>
          <TableHead>What</TableHead>
          <TableHead>Target</TableHead>
          <TableHead>Retention</TableHead>
          <TableHead>Next run ({timeZone})</TableHead>
          <TableHead>Last run</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {schedules.map((s) => (
          <TableRow key={s.id} data-schedule={s.name}>
            <TableCell className="min-w-32 font-medium">
              <Link className="text-primary hover:underline" href={`/schedules/${s.id}`}>
                {s.name}
              </Link>{' '}
              {!s.enabled && <Badge tone="warning">disabled</Badge>}
            </TableCell>
            <TableCell className="min-w-44">
              {s.description}
              <code className="block whitespace-nowrap text-xs text-muted-foreground">{s.cron}</code>
            </TableCell>
            <TableCell>{scopeSummary(s)}</TableCell>
            <TableCell>{s.target.name}</TableCell>
            <TableCell className="whitespace-nowrap">{retentionSummary(s)}</TableCell>
            <TableCell className="whitespace-nowrap">
              {s.nextRun ? <time dateTime={s.nextRun}>{formatInstanceTime(s.nextRun, timeZone)}</time> : '—'}
            </TableCell>
            <TableCell className="whitespace-nowrap">
              {s.last ? (
                <span className="grid gap-0.5">
                  <RunOutcomeBadge status={s.last.status} />
                  <time className="text-xs text-muted-foreground" dateTime={s.last.at}>
                    {formatInstanceTime(s.last.at, timeZone)}
                  </time>
                </span>
              ) : (
                <span className="text-muted-foreground">never ran</span>
              )}
            </TableCell>
            <TableCell>
              <ScheduleActions schedule={s} compact />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
