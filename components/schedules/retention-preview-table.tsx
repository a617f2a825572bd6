import Link from 'next/link';
import { formatBytes } from '@/components/jobs/format';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { RetentionPreviewRow } from '@/lib/core/retention/retention-preview';
import { explainReason, formatInstanceTime } from './schedule-format';

/**
 * Each backup of the schedule with what retention does to it: kept (and by which rules) or due
 * for deletion, and whether it survives the schedule's next backup.
 */
export function RetentionPreviewTable({ rows, timeZone }: { rows: RetentionPreviewRow[]; timeZone: string }) {
  return (
    <Table aria-label="Retention preview">
      <TableHeader>
        <TableRow>
          <TableHead>Backup ({timeZone})</TableHead>
          <TableHead>Target</TableHead>
          <TableHead>Size</TableHead>
          <TableHead>Now</TableHead>
          <TableHead>Why</TableHead>
          <TableHead>After the next run</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map(({ backup, targetName, now, afterNextRun }) => (
          <TableRow key={backup.id} data-backup-id={backup.id}>
            <TableCell className="whitespace-nowrap">
              <Link className="text-primary hover:underline" href={`/backups/${backup.id}`}>
                {formatInstanceTime(backup.startedAt, timeZone)}
              </Link>
            </TableCell>
            <TableCell>{targetName}</TableCell>
            <TableCell className="whitespace-nowrap">{formatBytes(Number(backup.storedBytes))}</TableCell>
            <TableCell>
              {now.action === 'keep' ? <Badge tone="success">kept</Badge> : <Badge tone="danger">deleted at the next run</Badge>}
            </TableCell>
            <TableCell>
              {now.reasons.length > 0 ? (
                <ul className="grid gap-0.5 text-sm">
                  {now.reasons.map((reason) => (
                    <li key={JSON.stringify(reason)}>{explainReason(reason)}</li>
                  ))}
                </ul>
              ) : (
                <span className="text-sm text-muted-foreground">No rule keeps it any more.</span>
              )}
            </TableCell>
            <TableCell>
              {afterNextRun === 'keep' ? <Badge tone="success">kept</Badge> : <Badge tone="danger">deleted</Badge>}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
