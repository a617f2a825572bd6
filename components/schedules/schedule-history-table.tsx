import Link from 'next/link';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { ScheduleHistoryEntry } from '@/lib/core/schedules/schedule-overview';
import { RunOutcomeBadge } from './run-outcome-badge';
import { formatInstanceTime } from './schedule-format';

/** The schedule's fires and runs now, newest first; missed and skipped ones say why nothing ran. */
export function ScheduleHistoryTable({ entries, timeZone }: { entries: ScheduleHistoryEntry[]; timeZone: string }) {
  return (
    <Table aria-label="Run history">
      <TableHeader>
        <TableRow>
          <TableHead>When ({timeZone})</TableHead>
          <TableHead>How</TableHead>
          <TableHead>Outcome</TableHead>
          <TableHead>Details</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {entries.map((entry) => (
          <TableRow key={`${entry.kind}:${entry.at}:${entry.job?.id ?? ''}`} data-run-status={entry.status}>
            <TableCell className="whitespace-nowrap">
              <time dateTime={entry.at}>{formatInstanceTime(entry.at, timeZone)}</time>
            </TableCell>
            <TableCell>{entry.kind === 'fire' ? 'scheduled' : 'run now'}</TableCell>
            <TableCell>
              <RunOutcomeBadge status={entry.status} />
            </TableCell>
            <TableCell className="text-sm">
              {entry.job && (
                <Link className="text-primary hover:underline" href={`/jobs/${entry.job.id}`}>
                  View the job
                </Link>
              )}
              {entry.message && <span className="text-muted-foreground">{entry.message}</span>}
              {entry.job?.errorMessage && <span className="block text-destructive">{entry.job.errorMessage}</span>}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
