import Link from 'next/link';
import { formatAgo, formatDateTime } from '@/components/jobs/format';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { BackupRef } from '@/lib/core/health/backup-health';

export interface LastSuccessRow {
  key: string;
  label: string;
  last: BackupRef | null;
  /** Why it is stale (a staleness warning's message), when it is. */
  stale?: string;
  note?: string;
}

/**
 * When each app, target or schedule last had a successful backup ("2 h ago", linked to that
 * backup; "never"), stale ones marked. `now` comes from the server render.
 */
export function LastSuccessCard({
  title,
  description,
  rows,
  emptyText,
  now,
}: {
  title: string;
  description: string;
  rows: LastSuccessRow[];
  emptyText: string;
  now: number;
}) {
  return (
    <Card aria-label={title} className="min-w-0">
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent>
        {rows.length === 0 ? (
          <p className="text-sm text-muted-foreground">{emptyText}</p>
        ) : (
          <dl className="grid grid-cols-[minmax(0,auto)_1fr] gap-x-4 gap-y-1 text-sm">
            {rows.map((row) => (
              <div key={row.key} className="contents">
                <dt className="break-words font-medium">
                  {row.label}
                  {row.note && <span className="font-normal text-muted-foreground"> {row.note}</span>}
                </dt>
                <dd className="flex flex-wrap items-center gap-x-2">
                  {row.last ? (
                    <Link
                      className="text-primary hover:underline"
                      href={`/backups/${row.last.backupId}`}
                      title={`${formatDateTime(row.last.at)} on ${row.last.targetName}`}
                    >
                      {formatAgo(row.last.at, now)}
                    </Link>
                  ) : (
                    <span className="text-muted-foreground">never</span>
                  )}
                  {row.stale && (
                    <Badge tone="warning" title={row.stale}>
                      stale
                    </Badge>
                  )}
                </dd>
              </div>
            ))}
          </dl>
        )}
      </CardContent>
    </Card>
  );
}
