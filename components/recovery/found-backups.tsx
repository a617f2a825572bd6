import { ArchiveRestore } from 'lucide-react';
import Link from 'next/link';
import { formatBytes } from '@/components/jobs/format';
import { LocalTime } from '@/components/shell/local-time';
import { Badge } from '@/components/ui/badge';
import { buttonVariants } from '@/components/ui/button';
import type { BackupView } from '@/lib/core/backup/catalog';
import { orderForRecovery } from './recovery-order';

/**
 * What a recovery found on the old server's target, one entry per backup: when, what, how
 * big, and "Restore…" where restoring it moves the recovery on (`restorable`).
 */
export function FoundBackups({
  backups,
  timeZone,
  restorable,
}: {
  backups: BackupView[];
  timeZone: string;
  restorable: (backup: BackupView) => boolean;
}) {
  return (
    <ul aria-label="Backups found" className="grid gap-3">
      {orderForRecovery(backups).map((b) => {
        const dateId = `found-${b.id}-date`;
        return (
          <li
            key={b.id}
            data-backup-id={b.id}
            className="flex flex-wrap items-center justify-between gap-3 rounded-lg border bg-card p-4 shadow-sm"
          >
            <div className="grid min-w-0 gap-1 text-sm">
              <p className="flex flex-wrap items-center gap-2">
                <span id={dateId} className="font-medium">
                  <LocalTime iso={b.finishedAt ?? b.startedAt} timeZone={timeZone} />
                </span>
                <Badge tone={b.scope === 'full' ? 'info' : 'neutral'}>{b.scope === 'full' ? 'Full system' : 'Apps only'}</Badge>
              </p>
              <p className="break-words">
                <span className="text-muted-foreground">Apps: </span>
                {b.apps.length > 0 ? b.apps.join(', ') : 'none'}
              </p>
              <p className="text-muted-foreground">
                {formatBytes(b.storedBytes)} stored on {b.target.name}
              </p>
            </div>
            {restorable(b) && (
              <Link
                className={buttonVariants({ variant: b.scope === 'full' ? 'default' : 'outline' })}
                href={`/backups/${b.id}/restore`}
                aria-describedby={dateId}
              >
                <ArchiveRestore /> Restore…
              </Link>
            )}
          </li>
        );
      })}
    </ul>
  );
}
