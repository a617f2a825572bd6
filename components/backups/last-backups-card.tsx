import Link from 'next/link';
import { formatDateTime } from '@/components/jobs/format';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { BackupView } from '@/lib/core/backup/catalog';

/** The newest successful backup per key (an app, a target), linked to its detail page. */
export function LastBackupsCard({
  title,
  description,
  entries,
  emptyText,
}: {
  title: string;
  description: string;
  entries: Record<string, BackupView>;
  emptyText: string;
}) {
  const keys = Object.keys(entries).sort();
  return (
    <Card aria-label={title}>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent>
        {keys.length === 0 ? (
          <p className="text-sm text-muted-foreground">{emptyText}</p>
        ) : (
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            {keys.map((key) => {
              const backup = entries[key] as BackupView;
              return (
                <div key={key} className="contents">
                  <dt className="font-medium">{key}</dt>
                  <dd>
                    <Link className="text-primary hover:underline" href={`/backups/${backup.id}`}>
                      {formatDateTime(backup.finishedAt ?? backup.startedAt)}
                    </Link>
                  </dd>
                </div>
              );
            })}
          </dl>
        )}
      </CardContent>
    </Card>
  );
}
